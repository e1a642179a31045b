package web

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/survey"
	"github.com/shopcare/shopcare/internal/words"
)

// insightPage is the survey results: the NPS and CSAT of a window with
// their course, the breakdowns, the themes of the comments, and the
// comments themselves, each linked to its order and customer.
type insightPage struct {
	adminPage
	N numbers
	// From and To are the window as typed; Errors what is wrong with the
	// query (the default window is shown then).
	From, To string
	Errors   map[string]string
	S        *survey.Summary
	NPS      insightChart
	CSAT     insightChart
	Periods  []insightPeriod
	Themes   []insightThemes
	// Theme is the theme whose answers are listed, if one is.
	Theme *words.Theme
	Kind  string
	// Next is the link to the next page of answers; CSV the file of the
	// answers listed.
	Next, CSV, Base string
}

// insightPeriod is a row of the table beside the charts.
type insightPeriod struct {
	Label string
	survey.SummaryBucket
}

// insightThemes are one language's themes, with their links.
type insightThemes struct {
	Lang   string
	Themes []insightTheme
}

// insightTheme is a theme and the link to its answers.
type insightTheme struct {
	words.Theme
	Link string
}

// insightShow shows the results of ?from=&to= (shop days; the last 90 by
// default), the answers of ?theme=&theme_lang= or ?kind=, a page from
// ?cursor=; ?csv=1 sends the answers as a file instead.
// insightAnswersPage is how many answers a page of /surveys lists: the
// figures and charts come first, the CSV has them all.
const insightAnswersPage = 25

func (h *Handler) insightShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	q := r.URL.Query()
	sq := survey.SummaryQuery{From: q.Get("from"), To: q.Get("to"), Cursor: q.Get("cursor"), Kind: q.Get("kind"),
		Theme: q.Get("theme"), ThemeLang: q.Get("theme_lang")}
	if q.Get("csv") != "" {
		h.insightCSV(w, r, sq)
		return
	}
	sq.Limit = insightAnswersPage
	p := &insightPage{adminPage: h.adminPage(v, analyticsArea), N: h.numbers(v.Lang), From: sq.From, To: sq.To,
		Errors: map[string]string{}, Kind: sq.Kind}
	p.current("/surveys")
	status := http.StatusOK
	s, err := h.app.Surveys.Summary(r.Context(), sq)
	var list invalid.List
	if errors.As(err, &list) {
		for _, bad := range list {
			p.Errors[bad.Field] = insightErrorText(v.Lang, bad, sq)
		}
		status = http.StatusBadRequest
		s, err = h.app.Surveys.Summary(r.Context(), survey.SummaryQuery{})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.S = s
	p.fill(v.Lang, sq)
	h.render(w, r, status, "insight", p)
}

