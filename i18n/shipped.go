package i18n

import "strconv"

// labels builds the label keys of a scale from its texts, lowest value
// first.
func labels(scaleID string, from int, texts ...string) map[Key]string {
	m := make(map[Key]string, len(texts))
	for i, t := range texts {
		m[LabelKey(scaleID, from+i)] = t
	}
	return m
}

// npsLabels gives the NPS scales their end labels and the digits between.
func npsLabels(notAtAll, extremely string) map[Key]string {
	m := map[Key]string{}
	for v := 0; v <= 10; v++ {
		m[LabelKey(ScaleNPS10, v)] = strconv.Itoa(v)
	}
	for v := 1; v <= 10; v++ {
		m[LabelKey(ScaleNPS10From1, v)] = strconv.Itoa(v)
	}
	m[LabelKey(ScaleNPS10, 0)] = notAtAll
	m[LabelKey(ScaleNPS10From1, 1)] = notAtAll
	m[LabelKey(ScaleNPS10, 10)] = extremely
	m[LabelKey(ScaleNPS10From1, 10)] = extremely
	return m
}

func merge(ms ...map[Key]string) map[Key]string {
	out := map[Key]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// nbsp is the no-break space French puts before ? ! and :.
const nbsp = "\u00a0"

var shippedTexts = map[string]map[Key]string{
	// Spanish speaks usted in every text.
	"es": merge(map[Key]string{
		KeyRatingPrompt:     "Ayúdenos a mejorar. ¿Está satisfecho con la atención al cliente que recibió?",
		KeyRatingReprompt:   "Por favor, responda con un número del {min} al {max}.",
		KeyCommentPrompt:    "Si tiene un comentario, déjelo a continuación 👇",
		KeyThanks:           "¡Gracias por su comentario!",
		KeyNPSPrompt:        "En una escala del {min} al {max}, ¿qué tan probable es que nos recomiende a un amigo o colega?",
		KeyNPSThanks:        "¡Gracias por su puntuación! Nos ayuda a mejorar.",
		KeyCESPrompt:        "¿Qué tan fácil le resultó resolver su consulta?",
		KeyThumbsPrompt:     "¿Quedó conforme con la ayuda que recibió?",
		KeyEmojiPrompt:      "¿Cómo calificaría la atención que recibió?",
		KeyFollowUpNegative: "Lamentamos que su experiencia no haya sido buena. ¿Qué salió mal?",
		KeyFollowUpNeutral:  "Gracias. ¿Qué podríamos haber hecho mejor?",
		KeyFollowUpPositive: "¡Nos alegra saberlo! ¿Qué fue lo que más le gustó?",
		KeyExpired:          "Lo sentimos, esta encuesta ya cerró: las respuestas se aceptan durante {hours, plural, one {# hora} other {# horas}}. ¡Gracias por su tiempo!",
		KeyEmailPrompt:      "¿Cómo calificaría la atención que recibió?",
		KeyEmailHint:        "Haga clic en la respuesta que mejor lo describa: con un clic queda registrada su calificación.",
		KeyRatingRecorded:   "¡Gracias! Su calificación quedó registrada.",
		KeyListButton:       "Elegir",
		KeyReminder:         "Le recordamos que aún puede contarnos cómo lo atendimos.",
	},
		labels(ScaleCSAT5, 1, "Muy insatisfecho", "Insatisfecho", "Neutral", "Satisfecho", "Muy satisfecho"),
		labels(ScaleEmoji5, 1, "Muy mal", "Mal", "Regular", "Bien", "Excelente"),
		labels(ScaleCES7, 1, "Muy difícil", "Difícil", "Algo difícil", "Ni fácil ni difícil", "Algo fácil", "Fácil", "Muy fácil"),
		labels(ScaleThumbs, 0, "No", "Sí"),
		npsLabels("Nada probable", "Extremadamente probable"),
	),
	"en": merge(map[Key]string{
		KeyRatingPrompt:     "Help us improve. Are you satisfied with the customer service you received?",
		KeyRatingReprompt:   "Please reply with a number from {min} to {max}.",
		KeyCommentPrompt:    "If you have a comment, leave it below 👇",
		KeyThanks:           "Thank you for your feedback!",
		KeyNPSPrompt:        "On a scale from {min} to {max}, how likely are you to recommend us to a friend or colleague?",
		KeyNPSThanks:        "Thank you for your rating! It helps us improve.",
		KeyCESPrompt:        "How easy was it to get your issue resolved?",
		KeyThumbsPrompt:     "Were you happy with the help you received?",
		KeyEmojiPrompt:      "How would you rate the service you received?",
		KeyFollowUpNegative: "We're sorry to hear that. What went wrong?",
		KeyFollowUpNeutral:  "Thank you. What could we have done better?",
		KeyFollowUpPositive: "Glad to hear it! What did you like most?",
		KeyExpired:          "Sorry, this survey is closed: answers are accepted for {hours, plural, one {# hour} other {# hours}}. Thank you for your time!",
		KeyEmailPrompt:      "How would you rate the support you received?",
		KeyEmailHint:        "Click the answer that fits best: one click records your rating.",
		KeyRatingRecorded:   "Thank you! Your rating has been recorded.",
		KeyListButton:       "Choose",
		KeyReminder:         "A quick reminder: you can still tell us how we did.",
	},
		labels(ScaleCSAT5, 1, "Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"),
		labels(ScaleEmoji5, 1, "Terrible", "Bad", "Okay", "Good", "Excellent"),
		labels(ScaleCES7, 1, "Very difficult", "Difficult", "Somewhat difficult", "Neither easy nor difficult", "Somewhat easy", "Easy", "Very easy"),
		labels(ScaleThumbs, 0, "No", "Yes"),
		npsLabels("Not at all likely", "Extremely likely"),
	),
	"fr": merge(map[Key]string{
		KeyRatingPrompt:     "Aidez-nous à nous améliorer. Êtes-vous satisfait du service client que vous avez reçu" + nbsp + "?",
		KeyRatingReprompt:   "Merci de répondre avec un nombre entre {min} et {max}.",
		KeyCommentPrompt:    "Si vous avez un commentaire, laissez-le ci-dessous 👇",
		KeyThanks:           "Merci pour votre avis" + nbsp + "!",
		KeyNPSPrompt:        "Sur une échelle de {min} à {max}, quelle est la probabilité que vous nous recommandiez à un ami ou à un collègue" + nbsp + "?",
		KeyNPSThanks:        "Merci pour votre note" + nbsp + "! Elle nous aide à nous améliorer.",
		KeyCESPrompt:        "Dans quelle mesure a-t-il été facile de résoudre votre demande" + nbsp + "?",
		KeyThumbsPrompt:     "Êtes-vous satisfait de l’aide reçue" + nbsp + "?",
		KeyEmojiPrompt:      "Comment évaluez-vous le service reçu" + nbsp + "?",
		KeyFollowUpNegative: "Nous en sommes désolés. Qu’est-ce qui n’a pas fonctionné" + nbsp + "?",
		KeyFollowUpNeutral:  "Merci. Qu’aurions-nous pu mieux faire" + nbsp + "?",
		KeyFollowUpPositive: "Ravis de l’apprendre" + nbsp + "! Qu’avez-vous le plus apprécié" + nbsp + "?",
		KeyExpired:          "Désolés, cette enquête est close" + nbsp + ": les réponses sont acceptées pendant {hours, plural, one {# heure} other {# heures}}. Merci de votre temps" + nbsp + "!",
		KeyEmailPrompt:      "Comment évaluez-vous l’assistance reçue" + nbsp + "?",
		KeyEmailHint:        "Cliquez sur la réponse qui vous correspond" + nbsp + ": un seul clic enregistre votre note.",
		KeyRatingRecorded:   "Merci" + nbsp + "! Votre note a bien été enregistrée.",
		KeyListButton:       "Choisir",
		KeyReminder:         "Petit rappel" + nbsp + ": vous pouvez encore nous dire comment nous vous avons aidé.",
	},
		labels(ScaleCSAT5, 1, "Très insatisfait", "Insatisfait", "Neutre", "Satisfait", "Très satisfait"),
		labels(ScaleEmoji5, 1, "Très mauvais", "Mauvais", "Moyen", "Bien", "Excellent"),
		labels(ScaleCES7, 1, "Très difficile", "Difficile", "Plutôt difficile", "Ni facile ni difficile", "Plutôt facile", "Facile", "Très facile"),
		labels(ScaleThumbs, 0, "Non", "Oui"),
		npsLabels("Pas du tout probable", "Extrêmement probable"),
	),
	"ru": merge(map[Key]string{
		KeyRatingPrompt:     "Помогите нам стать лучше. Насколько вас устроило качество обслуживания?",
		KeyRatingReprompt:   "Пожалуйста, ответьте числом от {min} до {max}.",
		KeyCommentPrompt:    "Если хотите, оставьте комментарий и расскажите, что вам понравилось или не понравилось 👇",
		KeyThanks:           "Спасибо за ваш отзыв!",
		KeyNPSPrompt:        "Оцените по шкале от {min} до {max}: насколько вероятно, что вы порекомендуете нас другу или коллеге?",
		KeyNPSThanks:        "Спасибо за оценку! Она помогает нам стать лучше.",
		KeyCESPrompt:        "Насколько легко было решить ваш вопрос?",
		KeyThumbsPrompt:     "Удалось ли нам вам помочь?",
		KeyEmojiPrompt:      "Пожалуйста, оцените качество обслуживания.",
		KeyFollowUpNegative: "Нам очень жаль. Что пошло не так?",
		KeyFollowUpNeutral:  "Спасибо! Что мы могли бы сделать лучше?",
		KeyFollowUpPositive: "Рады это слышать! Что вам понравилось больше всего?",
		KeyExpired:          "К сожалению, опрос уже закрыт: ответы принимаются в течение {hours, plural, one {# часа} few {# часов} many {# часов} other {# часа}}. Спасибо за ваше время!",
		KeyEmailPrompt:      "Пожалуйста, оцените качество обслуживания по вашей заявке.",
		KeyEmailHint:        "Нажмите на подходящий вариант: оценка сохранится сразу, одним нажатием.",
		KeyRatingRecorded:   "Спасибо! Ваша оценка сохранена.",
		KeyListButton:       "Выбрать",
		KeyReminder:         "Напоминаем: вы ещё можете оценить, как мы вам помогли.",
	},
		labels(ScaleCSAT5, 1, "Совсем не устроило", "Скорее не устроило", "Нейтрально", "Скорее устроило", "Полностью устроило"),
		labels(ScaleEmoji5, 1, "Ужасно", "Плохо", "Нормально", "Хорошо", "Отлично"),
		labels(ScaleCES7, 1, "Очень сложно", "Сложно", "Скорее сложно", "Ни сложно, ни легко", "Скорее легко", "Легко", "Очень легко"),
		labels(ScaleThumbs, 0, "Нет", "Да"),
		npsLabels("Точно не порекомендую", "Обязательно порекомендую"),
	),
	"pt": merge(map[Key]string{
		KeyRatingPrompt:     "Ajude-nos a melhorar. Ficou satisfeito com o atendimento que recebeu?",
		KeyRatingReprompt:   "Por favor, responda com um número de {min} a {max}.",
		KeyCommentPrompt:    "Se tiver algum comentário, deixe-o abaixo 👇",
		KeyThanks:           "Obrigado pelo seu comentário!",
		KeyNPSPrompt:        "Em uma escala de {min} a {max}, qual é a probabilidade de nos recomendar a um amigo ou colega?",
		KeyNPSThanks:        "Obrigado pela sua avaliação! Ela nos ajuda a melhorar.",
		KeyCESPrompt:        "Quão fácil foi resolver a sua solicitação?",
		KeyThumbsPrompt:     "Ficou satisfeito com a ajuda que recebeu?",
		KeyEmojiPrompt:      "Como avalia o atendimento que recebeu?",
		KeyFollowUpNegative: "Lamentamos saber disso. O que deu errado?",
		KeyFollowUpNeutral:  "Obrigado. O que poderíamos ter feito melhor?",
		KeyFollowUpPositive: "Que bom saber! Do que mais gostou?",
		KeyExpired:          "Desculpe, esta pesquisa já foi encerrada: as respostas são aceitas durante {hours, plural, one {# hora} other {# horas}}. Obrigado pelo seu tempo!",
		KeyEmailPrompt:      "Como avalia o atendimento que recebeu?",
		KeyEmailHint:        "Clique na resposta que melhor se aplica: um clique registra a sua avaliação.",
		KeyRatingRecorded:   "Obrigado! A sua avaliação foi registrada.",
		KeyListButton:       "Escolher",
		KeyReminder:         "Um lembrete: você ainda pode nos contar como foi o atendimento.",
	},
		labels(ScaleCSAT5, 1, "Muito insatisfeito", "Insatisfeito", "Neutro", "Satisfeito", "Muito satisfeito"),
		labels(ScaleEmoji5, 1, "Péssimo", "Ruim", "Regular", "Bom", "Excelente"),
		labels(ScaleCES7, 1, "Muito difícil", "Difícil", "Um pouco difícil", "Nem fácil nem difícil", "Um pouco fácil", "Fácil", "Muito fácil"),
		labels(ScaleThumbs, 0, "Não", "Sim"),
		npsLabels("Nada provável", "Extremamente provável"),
	),
	"de": merge(map[Key]string{
		KeyRatingPrompt:     "Helfen Sie uns, besser zu werden. Sind Sie mit dem Kundenservice zufrieden, den Sie erhalten haben?",
		KeyRatingReprompt:   "Bitte antworten Sie mit einer Zahl von {min} bis {max}.",
		KeyCommentPrompt:    "Wenn Sie einen Kommentar haben, hinterlassen Sie ihn bitte unten 👇",
		KeyThanks:           "Vielen Dank für Ihr Feedback!",
		KeyNPSPrompt:        "Wie wahrscheinlich ist es auf einer Skala von {min} bis {max}, dass Sie uns einem Freund oder Kollegen empfehlen?",
		KeyNPSThanks:        "Vielen Dank für Ihre Bewertung! Sie hilft uns, besser zu werden.",
		KeyCESPrompt:        "Wie einfach war es, Ihr Anliegen zu lösen?",
		KeyThumbsPrompt:     "Waren Sie mit der erhaltenen Hilfe zufrieden?",
		KeyEmojiPrompt:      "Wie bewerten Sie den erhaltenen Service?",
		KeyFollowUpNegative: "Das tut uns leid. Was ist schiefgelaufen?",
		KeyFollowUpNeutral:  "Danke. Was hätten wir besser machen können?",
		KeyFollowUpPositive: "Das freut uns! Was hat Ihnen am besten gefallen?",
		KeyExpired:          "Leider ist diese Umfrage bereits geschlossen: Antworten werden {hours, plural, one {# Stunde} other {# Stunden}} lang angenommen. Vielen Dank für Ihre Zeit!",
		KeyEmailPrompt:      "Wie bewerten Sie die erhaltene Unterstützung?",
		KeyEmailHint:        "Klicken Sie auf die passende Antwort: Ein Klick speichert Ihre Bewertung.",
		KeyRatingRecorded:   "Vielen Dank! Ihre Bewertung wurde gespeichert.",
		KeyListButton:       "Auswählen",
		KeyReminder:         "Eine kurze Erinnerung: Sie können uns noch sagen, wie zufrieden Sie mit uns waren.",
	},
		labels(ScaleCSAT5, 1, "Sehr unzufrieden", "Unzufrieden", "Neutral", "Zufrieden", "Sehr zufrieden"),
		labels(ScaleEmoji5, 1, "Sehr schlecht", "Schlecht", "Okay", "Gut", "Ausgezeichnet"),
		labels(ScaleCES7, 1, "Sehr schwierig", "Schwierig", "Eher schwierig", "Weder leicht noch schwierig", "Eher leicht", "Leicht", "Sehr leicht"),
		labels(ScaleThumbs, 0, "Nein", "Ja"),
		npsLabels("Überhaupt nicht wahrscheinlich", "Äußerst wahrscheinlich"),
	),
}

var shipped = func() *Catalog {
	c, err := NewCatalog("en", withReasons(shippedTexts))
	if err != nil {
		panic(err) // the shipped texts are fixed; a test keeps them valid
	}
	return c
}()

// Shipped returns the catalog of texts that ship with surveyflow, with
// English as its default language: es, en, fr, ru, pt and de, each with
// every key of [ShippedKeys]. Narrow it with [Catalog.Only] and customize
// it with [Catalog.With].
func Shipped() *Catalog { return shipped }
