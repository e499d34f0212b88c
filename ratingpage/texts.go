package ratingpage

import "golang.org/x/text/language"

// texts are the page's own words (the survey's questions come from the
// survey's catalog).
type texts struct {
	Title, Confirm, Note, Recorded, Send, Used, Expired, Broken string
	// Saving replaces Note while the page's script records the rating.
	Saving string
	// Conversation names the conversation the rating is about.
	Conversation string
	// YourRating introduces the rating given, above the comment box.
	YourRating string
}

var pageTexts = map[string]texts{
	"en": {"Rate your conversation", "Confirm my rating", "Your rating is saved only when you confirm.", "Thank you, your rating is saved.", "Send comment", "This survey has already been answered. Thank you!", "This survey is closed.", "This link is not valid.", "Saving your rating…", "Conversation", "Your rating:"},
	"es": {"Califique su conversación", "Confirmar mi calificación", "Su calificación se guarda solo cuando la confirma.", "¡Gracias! Su calificación quedó guardada.", "Enviar comentario", "Esta encuesta ya fue respondida. ¡Gracias!", "Esta encuesta ya está cerrada.", "Este enlace no es válido.", "Guardando su calificación…", "Conversación", "Su calificación:"},
	"fr": {"Évaluez votre conversation", "Confirmer ma note", "Votre note n'est enregistrée qu'après confirmation.", "Merci, votre note est enregistrée.", "Envoyer le commentaire", "Vous avez déjà répondu à cette enquête. Merci !", "Cette enquête est close.", "Ce lien n'est pas valide.", "Enregistrement de votre note…", "Conversation", "Votre note :"},
	"ru": {"Оцените обращение", "Подтвердить оценку", "Оценка сохраняется только после подтверждения.", "Спасибо, ваша оценка сохранена.", "Отправить комментарий", "Вы уже ответили на этот опрос. Спасибо!", "Этот опрос закрыт.", "Ссылка недействительна.", "Сохраняем вашу оценку…", "Обращение", "Ваша оценка:"},
	"pt": {"Avalie sua conversa", "Confirmar minha avaliação", "Sua avaliação só é salva quando você confirma.", "Obrigado, sua avaliação foi salva.", "Enviar comentário", "Esta pesquisa já foi respondida. Obrigado!", "Esta pesquisa está encerrada.", "Este link não é válido.", "Salvando sua avaliação…", "Conversa", "Sua avaliação:"},
	"de": {"Bewerten Sie Ihr Gespräch", "Bewertung bestätigen", "Ihre Bewertung wird erst nach der Bestätigung gespeichert.", "Danke, Ihre Bewertung ist gespeichert.", "Kommentar senden", "Diese Umfrage wurde bereits beantwortet. Danke!", "Diese Umfrage ist geschlossen.", "Dieser Link ist ungültig.", "Ihre Bewertung wird gespeichert…", "Gespräch", "Ihre Bewertung:"},
}

var pageMatcher = language.NewMatcher([]language.Tag{language.English, language.Spanish, language.French, language.Russian, language.Portuguese, language.German})

var pageLangs = []string{"en", "es", "fr", "ru", "pt", "de"}

func textsFor(lang string) texts {
	tag, err := language.Parse(lang)
	if err != nil {
		return pageTexts["en"]
	}
	_, i, conf := pageMatcher.Match(tag)
	if conf == language.No {
		return pageTexts["en"]
	}
	return pageTexts[pageLangs[i]]
}