// fill lays the summary out for the page: the charts, the periods'
// table, the themes with their links, the answers' links.
func (p *insightPage) fill(lang i18n.Lang, sq survey.SummaryQuery) {
	s := p.S
	window := url.Values{}
	if len(p.Errors) == 0 {
		if sq.From != "" {
			window.Set("from", sq.From)
		}
		if sq.To != "" {
			window.Set("to", sq.To)
		}
	}
	p.Base = "/surveys"
	if len(window) > 0 {
		p.Base += "?" + window.Encode()
	}
	p.NPS = insightChart{Title: i18n.Text(lang, "insight.chart.nps", nil), Min: -100, Max: 100, Zero: true}
	p.CSAT = insightChart{Title: i18n.Text(lang, "insight.chart.csat", nil), Min: 0, Max: 100}
	for _, b := range s.ByPeriod {
		label := insightPeriodLabel(lang, b.Key, b.End)
		p.Periods = append(p.Periods, insightPeriod{Label: label, SummaryBucket: b})
		axis := insightAxisLabel(lang, b.Key)
		p.NPS.Labels, p.CSAT.Labels = append(p.NPS.Labels, axis), append(p.CSAT.Labels, axis)
		var nps, csat *float64
		shownNPS, shownCSAT := "—", "—"
		if b.NPS.Score != nil {
			f := float64(*b.NPS.Score)
			nps, shownNPS = &f, p.N.Int(*b.NPS.Score)
		}
		if b.CSAT.SatisfiedPercent != nil {
			csat, shownCSAT = b.CSAT.SatisfiedPercent, p.N.Pct(*b.CSAT.SatisfiedPercent/100)
		}
		p.NPS.Values, p.NPS.Shown = append(p.NPS.Values, nps), append(p.NPS.Shown, shownNPS)
		p.CSAT.Values, p.CSAT.Shown = append(p.CSAT.Values, csat), append(p.CSAT.Shown, shownCSAT)
	}
	for _, l := range slices.Sorted(maps.Keys(s.Themes)) {
		st := insightThemes{Lang: l}
		for _, th := range s.Themes[l] {
			link := url.Values{}
			for k, vs := range window {
				link[k] = vs
			}
			link.Set("theme", th.Key)
			link.Set("theme_lang", string(th.Lang))
			st.Themes = append(st.Themes, insightTheme{Theme: th, Link: "/surveys?" + link.Encode() + "#answers"})
			if th.Key == sq.Theme && string(th.Lang) == sq.ThemeLang {
				p.Theme = &th
			}
		}
		p.Themes = append(p.Themes, st)
	}
	list := url.Values{}
	for k, vs := range window {
		list[k] = vs
	}
	if p.Theme != nil {
		list.Set("theme", sq.Theme)
		list.Set("theme_lang", sq.ThemeLang)
	}
	if sq.Kind != "" && len(p.Errors) == 0 {
		list.Set("kind", sq.Kind)
	}
	if s.Answers.NextCursor != "" {
		next := url.Values{}
		for k, vs := range list {
			next[k] = vs
		}
		next.Set("cursor", s.Answers.NextCursor)
		p.Next = "/surveys?" + next.Encode() + "#answers"
	}
	list.Set("csv", "1")
	p.CSV = "/surveys?" + list.Encode()
}

// insightPeriodLabel names a period by its days, for the table: "3 ноября –
// 9 ноября"; axisLabel by its first day, for the chart: "3 ноября".
func insightPeriodLabel(lang i18n.Lang, from, to string) string {
	f, err1 := calendar.ParseDay(from)
	t, err2 := calendar.ParseDay(to)
	if err1 != nil || err2 != nil {
		return from
	}
	if f == t {
		return i18n.FormatDayShort(lang, f)
	}
	return i18n.FormatDayShort(lang, f) + " – " + i18n.FormatDayShort(lang, t)
}

func insightAxisLabel(lang i18n.Lang, from string) string {
	f, err := calendar.ParseDay(from)
	if err != nil {
		return from
	}
	return i18n.FormatDayShort(lang, f)
}

// insightErrorText says what is wrong with a field of the query.
func insightErrorText(lang i18n.Lang, bad *invalid.Error, sq survey.SummaryQuery) string {
	switch {
	case (bad.Field == "from" || bad.Field == "to") && bad.Code == "out_of_range":
		return i18n.Text(lang, "insight.error.too_long", map[string]any{"Days": survey.SummaryMaxDays})
	case bad.Field == "from" || bad.Field == "to":
		return windowErrorText(lang, bad.Field, sq.From, sq.To)
	}
	return i18n.Text(lang, "insight.error.filter", nil)
}

// insightCSV sends the window's answers as a CSV file. A failure
// half-way aborts the transfer, so no truncated file looks whole; a bad
// query is the page with its errors.
func (h *Handler) insightCSV(w http.ResponseWriter, r *http.Request, sq survey.SummaryQuery) {
	day := h.app.Clock.Now().In(h.app.Settings.Shop.Location()).Format(time.DateOnly)
	started := false
	err := h.app.Surveys.WriteSummaryCSV(r.Context(), sq, func() {
		started = true
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="survey-answers-`+day+`.csv"`)
	}, w)
	switch {
	case err == nil:
	case !started:
		var list invalid.List
		if errors.As(err, &list) {
			http.Redirect(w, r, "/surveys?"+insightStripCSV(r.URL.Query()), http.StatusSeeOther)
			return
		}
		h.fail(w, r, err)
	default:
		h.log.ErrorContext(r.Context(), "survey answers CSV", "err", err)
		panic(http.ErrAbortHandler)
	}
}

func insightStripCSV(q url.Values) string {
	q.Del("csv")
	return q.Encode()
}
