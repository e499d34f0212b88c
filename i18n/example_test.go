package i18n_test

import (
	"fmt"
	"sort"

	"github.com/surveyflow/surveyflow/i18n"
)

// The same CSAT survey, offered in Spanish, French and Russian, rendered
// for three contacts whose helpdesk profiles say es-AR, fr-CA and ru. The
// survey customizes the French question with an emoji (seed 001).
func Example() {
	texts, err := i18n.Shipped().Only("es", "fr", "ru")
	if err != nil {
		panic(err)
	}
	texts, err = texts.With(map[string]map[i18n.Key]string{
		"fr": {i18n.KeyRatingPrompt: "Bonjour {contact}\u00a0! Comment {agent} s’en est-il sorti\u00a0? ⭐"},
	})
	if err != nil {
		panic(err)
	}
	if err := texts.Validate(i18n.KeyRatingPrompt, i18n.KeyCommentPrompt, i18n.KeyThanks); err != nil {
		panic(err)
	}
	keycaps := []string{"", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣"}
	var options []i18n.Option
	for v := 1; v <= 5; v++ {
		options = append(options, i18n.Option{Value: v, Emoji: keycaps[v]})
	}
	for _, contact := range []struct{ name, lang string }{{"María", "es-AR"}, {"Chloé", "fr-CA"}, {"Ольга", "ru"}} {
		lang, _ := texts.Match(contact.lang)
		vars := i18n.Vars{"contact": contact.name, "agent": "Ana", "min": "1", "max": "5"}
		req, err := texts.RatingRequest(lang, i18n.KeyRatingPrompt, i18n.ScaleCSAT5, options, vars)
		if err != nil {
			panic(err)
		}
		thanks, _ := texts.Render(lang, i18n.KeyThanks, vars, i18n.Plain)
		fmt.Printf("— %s (%s → %s)\n%s\n…\n%s\n\n", contact.name, contact.lang, lang, req.Text(), thanks)
	}
	// Output:
	// — María (es-AR → es)
	// Ayúdenos a mejorar. ¿Está satisfecho con la atención al cliente que recibió?
	//
	// 1️⃣ Muy insatisfecho
	// 2️⃣ Insatisfecho
	// 3️⃣ Neutral
	// 4️⃣ Satisfecho
	// 5️⃣ Muy satisfecho
	// …
	// ¡Gracias por su comentario!
	//
	// — Chloé (fr-CA → fr)
	// Bonjour Chloé ! Comment Ana s’en est-il sorti ? ⭐
	//
	// 1️⃣ Très insatisfait
	// 2️⃣ Insatisfait
	// 3️⃣ Neutre
	// 4️⃣ Satisfait
	// 5️⃣ Très satisfait
	// …
	// Merci pour votre avis !
	//
	// — Ольга (ru → ru)
	// Помогите нам стать лучше. Насколько вас устроило качество обслуживания?
	//
	// 1️⃣ Совсем не устроило
	// 2️⃣ Скорее не устроило
	// 3️⃣ Нейтрально
	// 4️⃣ Скорее устроило
	// 5️⃣ Полностью устроило
	// …
	// Спасибо за ваш отзыв!
}

// Plural forms pick the words by the rules of the text's language.
func ExampleRenderIn() {
	ru, _ := i18n.Shipped().Only("ru")
	for _, h := range []string{"1", "3", "24"} {
		s, _ := ru.Render(ru.Default(), i18n.KeyExpired, i18n.Vars{"hours": h}, i18n.Plain)
		fmt.Println(s)
	}
	// Output:
	// К сожалению, опрос уже закрыт: ответы принимаются в течение 1 часа. Спасибо за ваше время!
	// К сожалению, опрос уже закрыт: ответы принимаются в течение 3 часов. Спасибо за ваше время!
	// К сожалению, опрос уже закрыт: ответы принимаются в течение 24 часов. Спасибо за ваше время!
}

// A contact's name is a value, never markup.
func ExampleRender() {
	vars := i18n.Vars{"contact": "<script>alert(1)</script>\u202e"}
	plain, _ := i18n.Render("Thanks, {contact}!", vars, i18n.Plain)
	html, _ := i18n.Render("Thanks, {contact}!", vars, i18n.HTML)
	fmt.Println(plain)
	fmt.Println(html)
	// Output:
	// Thanks, <script>alert(1)</script>!
	// Thanks, &lt;script&gt;alert(1)&lt;/script&gt;!
}

// One link per smiley, for the host's closing e-mail (seed 002's
// ${satisfaction:rating}).
func ExampleEmailFragment() {
	h, err := i18n.EmailFragment("How did we do?", []i18n.Option{
		{Value: 1, Label: "Bad", Emoji: "🙁", Color: "#c62828"},
		{Value: 2, Label: "Good", Emoji: "🙂", Color: "#1b5e20"},
	}, func(v int) string { return fmt.Sprintf("https://rate.example/t/abc?v=%d", v) })
	if err != nil {
		panic(err)
	}
	fmt.Println(h)
	// Output:
	// <div class="surveyflow-rating" style="font-family:sans-serif"><p style="margin:0 0 12px 0">How did we do?</p><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td style="padding:0 2px;text-align:center;vertical-align:top"><a href="https://rate.example/t/abc?v=1" style="text-decoration:none;display:inline-block;padding:8px 5px;border-radius:6px;border:2px solid #c62828;color:#333333"><span style="font-size:28px;line-height:32px">🙁</span><br><span style="font-size:13px">Bad</span></a></td><td style="padding:0 2px;text-align:center;vertical-align:top"><a href="https://rate.example/t/abc?v=2" style="text-decoration:none;display:inline-block;padding:8px 5px;border-radius:6px;border:2px solid #1b5e20;color:#333333"><span style="font-size:28px;line-height:32px">🙂</span><br><span style="font-size:13px">Good</span></a></td></tr></table></div>
}

// Eligibility rule E7: send only when the survey speaks the contact's
// language.
func ExampleCatalog_Available() {
	texts, _ := i18n.Shipped().Only("es", "fr")
	for _, pref := range []string{"es-MX", "fr-BE", "gl", "de"} {
		tag, conf, ok := texts.Available(pref)
		fmt.Println(pref, tag, conf, ok)
	}
	// Output:
	// es-MX es High true
	// fr-BE fr High true
	// gl es High false
	// de es No false
}

// The words the reply parser should understand for CSAT-5 in French.
func ExampleCatalog_LabelWords() {
	fr, _ := i18n.Shipped().Only("fr")
	words := fr.LabelWords(fr.Default(), i18n.ScaleCSAT5, []int{1, 2, 3, 4, 5})
	var some []string
	for _, w := range []string{"très satisfait", "tres satisfait", "pas mal", "bof", "nul"} {
		some = append(some, fmt.Sprintf("%s=%d", w, words[w]))
	}
	sort.Strings(some)
	fmt.Println(some)
	// Output:
	// [bof=3 nul=1 pas mal=4 tres satisfait=5 très satisfait=5]
}
