// Package docscheck holds the test that keeps docs/reference.md whole:
// every JSON key of a survey definition, every shipped text key, every
// placeholder and every error the library declares must be in it. It has
// no code of its own.
package docscheck
