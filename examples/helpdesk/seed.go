package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/surveyflow/surveyflow/report"
	"github.com/surveyflow/surveyflow/survey"
)

// staffer is one of the demo's agents. Skill is the share of satisfied
// answers their conversations tend to get; Improve is added to it, in
// proportion, over the 90 days (someone being coached).
type staffer struct {
	ID, Name string
	Groups   []string
	Kind     survey.ParticipantKind
	Skill    float64
	Improve  float64
}

// staff is the demo helpdesk's team.
var staff = []staffer{
	{ID: "ana", Name: "Ana Souza", Groups: []string{"support"}, Kind: survey.Human, Skill: 0.90},
	{ID: "bruno", Name: "Bruno Martins", Groups: []string{"support"}, Kind: survey.Human, Skill: 0.55, Improve: 0.30},
	{ID: "carla", Name: "Carla Gómez", Groups: []string{"support", "billing"}, Kind: survey.Human, Skill: 0.82},
	{ID: "dmitri", Name: "Dmitri Volkov", Groups: []string{"support"}, Kind: survey.Human, Skill: 0.74},
	{ID: "elena", Name: "Elena Petrova", Groups: []string{"billing"}, Kind: survey.Human, Skill: 0.86},
	{ID: "farid", Name: "Farid Haddad", Groups: []string{"billing"}, Kind: survey.Human, Skill: 0.62},
	{ID: "gabriel", Name: "Gabriel Dubois", Groups: []string{"sales"}, Kind: survey.Human, Skill: 0.80},
	{ID: "hana", Name: "Hana Kim", Groups: []string{"sales"}, Kind: survey.Human, Skill: 0.93},
	{ID: "rookie", Name: "Iris Novak", Groups: []string{"sales"}, Kind: survey.Human, Skill: 0.70},
	{ID: "helper-bot", Name: "Acme Assistant", Kind: survey.Bot, Skill: 0.75},
}

// supervisors review some conversations, and Lucía hears of low scores.
var supervisors = []struct{ ID, Name string }{{"sup-lucia", "Lucía Fernández"}, {"sup-marc", "Marc Lefebvre"}}

// personName is the name of an agent or supervisor ID, or the ID itself
// when it is nobody the demo knows.
func personName(id string) string {
	if s, ok := stafferByID(id); ok {
		return s.Name
	}
	for _, s := range supervisors {
		if s.ID == id {
			return s.Name
		}
	}
	return id
}

func stafferByID(id string) (staffer, bool) {
	for _, s := range staff {
		if s.ID == id {
			return s, true
		}
	}
	return staffer{}, false
}

// channelMix is how conversations spread over channels.
var channelMix = []struct {
	name   string
	weight float64
}{{"whatsapp", 0.38}, {"messenger", 0.18}, {"email", 0.22}, {"telegram", 0.22}}

// langMix is how contacts spread over languages (BCP 47 as a helpdesk
// would record them).
var langMix = []struct {
	tag    string
	weight float64
}{
	{"es-AR", 0.18}, {"es-MX", 0.14}, {"en-US", 0.19}, {"en-GB", 0.08}, {"pt-BR", 0.16},
	{"fr-FR", 0.09}, {"fr-CA", 0.05}, {"ru-RU", 0.11},
}

// seedStats says what the seed did.
type seedStats struct {
	Conversations, Surveyed, NotEligible, Rated, Commented, Reviewed, Expired int
	Took                                                                      time.Duration
}

func (s seedStats) String() string {
	return fmt.Sprintf("%d conversations: %d surveyed, %d not eligible, %d rated, %d comments, %d supervisor reviews, %d expired (%v)",
		s.Conversations, s.Surveyed, s.NotEligible, s.Rated, s.Commented, s.Reviewed, s.Expired, s.Took.Round(time.Millisecond))
}

// event is one thing that happens during the seeded 90 days.
type event struct {
	at  time.Time
	seq int
	do  func(ctx context.Context) error
}

