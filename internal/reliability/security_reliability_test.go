package reliability_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/survey"
	"github.com/surveyflow/surveyflow/survey/surveytest"
)

func TestEveryOneCharacterChangeToASignedLinkIsRejected(t *testing.T) {
	signer, err := survey.NewLinkSigner(linkKeys...)
	require.NoError(t, err)
	tok, err := signer.Sign("acme", "session-1", 4, relStart.Add(time.Hour))
	require.NoError(t, err)
	_, err = signer.Verify(tok, relStart)
	require.NoError(t, err)
	tried := 0
	for i := range tok {
		for _, c := range []byte{'A', 'B', 'Q', 'g', 'w', '0', '-', '_', '.', '='} {
			if tok[i] == c {
				continue
			}
			bad := tok[:i] + string(c) + tok[i+1:]
			claims, err := signer.Verify(bad, relStart)
			tried++
			require.Error(t, err, "position %d changed to %q verified as %+v", i, c, claims)
			assert.True(t, errors.Is(err, survey.ErrLinkForged) || errors.Is(err, survey.ErrLinkMalformed), "%v", err)
		}
	}
	t.Logf("%d altered tokens rejected", tried)
}

func TestALinksClaimsCannotBeRewrittenOrSpliced(t *testing.T) {
	signer, err := survey.NewLinkSigner(linkKeys...)
	require.NoError(t, err)
	exp := relStart.Add(time.Hour)
	five, err := signer.Sign("acme", "session-1", 5, exp)
	require.NoError(t, err)
	other, err := signer.Sign("globex", "session-2", 1, exp)
	require.NoError(t, err)
	p5, po := strings.Split(five, "."), strings.Split(other, ".")
	rewrite := func(c survey.LinkClaims) string {
		body, err := json.Marshal(c)
		require.NoError(t, err)
		return p5[0] + "." + base64.RawURLEncoding.EncodeToString(body) + "." + p5[2]
	}
	for name, tok := range map[string]string{
		"value changed":         rewrite(survey.LinkClaims{TenantID: "acme", SessionID: "session-1", Value: 1, Expires: exp.Unix()}),
		"tenant changed":        rewrite(survey.LinkClaims{TenantID: "globex", SessionID: "session-1", Value: 5, Expires: exp.Unix()}),
		"session changed":       rewrite(survey.LinkClaims{TenantID: "acme", SessionID: "session-2", Value: 5, Expires: exp.Unix()}),
		"expiry extended":       rewrite(survey.LinkClaims{TenantID: "acme", SessionID: "session-1", Value: 5, Expires: exp.Add(time.Hour * 24 * 365).Unix()}),
		"body of another token": p5[0] + "." + po[1] + "." + p5[2],
		"signature of another":  p5[0] + "." + p5[1] + "." + po[2],
		"signature removed":     p5[0] + "." + p5[1] + ".",
		"key ID swapped":        "k2." + p5[1] + "." + p5[2],
	} {
		_, err := signer.Verify(tok, relStart)
		assert.True(t, errors.Is(err, survey.ErrLinkForged) || errors.Is(err, survey.ErrLinkMalformed), "%s: %v", name, err)
	}
	other2, err := survey.NewLinkSigner(survey.LinkKey{ID: "k1", Secret: []byte(strings.Repeat("another-secret-", 3))})
	require.NoError(t, err)
	_, err = other2.Verify(five, relStart)
	assert.ErrorIs(t, err, survey.ErrLinkForged, "same key ID, another secret")
	c, err := signer.Verify(five, exp)
	require.NoError(t, err, "valid up to its expiry second")
	assert.Equal(t, 5, c.Value)
	_, err = signer.Verify(five, exp.Add(time.Second))
	assert.ErrorIs(t, err, survey.ErrLinkExpired)
}

