package analytics

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// The segments, in the order the admin lists them. A customer is in the
// first that fits:
//   - likely_lost: the model gives them P(alive) < 0.3 (without a model:
//     no order within analytics.active_within);
//   - at_risk: good customers (RFM frequency or monetary score 4–5) past
//     the return goal, or with P(alive) < 0.5 and 3+ purchases;
//   - drifting: the others past the return goal (analytics.return_every);
//   - new: one purchase, within the goal;
//   - champions: RFM scores of 4–5 in recency, frequency and monetary;
//   - loyal: frequency score 3–5;
//   - others.
//
// RFM scores are quintiles (1–5) of days since the last purchase (fewer
// is better), purchase days and total spend.
const (
	SegmentChampions  = "champions"
	SegmentLoyal      = "loyal"
	SegmentNew        = "new"
	SegmentAtRisk     = "at_risk"
	SegmentDrifting   = "drifting"
	SegmentLikelyLost = "likely_lost"
	SegmentOthers     = "others"
)

// Segments lists the segments in display order.
var Segments = []string{SegmentChampions, SegmentLoyal, SegmentNew, SegmentAtRisk, SegmentDrifting, SegmentLikelyLost, SegmentOthers}

// WinBackSegments are the segments whose new members the playbook's
// win_back rule writes to.
var WinBackSegments = []string{SegmentAtRisk, SegmentDrifting, SegmentLikelyLost}

// segment scores RFM and puts each customer into a segment.
func (s *Service) segment(cs []Scored, predicted bool) {
	n := len(cs)
	if n == 0 {
		return
	}
	since, freq, spent := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, c := range cs {
		since[i] = -(c.T - c.Recency) // fewer days is better: negate
		freq[i] = float64(c.Purchases)
		spent[i] = float64(c.SpentMinor)
	}
	r, f, m := quintiles(since), quintiles(freq), quintiles(spent)
	goal := time.Duration(s.settings.Analytics.ReturnEvery).Hours() / 24
	active := time.Duration(s.settings.Analytics.ActiveWithin).Hours() / 24
	for i := range cs {
		c := &cs[i]
		c.RFM = fmt.Sprintf("%d%d%d", r[i], f[i], m[i])
		days := -since[i] * c.unit
		switch {
		case predicted && c.PAlive < 0.3, !predicted && days > active:
			c.Segment = SegmentLikelyLost
		case days > goal && (f[i] >= 4 || m[i] >= 4), predicted && c.PAlive < 0.5 && c.Purchases >= 3:
			c.Segment = SegmentAtRisk
		case days > goal:
			c.Segment = SegmentDrifting
		case c.Purchases == 1:
			c.Segment = SegmentNew
		case r[i] >= 4 && f[i] >= 4 && m[i] >= 4:
			c.Segment = SegmentChampions
		case f[i] >= 3:
			c.Segment = SegmentLoyal
		default:
			c.Segment = SegmentOthers
		}
	}
}

// quintiles scores each value 1–5 by the share of values below it.
func quintiles(v []float64) []int {
	sorted := slices.Clone(v)
	slices.Sort(sorted)
	out := make([]int, len(v))
	for i, x := range v {
		below, _ := slices.BinarySearch(sorted, x)
		out[i] = 1 + below*5/len(v)
	}
	return out
}

