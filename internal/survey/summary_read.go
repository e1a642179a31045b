package survey

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/words"
)

// summaryRows reads the confirmed answers scored in [start, end), with
// their order's number and carrier, their customer's name and segment.
const summaryRows = `SELECT s.id, s.kind, s.trigger, s.score, s.scored_at, s.language, s.channel, s.comment,
	s.customer_id, s.order_id, COALESCE(o.external_id, ''), COALESCE(o.carrier, ''), COALESCE(c.name, ''),
	COALESCE(cs.segment, '')
FROM surveys s
LEFT JOIN orders o ON o.id = s.order_id
LEFT JOIN customers c ON c.id = s.customer_id
LEFT JOIN customer_scores cs ON cs.customer_id = s.customer_id
WHERE s.confirmed_at IS NOT NULL AND s.scored_at >= $1 AND s.scored_at < $2`

// summaryBefore reads the comments of the confirmed answers of the
// window before [start, end): all the themes need of them.
const summaryBeforeSQL = `SELECT id, language, comment, scored_at FROM surveys
WHERE confirmed_at IS NOT NULL AND scored_at >= $1 AND scored_at < $2 AND comment <> ''`

// summaryItems reads the products of the orders the window's confirmed
// answers were about: an answer counts once for each SKU of its order.
const summaryItems = `SELECT s.id, i.sku, i.name
FROM surveys s
JOIN order_items i ON i.order_id = s.order_id
WHERE s.confirmed_at IS NOT NULL AND s.scored_at >= $1 AND s.scored_at < $2
ORDER BY s.id, i.id`

// Summary sums up the confirmed answers of q's window. A wrong field of q
// is an *invalid.Error (a List) naming it, and nothing is read.
func (s *Service) Summary(ctx context.Context, q SummaryQuery) (*Summary, error) {
	loc := s.deps.Settings.Shop.Location()
	w, err := parseSummaryQuery(q, s.deps.Clock.Now().In(loc))
	if err != nil {
		return nil, err
	}
	before, err := s.summaryBefore(ctx, w.prevStart, w.start)
	if err != nil {
		return nil, err
	}
	answers, err := s.summaryAnswers(ctx, w.start, w.end)
	if err != nil {
		return nil, err
	}
	items, err := s.summaryItems(ctx, w.start, w.end)
	if err != nil {
		return nil, err
	}
	return summaryOf(w, append(before, answers...), items), nil
}

