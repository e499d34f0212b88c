package postgres

// Dialect is the PostgreSQL dialect, for the package tests.
var Dialect = dialect
