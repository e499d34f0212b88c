package eligibility_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/survey"
)

// benchInput is a 20-message chat of about 100 characters a message.
func benchInput() *survey.Input {
	b := conv("bench-conversation-0001").Field("priority", "high").Label("billing")
	for i := range 10 {
		b.ContactSays(strings.Repeat("¿Hola, qué tal? ", 6))
		b.AgentSays([]string{"ana", "bot"}[i%2], strings.Repeat("Con gusto te ayudo. ", 5))
	}
	in := input(b.Closed())
	in.History = history()
	return in
}

var sink int

// BenchmarkBaselineTranscriptScan is the floor for AnsweredLongAndRecent: one pass over
// the transcript counting runes.
func BenchmarkBaselineTranscriptScan(b *testing.B) {
	in := benchInput()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, m := range in.Conversation.Messages {
			if m.From != survey.FromSystem {
				n += utf8.RuneCountInString(m.Text)
			}
		}
		sink += n
	}
}

// BenchmarkAnsweredLongAndRecent evaluates seed 000's three rules.
func BenchmarkAnsweredLongAndRecent(b *testing.B) {
	in, rules, ctx := benchInput(), eligibility.AnsweredLongAndRecent(), context.Background()
	b.ReportAllocs()
	for b.Loop() {
		d, err := survey.Evaluate(ctx, rules, in)
		if err != nil || !d.Eligible {
			b.Fatal(err, d)
		}
	}
}

// BenchmarkTenRules evaluates a full rule set: seed 000, seed 001's effort,
// sampling, cap and language, and seed 002's field condition.
func BenchmarkTenRules(b *testing.B) {
	in, ctx := benchInput(), context.Background()
	rules := append(eligibility.AnsweredLongAndRecent(),
		eligibility.MinHandlingTime(time.Minute, eligibility.HumanOrVirtual),
		eligibility.MinAgentReplies(2, eligibility.HumanOnly),
		eligibility.Sample(100),
		eligibility.FrequencyCap(24*time.Hour, eligibility.SameSurvey),
		eligibility.InContactLanguage(),
		eligibility.Field("priority", eligibility.In, "high", "medium"),
		eligibility.Labels(eligibility.NotContains, "vip-escalation"),
	)
	b.ReportAllocs()
	for b.Loop() {
		d, err := survey.Evaluate(ctx, rules, in)
		if err != nil || !d.Eligible {
			b.Fatal(err, d)
		}
	}
}

// BenchmarkBaselineSHA256 hashes as many bytes as a sample decision does.
func BenchmarkBaselineSHA256(b *testing.B) {
	data := []byte("surveyflow/sample/v1\x00\x00\x00\x00\x00\x00\x00\x06tenant\x00\x00\x00\x04csat\x00\x00\x00\x17bench-conversation-0001")
	b.ReportAllocs()
	for b.Loop() {
		s := sha256.Sum256(data)
		sink += int(s[0])
	}
}

// BenchmarkSample decides one conversation's sampling.
func BenchmarkSample(b *testing.B) {
	in, r, ctx := benchInput(), eligibility.Sample(30), context.Background()
	b.ReportAllocs()
	for b.Loop() {
		f, err := r.Check(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		sink += len(f)
	}
}

var benchConfig = []byte(`{"rules":[{"rule":"answered_by_agent"},{"rule":"transcript_longer_than","chars":250},
	{"rule":"closed_within","within":"1d"},{"rule":"sample","percent":30},
	{"rule":"any","rules":[{"rule":"field","field":"priority","op":"in","values":["high","medium"]},
	{"rule":"not","of":{"rule":"labels","op":"contains","values":["vip-escalation"]}}]}]}`)

// BenchmarkBaselineJSONDecode decodes the configuration into generic values.
func BenchmarkBaselineJSONDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(benchConfig, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad decodes and builds the same configuration strictly.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eligibility.Load(benchConfig); err != nil {
			b.Fatal(err)
		}
	}
}
