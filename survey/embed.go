package survey

import "strings"

// RatingVariable is the placeholder a host's own notification template uses
// to carry the rating request (the ${satisfaction:rating}), for
// example in the e-mail that tells the contact the ticket was closed.
const RatingVariable = "${satisfaction:rating}"

// EmbedRating replaces every RatingVariable in a host's notification body
// with rating request out: its HTML fragment when html is true (an e-mail
// body; out.HTML must be set, see Config.Links), its text otherwise. It
// reports false, and returns body unchanged, when body has no variable or
// out is not a rating request, so the host can send the request on its own.
func EmbedRating(body string, out Outbound, html bool) (string, bool) {
	if out.Kind != KindRatingRequest || !strings.Contains(body, RatingVariable) {
		return body, false
	}
	with := out.Text
	if html {
		if out.HTML == "" {
			return body, false
		}
		with = out.HTML
	}
	return strings.ReplaceAll(body, RatingVariable, with), true
}
