package postgres_test

import (
	"testing"

	"github.com/surveyflow/surveyflow/store/storetest"
)

func TestReadConformance(t *testing.T) {
	serverURL(t)
	storetest.RunRead(t, func(t *testing.T) storetest.ReadStore {
		st, _ := newStore(t)
		return st
	})
}
