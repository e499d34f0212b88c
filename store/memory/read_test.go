package memory_test

import (
	"testing"

	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
)

func TestReadConformance(t *testing.T) {
	storetest.RunRead(t, func(*testing.T) storetest.ReadStore { return memory.New() })
}
