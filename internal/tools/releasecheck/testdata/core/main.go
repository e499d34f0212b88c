// Command core is the release check's program for a host that uses only the
// root module: a survey on the in-memory store, from the close of a
// conversation to the report. The release check copies it into a fresh
// module outside the repository and builds it against the released version.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/surveyflow/surveyflow/store/memory"
)

func main() {
	if err := rateOnce(context.Background(), memory.New()); err != nil {
		fmt.Fprintln(os.Stderr, "core: memory:", err)
		os.Exit(1)
	}
	fmt.Println("core: memory: a conversation closed, was rated 5 and counted in the report")
}