// summaryBefore reads the comments of the window before: answers with
// only their id, language, comment and time.
func (s *Service) summaryBefore(ctx context.Context, start, end time.Time) ([]SummaryAnswer, error) {
	var out []SummaryAnswer
	err := store.Each(ctx, s.db.Read(), summaryBeforeSQL, []any{start.UTC(), end.UTC()}, func(r store.Rows) error {
		var a SummaryAnswer
		if err := r.Scan(&a.ID, &a.Language, &a.Comment, &a.At); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the survey comments before the window: %w", err)
	}
	return out, nil
}

// summaryAnswers reads the confirmed answers scored in [start, end).
func (s *Service) summaryAnswers(ctx context.Context, start, end time.Time) ([]SummaryAnswer, error) {
	var out []SummaryAnswer
	err := store.Each(ctx, s.db.Read(), summaryRows, []any{start.UTC(), end.UTC()}, func(r store.Rows) error {
		var a SummaryAnswer
		if err := r.Scan(&a.ID, &a.Kind, &a.Trigger, &a.Score, &a.At, &a.Language, &a.Channel, &a.Comment,
			&a.CustomerID, &a.OrderID, &a.OrderNumber, &a.Carrier, &a.CustomerName, &a.Segment); err != nil {
			return err
		}
		a.At = a.At.UTC().Truncate(time.Microsecond) // as a cursor holds it
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read survey answers: %w", err)
	}
	return out, nil
}

// summaryItem is a product of an answer's order.
type summaryItem struct {
	answer    int64
	sku, name string
}

// summaryItems reads the products of the answers' orders.
func (s *Service) summaryItems(ctx context.Context, start, end time.Time) ([]summaryItem, error) {
	var out []summaryItem
	err := store.Each(ctx, s.db.Read(), summaryItems, []any{start.UTC(), end.UTC()}, func(r store.Rows) error {
		var it summaryItem
		if err := r.Scan(&it.answer, &it.sku, &it.name); err != nil {
			return err
		}
		out = append(out, it)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the products of survey answers: %w", err)
	}
	return out, nil
}

// summaryTally adds up answers into the NPS and CSAT figures.
type summaryTally struct {
	nps       NPSFigure
	csat      CSATFigure
	csatSum   int
	responses int
	name      string
	nameAt    time.Time
}

func (t *summaryTally) add(a *SummaryAnswer) {
	t.responses++
	switch a.Kind {
	case summaryNPS:
		t.nps.Responses++
		switch {
		case a.Score >= 9:
			t.nps.Promoters++
		case a.Score >= 7:
			t.nps.Passives++
		default:
			t.nps.Detractors++
		}
	case summaryCSAT:
		t.csat.Responses++
		t.csatSum += a.Score
		if a.Score >= 4 {
			t.csat.Satisfied++
		}
	}
}

// figures finishes the tally: the score and the average, rounded.
func (t *summaryTally) figures() (NPSFigure, CSATFigure) {
	n, c := t.nps, t.csat
	if n.Responses > 0 {
		score := int(math.Round(float64(n.Promoters-n.Detractors) * 100 / float64(n.Responses)))
		n.Score = &score
	}
	if c.Responses > 0 {
		avg := math.Round(float64(t.csatSum)/float64(c.Responses)*100) / 100
		pct := math.Round(float64(c.Satisfied)*1000/float64(c.Responses)) / 10
		c.Average, c.SatisfiedPercent = &avg, &pct
	}
	return n, c
}

func (t *summaryTally) bucket(key string) SummaryBucket {
	n, c := t.figures()
	return SummaryBucket{Key: key, Name: t.name, Responses: t.responses, NPS: n, CSAT: c}
}

// summaryOf computes the summary of the answers read (of the window and
// the one before) and their products.
func summaryOf(w summaryWindow, answers []SummaryAnswer, items []summaryItem) *Summary {
	loc := w.from.Location()
	sum := &Summary{From: w.from.Format(time.DateOnly), To: w.to.Format(time.DateOnly), Period: "month",
		Themes: map[string][]words.Theme{}, ByPeriod: []SummaryBucket{}, ByCarrier: []SummaryBucket{},
		ByProduct: []SummaryBucket{}, BySegment: []SummaryBucket{}}
	if w.weeks {
		sum.Period = "week"
	}
	var all summaryTally
	periods := map[time.Time]*summaryTally{}
	carriers, segments := map[string]*summaryTally{}, map[string]*summaryTally{}
	byID := map[int64]*SummaryAnswer{}
	var docs []words.Doc
	for i := range answers {
		a := &answers[i]
		if a.Comment != "" {
			docs = append(docs, words.Doc{ID: a.ID, Lang: summaryLang(a.Language), Text: a.Comment, At: a.At})
		}
		if a.At.Before(w.start) {
			continue
		}
		byID[a.ID] = a
		all.add(a)
		tallyOf(periods, w.bucket(a.At.In(loc))).add(a)
		if a.OrderID != nil {
			tallyOf(carriers, a.Carrier).add(a)
		}
		tallyOf(segments, a.Segment).add(a)
	}
	sum.Responses = all.responses
	sum.NPS, sum.CSAT = all.figures()
	for _, b := range w.periods() {
		t := periods[b]
		if t == nil {
			t = &summaryTally{}
		}
		bk := t.bucket(b.Format(time.DateOnly))
		end := w.next(b).AddDate(0, 0, -1)
		if end.After(w.to) {
			end = w.to
		}
		bk.End = end.Format(time.DateOnly)
		if b.Before(w.from) {
			bk.Key = w.from.Format(time.DateOnly)
		}
		sum.ByPeriod = append(sum.ByPeriod, bk)
	}
	sum.ByCarrier = summaryBuckets(carriers)
	sum.BySegment = summaryBuckets(segments)
	sum.ByProduct = summaryProductBuckets(byID, items)
	for _, th := range words.Themes(docs, words.Options{Since: w.start}) {
		sum.Themes[string(th.Lang)] = append(sum.Themes[string(th.Lang)], th)
	}
	sum.Answers = summaryPage(w, answers, sum.Themes)
	return sum
}

func tallyOf[K comparable](m map[K]*summaryTally, k K) *summaryTally {
	t := m[k]
	if t == nil {
		t = &summaryTally{}
		m[k] = t
	}
	return t
}

// summaryBuckets lists tallies by key, most answers first.
func summaryBuckets(m map[string]*summaryTally) []SummaryBucket {
	out := make([]SummaryBucket, 0, len(m))
	for k, t := range m {
		out = append(out, t.bucket(k))
	}
	slices.SortFunc(out, func(a, b SummaryBucket) int {
		return cmp.Or(cmp.Compare(b.Responses, a.Responses), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// summaryProductBuckets tallies the answers by the SKUs of their orders, each answer
// once per SKU, named as the newest answer's order names it; the
// summaryMaxProducts with most answers.
func summaryProductBuckets(byID map[int64]*SummaryAnswer, items []summaryItem) []SummaryBucket {
	m := map[string]*summaryTally{}
	var last int64
	seen := map[string]bool{}
	for _, it := range items {
		a := byID[it.answer]
		if a == nil || it.sku == "" {
			continue
		}
		if it.answer != last {
			last, seen = it.answer, map[string]bool{}
		}
		if seen[it.sku] {
			continue
		}
		seen[it.sku] = true
		t := tallyOf(m, it.sku)
		t.add(a)
		if !a.At.Before(t.nameAt) {
			t.name, t.nameAt = it.name, a.At
		}
	}
	out := summaryBuckets(m)
	return out[:min(len(out), summaryMaxProducts)]
}

// summaryThemeIDs are the answers carrying the theme asked for; nil when none
// was asked for.
func summaryThemeIDs(w summaryWindow, themes map[string][]words.Theme) map[int64]bool {
	if w.theme == "" {
		return nil
	}
	only := map[int64]bool{}
	for _, th := range themes[w.lang] {
		if th.Key == w.theme {
			for _, id := range th.DocIDs {
				only[id] = true
			}
		}
	}
	return only
}

// summaryListed are the window's answers of the kind and theme asked for, those
// with a comment only when comments is set, newest first.
func summaryListed(w summaryWindow, answers []SummaryAnswer, only map[int64]bool, comments bool) []SummaryAnswer {
	var list []SummaryAnswer
	for _, a := range answers {
		if a.At.Before(w.start) || (comments && a.Comment == "") || (only != nil && !only[a.ID]) || (w.kind != "" && a.Kind != w.kind) {
			continue
		}
		list = append(list, a)
	}
	slices.SortFunc(list, func(a, b SummaryAnswer) int {
		return cmp.Or(b.At.Compare(a.At), cmp.Compare(b.ID, a.ID))
	})
	return list
}

// summaryPage lists the window's answers with a comment (of the theme and kind
// asked for), newest first, from the cursor on.
func summaryPage(w summaryWindow, answers []SummaryAnswer, themes map[string][]words.Theme) SummaryAnswers {
	list := summaryListed(w, answers, summaryThemeIDs(w, themes), true)
	out := SummaryAnswers{Total: len(list), Items: []SummaryAnswer{}}
	start := 0
	if !w.cursorAt.IsZero() || w.cursorID != 0 {
		start, _ = slices.BinarySearchFunc(list, w.cursorAt, func(a SummaryAnswer, at time.Time) int {
			return cmp.Or(at.Compare(a.At), cmp.Compare(w.cursorID, a.ID))
		})
		// The cursor names the last answer shown: the page starts after it.
		if start < len(list) && list[start].ID == w.cursorID && list[start].At.Equal(w.cursorAt) {
			start++
		}
	}
	end := min(start+w.limit, len(list))
	out.Items = append(out.Items, list[start:end]...)
	if end < len(list) && end > 0 {
		last := list[end-1]
		out.NextCursor = store.Cursor(last.At, last.ID)
	}
	return out
}

// summaryLang is the language of an answer's comment as the themes key it.
func summaryLang(tag string) i18n.Lang {
	if lang, ok := i18n.Parse(tag); ok {
		return lang
	}
	return i18n.Lang(tag)
}
