package eligibility

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/surveyflow/surveyflow/survey"
)

// CodeNotSampled is the failure code of Sample.
const CodeNotSampled = "not_sampled"

// SampleKey says what Sample hashes besides the tenant and the survey.
type SampleKey int

const (
	// ByConversation samples conversations: each conversation is in or out
	// (the default).
	ByConversation SampleKey = iota
	// ByContact samples contacts (the "percentage of contacts"): a
	// contact in the sample is surveyed after every conversation that passes
	// the other rules, a contact outside never is.
	ByContact
)

// String returns the configuration name of k: "conversation" or "contact".
func (k SampleKey) String() string {
	switch k {
	case ByConversation:
		return "conversation"
	case ByContact:
		return "contact"
	}
	return fmt.Sprintf("SampleKey(%d)", int(k))
}

func parseSampleKey(s string) (SampleKey, error) {
	switch s {
	case "", "conversation":
		return ByConversation, nil
	case "contact":
		return ByContact, nil
	}
	return 0, fmt.Errorf("by %q is not one of conversation, contact", s)
}

// SampleOption changes how Sample decides.
type SampleOption func(*sample)

// Salt mixes s into the hash, so two samples of the same survey (or a new
// sample after a change) pick different conversations.
func Salt(s string) SampleOption { return func(r *sample) { r.salt = s } }

// SampleBy sets what is sampled: conversations (the default) or contacts.
func SampleBy(k SampleKey) SampleOption { return func(r *sample) { r.by = k } }

// SampleSpace is the number of positions a sample hash falls into: a
// percentage has a resolution of 0.0001 %.
const SampleSpace = 1_000_000

// Sample passes for percent % of conversations, 0 ≤ percent ≤
// 100. The decision uses no random source: it is a pure function of the
// tenant, the survey, the conversation ID (or the contact ID, see SampleBy)
// and the salt, so every instance, every restart and every Go version
// decides the same conversation the same way.
//
// The position of a conversation is SamplePosition of those four strings;
// the conversation is sampled when position < round(percent × 10 000). So 0 %
// samples nothing, 100 % samples everything, and raising the percentage only
// adds conversations to the sample.
func Sample(percent float64, opts ...SampleOption) survey.Rule {
	r := &sample{percent: percent}
	for _, o := range opts {
		if o != nil {
			o(r)
		}
	}
	return r
}

// SamplePosition returns where id falls in the sample space of tenant and
// survey: an integer in [0, SampleSpace). It is the first 8 bytes, read as a
// big-endian unsigned integer, of the SHA-256 of
//
//	"surveyflow/sample/v1" then, for each of salt, tenant, survey, id:
//	its length in bytes as a 4-byte big-endian integer, then its bytes
//
// modulo SampleSpace. Any language can reproduce it (for example in a data
// warehouse, to tell which conversations a sample picked).
func SamplePosition(salt, tenant, surveyID, id string) int {
	h := sha256.New()
	h.Write([]byte("surveyflow/sample/v1"))
	var n [4]byte
	for _, s := range [...]string{salt, tenant, surveyID, id} {
		binary.BigEndian.PutUint32(n[:], uint32(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	var sum [sha256.Size]byte
	return int(binary.BigEndian.Uint64(h.Sum(sum[:0])[:8]) % SampleSpace)
}

type sample struct {
	percent float64
	salt    string
	by      SampleKey
}

func (r *sample) Name() string { return "sample" }

func (r *sample) Validate() error {
	if math.IsNaN(r.percent) || r.percent < 0 || r.percent > 100 {
		return invalid(r.Name(), "percent %v is outside 0–100", r.percent)
	}
	if r.by != ByConversation && r.by != ByContact {
		return invalid(r.Name(), "unknown sample key %d", int(r.by))
	}
	return nil
}

func (r *sample) describe() string { return fmt.Sprintf("in the %v%% sample of %ss", r.percent, r.by) }

func (r *sample) config() (RuleConfig, error) {
	c := RuleConfig{Rule: r.Name(), Percent: r.percent, Salt: r.salt}
	if r.by != ByConversation {
		c.By = r.by.String()
	}
	return c, nil
}

func (r *sample) Check(_ context.Context, in *survey.Input) ([]survey.Failure, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c, err := conversation(in)
	if err != nil {
		return nil, err
	}
	id := c.ID
	if r.by == ByContact {
		id = c.Contact.ID
	}
	pos := SamplePosition(r.salt, c.TenantID, in.SurveyID, id)
	if pos < int(math.Round(r.percent*SampleSpace/100)) {
		return nil, nil
	}
	return []survey.Failure{{
		Code: CodeNotSampled, Rule: r.Name(),
		Reason: fmt.Sprintf("%s %s falls at %.4f%% of the sample space, outside the %v%% sample",
			r.by, id, float64(pos)*100/SampleSpace, r.percent),
	}}, nil
}
