package survey

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/i18n"
)

// Errors of signed rating links; each is distinct so a page can say what
// went wrong.
var (
	// ErrLinkMalformed: the token is not a token at all.
	ErrLinkMalformed = errors.New("surveyflow: malformed rating link")
	// ErrLinkForged: the signature does not verify under any known key.
	ErrLinkForged = errors.New("surveyflow: rating link signature is invalid")
	// ErrLinkExpired: the link's time ran out.
	ErrLinkExpired = errors.New("surveyflow: rating link has expired")
	// ErrLinkUsed: the survey was already rated (links are single-use).
	ErrLinkUsed = errors.New("surveyflow: rating link was already used")
	// ErrLinkWrongTenant: the link belongs to another tenant.
	ErrLinkWrongTenant = errors.New("surveyflow: rating link belongs to another tenant")
	// ErrLinkClosed: the survey ended (expired, cancelled) before the
	// contact confirmed.
	ErrLinkClosed = errors.New("surveyflow: survey is no longer open")
)

// LinkKey is one HMAC-SHA256 key. IDs let keys rotate: a signer signs with
// its first key and verifies with all of them.
type LinkKey struct {
	// ID is stored in the token to pick the key when verifying.
	ID string
	// Secret is at least 32 random bytes.
	Secret []byte
}

// LinkSigner signs and verifies one-click rating links: bound to a tenant,
// a session and an option, expiring, and single-use through the session's
// state.
type LinkSigner struct {
	keys []LinkKey
}

// NewLinkSigner returns a signer that signs with keys[0] and accepts tokens
// signed by any of keys.
func NewLinkSigner(keys ...LinkKey) (*LinkSigner, error) {
	if len(keys) == 0 {
		return nil, errors.New("surveyflow: a link signer needs a key")
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if k.ID == "" || strings.ContainsAny(k.ID, ".") || len(k.Secret) < 32 {
			return nil, fmt.Errorf("surveyflow: link key %q needs a non-empty ID without dots and a secret of at least 32 bytes", k.ID)
		}
		if seen[k.ID] {
			return nil, fmt.Errorf("surveyflow: two link keys are named %q", k.ID)
		}
		seen[k.ID] = true
	}
	return &LinkSigner{keys: append([]LinkKey(nil), keys...)}, nil
}

// SignsLinks reports whether the engine signs one-click rating links
// (Config.Links is set), which a rating page needs.
func (e *Engine) SignsLinks() bool { return e != nil && e.links != nil }

// LinkClaims are what a token says.
type LinkClaims struct {
	// TenantID and SessionID name the survey.
	TenantID  string `json:"t"`
	SessionID string `json:"s"`
	// Value is the option the link records.
	Value int `json:"v"`
	// Expires is the token's end, in Unix seconds.
	Expires int64 `json:"e"`
}

// Sign returns a URL-safe token for one option of one session.
func (l *LinkSigner) Sign(tenantID, sessionID string, value int, expires time.Time) (string, error) {
	body, err := json.Marshal(LinkClaims{TenantID: tenantID, SessionID: sessionID, Value: value, Expires: expires.Unix()})
	if err != nil {
		return "", err
	}
	k := l.keys[0]
	head := k.ID + "." + base64.RawURLEncoding.EncodeToString(body)
	return head + "." + base64.RawURLEncoding.EncodeToString(mac(k.Secret, head)), nil
}