// seeded reports whether the store already holds the demo's data.
func (a *app) seeded(ctx context.Context) (bool, error) {
	for _, id := range []string{"csat", "nps"} {
		page, _, err := report.Page(ctx, a.store, tenant, report.Filter{Surveys: []string{id}}, 1, nil)
		if err != nil || len(page) > 0 {
			return len(page) > 0, err
		}
	}
	return false, nil
}

// seed plays days of helpdesk life ending at end through the engine, with
// the engine's clock following the simulated time, and about perDay
// conversations a weekday. The same seedValue plays the same story.
func (a *app) seed(ctx context.Context, end time.Time, days, perDay int, seedValue uint64) (seedStats, error) {
	began := time.Now()
	rng := rand.New(rand.NewPCG(seedValue, 0x5eed))
	start := end.Truncate(24*time.Hour).AddDate(0, 0, -days+1)
	var st seedStats
	var events []event
	add := func(at time.Time, do func(ctx context.Context) error) {
		if at.Before(end) {
			events = append(events, event{at: at, seq: len(events), do: do})
		}
	}
	contacts := makeContacts(rng, 40*perDay/3+50)

	n := 0
	for d := 0; d < days; d++ {
		day := start.AddDate(0, 0, d)
		count := perDay
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			count = perDay / 2
		}
		count = count*(85+30*d/days)/100 + rng.IntN(7) - 3 // a busier quarter
		progress := float64(d) / float64(days)
		for i := 0; i < count; i++ {
			n++
			c := a.plan(rng, n, day, progress, contacts)
			if !c.closedAt.Before(end) {
				continue
			}
			st.Conversations++
			c.schedule(a, rng, add, &st)
		}
	}
	sort.Slice(events, func(i, j int) bool {
		if !events[i].at.Equal(events[j].at) {
			return events[i].at.Before(events[j].at)
		}
		return events[i].seq < events[j].seq
	})
	defer a.clock.set(time.Time{})
	nextSweep := start.Add(time.Hour)
	sweepUntil := func(t time.Time) error {
		for !nextSweep.After(t) {
			a.clock.set(nextSweep)
			res, err := a.engine.Sweep(ctx)
			if err != nil {
				return fmt.Errorf("seed: sweep at %v: %w", nextSweep, err)
			}
			st.Expired += res.Expired
			nextSweep = nextSweep.Add(time.Hour)
		}
		return nil
	}
	for _, ev := range events {
		if err := sweepUntil(ev.at); err != nil {
			return st, err
		}
		a.clock.set(ev.at)
		if err := ev.do(ctx); err != nil {
			return st, fmt.Errorf("seed: event at %v: %w", ev.at, err)
		}
	}
	if err := sweepUntil(end); err != nil {
		return st, err
	}
	// The seed's messages and notifications belong to its past: they were
	// sent then. Acknowledge them, so that the demo's deliveries start
	// with what happens from now on.
	if _, err := a.engine.Deliver(ctx, func(context.Context, survey.Effect) error { return nil }, survey.DeliverOptions{}); err != nil {
		return st, fmt.Errorf("seed: acknowledge its history: %w", err)
	}
	st.Took = time.Since(began)
	return st, nil
}

// contact is a customer of the demo.
type contact struct {
	ID, Name, Lang string
}

func makeContacts(rng *rand.Rand, n int) []contact {
	out := make([]contact, n)
	for i := range out {
		tag := pickLang(rng)
		names := phrases[base(tag)].names
		out[i] = contact{ID: fmt.Sprintf("cust-%04d", i+1), Name: names[rng.IntN(len(names))], Lang: tag}
	}
	return out
}

func pickLang(rng *rand.Rand) string {
	u := rng.Float64()
	for _, l := range langMix {
		if u < l.weight {
			return l.tag
		}
		u -= l.weight
	}
	return langMix[0].tag
}

