package audit

import (
	"context"
	"time"
)

// TrendMonths is how many months the trend of a point covers, this one
// included.
const TrendMonths = 12

// Month is a point's record in one month: the checks made, the mean
// score of those that gave one, and the items passed of those checked.
type Month struct {
	Month   string `json:"month"` // YYYY-MM
	Checks  int    `json:"checks"`
	Mystery int    `json:"mystery"` // of Checks, mystery-shopper visits
	// Score is the mean of the scores given (1–5), 0 when none was.
	Score  float64 `json:"score"`
	Scored int     `json:"scored"`
	Passed int     `json:"passed"`
	Total  int     `json:"total"`
}

// PassedShare is Passed/Total, false when no item was checked.
func (m Month) PassedShare() (float64, bool) {
	if m.Total == 0 {
		return 0, false
	}
	return float64(m.Passed) / float64(m.Total), true
}

// Overview is one touch point on the audit board: its checklist, its
// last check, whether a check is due this month, its trend and what
// shopcare measures of it itself.
type Overview struct {
	Point Point  `json:"point"`
	Items []Item `json:"items"`
	// Last is the latest check, nil when the point was never checked.
	Last *Check `json:"last_check"`
	// Due is true when the point was not checked this month (shop time).
	Due bool `json:"due"`
	// Trend is the last TrendMonths months, the oldest first.
	Trend    []Month   `json:"trend"`
	Measures []Measure `json:"measures"`
}

// Board returns every touch point's overview at now (business time),
// in the order of the journey.
func (s *Service) Board(ctx context.Context, now time.Time) ([]Overview, error) {
	all, err := s.Items(ctx, now)
	if err != nil {
		return nil, err
	}
	months := monthsBack(now.In(s.deps.Settings.Shop.Location()), TrendMonths)
	checks, err := s.Checks(ctx, "", months[0]+"-01", "", false)
	if err != nil {
		return nil, err
	}
	last, err := s.lastChecks(ctx)
	if err != nil {
		return nil, err
	}
	measures, err := s.Measures(ctx, now)
	if err != nil {
		return nil, err
	}
	thisMonth := months[len(months)-1]
	out := make([]Overview, 0, len(Points()))
	for _, p := range Points() {
		o := Overview{Point: p, Items: all[p], Trend: trend(p, months, checks), Measures: measures[p]}
		if o.Items == nil {
			o.Items = []Item{}
		}
		if o.Measures == nil {
			o.Measures = []Measure{}
		}
		if c, ok := last[p]; ok {
			o.Last = &c
		}
		o.Due = o.Last == nil || o.Last.Day[:7] < thisMonth
		out = append(out, o)
	}
	return out, nil
}

// Overview returns one point's overview (see Board).
func (s *Service) Overview(ctx context.Context, point Point, now time.Time) (Overview, error) {
	board, err := s.Board(ctx, now)
	if err != nil {
		return Overview{}, err
	}
	for _, o := range board {
		if o.Point == point {
			return o, nil
		}
	}
	return Overview{}, errUnknownPoint(point)
}

// lastChecks returns each point's latest check, by day then by id.
func (s *Service) lastChecks(ctx context.Context) (map[Point]Check, error) {
	out := map[Point]Check{}
	for _, p := range Points() {
		c, err := scanCheck(s.db.Read().QueryRow(ctx, `SELECT `+checkColumns+` FROM audit_checks WHERE point = $1
			ORDER BY day DESC, id DESC LIMIT 1`, string(p)))
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return nil, err
		}
		c.Results = []Result{}
		out[p] = c
	}
	return out, nil
}

// monthsBack returns the n months up to now's, as YYYY-MM, oldest first.
func monthsBack(now time.Time, n int) []string {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]string, n)
	for i := range n {
		out[i] = first.AddDate(0, i-n+1, 0).Format("2006-01")
	}
	return out
}

// trend tallies point's checks by month.
func trend(p Point, months []string, checks []Check) []Month {
	out := make([]Month, len(months))
	at := map[string]int{}
	for i, m := range months {
		out[i] = Month{Month: m}
		at[m] = i
	}
	sums := make([]int, len(months))
	for _, c := range checks {
		i, ok := at[c.Day[:min(7, len(c.Day))]]
		if c.Point != p || !ok {
			continue
		}
		m := &out[i]
		m.Checks++
		if c.Kind == KindMystery {
			m.Mystery++
		}
		if c.Score > 0 {
			m.Scored++
			sums[i] += c.Score
		}
		m.Passed += c.Passed
		m.Total += c.Total
	}
	for i := range out {
		if out[i].Scored > 0 {
			out[i].Score = float64(sums[i]) / float64(out[i].Scored)
		}
	}
	return out
}