// Verify checks a token's signature (in constant time) and expiry at now.
func (l *LinkSigner) Verify(token string, now time.Time) (LinkClaims, error) {
	var c LinkClaims
	if len(token) > 2048 {
		return c, ErrLinkMalformed
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return c, ErrLinkMalformed
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	if err != nil {
		return c, ErrLinkMalformed
	}
	var key *LinkKey
	for i := range l.keys {
		if l.keys[i].ID == parts[0] {
			key = &l.keys[i]
		}
	}
	if key == nil || !hmac.Equal(sig, mac(key.Secret, parts[0]+"."+parts[1])) {
		return c, ErrLinkForged
	}
	body, err := base64.RawURLEncoding.Strict().DecodeString(parts[1])
	if err != nil || json.Unmarshal(body, &c) != nil {
		return LinkClaims{}, ErrLinkMalformed
	}
	if now.Unix() > c.Expires {
		return c, ErrLinkExpired
	}
	return c, nil
}

func mac(secret []byte, msg string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// LinkView is what a rating page shows for a link: who asks, about which
// conversation, the question, every option, and the one the link
// pre-selects.
type LinkView struct {
	// Session is the survey session; its ConversationID, ClosedAt and
	// Agents say which conversation the rating is about.
	Session *Session
	// Language is the BCP 47 tag of the texts.
	Language string
	// Company is the survey's Company text (Definition.Company): who asks.
	Company string
	// Prompt is the rating question as the e-mail asked it (the
	// catalog's e-mail prompt), so the page and the e-mail agree; the
	// survey's own rating question when the catalog has no e-mail prompt.
	Prompt string
	// Choices are every option; Selected is the link's.
	Choices []Choice
	// Selected is the value the link carries.
	Selected int
	// Current is the rating the contact already gave, when the survey
	// lets it be changed (Definition.ChangeWindow) and it was given; zero
	// otherwise. Confirming records the change.
	Current int
	// FollowUp is the comment question the session waits on once rated
	// (Session.State is StateAwaitingComment); empty otherwise.
	FollowUp string
	// Thanks is the survey's closing thanks once every answer is in
	// (Session.State is StateCompleted); empty otherwise.
	Thanks string
}

// OpenLink verifies a link for tenantID and returns what to show, without
// recording anything: e-mail security scanners open every link.
//
// When the link is genuine but can no longer rate (ErrLinkUsed,
// ErrLinkClosed, or ErrLinkExpired once the token's time ran out), OpenLink
// returns that error together with the view of the session as it stands,
// so that a page can answer in the contact's language and, after the
// rating, keep offering the comment box. A link that is not genuine
// (malformed, forged, another tenant's) returns a nil view.
func (e *Engine) OpenLink(ctx context.Context, tenantID, token string) (view *LinkView, err error) {
	defer func(start time.Time) { e.called(ctx, "link_open", start, nil, err) }(e.since())
	c, s, sv, err := e.linkSession(ctx, tenantID, token)
	if errors.Is(err, ErrLinkExpired) && c.TenantID == tenantID && c.SessionID != "" {
		// The signature is good, only the token's time ran out: the
		// session still says which language the contact speaks.
		if s, lerr := e.store.Load(ctx, tenantID, c.SessionID); lerr == nil {
			if sv, serr := e.survey(tenantID, s.SurveyID); serr == nil {
				return e.linkView(sv, s, c), err
			}
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	current := 0
	switch {
	case s.Rated && e.changeable(sv, s):
		current = s.Rating
	case s.Rated:
		err = ErrLinkUsed
	case s.State != StateAwaitingRating || e.clock.Now().After(s.questionEnd()):
		err = ErrLinkClosed // ended, or its time ran out and a sweep will end it
	}
	view = e.linkView(sv, s, c)
	if view.Choices == nil && err == nil {
		// The rating request did not render: nothing to show.
		return nil, fmt.Errorf("surveyflow: render the rating page of session %s", s.ID)
	}
	view.Current = current
	return view, err
}

// linkView is what OpenLink shows for s and the link's claims c. Texts that
// do not render stay empty.
func (e *Engine) linkView(sv *compiled, s *Session, c LinkClaims) *LinkView {
	v := &LinkView{Session: s, Language: s.Language, Company: sv.def.Company, Selected: c.Value}
	if out, err := e.render(sv, s, KindRatingRequest, 0); err == nil {
		v.Language, v.Prompt, v.Choices = out.Language, out.Prompt, out.Choices
	}
	loc := sv.lang(s.Language)
	if prompt, err := sv.texts.Render(loc.tag, i18n.KeyEmailPrompt, e.vars(sv, s), i18n.Plain); err == nil && prompt != "" {
		v.Prompt = prompt
	}
	switch s.State {
	case StateAwaitingComment:
		if out, err := e.render(sv, s, KindCommentRequest, 0); err == nil {
			v.FollowUp = out.Prompt
		}
	case StateCompleted:
		if out, err := e.render(sv, s, KindThanks, 0); err == nil {
			v.Thanks = out.Prompt
		}
	}
	return v
}

// changeable reports whether s's rating may still be changed now.
func (e *Engine) changeable(sv *compiled, s *Session) bool {
	until := sv.changeUntil(s)
	return s.Rated && !until.IsZero() && !e.clock.Now().After(until)
}

// ConfirmLink records the link's rating: the contact's confirming POST on
// the page OpenLink served. A second confirmation returns ErrLinkUsed,
// unless the survey lets ratings change (Definition.ChangeWindow) and its
// window is open: then it changes the rating.
func (e *Engine) ConfirmLink(ctx context.Context, tenantID, token string) (*Result, error) {
	return e.confirmLink(ctx, tenantID, token, nil)
}

// ConfirmLinkAs records value instead of the link's own option: the contact
// changed the pre-selected choice on the page before confirming. The token
// still proves which survey is rated; value must be on its scale.
func (e *Engine) ConfirmLinkAs(ctx context.Context, tenantID, token string, value int) (*Result, error) {
	return e.confirmLink(ctx, tenantID, token, &value)
}

func (e *Engine) confirmLink(ctx context.Context, tenantID, token string, value *int) (*Result, error) {
	start := e.since()
	res, err := e.confirmLinkOnce(ctx, tenantID, token, value)
	e.called(ctx, "link_confirm", start, res, err)
	return res, err
}

func (e *Engine) confirmLinkOnce(ctx context.Context, tenantID, token string, value *int) (*Result, error) {
	c, s, sv, err := e.linkSession(ctx, tenantID, token)
	if err != nil {
		return nil, err
	}
	v := c.Value
	if value != nil {
		v = *value
	}
	if !sv.scale.Contains(v) {
		return nil, fmt.Errorf("%w: %d is not on the scale %d–%d", ErrInvalidInput, v, sv.scale.Min(), sv.scale.Max())
	}
	if s.Rated && !e.changeable(sv, s) {
		return nil, ErrLinkUsed
	}
	in := &input{Inbound: &Inbound{TenantID: tenantID, ContactID: s.ContactID, Channel: s.Channel,
		MessageID: "link:" + s.ID}, source: SourceRatingPage, value: v, session: c.SessionID}
	res, err := e.answer(ctx, in)
	if err != nil {
		return nil, err
	}
	switch {
	case res.Duplicate:
		return nil, ErrLinkUsed
	case !res.Consumed || res.Session == nil || !res.Session.Rated || res.Session.Rating != v:
		return nil, ErrLinkClosed
	}
	return res, nil
}

// CommentViaLink records the comment typed on the rating page after a
// confirmed rating.
func (e *Engine) CommentViaLink(ctx context.Context, tenantID, token, comment string) (*Result, error) {
	start := e.since()
	res, err := e.commentViaLink(ctx, tenantID, token, comment)
	e.called(ctx, "link_comment", start, res, err)
	return res, err
}

func (e *Engine) commentViaLink(ctx context.Context, tenantID, token, comment string) (*Result, error) {
	_, s, _, err := e.linkSession(ctx, tenantID, token)
	if err != nil {
		return nil, err
	}
	if s.State != StateAwaitingComment {
		return nil, ErrLinkClosed
	}
	in := &input{Inbound: &Inbound{TenantID: tenantID, ContactID: s.ContactID, Channel: s.Channel,
		MessageID: "link-comment:" + s.ID, Text: comment}, source: SourceRatingPage, session: s.ID}
	res, err := e.answer(ctx, in)
	if err != nil {
		return nil, err
	}
	if res.Duplicate {
		return nil, ErrLinkUsed
	}
	if !res.Consumed {
		return nil, ErrLinkClosed
	}
	return res, nil
}

func (e *Engine) linkSession(ctx context.Context, tenantID, token string) (LinkClaims, *Session, *compiled, error) {
	if err := e.usable(ctx); err != nil {
		return LinkClaims{}, nil, nil, err
	}
	if e.links == nil {
		return LinkClaims{}, nil, nil, errors.New("surveyflow: the engine has no link signer (Config.Links)")
	}
	c, err := e.links.Verify(token, e.clock.Now())
	if err != nil {
		return c, nil, nil, err
	}
	if c.TenantID != tenantID {
		return c, nil, nil, ErrLinkWrongTenant
	}
	s, err := e.store.Load(ctx, tenantID, c.SessionID)
	if errors.Is(err, ErrNotFound) {
		return c, nil, nil, ErrLinkClosed
	}
	if err != nil {
		return c, nil, nil, fmt.Errorf("surveyflow: link: %w", err)
	}
	sv, err := e.survey(tenantID, s.SurveyID)
	if err != nil {
		return c, nil, nil, err
	}
	return c, s, sv, nil
}
