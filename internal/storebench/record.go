package storebench

import "fmt"

// Recorder is a test handle (T) that records what a check reports instead
// of failing the test, so a test can see that a check fails when it
// should — as a test framework other than testing would hand one over.
type Recorder struct {
	// Errors are the messages of Errorf, in order.
	Errors []string
	// Failed reports that the check called FailNow.
	Failed bool
}

var _ T = (*Recorder)(nil)

// Helper does nothing.
func (r *Recorder) Helper() {}

// Errorf records a failure and lets the check go on.
func (r *Recorder) Errorf(format string, args ...any) {
	r.Errors = append(r.Errors, fmt.Sprintf(format, args...))
}

// FailNow records a failure and ends the check, as testing.T.FailNow ends
// the test's goroutine: Record recovers.
func (r *Recorder) FailNow() {
	r.Failed = true
	panic(r)
}

// Reported says whether the check reported a failure, with Errorf or
// FailNow.
func (r *Recorder) Reported() bool { return r.Failed || len(r.Errors) > 0 }

// Record runs check with a fresh Recorder and returns it.
func Record(check func(t T)) (r *Recorder) {
	r = &Recorder{}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
	}()
	check(r)
	return r
}
