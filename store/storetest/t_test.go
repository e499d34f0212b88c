package storetest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

// fakeT records what a check reports, so a test can see that the check
// fails a test when it should: a test framework other than testing would
// hand over such a handle.
type fakeT struct {
	errors []string
	failed bool
}

var _ storetest.T = (*fakeT)(nil)

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

// FailNow ends the check as testing.T.FailNow ends the test's goroutine:
// run recovers.
func (f *fakeT) FailNow() {
	f.failed = true
	panic(f)
}

// run runs check with a fresh fakeT and returns it.
func run(check func(t storetest.T)) (f *fakeT) {
	f = &fakeT{}
	defer func() {
		if r := recover(); r != nil && r != f {
			panic(r)
		}
	}()
	check(f)
	return f
}

// reported says whether f saw a failure, with Errorf or FailNow.
func (f *fakeT) reported() bool { return f.failed || len(f.errors) > 0 }

// leaky hands out another tenant's sessions in ContactHistory.
type leaky struct{ *memory.Store }

func (l leaky) ContactHistory(ctx context.Context, tenantID, contactID string, since time.Time) ([]*survey.Session, error) {
	own, err := l.Store.ContactHistory(ctx, tenantID, contactID, since)
	if err != nil || tenantID == "alpha" {
		return own, err
	}
	other, err := l.Store.ContactHistory(ctx, "alpha", contactID, since)
	return append(own, other...), err
}

func TestCheckTenantIsolationReportsALeak(t *testing.T) {
	ok := run(func(ft storetest.T) { storetest.CheckTenantIsolation(ft, memory.New()) })
	assert.False(t, ok.reported(), "the memory store keeps tenants apart: %v", ok.errors)

	leak := run(func(ft storetest.T) { storetest.CheckTenantIsolation(ft, leaky{memory.New()}) })
	assert.True(t, leak.reported(), "another tenant's sessions")
	assert.Contains(t, fmt.Sprint(leak.errors), "beta's history of maria is beta's only")
}