func pickChannel(rng *rand.Rand) string {
	u := rng.Float64()
	for _, c := range channelMix {
		if u < c.weight {
			return c.name
		}
		u -= c.weight
	}
	return channelMix[0].name
}

func base(tag string) string { return tag[:2] }

// planned is one conversation and what its contact will do.
type planned struct {
	conv     *survey.Conversation
	closedAt time.Time
	skill    float64
	// kind of conversation: "ok", "short", "late"
	kind string
	rng  *rand.Rand
}

// plan writes conversation n of a day.
func (a *app) plan(rng *rand.Rand, n int, day time.Time, progress float64, contacts []contact) *planned {
	ct := contacts[rng.IntN(len(contacts))]
	if rng.Float64() < 0.15 { // regulars write more often
		ct = contacts[rng.IntN(len(contacts)/10+1)]
	}
	ch := pickChannel(rng)
	ph := phrases[base(ct.Lang)]
	// Opening hours 07:00–21:00 UTC, busier around midday.
	minute := 7*60 + int(math.Min(839, math.Max(0, rng.NormFloat64()*150+390)))
	open := day.Add(time.Duration(minute) * time.Minute)

	// One or two human agents, sometimes after the bot.
	var people []staffer
	humans := staff[:len(staff)-1]
	first := humans[rng.IntN(len(humans))]
	people = append(people, first)
	if rng.Float64() < 0.18 {
		second := humans[rng.IntN(len(humans))]
		if second.ID != first.ID {
			people = append(people, second)
		}
	}
	withBot := ch != "email" && rng.Float64() < 0.3
	conv := &survey.Conversation{
		TenantID: tenant, ID: fmt.Sprintf("conv-%05d", n), Channel: ch,
		Contact: survey.Contact{ID: ct.ID, Name: ct.Name, Language: ct.Lang},
		Fields:  map[string]string{"priority": []string{"low", "normal", "normal", "high"}[rng.IntN(4)]},
	}
	at := open
	msg := func(from survey.Sender, author, text string) {
		conv.Messages = append(conv.Messages, survey.Message{
			ID: fmt.Sprintf("m-%05d-%d", n, len(conv.Messages)), From: from, AuthorID: author, Text: text, SentAt: at,
		})
		at = at.Add(time.Duration(1+rng.IntN(6)) * time.Minute)
	}
	p := &planned{conv: conv, kind: "ok", rng: rng}
	topic := rng.IntN(len(ph.questions))
	switch u := rng.Float64(); {
	case u < 0.07:
		p.kind = "short"
	case u < 0.10:
		p.kind = "late"
	}
	if withBot {
		bot := staff[len(staff)-1]
		conv.Participants = append(conv.Participants, survey.Participant{ID: bot.ID, Name: bot.Name, Kind: bot.Kind})
	}
	for _, s := range people {
		conv.Participants = append(conv.Participants, survey.Participant{ID: s.ID, Name: s.Name, Kind: s.Kind, Groups: s.Groups})
	}
	if p.kind == "short" {
		msg(survey.FromContact, "", ph.short[rng.IntN(len(ph.short))])
		msg(survey.FromAgent, first.ID, ph.shortAnswer)
	} else {
		msg(survey.FromContact, "", ph.questions[topic])
		if withBot {
			msg(survey.FromAgent, "helper-bot", ph.bot)
		}
		msg(survey.FromSystem, "", "assigned to "+first.Name)
		msg(survey.FromAgent, first.ID, ph.answers[topic])
		if len(people) > 1 {
			msg(survey.FromSystem, "", "transferred to "+people[1].Name)
			msg(survey.FromAgent, people[1].ID, ph.transfer)
		}
		msg(survey.FromContact, "", ph.thanks[rng.IntN(len(ph.thanks))])
		msg(survey.FromAgent, people[len(people)-1].ID, ph.bye)
	}
	if p.kind == "late" {
		at = at.Add(time.Duration(25+rng.IntN(30)) * time.Hour)
	}
	p.closedAt = at.Add(time.Duration(2+rng.IntN(20)) * time.Minute)
	conv.ClosedAt = p.closedAt

	// The conversation's satisfaction follows its agents' skill.
	skill := 0.0
	for _, s := range people {
		skill += s.Skill + s.Improve*progress
	}
	p.skill = skill / float64(len(people))
	if p.kind == "ok" && len(people) > 1 {
		p.skill -= 0.08 // transfers annoy
	}
	if withBot {
		p.skill -= 0.03
	}
	return p
}