// Score fits the models as of yesterday and saves every customer's
// predictions and segment. A customer entering a win-back segment gets a
// customer.segment_entered event, for the playbook.
func (s *Service) Score(ctx context.Context) (*CLVReport, error) {
	rep, scored, err := s.CLV(ctx, CLVOptions{})
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	for start := 0; start < len(scored); start += 5000 {
		chunk := scored[start:min(start+5000, len(scored))]
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			ids := make([]int64, len(chunk))
			for i, c := range chunk {
				ids[i] = c.ID
			}
			before := map[int64]string{}
			err := store.QueryIn(ctx, tx, `SELECT customer_id, segment FROM customer_scores WHERE customer_id IN (IN_LIST)`, nil, ids,
				func(r store.Rows) error {
					var id int64
					var seg string
					if err := r.Scan(&id, &seg); err != nil {
						return err
					}
					before[id] = seg
					return nil
				})
			if err != nil {
				return err
			}
			rows := make([][]any, len(chunk))
			var events []journal.Event
			for i, c := range chunk {
				rows[i] = []any{c.ID, c.Frequency, c.Recency, c.T, c.MonetaryMinor, c.Expected30, c.Expected90, c.Expected365,
					c.PAlive, c.CLVMinor, c.RFM, c.Segment, now, now}
				if was, ok := before[c.ID]; ok && was != c.Segment && slices.Contains(WinBackSegments, c.Segment) {
					events = append(events, journal.Event{Kind: journal.CustomerSegmentEntered, CustomerID: c.ID, OccurredAt: now,
						Payload: journal.MustPayload(SegmentEnteredPayload{Segment: c.Segment, From: was, PAlive: round2(c.PAlive)})})
				}
			}
			err = store.InsertMany(ctx, tx, "customer_scores", []string{"customer_id", "frequency", "recency", "age", "monetary_minor",
				"expected_30", "expected_90", "expected_365", "p_alive", "clv_minor", "rfm", "segment", "segment_since", "scored_at"}, rows,
				`ON CONFLICT (customer_id) DO UPDATE SET frequency = excluded.frequency, recency = excluded.recency, age = excluded.age,
					monetary_minor = excluded.monetary_minor, expected_30 = excluded.expected_30, expected_90 = excluded.expected_90,
					expected_365 = excluded.expected_365, p_alive = excluded.p_alive, clv_minor = excluded.clv_minor, rfm = excluded.rfm,
					segment_since = CASE WHEN customer_scores.segment = excluded.segment THEN customer_scores.segment_since ELSE excluded.segment_since END,
					segment = excluded.segment, scored_at = excluded.scored_at`, nil)
			if err != nil {
				return err
			}
			if len(events) == 0 {
				return nil
			}
			return s.journal.Append(ctx, tx, events...)
		})
		if err != nil {
			return nil, fmt.Errorf("save customer scores: %w", err)
		}
	}
	s.Forget()
	return rep, nil
}

// SegmentEnteredPayload is the payload of a customer.segment_entered event.
type SegmentEnteredPayload struct {
	Segment string  `json:"segment"`
	From    string  `json:"from"`
	PAlive  float64 `json:"p_alive"`
}

// ScoreSummary is the last scoring at a glance.
type ScoreSummary struct {
	ScoredAt  time.Time `json:"scored_at"`
	Customers int64     `json:"customers"`
	// Fitted is false when the model could not be fitted and the segments
	// come from RFM alone.
	Fitted    bool           `json:"fitted"`
	Note      string         `json:"note"`
	Segments  []SegmentCount `json:"segments"`
	Histogram []Bucket       `json:"histogram"`
}

// SegmentCount is a segment's size and predicted value.
type SegmentCount struct {
	Segment   string      `json:"segment"`
	Customers int64       `json:"customers"`
	Value     json.Number `json:"value"`
}

// Bucket is one bar of the CLV distribution, in major units.
type Bucket struct {
	From      float64 `json:"from"`
	To        float64 `json:"to"`
	Customers int64   `json:"customers"`
}

// histogramBars is how many bars the CLV distribution has.
const histogramBars = 20

