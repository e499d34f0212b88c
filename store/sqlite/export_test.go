package sqlite

// Dialect is the SQLite dialect, for the package tests.
var Dialect = dialect
