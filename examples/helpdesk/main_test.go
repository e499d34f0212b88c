package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a log that the server goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveOnce runs the command on a free port until check has looked at it.
func serveOnce(t *testing.T, o options, check func(url string)) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var log syncBuffer
	o.addr, o.port = "127.0.0.1", 0
	o.ready = func(url string) {
		defer cancel()
		check(url)
	}
	require.NoError(t, run(ctx, o, &log))
	return log.String()
}

func TestTheCommandSeedsOnceAndServes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	o := options{dbPath: db, days: 10, perDay: 12}
	var first reportJSON
	log := serveOnce(t, o, func(url string) {
		res, err := http.Get(url + "/api/report")
		if assert.NoError(t, err) {
			defer res.Body.Close()
			assert.Equal(t, 200, res.StatusCode)
			assert.NoError(t, json.NewDecoder(res.Body).Decode(&first))
		}
		res, err = http.Get(url + "/")
		if assert.NoError(t, err) {
			res.Body.Close()
			assert.Equal(t, 200, res.StatusCode)
		}
	})
	assert.Contains(t, log, "seeding 10 days")
	assert.Contains(t, log, "dashboard on http://127.0.0.1:")
	assert.Positive(t, first.Overall.Count)

	var second reportJSON
	log = serveOnce(t, o, func(url string) {
		res, err := http.Get(url + "/api/report")
		if assert.NoError(t, err) {
			defer res.Body.Close()
			assert.NoError(t, json.NewDecoder(res.Body).Decode(&second))
		}
	})
	assert.NotContains(t, log, "seeding", "the data is there: no second seed")
	assert.Equal(t, first.Overall.Count, second.Overall.Count)

	o.fresh, o.seedOnly = true, true
	require.NoError(t, run(context.Background(), o, &syncBuffer{}))
}

func TestTheCommandRefusesAShortSecret(t *testing.T) {
	err := run(context.Background(), options{dbPath: filepath.Join(t.TempDir(), "x.db"), secret: "short"}, &syncBuffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "32 bytes")
}
