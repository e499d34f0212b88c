package storetest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/surveyflow/surveyflow/internal/storebench"
	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

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
	ok := storebench.Record(func(ft storebench.T) { storetest.CheckTenantIsolation(ft, memory.New()) })
	assert.False(t, ok.Reported(), "the memory store keeps tenants apart: %v", ok.Errors)

	leak := storebench.Record(func(ft storebench.T) { storetest.CheckTenantIsolation(ft, leaky{memory.New()}) })
	assert.True(t, leak.Reported(), "another tenant's sessions")
	assert.Contains(t, fmt.Sprint(leak.Errors), "beta's history of maria is beta's only")
}
