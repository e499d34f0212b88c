package reliability_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// A host checks a rating link before it shows the page: a link whose value
// was changed by one character is refused as forged.
func Example() {
	signer, _ := survey.NewLinkSigner(survey.LinkKey{ID: "2026-05", Secret: []byte(strings.Repeat("s", 32))})
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	token, _ := signer.Sign("acme", "session-1", 5, now.Add(time.Hour))

	claims, err := signer.Verify(token, now)
	fmt.Println(claims.Value, err)

	parts := strings.Split(token, ".")
	body := []byte(parts[1])
	body[len(body)/2] ^= 1 // one bit of the claims
	_, err = signer.Verify(parts[0]+"."+string(body)+"."+parts[2], now)
	fmt.Println(errors.Is(err, survey.ErrLinkForged) || errors.Is(err, survey.ErrLinkMalformed))
	_, err = signer.Verify(token, now.Add(2*time.Hour))
	fmt.Println(errors.Is(err, survey.ErrLinkExpired))
	// Output:
	// 5 <nil>
	// true
	// true
}
