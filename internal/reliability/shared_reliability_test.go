// Package reliability_test holds the reliability tests of RELIABILITY.md
// that are not about one store: hostile input at every surface, fuzzing
// of documents and of the rating page, security. The scenarios on a store
// (load, faults, hostile input through a store, tenants, the adversaries)
// are in store/storetest and run on every store through storetest.Run.
package reliability_test

import (
	"strings"
	"time"

	"github.com/surveyflow/surveyflow/survey"
)

// relStart is the fake clock's start in every test here.
var relStart = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// linkKeys sign the rating links of these tests.
var linkKeys = []survey.LinkKey{{ID: "k1", Secret: []byte(strings.Repeat("reliability-key-1", 2))}}
