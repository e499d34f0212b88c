// Package docscheck holds the tests that keep the documentation true to
// the code. One keeps docs/reference.md whole: every JSON key of a survey
// definition, every shipped text key, every placeholder and every error
// the library declares must be in it. The other reads every Markdown file
// of the repository and fails, with the file, the line and the name, on a
// Go identifier of ours (pkg.Name, Type.Method, Config.Field) in a code
// span or a fenced block that the code does not define. It has no code of
// its own.
package docscheck
