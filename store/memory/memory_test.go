package memory_test

import (
	"testing"

	"github.com/surveyflow/surveyflow/store/memory"
	"github.com/surveyflow/surveyflow/store/storetest"
	"github.com/surveyflow/surveyflow/survey"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) survey.Store { return memory.New() })
}

func TestDeliveries(t *testing.T) {
	storetest.CheckDeliveries(t, func(*testing.T) survey.Store { return memory.New() })
}
