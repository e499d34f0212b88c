package eligibility_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/eligibility"
	"github.com/surveyflow/surveyflow/survey"
)

// sampleInput is a conversation of tenant "tenant" for survey "csat".
func sampleInput(tenant, id, contact string) *survey.Input {
	return &survey.Input{
		Conversation: &survey.Conversation{TenantID: tenant, ID: id, Contact: survey.Contact{ID: contact}},
		SurveyID:     "csat",
	}
}

func sampled(t testing.TB, r survey.Rule, in *survey.Input) bool {
	t.Helper()
	f, err := r.Check(context.Background(), in)
	require.NoError(t, err)
	return len(f) == 0
}

func TestSamplePositionIsAPinnedFunction(t *testing.T) {
	// Computed independently with Python's hashlib, from the definition in
	// SamplePosition's doc comment: a change of algorithm fails here.
	assert.Equal(t, 374833, eligibility.SamplePosition("", "tenant", "csat", "conv-1"))
	assert.Equal(t, 875169, eligibility.SamplePosition("spring-2026", "acme", "nps", "c-42"))
	assert.Equal(t, 535437, eligibility.SamplePosition("", "t", "s", "é"))
	assert.NotEqual(t, eligibility.SamplePosition("", "ab", "c", "x"), eligibility.SamplePosition("", "a", "bc", "x"),
		"fields are length-prefixed, so moving a character between them changes the hash")
}

func TestSampleBoundaries(t *testing.T) {
	in := sampleInput("tenant", "conv-1", "maria") // position 374833
	t.Run("a percentage ending exactly at the position leaves it out", func(t *testing.T) {
		f := check(t, eligibility.Sample(37.4833), in)
		require.Len(t, f, 1)
		assert.Equal(t, eligibility.CodeNotSampled, f[0].Code)
		assert.Equal(t, "conversation conv-1 falls at 37.4833% of the sample space, outside the 37.4833% sample", f[0].Reason)
	})
	t.Run("one step more takes it in", func(t *testing.T) {
		assert.Empty(t, check(t, eligibility.Sample(37.4834), in))
	})
	for i := range 2000 {
		in := sampleInput("tenant", fmt.Sprintf("conv-%d", i), "c")
		require.False(t, sampled(t, eligibility.Sample(0), in), "0 %% samples nothing")
		require.True(t, sampled(t, eligibility.Sample(100), in), "100 %% samples everything")
	}
}

func TestSampleOfThirtyPercentIsTightAndStable(t *testing.T) {
	const n = 100_000
	r := eligibility.Sample(30)
	rebuilt, err := eligibility.Load([]byte(`{"rules":[{"rule":"sample","percent":30}]}`))
	require.NoError(t, err)
	ten := eligibility.Sample(10)
	in, in10 := 0, 0
	for i := range n {
		x := sampleInput("tenant", fmt.Sprintf("conv-%d", i), "c")
		got := sampled(t, r, x)
		if got {
			in++
		}
		// The same ID decides the same way, again and with another rule
		// value built from configuration (as on another instance).
		require.Equal(t, got, sampled(t, r, x), "conversation %d decides the same twice", i)
		require.Equal(t, got, sampled(t, rebuilt[0], x), "conversation %d decides the same on a rebuilt rule", i)
		// Raising the percentage only adds conversations.
		if sampled(t, ten, x) {
			in10++
			require.True(t, got, "conversation %d is in the 10 %% sample, so in the 30 %% one", i)
		}
	}
	// Binomial standard deviation is √(n·0.3·0.7) ≈ 145: ±500 is 3.4 σ.
	assert.InDelta(t, 0.30*n, in, 500, "30 %% of %d conversations", n)
	assert.InDelta(t, 0.10*n, in10, 500, "10 %% of %d conversations", n)
}

func TestSampleKeysAndSalt(t *testing.T) {
	byContact := eligibility.Sample(50, eligibility.SampleBy(eligibility.ByContact))
	byConversation := eligibility.Sample(50)
	salted := eligibility.Sample(50, eligibility.Salt("spring-2026"))
	conversationsDiffer, saltDiffers, tenantDiffers := 0, 0, 0
	for i := range 1000 {
		contact := fmt.Sprintf("contact-%d", i)
		a, b := sampleInput("tenant", contact+"-a", contact), sampleInput("tenant", contact+"-b", contact)
		require.Equal(t, sampled(t, byContact, a), sampled(t, byContact, b), "a contact is in or out for all its conversations")
		if sampled(t, byConversation, a) != sampled(t, byConversation, b) {
			conversationsDiffer++
		}
		if sampled(t, byConversation, a) != sampled(t, salted, a) {
			saltDiffers++
		}
		if sampled(t, byConversation, a) != sampled(t, byConversation, sampleInput("other", contact+"-a", contact)) {
			tenantDiffers++
		}
	}
	// Independent 50 % draws differ about half the time.
	assert.InDelta(t, 500, conversationsDiffer, 100, "sampling by conversation decides each conversation")
	assert.InDelta(t, 500, saltDiffers, 100, "a salt draws another sample")
	assert.InDelta(t, 500, tenantDiffers, 100, "tenants draw their own samples")

	// A percentage ending at the contact's position leaves the contact out.
	pos := eligibility.SamplePosition("", "tenant", "csat", "contact-x")
	f := check(t, eligibility.Sample(float64(pos)/10_000, eligibility.SampleBy(eligibility.ByContact)), sampleInput("tenant", "conv-1", "contact-x"))
	require.Len(t, f, 1)
	assert.Contains(t, f[0].Reason, "contact contact-x falls at")
}
