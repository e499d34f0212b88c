package sqlite_test

// must returns v, and panics (failing the test) on err: stores are built
// on databases the tests opened themselves.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
