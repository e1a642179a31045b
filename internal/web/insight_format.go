package web

import (
	"net/url"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/survey"
)

// insightFigures writes the summary's figures as the viewer's language
// does, "—" where there is none: {{.F.Score .NPS.Score}}.
type insightFigures struct{ n numbers }

// Score writes an NPS: "−25", "40".
func (f insightFigures) Score(v *int) string {
	if v == nil {
		return "—"
	}
	if *v < 0 {
		return "−" + f.n.Int(-*v)
	}
	return f.n.Int(*v)
}

// Avg writes an average score with one decimal: "4,3".
func (f insightFigures) Avg(v *float64) string {
	if v == nil {
		return "—"
	}
	return f.n.Dec(*v)
}

// Percent writes a percentage (0–100): "87 %".
func (f insightFigures) Percent(v *float64) string {
	if v == nil {
		return "—"
	}
	return f.n.Pct(*v / 100)
}

// insightRow is what a row of a breakdown's table gets.
type insightRow struct {
	N numbers
	F insightFigures
	B survey.SummaryBucket
}

// F is the page's figures' writer.
func (p *insightPage) F() insightFigures { return insightFigures{n: p.N} }

// Row hands a bucket to the shared row template.
func (p *insightPage) Row(b survey.SummaryBucket) insightRow {
	return insightRow{N: p.N, F: p.F(), B: b}
}

// Range is the window shown, in words: "с 26 августа по 23 ноября".
func (p *insightPage) Range() string {
	f, err1 := calendar.ParseDay(p.S.From)
	t, err2 := calendar.ParseDay(p.S.To)
	if err1 != nil || err2 != nil {
		return p.S.From + " – " + p.S.To
	}
	return i18n.FormatOnRange(p.Lang, f, t)
}

// KindLink lists the window's answers of one kind of survey.
func (p *insightPage) KindLink(kind string) string {
	u, err := url.Parse(p.Base)
	if err != nil {
		return "/surveys"
	}
	q := u.Query()
	q.Set("kind", kind)
	return "/surveys?" + q.Encode() + "#answers"
}

// ScoreClass shades a score: low (NPS 0–6, CSAT 1–2), mid, high (NPS
// 9–10, CSAT 4–5).
func (p *insightPage) ScoreClass(kind string, score int) string {
	lo, hi := 6, 9
	if kind == "csat" {
		lo, hi = 2, 4
	}
	switch {
	case score <= lo:
		return "low"
	case score >= hi:
		return "high"
	}
	return "mid"
}
