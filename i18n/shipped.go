package i18n

import "fmt"

// Label keys of the CSAT-5 scale, matching scoring.CSAT5's option keys.
func csat5Label(v int) Key { return Key(fmt.Sprintf("csat5.%d", v)) }

var shippedTexts = map[string]map[Key]string{
	// Seed 000 (Sirena Bots) gives the Spanish wording.
	"es": {
		KeyRatingPrompt:   "Ayúdanos a mejorar. ¿Está satisfecho con la atención al cliente que recibió?",
		KeyRatingReprompt: "Por favor, responde con un número del {min} al {max}.",
		KeyCommentPrompt:  "Si tiene un comentario, déjelo a continuación 👇",
		KeyThanks:         "¡Gracias por tu comentario!",
		csat5Label(1):     "Muy insatisfecho",
		csat5Label(2):     "Insatisfecho",
		csat5Label(3):     "Neutral",
		csat5Label(4):     "Satisfecho",
		csat5Label(5):     "Muy satisfecho",
	},
	"en": {
		KeyRatingPrompt:   "Help us improve. Are you satisfied with the customer service you received?",
		KeyRatingReprompt: "Please reply with a number from {min} to {max}.",
		KeyCommentPrompt:  "If you have a comment, leave it below 👇",
		KeyThanks:         "Thank you for your feedback!",
		csat5Label(1):     "Very dissatisfied",
		csat5Label(2):     "Dissatisfied",
		csat5Label(3):     "Neutral",
		csat5Label(4):     "Satisfied",
		csat5Label(5):     "Very satisfied",
	},
}

var shipped = func() *Catalog {
	c, err := NewCatalog("en", shippedTexts)
	if err != nil {
		panic(err) // the shipped texts are fixed; a test keeps them valid
	}
	return c
}()

// Shipped returns the catalog of texts that ship with surveyflow, with
// English as its default language.
func Shipped() *Catalog { return shipped }
