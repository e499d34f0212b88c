package main

// phraseSet is what contacts, agents and supervisors say in one language.
type phraseSet struct {
	names       []string
	questions   []string
	answers     []string // answers[i] answers questions[i]
	short       []string
	shortAnswer string
	bot         string
	transfer    string
	thanks      []string
	bye         string
	confused    string
	scoreWords  [6]string
	comments    [3][]string // negative, neutral, positive
	review      []string
}

var phrases = map[string]phraseSet{
	"es": {
		names: []string{"María", "José", "Lucía", "Martín", "Sofía", "Diego", "Valentina", "Javier", "Camila", "Andrés"},
		questions: []string{
			"Hola, no puedo descargar la factura de este mes desde la aplicación, me aparece un error cada vez que lo intento.",
			"Buenas tardes, mi pedido número 4471 figura como entregado pero no recibí nada. ¿Pueden revisar qué pasó?",
			"Hola, quiero cambiar mi plan al anual pero no encuentro la opción en la web. ¿Me ayudan?",
		},
		answers: []string{
			"Hola, gracias por escribirnos. Revisé tu cuenta: la factura estaba bloqueada por un pago pendiente que ya se acreditó. Ya podés descargarla desde la sección Facturación.",
			"Lamento mucho la situación. Hablé con el transportista: el paquete quedó en la sucursal por un error de dirección. Mañana antes del mediodía lo tenés en tu casa, te envío el seguimiento.",
			"¡Claro! El cambio a plan anual se hace desde Cuenta → Suscripción → Cambiar plan. Ya lo dejé preparado, solo tenés que confirmar el pago y se aplica el descuento del 20 %.",
		},
		short:       []string{"¿Abren el domingo?", "Gracias", "Ok"},
		shortAnswer: "No, de lunes a viernes.",
		bot:         "Soy el asistente virtual de Acme. Te paso con una persona del equipo.",
		transfer:    "Hola, sigo yo con tu consulta; ya tengo todo el contexto.",
		thanks:      []string{"¡Perfecto, muchas gracias!", "Genial, ya quedó resuelto. Gracias.", "Bueno, veremos si funciona."},
		bye:         "¡Un gusto! Que tengas un buen día.",
		confused:    "¿Qué es esto?",
		scoreWords:  [6]string{"", "muy insatisfecho", "insatisfecho", "neutral", "satisfecho", "muy satisfecho"},
		comments: [3][]string{
			{"Tardaron demasiado en responder y tuve que explicar todo dos veces.", "No me resolvieron nada, sigo sin poder entrar.", "La respuesta fue muy fría, parecía automática."},
			{"Bien, aunque tardaron un poco.", "Resolvieron, pero el proceso es confuso."},
			{"Muy rápida y amable, ¡gracias!", "Excelente atención, resolvieron todo en minutos.", "Súper claro, me explicaron paso a paso."},
		},
		review: []string{"Buen tono; faltó confirmar el cierre.", "Respuesta correcta pero lenta.", "Debió escalar antes a facturación."},
	},
	"en": {
		names: []string{"Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Mia", "Ben", "Grace", "Ethan"},
		questions: []string{
			"Hi, I can't download this month's invoice from the app, it shows an error every time I try to open it.",
			"Hello, my order 4471 says delivered but nothing arrived at my door. Could you please check what happened?",
			"Hi there, I'd like to switch to the yearly plan but I can't find the option on the website. Can you help?",
		},
		answers: []string{
			"Hi, thanks for reaching out. I checked your account: the invoice was held by a pending payment that has now cleared. You can download it from the Billing section right away.",
			"I'm really sorry about that. I spoke to the carrier: the parcel was held at the depot because of an address typo. It will reach you tomorrow before noon, and I've sent you the tracking link.",
			"Of course! You switch under Account → Subscription → Change plan. I've prepared it for you, so you only need to confirm the payment and the 20% discount applies.",
		},
		short:       []string{"Are you open on Sunday?", "thanks", "ok"},
		shortAnswer: "No, Monday to Friday.",
		bot:         "I'm Acme's virtual assistant. Let me hand you over to a person on the team.",
		transfer:    "Hi, I'm taking over from here and I have all the context.",
		thanks:      []string{"Perfect, thank you so much!", "Great, that solved it. Thanks.", "OK, we'll see if it works."},
		bye:         "You're welcome! Have a great day.",
		confused:    "What is this?",
		scoreWords:  [6]string{"", "very dissatisfied", "dissatisfied", "neutral", "satisfied", "very satisfied"},
		comments: [3][]string{
			{"It took far too long and I had to explain everything twice.", "Nothing was solved, I still can't log in.", "The answer felt cold and copy-pasted."},
			{"Fine, but it took a while.", "Solved in the end, though the process is confusing."},
			{"Quick and friendly, thanks!", "Excellent service, sorted in minutes.", "Very clear step-by-step explanation."},
		},
		review: []string{"Good tone; should have confirmed the fix.", "Correct answer but slow.", "Should have escalated to billing sooner."},
	},
	"pt": {
		names: []string{"João", "Ana Clara", "Pedro", "Beatriz", "Lucas", "Mariana", "Rafael", "Larissa"},
		questions: []string{
			"Olá, não consigo baixar a fatura deste mês pelo aplicativo, aparece um erro toda vez que eu tento abrir.",
			"Boa tarde, meu pedido 4471 consta como entregue, mas não recebi nada. Vocês podem verificar o que aconteceu?",
			"Oi, quero mudar para o plano anual mas não encontro a opção no site. Podem me ajudar, por favor?",
		},
		answers: []string{
			"Olá, obrigado pelo contato. Verifiquei sua conta: a fatura estava bloqueada por um pagamento pendente que já foi compensado. Você já pode baixá-la na seção Faturamento.",
			"Sinto muito pelo transtorno. Falei com a transportadora: o pacote ficou retido na agência por um erro no endereço. Amanhã antes do meio-dia ele chega, e já enviei o rastreio.",
			"Claro! A mudança é feita em Conta → Assinatura → Mudar plano. Já deixei tudo preparado, basta confirmar o pagamento e o desconto de 20% é aplicado.",
		},
		short:       []string{"Vocês abrem no domingo?", "obrigado", "ok"},
		shortAnswer: "Não, de segunda a sexta.",
		bot:         "Sou o assistente virtual da Acme. Vou transferir você para uma pessoa da equipe.",
		transfer:    "Olá, vou continuar seu atendimento; já tenho todo o contexto.",
		thanks:      []string{"Perfeito, muito obrigado!", "Ótimo, resolvido. Obrigada.", "Bom, vamos ver se funciona."},
		bye:         "Por nada! Tenha um ótimo dia.",
		confused:    "O que é isso?",
		scoreWords:  [6]string{"", "muito insatisfeito", "insatisfeito", "neutro", "satisfeito", "muito satisfeito"},
		comments: [3][]string{
			{"Demoraram muito e tive que explicar tudo duas vezes.", "Não resolveram nada, continuo sem acesso.", "A resposta pareceu automática."},
			{"Bom, mas demorou um pouco.", "Resolveram, mas o processo é confuso."},
			{"Rápido e simpático, obrigado!", "Atendimento excelente, resolvido em minutos.", "Explicação muito clara, passo a passo."},
		},
		review: []string{"Bom tom; faltou confirmar a solução.", "Resposta correta, mas lenta.", "Deveria ter escalado para o financeiro."},
	},
	"fr": {
		names: []string{"Chloé", "Lucas", "Camille", "Hugo", "Léa", "Louis", "Manon", "Jules"},
		questions: []string{
			"Bonjour, je n'arrive pas à télécharger la facture de ce mois depuis l'application, une erreur s'affiche à chaque fois.",
			"Bonjour, ma commande n° 4471 est indiquée comme livrée mais je n'ai rien reçu. Pouvez-vous vérifier s'il vous plaît ?",
			"Bonjour, je voudrais passer à l'abonnement annuel mais je ne trouve pas l'option sur le site. Pouvez-vous m'aider ?",
		},
		answers: []string{
			"Bonjour, merci de nous avoir écrit. J'ai vérifié votre compte : la facture était bloquée par un paiement en attente, désormais encaissé. Vous pouvez la télécharger dans la rubrique Facturation.",
			"Je suis vraiment désolé. J'ai contacté le transporteur : le colis est resté au dépôt à cause d'une erreur d'adresse. Il sera livré demain avant midi, je vous envoie le suivi.",
			"Bien sûr ! Le changement se fait dans Compte → Abonnement → Changer d'offre. J'ai tout préparé, il vous reste à confirmer le paiement et la remise de 20 % s'applique.",
		},
		short:       []string{"Vous êtes ouverts le dimanche ?", "merci", "ok"},
		shortAnswer: "Non, du lundi au vendredi.",
		bot:         "Je suis l'assistant virtuel d'Acme. Je vous mets en relation avec un conseiller.",
		transfer:    "Bonjour, je prends le relais ; j'ai tout le contexte.",
		thanks:      []string{"Parfait, merci beaucoup !", "Super, c'est réglé. Merci.", "Bon, on verra si ça marche."},
		bye:         "Avec plaisir ! Bonne journée.",
		confused:    "C'est quoi ?",
		scoreWords:  [6]string{"", "très insatisfait", "insatisfait", "neutre", "satisfait", "très satisfait"},
		comments: [3][]string{
			{"Beaucoup trop long, et j'ai dû tout réexpliquer deux fois.", "Rien n'a été résolu, je ne peux toujours pas me connecter.", "Réponse froide, on aurait dit un copier-coller."},
			{"Correct, mais un peu long.", "Résolu, mais la démarche est confuse."},
			{"Rapide et aimable, merci !", "Service excellent, réglé en quelques minutes.", "Explication très claire, étape par étape."},
		},
		review: []string{"Bon ton ; il fallait confirmer la résolution.", "Réponse juste mais lente.", "Aurait dû transférer à la facturation plus tôt."},
	},
	"ru": {
		names: []string{"Анна", "Иван", "Мария", "Алексей", "Ольга", "Дмитрий", "Елена", "Сергей"},
		questions: []string{
			"Здравствуйте, не могу скачать счёт за этот месяц в приложении, каждый раз появляется ошибка при открытии.",
			"Добрый день, мой заказ 4471 отмечен как доставленный, но я ничего не получил. Проверьте, пожалуйста, что случилось.",
			"Здравствуйте, хочу перейти на годовой тариф, но не нахожу такой опции на сайте. Поможете?",
		},
		answers: []string{
			"Здравствуйте, спасибо за обращение. Я проверил ваш аккаунт: счёт был заблокирован из-за ожидающего платежа, который уже прошёл. Теперь его можно скачать в разделе «Оплата».",
			"Очень жаль, что так вышло. Я связался с перевозчиком: посылка задержалась на складе из-за ошибки в адресе. Завтра до полудня её доставят, ссылку для отслеживания я отправил.",
			"Конечно! Тариф меняется в разделе Аккаунт → Подписка → Сменить тариф. Я всё подготовил, осталось подтвердить оплату, и скидка 20 % применится.",
		},
		short:       []string{"Вы работаете в воскресенье?", "спасибо", "ок"},
		shortAnswer: "Нет, с понедельника по пятницу.",
		bot:         "Я виртуальный помощник Acme. Передаю вас сотруднику.",
		transfer:    "Здравствуйте, дальше помогу я; я в курсе вашего вопроса.",
		thanks:      []string{"Отлично, большое спасибо!", "Супер, всё решилось. Спасибо.", "Ладно, посмотрим, заработает ли."},
		bye:         "Пожалуйста! Хорошего дня.",
		confused:    "Что это?",
		scoreWords:  [6]string{"", "очень недоволен", "недоволен", "нейтрально", "доволен", "очень доволен"},
		comments: [3][]string{
			{"Слишком долго, пришлось всё объяснять дважды.", "Ничего не решили, я всё ещё не могу войти.", "Ответ был холодный, как будто шаблон."},
			{"Нормально, но долго.", "Решили, но процесс запутанный."},
			{"Быстро и вежливо, спасибо!", "Отличный сервис, всё решили за пару минут.", "Очень понятно объяснили по шагам."},
		},
		review: []string{"Хороший тон; не подтвердил решение.", "Ответ верный, но медленный.", "Нужно было раньше передать в бухгалтерию."},
	},
}