func TestALinkRatesOnceAndOnlyItsOwnSession(t *testing.T) {
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	signer, err := survey.NewLinkSigner(linkKeys...)
	require.NoError(t, err)
	e, err := survey.New(survey.Config{Store: memory.New(), Clock: clock, Links: signer,
		LinkURL: func(tok string) string { return "https://rate.example/r?t=" + tok }, Surveys: []survey.Definition{{ID: "csat"}}})
	require.NoError(t, err)
	open := func(id, contact string) string {
		res, err := e.ConversationClosed(ctx, &survey.Conversation{TenantID: "acme", ID: id, Channel: "email",
			Contact: survey.Contact{ID: contact, Language: "en"}, ClosedAt: relStart})
		require.NoError(t, err)
		return res.Session.ID
	}
	s1, s2 := open("c1", "u1"), open("c2", "u2")
	t1, err := signer.Sign("acme", s1, 4, clock.Now().Add(time.Hour))
	require.NoError(t, err)
	t1b, err := signer.Sign("acme", s1, 1, clock.Now().Add(time.Hour))
	require.NoError(t, err)

	res, err := e.ConfirmLink(ctx, "acme", t1)
	require.NoError(t, err)
	assert.Equal(t, 4, res.Session.Rating)
	for name, call := range map[string]func() error{
		"the same link again":             func() error { _, err := e.ConfirmLink(ctx, "acme", t1); return err },
		"another option of the same mail": func() error { _, err := e.ConfirmLink(ctx, "acme", t1b); return err },
		"the same link, another value":    func() error { _, err := e.ConfirmLinkAs(ctx, "acme", t1, 2); return err },
		"opening it again":                func() error { _, err := e.OpenLink(ctx, "acme", t1); return err },
	} {
		assert.ErrorIs(t, call(), survey.ErrLinkUsed, name)
	}
	got, err := e.LastRating(ctx, "acme", "u1")
	require.NoError(t, err)
	assert.Equal(t, 4, got.Rating, "the first confirmation stands")
	_, err = e.LastRating(ctx, "acme", "u2")
	assert.ErrorIs(t, err, survey.ErrNotFound, "session %s was not rated through another session's link", s2)

	// After the survey expires, an unexpired link finds it closed.
	t2, err := signer.Sign("acme", s2, 3, clock.Now().Add(72*time.Hour))
	require.NoError(t, err)
	clock.Advance(25 * time.Hour)
	_, err = e.Sweep(ctx)
	require.NoError(t, err)
	_, err = e.ConfirmLink(ctx, "acme", t2)
	assert.ErrorIs(t, err, survey.ErrLinkClosed)
}

func TestLogsHoldNoCommentsRepliesOrNamesEvenUnderFaultsAndHostileInput(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	clock := surveytest.NewClock(relStart)
	signer, err := survey.NewLinkSigner(linkKeys...)
	require.NoError(t, err)
	faulty := surveytest.NewFaultyStore(memory.New(), func(op string, n int) surveytest.Fault {
		if op == "Update" && n%3 == 1 {
			return surveytest.FailBefore
		}
		return surveytest.NoFault
	})
	e, err := survey.New(survey.Config{Store: faulty, Clock: clock, Logger: logger, Links: signer,
		LinkURL: func(tok string) string { return "https://rate.example/r?t=" + tok },
		Surveys: []survey.Definition{{ID: "csat", LowScoreBelow: 3, Responsible: []string{"lead"}, NotifyAgents: true}}})
	require.NoError(t, err)
	secrets := []string{"SECRETNAME", "SECRETAGENT", "SECRETREPLY", "SECRETCOMMENT", "SECRETREVIEW", "SECRETPAGE"}
	retry := func(call func() error) {
		for i := 0; i < 10; i++ {
			if err := call(); err == nil {
				return
			}
		}
		require.FailNow(t, "call never succeeded")
	}
	var sessionIDs []string
	for i, channel := range []string{"whatsapp", "email"} {
		conv := &survey.Conversation{TenantID: "acme", ID: "c" + channel, Channel: channel,
			Contact:      survey.Contact{ID: "u" + channel, Name: "<b>SECRETNAME</b>\u202e", Language: "en"},
			Participants: []survey.Participant{{ID: "a1", Name: "SECRETAGENT", Kind: survey.Human, Groups: []string{"g"}}},
			ClosedAt:     relStart.Add(time.Duration(i) * time.Second)}
		retry(func() error {
			res, err := e.ConversationClosed(ctx, conv)
			if err == nil {
				sessionIDs = append(sessionIDs, res.Session.ID)
			}
			return err
		})
	}
	for i, text := range []string{"SECRETREPLY \xff", "2", "SECRETCOMMENT \x00"} {
		in := &survey.Inbound{TenantID: "acme", ContactID: "uwhatsapp", Channel: "whatsapp", MessageID: string(rune('a' + i)), Text: text}
		retry(func() error { _, err := e.HandleMessage(ctx, in); return err })
	}
	retry(func() error {
		_, err := e.Review(ctx, survey.ReviewInput{TenantID: "acme", SessionID: sessionIDs[0], ReviewerID: "boss", Score: 1, Comment: "SECRETREVIEW"})
		return err
	})
	tok, err := signer.Sign("acme", sessionIDs[1], 1, clock.Now().Add(time.Hour))
	require.NoError(t, err)
	retry(func() error { _, err := e.ConfirmLink(ctx, "acme", tok); return err })
	retry(func() error { _, err := e.CommentViaLink(ctx, "acme", tok, "SECRETPAGE"); return err })
	clock.Advance(48 * time.Hour)
	retry(func() error { _, err := e.Sweep(ctx); return err })

	logs := buf.String()
	require.Contains(t, logs, "level=WARN", "the failure path logged")
	require.Contains(t, logs, "level=INFO")
	for _, s := range secrets {
		assert.NotContains(t, logs, s, "logs at every level")
	}
	assert.Positive(t, faulty.Injected)
}
