package survey

import (
	"context"
	"fmt"
	"slices"

	"github.com/surveyflow/surveyflow/scoring"
)

// Report holds a survey's figures over a set of sessions.
type Report struct {
	// Overall aggregates every rated session once.
	Overall *scoring.Summary
	// ByAgent counts each rated session once for every agent who took part
	// in its conversation (seed 000: an agent's CSAT score is the sum of
	// the answers in the conversations the agent took part in).
	ByAgent *scoring.Table
	// ByGroup counts each rated session once for every group whose agents
	// took part in its conversation.
	ByGroup *scoring.Table
	// ByChannel counts each rated session once, under its channel.
	ByChannel *scoring.Table
}

// Report aggregates the rated sessions of a tenant that match q, streaming
// them from Store.Responses. q.SurveyID may be empty only when the tenant
// has exactly one survey. For reports over agents, groups, channels and
// periods with confidence intervals, see store/report and scoring.Grouper.
func (e *Engine) Report(ctx context.Context, tenantID string, q Query) (*Report, error) {
	set := e.surveys(tenantID)
	if q.SurveyID == "" && len(set.list) == 1 {
		q.SurveyID = set.list[0].def.ID
	}
	sv, err := e.survey(tenantID, q.SurveyID)
	if err != nil {
		return nil, err
	}
	r := &Report{
		Overall:   scoring.NewSummary(sv.scale),
		ByAgent:   scoring.NewTable(sv.scale),
		ByGroup:   scoring.NewTable(sv.scale),
		ByChannel: scoring.NewTable(sv.scale),
	}
	f := ResponseFilter{SurveyID: q.SurveyID}
	for s, err := range e.store.Responses(ctx, tenantID, f) {
		if err != nil {
			return nil, fmt.Errorf("surveyflow: report: %w", err)
		}
		if q.Match(s) {
			AddToReport(r, s)
		}
	}
	return r, nil
}

// AddToReport adds one rated session to r: once overall, once per agent,
// once per group and once under its channel. Tables left nil are skipped.
func AddToReport(r *Report, s *Session) {
	if !s.Rated {
		return
	}
	if r.Overall != nil {
		r.Overall.Add(s.Rating)
	}
	if r.ByChannel != nil {
		r.ByChannel.Add(s.Channel, s.Rating)
	}
	if r.ByAgent != nil {
		for _, a := range s.Agents {
			r.ByAgent.Add(a.ID, s.Rating)
		}
	}
	if r.ByGroup != nil {
		addGroups(r.ByGroup, s)
	}
}

// scannedGroups is how many group entries a session may have for
// addGroups to find repeats by scanning; above it, a set is cheaper.
const scannedGroups = 32

// addGroups adds s's rating once for every group of its agents. Sessions
// have a few agents with a few groups each, so scanning the earlier
// entries beats allocating a set per session; a session with many uses a
// set.
func addGroups(t *scoring.Table, s *Session) {
	n := 0
	for _, a := range s.Agents {
		n += len(a.Groups)
	}
	if n > scannedGroups {
		seen := make(map[string]bool, n)
		for _, a := range s.Agents {
			for _, g := range a.Groups {
				if !seen[g] {
					seen[g] = true
					t.Add(g, s.Rating)
				}
			}
		}
		return
	}
	for i, a := range s.Agents {
		for j, g := range a.Groups {
			if !groupSeen(s.Agents[:i], a.Groups[:j], g) {
				t.Add(g, s.Rating)
			}
		}
	}
}

// groupSeen reports whether g is among the groups of earlier agents or
// earlier in the current agent's groups.
func groupSeen(earlier []Agent, before []string, g string) bool {
	if slices.Contains(before, g) {
		return true
	}
	for _, a := range earlier {
		if slices.Contains(a.Groups, g) {
			return true
		}
	}
	return false
}
