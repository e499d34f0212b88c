// Package i18n holds the texts a survey sends, in every shipped language,
// picks the one that fits a contact, and renders texts safely for chat and
// e-mail. It imports nothing of surveyflow: the engine and the reply parser
// take what it produces as plain values.
//
// # Catalogs and languages
//
// A [Catalog] maps language → [Key] → text. [Shipped] returns the texts that
// ship with surveyflow (es, en, fr, ru, pt, de, each addressing the contact
// in one register throughout: usted, vous, вы, você, Sie), with every key
// of [ShippedKeys]: the CSAT flow, the NPS, CES, thumbs and smiley
// questions, follow-ups by score band, the "survey expired" notice, the
// e-mail texts, and the option labels of every shipped scale under
// "<scaleID>.<value>" ([LabelKey]). A survey narrows
// the languages with [Catalog.Only], layers its own wording with
// [Catalog.With] (emoji welcome) and checks the result with
// [Catalog.Validate] and [Catalog.ValidateLabels], which name the key and
// language of every problem.
//
// [Catalog.Match] picks a catalog language for a contact's BCP 47 tag or
// Accept-Language list (es-AR → es, pt-BR → pt, unknown → the default) and
// always returns one of the catalog's own tags, never the matcher's tag
// with -u-rg- extensions. [Catalog.Available] answers eligibility rule E7:
// is the survey in the contact's own language?
//
// # Templates
//
// Texts are templates: {contact} inserts a value, {{ writes a literal
// brace, and {hours, plural, one {# hour} other {# hours}} picks words by
// the plural rules of the text's language ([RenderIn], [Catalog.Render]).
// [KnownPlaceholders] lists the names a text may use. Values are cleaned of
// control and bidirectional formatting characters and line breaks, and in
// the [HTML] format the whole text is escaped, so a contact's name can
// never inject markup, reorder a message or forge an option line. A
// missing text is an error ([ErrMissingText]); a key is never shown to a
// contact.
//
// # Rating requests
//
// [Catalog.RatingRequest] labels a scale's options in a language and
// returns a [Request] for the two formats channels show: [Request.Text] for
// text channels (one numbered option per line, with emoji) and the
// structured Options for buttons ([Option.Button] fits a channel's length
// limit). [EmailFragment] and [Catalog.EmailRating] render the e-mail
// rating block with one rating link per option, for a host to embed
// in its closing notification.
//
// # Words for the reply parser
//
// [Catalog.LabelWords] hands the scoring package, as data, every label of
// a scale in a language plus shipped synonyms ("excelente", "pésimo",
// "bof", "так себе"), with and without accents. [NumberWords] hands it the
// words for one to ten ("nueve", "девять", "drei"), and apart the words
// for one that are also an article or a determiner ("un", "ein", "one").
package i18n
