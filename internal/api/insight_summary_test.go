package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/survey"
)

// insightSeedSummary gives order 1001 of customer c-7 a confirmed NPS answer
// with a comment, yesterday.
func insightSeedSummary(t testing.TB, e *env) {
	t.Helper()
	ctx := context.Background()
	orders, _, err := e.app.Orders.List(ctx, order.ListFilter{Limit: 10})
	if err != nil || len(orders) == 0 {
		t.Fatalf("orders: %v %v", orders, err)
	}
	o := orders[0]
	err = e.app.Surveys.SeedSummaryAnswers(ctx, []survey.SummarySeed{{Kind: "nps", OrderID: o.ID, CustomerID: o.CustomerID,
		Language: "ru", Channel: "email", Score: 4, Comment: "Курьер опоздал", At: apptest.Start.AddDate(0, 0, -1)}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSurveySummaryAPI: the summary of the last 90 days counts the
// answer, with its order and customer; a bad day is a 422 naming it.
func TestSurveySummaryAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			if status, body, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token); status != http.StatusCreated {
				t.Fatalf("create: %d %v", status, body)
			}
			insightSeedSummary(t, e)
			status, body, _ := e.call(t, "GET", "/api/v1/surveys/summary", "", e.token)
			nps, _ := body["nps"].(map[string]any)
			answers, _ := body["answers"].(map[string]any)
			items, _ := answers["items"].([]any)
			if status != 200 || body["responses"] != 1.0 || nps == nil || nps["score"] != -100.0 || nps["detractors"] != 1.0 ||
				len(items) != 1 || body["period"] != "week" {
				t.Fatalf("summary: %d %v", status, body)
			}
			if a := items[0].(map[string]any); a["order_number"] != "1001" || a["comment"] != "Курьер опоздал" || a["customer_id"] == nil {
				t.Errorf("answer %v", a)
			}
			for _, c := range []struct{ query, field string }{
				{"from=2026-02-30", "from"}, {"to=soon", "to"}, {"from=2026-11-02&to=2026-11-01", "to"},
				{"limit=0", "limit"}, {"limit=many", "limit"}, {"cursor=x", "cursor"}, {"kind=ces", "kind"},
			} {
				status, body, _ := e.call(t, "GET", "/api/v1/surveys/summary?"+c.query, "", e.token)
				if errBody, _ := body["error"].(map[string]any); status != 422 || errBody == nil || errBody["field"] != c.field {
					t.Errorf("%s: %d %v, want 422 naming %s", c.query, status, body, c.field)
				}
			}
			if status, _, _ := e.call(t, "GET", "/api/v1/surveys/summary", "", ""); status != 401 {
				t.Errorf("without a token: %d", status)
			}
		})
	}
}

// FuzzSurveySummaryQuery sends arbitrary query parameters to the
// summary: it answers 200 or a 422 naming a field, never anything else.
func FuzzSurveySummaryQuery(f *testing.F) {
	e := fuzzEnv(f)
	insightSeedSummary(f, e)
	f.Add("2026-09-01", "2026-11-30", "10", "", "курьер", "ru")
	f.Add("", "", "", "m5x1k2q0.9ix", "", "")
	f.Add("0001-01-01", "9999-12-31", "-1", ".", "\x00", "xx")
	f.Add("2026-11-23", "2026-11-23", "200", "zz.zz", "", "lv")
	f.Fuzz(func(t *testing.T, from, to, limit, cursor, theme, lang string) {
		q := url.Values{"from": {from}, "to": {to}, "limit": {limit}, "cursor": {cursor}, "theme": {theme}, "theme_lang": {lang}}
		status, answer := e.serve("GET", "/api/v1/surveys/summary?"+q.Encode(), "")
		var out struct {
			Error *struct{ Code, Field string } `json:"error"`
		}
		if err := json.Unmarshal(answer, &out); err != nil {
			t.Fatalf("%s: not JSON: %s", q.Encode(), answer)
		}
		switch {
		case status == http.StatusOK:
		case status == http.StatusUnprocessableEntity && out.Error != nil && out.Error.Field != "":
		default:
			t.Fatalf("%s: %d %s", q.Encode(), status, answer)
		}
	})
}
