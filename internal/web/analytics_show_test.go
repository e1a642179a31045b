package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// historyChannels are the acquisition channels of seedHistory's orders.
var historyChannels = []string{"ads", "seo", "newsletter"}

// seedHistory imports days of past orders before the fake clock's now,
// the way the CSV import does: 15 customers buying on a rhythm through
// three channels, each order delivered two days after it was placed, a
// day after its promise for every fifth. The journal's handlers (the
// analytics roll-ups among them) have run when it returns. A history of
// 60 days or more gives the daily chart its expected band.
func seedHistory(t *testing.T, e *env, days int) {
	t.Helper()
	ctx := context.Background()
	now := e.clock.Now()
	var batch []order.NewOrder
	n := 0
	for d := days; d >= 3; d-- {
		day := now.AddDate(0, 0, -d)
		for k := range 2 + d%3 {
			n++
			c := (d*7 + k*3) % 15
			placed := day.Add(time.Duration(k) * time.Hour)
			delivered := placed.Add(48 * time.Hour)
			promised := delivered
			if n%5 == 0 {
				promised = delivered.AddDate(0, 0, -1)
			}
			o := order.NewOrder{ExternalID: fmt.Sprintf("H-%d", n), PlacedAt: placed, History: true,
				Channel: historyChannels[c%len(historyChannels)],
				Customer: customer.Input{ExternalID: fmt.Sprintf("hc-%d", c), Name: fmt.Sprintf("Клиент %d", c),
					Email: fmt.Sprintf("h%d@example.com", c), Language: "ru"},
				Items:  []order.Item{{SKU: "PAN", Name: "Сковородка", Qty: 1, PriceMinor: int64(100000 + 1000*c)}},
				Status: order.Delivered, DeliveredAt: &delivered,
				PromisedTo: promised.In(e.app.Settings.Shop.Location()).Format(time.DateOnly)}
			if err := order.Normalize(&o, e.app.Settings, order.APIFields); err != nil {
				t.Fatalf("normalize %s: %v", o.ExternalID, err)
			}
			batch = append(batch, o)
		}
	}
	err := e.app.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := e.app.Orders.CreateBatch(ctx, tx, batch, order.SourceImport)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	drainJournal(t, e)
	e.app.Analytics.Forget()
}

// seedScores writes a CLV scoring as the nightly job leaves it: every
// customer in a segment, by turns, with a predicted value; fitted tells
// whether the model's P(alive) is there. It returns the customers of
// each segment.
func seedScores(t *testing.T, e *env, fitted bool, segmentOf func(i int) string) map[string][]int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	err := store.Each(ctx, e.app.DB.Read(), `SELECT id FROM customers ORDER BY id`, nil, func(r store.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]int64{}
	now := e.clock.Now()
	err = e.app.DB.InTx(ctx, func(tx *store.Tx) error {
		for i, id := range ids {
			seg := segmentOf(i)
			pAlive := 0.0
			if fitted {
				pAlive = 0.9 - float64(i%9)/10
			}
			_, err := tx.Exec(ctx, `INSERT INTO customer_scores (customer_id, frequency, recency, age, monetary_minor,
				expected_30, expected_90, expected_365, p_alive, clv_minor, rfm, segment, segment_since, scored_at)
				VALUES ($1, $2, 30, 90, 150000, 0.4, 1.25, 4.5, $3, $4, '345', $5, $6, $6)`,
				id, float64(i%4), pAlive, int64(100000+i*25000), seg, now)
			if err != nil {
				return err
			}
			out[seg] = append(out[seg], id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.app.Analytics.Forget()
	return out
}

// analyticsData is the page's chart data element.
var analyticsData = regexp.MustCompile(`(?s)<script type="application/json" id="analytics-data">(.*?)</script>`)

// TestAnalyticsPage shows the owner the figures, the cohorts, the
// channels, the charts' data and, once the customers are scored, the
// segments; in Russian with Russian numbers, and in English.
func TestAnalyticsPage(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			seedHistory(t, e, 70)
			addPeople(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])

			status, _, body := b.do("GET", "/analytics", nil)
			if status != http.StatusOK {
				t.Fatalf("/analytics: %d\n%.600s", status, body)
			}
			wantAll(t, "the analytics page", body,
				`<a href="/analytics" aria-current="page">Аналитика</a>`,
				`id="fig-orders">`, `id="fig-revenue"><strong>`, "\u00a0₽", `id="fig-on-time">80`,
				`id="cohort-table"`, `class="num heat heat-10"`, `<td>реклама</td>`, `<td>SEO</td>`, `<td>рассылка</td>`,
				`id="chart-daily" data-chart="daily"`, `id="chart-repeat"`, `id="chart-on-time"`,
				`"role":"expected"`, `"role":"lower"`, `"role":"upper"`, `"name":"Ожидалось"`, `"y2":"Выручка, RUB"`,
				"Оценки ещё не было", `id="spend"`, `name="csrf"`)
			wantNone(t, "the analytics page", body, "[analytics.", "<no value>", "NaN", "Inf", `id="chart-clv"`, `style="`)
			if m := analyticsData.FindStringSubmatch(body); m == nil || strings.Contains(m[1], "<") {
				t.Errorf("the chart data element is missing or carries markup: %v", m)
			}
			// 1 234,50 ₽: thousands apart by a no-break space, a decimal comma.
			if !regexp.MustCompile(`id="fig-revenue"><strong>\d{1,3}(\x{00a0}\d{3})+,\d\d\x{00a0}₽`).MatchString(body) {
				t.Errorf("the revenue is not written the Russian way:\n%s", between(body, `id="fig-revenue"`, "</dd>"))
			}

			seedScores(t, e, true, func(i int) string { return []string{"champions", "loyal", "at_risk"}[i%3] })
			_, _, body = b.do("GET", "/analytics", nil)
			wantAll(t, "the analytics page after the scoring", body, `id="segment-table"`,
				`<a href="/analytics/segments/champions">Чемпионы</a>`, `<a href="/analytics/segments/at_risk">Под угрозой</a>`,
				`<a href="/analytics/segments/likely_lost">Скорее всего ушли</a>`, `id="chart-clv" data-chart="clv"`, `"clv":{"x":[0,`)
			wantNone(t, "the analytics page after the scoring", body, "Оценки ещё не было", `id="no-model"`)

			speakEnglish(t, e, auth.Owner)
			_, _, body = b.do("GET", "/analytics", nil)
			wantAll(t, "the analytics page in English", body, "Repeat customers", "Champions", `"name":"Expected"`,
				`"lang":"en"`)
			if !regexp.MustCompile(`id="fig-revenue"><strong>RUB\x{00a0}\d{1,3}(,\d{3})+\.\d\d`).MatchString(body) {
				t.Errorf("the revenue is not written the English way:\n%s", between(body, `id="fig-revenue"`, "</dd>"))
			}
		})
	}
}

