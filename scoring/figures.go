package scoring

// Figures is every figure of a [Summary] in one plain value, ready to be
// shown, compared in a test or encoded as JSON for a dashboard or export.
type Figures struct {
	// Scale is the scale's ID.
	Scale string `json:"scale"`
	// Count, Sum and Mean are the number, sum and average of the scores.
	Count int64   `json:"count"`
	Sum   int64   `json:"sum"`
	Mean  float64 `json:"mean"`
	// Distribution and Shares (percent) are indexed from the scale's minimum.
	Distribution []int64   `json:"distribution"`
	Shares       []float64 `json:"shares"`
	// Satisfied is the number of satisfied scores; CSAT is their percentage
	// with its Wilson interval.
	Satisfied int64    `json:"satisfied"`
	CSAT      Interval `json:"csat"`
	// Promoters, Passives and Detractors count the positive, neutral and
	// negative bands (high, medium and low on the 1–10 scale); NPS is the
	// net score with its adjusted-Wald interval.
	Promoters  int64    `json:"promoters"`
	Passives   int64    `json:"passives"`
	Detractors int64    `json:"detractors"`
	NPS        Interval `json:"nps"`
	// Bands counts the scores in each band.
	Bands []BandCount `json:"bands"`
	// Sent and ResponseRate (percent) describe the surveys sent.
	Sent         int64   `json:"sent"`
	ResponseRate float64 `json:"response_rate"`
	// Reminded counts the surveys sent that got a reminder, AfterReminder
	// the responses given at or after one, and RemindedResponseRate
	// (percent) is the second of the first.
	Reminded             int64   `json:"reminded"`
	AfterReminder        int64   `json:"after_reminder"`
	RemindedResponseRate float64 `json:"reminded_response_rate"`
	// ResponseTimes describes how fast contacts answered.
	ResponseTimes ResponseTimes `json:"response_times"`
}

// Figures returns all of the summary's figures, with confidence intervals
// at level and the too-few flag below minResponses (0 means
// DefaultMinResponses).
func (s *Summary) Figures(level float64, minResponses int64) (Figures, error) {
	if minResponses == 0 {
		minResponses = DefaultMinResponses
	}
	csat, err := s.SatisfiedIntervalMin(level, minResponses)
	if err != nil {
		return Figures{}, err
	}
	nps, err := s.NPSIntervalMin(level, minResponses)
	if err != nil {
		return Figures{}, err
	}
	return Figures{
		Scale: s.scale.id,
		Count: s.count, Sum: s.sum, Mean: s.Mean(),
		Distribution: s.Distribution(), Shares: s.Shares(),
		Satisfied: s.SatisfiedCount(), CSAT: csat,
		Promoters: s.Promoters(), Passives: s.Passives(), Detractors: s.Detractors(), NPS: nps,
		Bands: s.BandCounts(),
		Sent:  s.sent, ResponseRate: s.ResponseRate(),
		Reminded: s.reminded, AfterReminder: s.after, RemindedResponseRate: s.RemindedResponseRate(),
		ResponseTimes: s.ResponseTimes(),
	}, nil
}
