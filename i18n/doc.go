// Package i18n holds the texts a survey sends, in every shipped language,
// picks the one that fits a contact, and renders texts with placeholders.
//
// A [Catalog] maps language → key → text. [Shipped] returns the texts that
// ship with surveyflow; a survey layers its own overrides on top with
// [Catalog.With]. Language matching uses golang.org/x/text/language, so
// es-AR falls back to es and pt-BR to pt.
package i18n