// ScoreSummary reads the segments and the CLV distribution; nil before the
// first scoring.
func (s *Service) ScoreSummary(ctx context.Context) (*ScoreSummary, error) {
	q := s.db.Read()
	sum := &ScoreSummary{Segments: []SegmentCount{}, Histogram: []Bucket{}}
	var maxCLV, predicted *int64
	err := q.QueryRow(ctx, `SELECT COUNT(*), MAX(clv_minor), COUNT(CASE WHEN p_alive > 0 THEN 1 END) FROM customer_scores`).
		Scan(&sum.Customers, &maxCLV, &predicted)
	if err != nil {
		return nil, fmt.Errorf("read scores: %w", err)
	}
	if sum.Customers == 0 {
		return nil, nil
	}
	// The column itself, not MAX() of it: SQLite gives an aggregate of a
	// DATETIME back as text.
	var scored time.Time
	if err := q.QueryRow(ctx, `SELECT scored_at FROM customer_scores ORDER BY scored_at DESC LIMIT 1`).Scan(&scored); err != nil {
		return nil, fmt.Errorf("read scores: %w", err)
	}
	sum.ScoredAt = scored
	sum.Fitted = predicted != nil && *predicted > 0
	if !sum.Fitted {
		sum.Note = "no_model"
	}
	counts := map[string]SegmentCount{}
	err = store.Each(ctx, q, `SELECT segment, COUNT(*), CAST(SUM(clv_minor) AS BIGINT) FROM customer_scores GROUP BY segment`, nil,
		func(r store.Rows) error {
			var c SegmentCount
			var value int64
			if err := r.Scan(&c.Segment, &c.Customers, &value); err != nil {
				return err
			}
			c.Value = s.amount(value)
			counts[c.Segment] = c
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("count segments: %w", err)
	}
	for _, seg := range Segments {
		c, ok := counts[seg]
		if !ok {
			c = SegmentCount{Segment: seg, Value: s.amount(0)}
		}
		sum.Segments = append(sum.Segments, c)
	}
	if maxCLV == nil || *maxCLV <= 0 {
		return sum, nil
	}
	// Bars up to the 99th percentile, the rest in the last one, so a few
	// whales do not squash the chart.
	var top int64
	err = q.QueryRow(ctx, `SELECT clv_minor FROM customer_scores ORDER BY clv_minor DESC LIMIT 1 OFFSET $1`, sum.Customers/100).Scan(&top)
	if err != nil {
		return nil, fmt.Errorf("read the CLV percentile: %w", err)
	}
	width := max(int64(math.Ceil(float64(top+1)/histogramBars)), 1)
	scale := math.Pow10(s.scale())
	for i := range histogramBars {
		sum.Histogram = append(sum.Histogram, Bucket{From: float64(int64(i)*width) / scale, To: float64(int64(i+1)*width) / scale})
	}
	err = store.Each(ctx, q, `SELECT CAST(clv_minor / $1 AS BIGINT), COUNT(*) FROM customer_scores GROUP BY 1`, []any{width},
		func(r store.Rows) error {
			var bar, n int64
			if err := r.Scan(&bar, &n); err != nil {
				return err
			}
			sum.Histogram[min(max(bar, 0), histogramBars-1)].Customers += n
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read the CLV distribution: %w", err)
	}
	return sum, nil
}

// Member is a customer in a segment.
type Member struct {
	ID          int64       `json:"id"`
	Name        string      `json:"name"`
	Email       string      `json:"email"`
	Orders      int64       `json:"orders"`
	LastOrderAt time.Time   `json:"last_order_at"`
	Spent       json.Number `json:"spent"`
	PAlive      float64     `json:"p_alive"`
	Expected90  float64     `json:"expected_90"`
	CLV         json.Number `json:"clv"`
	Segment     string      `json:"segment"`
}

func checkSegment(segment string) error {
	if !slices.Contains(Segments, segment) {
		return invalid.Field("segment", "invalid", "%q is not a segment (%v)", segment, Segments)
	}
	return nil
}

// SegmentMembers lists a segment's customers, the most valuable first,
// and how many it has.
func (s *Service) SegmentMembers(ctx context.Context, segment string, limit, offset int) ([]Member, int64, error) {
	if err := checkSegment(segment); err != nil {
		return nil, 0, err
	}
	q := s.db.Read()
	var total int64
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM customer_scores WHERE segment = $1`, segment).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count segment %s: %w", segment, err)
	}
	var out []Member
	err := s.members(ctx, segment, limit, offset, func(m Member) error {
		out = append(out, m)
		return nil
	})
	return out, total, err
}

// memberChunk is how many of a segment's customers members looks up at
// once.
const memberChunk = 5000

// members reads the segment's page of scores, then the customers' cards a
// chunk at a time (the customers are the customer package's), and calls
// each in the scores' order.
func (s *Service) members(ctx context.Context, segment string, limit, offset int, each func(Member) error) error {
	type score struct {
		id                 int64
		pAlive, expected90 float64
		value              int64
		segment            string
	}
	var scores []score
	err := store.Each(ctx, s.db.Read(), `SELECT customer_id, p_alive, expected_90, clv_minor, segment FROM customer_scores
		WHERE segment = $1 ORDER BY clv_minor DESC, customer_id LIMIT $2 OFFSET $3`, []any{segment, limit, offset}, func(r store.Rows) error {
		var sc score
		if err := r.Scan(&sc.id, &sc.pAlive, &sc.expected90, &sc.value, &sc.segment); err != nil {
			return err
		}
		scores = append(scores, sc)
		return nil
	})
	if err != nil {
		return fmt.Errorf("list segment %s: %w", segment, err)
	}
	for start := 0; start < len(scores); start += memberChunk {
		chunk := scores[start:min(start+memberChunk, len(scores))]
		ids := make([]int64, len(chunk))
		for i, sc := range chunk {
			ids[i] = sc.id
		}
		cards := make(map[int64]customer.Card, len(chunk))
		err := customer.FactsCardsEach(ctx, s.db.Read(), ids, func(c customer.Card) error {
			cards[c.ID] = c
			return nil
		})
		if err != nil {
			return fmt.Errorf("list segment %s: %w", segment, err)
		}
		for _, sc := range chunk {
			c, ok := cards[sc.id]
			if !ok {
				continue // a score of a customer no longer there
			}
			m := Member{ID: c.ID, Name: c.Name, Email: c.Email, Orders: c.Orders, PAlive: round2(sc.pAlive), Expected90: round2(sc.expected90),
				Segment: sc.segment}
			if c.LastOrderAt != nil {
				m.LastOrderAt = *c.LastOrderAt
			}
			m.Spent, m.CLV = s.amount(c.SpentMinor), s.amount(sc.value)
			if err := each(m); err != nil {
				return fmt.Errorf("list segment %s: %w", segment, err)
			}
		}
	}
	return nil
}

// WriteSegmentCSV writes a segment's customers as CSV, for direct mail.
func (s *Service) WriteSegmentCSV(ctx context.Context, segment string, w io.Writer) error {
	if err := checkSegment(segment); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"customer_id", "name", "email", "orders", "last_order_at", "spent", "p_alive", "expected_90_days", "clv", "segment"}); err != nil {
		return err
	}
	err := s.members(ctx, segment, math.MaxInt32, 0, func(m Member) error {
		last := ""
		if !m.LastOrderAt.IsZero() {
			last = m.LastOrderAt.In(s.settings.Shop.Location()).Format(time.DateOnly)
		}
		return cw.Write([]string{strconv.FormatInt(m.ID, 10), m.Name, m.Email, strconv.FormatInt(m.Orders, 10), last, string(m.Spent),
			strconv.FormatFloat(m.PAlive, 'f', 2, 64), strconv.FormatFloat(m.Expected90, 'f', 2, 64), string(m.CLV), m.Segment})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// ScoreArgs is the periodic job of the CLV scoring.
type ScoreArgs struct{}

// Kind names the job.
func (ScoreArgs) Kind() string { return "analytics_score" }

// ScoreInterval is how often the customers are scored: daily, as the
// models count in days.
const ScoreInterval = 24 * time.Hour
