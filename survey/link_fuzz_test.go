package survey_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/survey"
)

// FuzzLinkVerify: no token, however mangled, panics the verifier or
// verifies unless it is exactly a token the signer made.
func FuzzLinkVerify(f *testing.F) {
	signer, err := survey.NewLinkSigner(survey.LinkKey{ID: "k1", Secret: []byte(strings.Repeat("x", 32))})
	require.NoError(f, err)
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	good, err := signer.Sign("acme", "session-1", 4, now.Add(time.Hour))
	require.NoError(f, err)
	f.Add(good)
	f.Add("")
	f.Add("k1..")
	f.Add("k1.e30.AAAA")
	f.Add(strings.Repeat(".", 100))
	f.Fuzz(func(t *testing.T, token string) {
		claims, err := signer.Verify(token, now)
		if err != nil {
			return
		}
		require.Equal(t, good, token, "only the signed token verifies")
		require.Equal(t, 4, claims.Value)
	})
}
