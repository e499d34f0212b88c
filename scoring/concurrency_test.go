package scoring

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParserIsSafeForConcurrentUse(t *testing.T) {
	p := mustParser(t, CSAT5(), csat5Words["fr"])
	replies := map[string]int{"5": 5, "très satisfait": 5, "4️⃣": 4, "٣": 3, "⭐⭐": 2, "insatisfait, vraiment": 2}
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for range 8 {
		wg.Go(func() {
			for range 200 {
				for reply, want := range replies {
					if v, err := p.Parse(reply); err != nil || v != want {
						errs <- reply
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	var bad []string
	for r := range errs {
		bad = append(bad, r)
	}
	assert.Empty(t, bad, "replies misread under concurrency")
}