// TestAnalyticsEmptyShop: a shop without orders gets the page, with
// dashes and words instead of figures and charts.
func TestAnalyticsEmptyShop(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			status, _, body := b.do("GET", "/analytics", nil)
			if status != http.StatusOK {
				t.Fatalf("/analytics of an empty shop: %d\n%.600s", status, body)
			}
			wantAll(t, "the empty analytics page", body, `id="no-data"`, "Заказов пока нет",
				`id="fig-orders">0</dd>`, `id="fig-repeat">—</dd>`, `id="fig-on-time">—</dd>`, `id="fig-messages">—</dd>`,
				"За эти дни заказов ещё не было.", "В эти месяцы покупателей ещё не было.", "Доставок с обещанной датой ещё не было.",
				"Когорт пока нет", "Оценки ещё не было", `"daily":null`, `"clv":null`)
			wantNone(t, "the empty analytics page", body, "[analytics.", "<no value>", "NaN", `data-chart=`)
			// A scoring the model could not fit still lists the segments.
			seedScores(t, e, false, func(int) string { return "new" })
			_, _, body = b.do("GET", "/analytics", nil)
			wantNone(t, "the empty analytics page with its scoring", body, "[analytics.", "<no value>", "NaN")
		})
	}
}

// TestAnalyticsWindow: the window's days are read as typed; a day that
// is no day, or an end before the start, is a 400 with the error on its
// field and the whole history shown.
func TestAnalyticsWindow(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			seedHistory(t, e, 20)
			addPeople(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			for _, tc := range []struct {
				name, query string
				status      int
				field, text string
			}{
				{"the whole history", "", http.StatusOK, "", ""},
				{"a window", "?from=2026-11-01&to=2026-11-15", http.StatusOK, "", ""},
				{"an open end", "?from=2026-11-10", http.StatusOK, "", ""},
				{"no such day", "?from=2026-13-01", http.StatusBadRequest, "from", "Укажите день в виде ГГГГ-ММ-ДД."},
				{"not a day", "?to=yesterday", http.StatusBadRequest, "to", "Укажите день в виде ГГГГ-ММ-ДД."},
				{"the end first", "?from=2026-11-15&to=2026-11-01", http.StatusBadRequest, "to", "Конец периода не может быть раньше начала."},
			} {
				status, _, body := b.do("GET", "/analytics"+tc.query, nil)
				if status != tc.status {
					t.Errorf("%s: status %d, want %d\n%.400s", tc.name, status, tc.status, body)
					continue
				}
				if tc.field == "" {
					wantNone(t, tc.name, body, "field-error", "[analytics.")
					continue
				}
				wantAll(t, tc.name, body, `data-field="`+tc.field+`">`+tc.text, "Ниже — цифры за всю историю.", `id="figures"`)
			}
			_, _, body := b.do("GET", "/analytics?from=2026-11-01&to=2026-11-15", nil)
			wantAll(t, "a window", body, `name="from" value="2026-11-01"`, `name="to" value="2026-11-15"`,
				`<input type="hidden" name="from" value="2026-11-01">`)
		})
	}
}

// between is the part of s from the first from to the next to.
func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	part, _, _ := strings.Cut(rest, to)
	return part
}

// formOf is a form's fields with the browser's CSRF token.
func formOf(b *browser, pairs ...string) url.Values {
	f := url.Values{"csrf": {b.csrf}}
	for i := 0; i+1 < len(pairs); i += 2 {
		f.Set(pairs[i], pairs[i+1])
	}
	return f
}
