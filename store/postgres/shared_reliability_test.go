package postgres_test

import "time"

// relStart is the fake clock's start in the reliability tests.
var relStart = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
