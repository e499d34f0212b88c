package i18n

// Keys of the reason question that may follow a low score, and of its
// shipped options. Every shipped language has every one of them.
const (
	// KeyReasonPrompt asks for the main reason of a low score; the
	// options follow it, one per line.
	KeyReasonPrompt Key = "reason.prompt"
	// KeyReasonSlow: the answer took too long.
	KeyReasonSlow Key = "reason.slow"
	// KeyReasonNotSolved: the problem was not solved.
	KeyReasonNotSolved Key = "reason.not_solved"
	// KeyReasonUnfriendly: the agent was not friendly or clear.
	KeyReasonUnfriendly Key = "reason.unfriendly"
	// KeyReasonOther: another reason.
	KeyReasonOther Key = "reason.other"
)

// reasonKeys are the reason texts, the question first.
var reasonKeys = []Key{KeyReasonPrompt, KeyReasonSlow, KeyReasonNotSolved, KeyReasonUnfriendly, KeyReasonOther}

// reasonTexts are the shipped reason texts, by language.
var reasonTexts = map[string]map[Key]string{
	"es": {
		KeyReasonPrompt:     "¿Cuál fue el motivo principal de su calificación?",
		KeyReasonSlow:       "La respuesta tardó demasiado",
		KeyReasonNotSolved:  "No se resolvió mi problema",
		KeyReasonUnfriendly: "La atención no fue amable ni clara",
		KeyReasonOther:      "Otro motivo",
	},
	"en": {
		KeyReasonPrompt:     "What was the main reason for your rating?",
		KeyReasonSlow:       "It took too long",
		KeyReasonNotSolved:  "My problem was not solved",
		KeyReasonUnfriendly: "The agent was not friendly or clear",
		KeyReasonOther:      "Something else",
	},
	"fr": {
		KeyReasonPrompt:     "Quelle est la principale raison de votre note" + nbsp + "?",
		KeyReasonSlow:       "La réponse a pris trop de temps",
		KeyReasonNotSolved:  "Mon problème n’a pas été résolu",
		KeyReasonUnfriendly: "L’agent n’a été ni aimable ni clair",
		KeyReasonOther:      "Autre raison",
	},
	"ru": {
		KeyReasonPrompt:     "Какова главная причина вашей оценки?",
		KeyReasonSlow:       "Ответ занял слишком много времени",
		KeyReasonNotSolved:  "Моя проблема не решена",
		KeyReasonUnfriendly: "Сотрудник был невежлив или непонятен",
		KeyReasonOther:      "Другая причина",
	},
	"pt": {
		KeyReasonPrompt:     "Qual foi o principal motivo da sua avaliação?",
		KeyReasonSlow:       "A resposta demorou demais",
		KeyReasonNotSolved:  "Meu problema não foi resolvido",
		KeyReasonUnfriendly: "O atendimento não foi cordial nem claro",
		KeyReasonOther:      "Outro motivo",
	},
	"de": {
		KeyReasonPrompt:     "Was war der Hauptgrund für Ihre Bewertung?",
		KeyReasonSlow:       "Die Antwort hat zu lange gedauert",
		KeyReasonNotSolved:  "Mein Problem wurde nicht gelöst",
		KeyReasonUnfriendly: "Der Service war weder freundlich noch verständlich",
		KeyReasonOther:      "Ein anderer Grund",
	},
}

// withReasons adds the reason texts to each language of texts.
func withReasons(texts map[string]map[Key]string) map[string]map[Key]string {
	out := make(map[string]map[Key]string, len(texts))
	for lang, m := range texts {
		out[lang] = merge(m, reasonTexts[lang])
	}
	return out
}
