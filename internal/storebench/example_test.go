package storebench_test

import (
	"fmt"

	"github.com/surveyflow/surveyflow/internal/storebench"
)

// The reports the benchmarks time: the per-agent report with every figure,
// and the ratings-only one beside it.
func Example() {
	full, ratings := storebench.PerAgent(), storebench.RatingsOnly()
	fmt.Println(full.Measures, "by", len(full.By), "dimension")
	fmt.Println(ratings.Measures, "by", len(ratings.By), "dimensions")
	// Output:
	// ratings+response_rate+time_to_rate by 1 dimension
	// ratings by 3 dimensions
}