// score draws the contact's answer on scale min..max.
func (p *planned) score(nps bool) int {
	u := p.rng.Float64()
	if !nps {
		switch {
		case u < p.skill*0.62:
			return 5
		case u < p.skill:
			return 4
		case u < p.skill+(1-p.skill)*0.45:
			return 3
		case u < p.skill+(1-p.skill)*0.75:
			return 2
		}
		return 1
	}
	switch {
	case u < p.skill*0.72:
		return 9 + p.rng.IntN(2)
	case u < p.skill*1.05:
		return 7 + p.rng.IntN(2)
	}
	return 1 + p.rng.IntN(6)
}

// schedule adds the close and everything the contact and the supervisors
// will do after it.
func (p *planned) schedule(a *app, rng *rand.Rand, add func(time.Time, func(context.Context) error), st *seedStats) {
	conv := p.conv
	nps := conv.Channel == "telegram"
	var session string
	ph := phrases[base(conv.Contact.Language)]
	add(p.closedAt, func(ctx context.Context) error {
		res, err := a.engine.ConversationClosed(ctx, conv)
		if err != nil {
			return err
		}
		if res.Decision.Eligible {
			st.Surveyed++
			session = res.Session.ID
		} else {
			st.NotEligible++
		}
		return nil
	})
	if p.kind != "ok" || rng.Float64() > 0.64 {
		return // no answer: the sweep expires the survey after 24 h
	}
	if conv.Channel != "email" && rng.Float64() < 0.03 {
		// Two replies that are not scores: the survey re-prompts once,
		// then gives up (unanswered) and hands the text back.
		at := p.closedAt.Add(time.Duration(2+rng.IntN(30)) * time.Minute)
		for i, text := range []string{ph.confused, ph.short[0]} {
			add(at.Add(time.Duration(i)*time.Minute), func(ctx context.Context) error {
				_, err := a.engine.HandleMessage(ctx, &survey.Inbound{
					TenantID: tenant, ContactID: conv.Contact.ID, Channel: conv.Channel, MessageID: fmt.Sprintf("%s-u%d", conv.ID, i), Text: text,
				})
				return err
			})
		}
		return
	}
	// Replies come quickly or in the evening; a few late ones miss the window.
	delay := time.Duration(math.Exp(rng.NormFloat64()*1.6+3.2)) * time.Minute
	rateAt := p.closedAt.Add(delay)
	v := p.score(nps)
	inbound := func(id, text string) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := a.engine.HandleMessage(ctx, &survey.Inbound{
				TenantID: tenant, ContactID: conv.Contact.ID, Channel: conv.Channel, MessageID: id, Text: text,
			})
			return err
		}
	}
	email := conv.Channel == "email"
	switch {
	case email:
		add(rateAt, func(ctx context.Context) error {
			if session == "" {
				return nil
			}
			s, err := a.store.Load(ctx, tenant, session)
			if err != nil || s.State != survey.StateAwaitingRating {
				return err
			}
			// The link the contact clicked (the option it carries) and
			// the one they confirmed on the page, as the rating page does.
			clicked := v
			if rng.Float64() < 0.1 {
				clicked = min(v+1, 5)
			}
			tok, err := a.signer.Sign(tenant, session, clicked, s.Deadline)
			if err != nil {
				return err
			}
			if _, err := a.engine.OpenLink(ctx, tenant, tok); err != nil {
				return nil // the link expired before the click
			}
			if _, err := a.engine.ConfirmLinkAs(ctx, tenant, tok, v); err != nil {
				return err
			}
			st.Rated++
			return nil
		})
	default:
		if rng.Float64() < 0.07 {
			add(rateAt.Add(-time.Minute), inbound(conv.ID+"-r0", ph.confused))
		}
		add(rateAt, func(ctx context.Context) error {
			text := replyText(rng, v, nps, conv.Channel, ph)
			res, err := a.engine.HandleMessage(ctx, &survey.Inbound{
				TenantID: tenant, ContactID: conv.Contact.ID, Channel: conv.Channel, MessageID: conv.ID + "-r1", Text: text,
			})
			if err == nil && res.Consumed && res.Session != nil && res.Session.Rated && res.Session.ID == session {
				st.Rated++
			}
			return err
		})
	}
	// Unhappy contacts explain more often.
	commentP := 0.35
	if (nps && v <= 6) || (!nps && v <= 2) {
		commentP = 0.8
	}
	if rng.Float64() < commentP {
		pol := 1
		if (nps && v <= 6) || (!nps && v <= 2) {
			pol = -1
		} else if (nps && v <= 8) || (!nps && v == 3) {
			pol = 0
		}
		list := ph.comments[pol+1]
		text := list[rng.IntN(len(list))]
		commentAt := rateAt.Add(time.Duration(1+rng.IntN(15)) * time.Minute)
		add(commentAt, func(ctx context.Context) error {
			if session == "" {
				return nil
			}
			s, err := a.store.Load(ctx, tenant, session)
			if err != nil || s.State != survey.StateAwaitingComment {
				return err
			}
			if email {
				tok, err := a.signer.Sign(tenant, session, s.Rating, s.Deadline.Add(time.Hour))
				if err != nil {
					return err
				}
				if _, err := a.engine.CommentViaLink(ctx, tenant, tok, text); err != nil {
					return err
				}
			} else if _, err := a.engine.HandleMessage(ctx, &survey.Inbound{
				TenantID: tenant, ContactID: conv.Contact.ID, Channel: conv.Channel, MessageID: conv.ID + "-c", Text: text,
			}); err != nil {
				return err
			}
			st.Commented++
			return nil
		})
	}
	// Supervisors review some conversations, low ones more often.
	reviewP := 0.05
	if (nps && v <= 4) || (!nps && v <= 2) {
		reviewP = 0.35
	}
	if rng.Float64() < reviewP {
		reviewer := supervisors[rng.IntN(len(supervisors))].ID
		score := v + rng.IntN(3) - 1
		if nps {
			score = min(max(score, 1), 10)
		} else {
			score = min(max(score, 1), 5)
		}
		note := ph.review[rng.IntN(len(ph.review))]
		add(rateAt.Add(time.Duration(2+rng.IntN(40))*time.Hour), func(ctx context.Context) error {
			if session == "" {
				return nil
			}
			if _, err := a.engine.Review(ctx, survey.ReviewInput{
				TenantID: tenant, SessionID: session, ReviewerID: reviewer, Score: score, Comment: note,
			}); err != nil {
				return err
			}
			st.Reviewed++
			return nil
		})
	}
}

// replyText writes a score the way contacts do: a digit, a button, an
// emoji, stars or words.
func replyText(rng *rand.Rand, v int, nps bool, channel string, ph phraseSet) string {
	u := rng.Float64()
	switch {
	case channel != "email" && u < 0.45:
		return fmt.Sprintf("rating:%d", v) // a button
	case nps || u < 0.75:
		return fmt.Sprint(v)
	case u < 0.85:
		return []string{"", "😡", "🙁", "😐", "🙂", "😄"}[v]
	case u < 0.92:
		s := ""
		for range v {
			s += "⭐"
		}
		return s
	}
	return ph.scoreWords[v]
}
