package storetest_test

import (
	"fmt"
	"time"

	"github.com/surveyflow/surveyflow/store/storetest"
)

// A host's adapter runs the whole contract with one call in its tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, storetest.Harness{
//			NewStore: func(t *testing.T) survey.Store { return mystore.New(openDB(t)) },
//		})
//	}
//
// NewSession and Rate build the sessions the suite uses, for the adapter's
// own tests.
func ExampleNewSession() {
	s := storetest.NewSession("acme", "s1", 30)
	storetest.Rate(s, 4, s.CreatedAt.Add(time.Minute))
	fmt.Println(s.ConversationID, s.State, s.Rating, s.Deadline.Sub(s.CreatedAt))
	// Output: conv-s1 awaiting_comment 4 24h0m0s
}
