package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestExperiencesAPI: GET /customers/{id} lists the customer's negative
// experiences with kind, time and order; GET /analytics/experiences
// groups the buyers and names a bad parameter's field.
func TestExperiencesAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			status, body, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token)
			if status != http.StatusCreated {
				t.Fatalf("create: %d %v", status, body)
			}
			orderID := int64(body["id"].(float64))
			customerID := int64(body["customer"].(map[string]any)["id"].(float64))
			_, err := e.app.Experiences.Record(context.Background(), experience.Entry{CustomerID: customerID, OrderID: orderID,
				Kind: experience.LateDelivery, Ref: "order:1", At: e.clock.Now(), Detail: "days_late=2"})
			if err != nil {
				t.Fatal(err)
			}
			status, body, _ = e.call(t, "GET", "/api/v1/customers/"+strconv.FormatInt(customerID, 10), "", e.token)
			list, _ := body["negative_experiences"].([]any)
			if status != 200 || len(list) != 1 {
				t.Fatalf("customer: %d %v", status, body)
			}
			row := list[0].(map[string]any)
			if row["kind"] != "late_delivery" || row["order_id"] != float64(orderID) || row["at"] == nil || row["compensation"] != float64(0) {
				t.Errorf("row %v", row)
			}
			status, body, _ = e.call(t, "GET", "/api/v1/analytics/experiences", "", e.token)
			groups, _ := body["groups"].([]any)
			if status != 200 || len(groups) != 3 || body["currency"] != "RUB" {
				t.Fatalf("worth: %d %v", status, body)
			}
			if one := groups[1].(map[string]any); one["name"] != "one" || one["customers"] != float64(1) {
				t.Errorf("group one: %v", one)
			}
			for _, bad := range []struct{ query, field string }{
				{"from=2026-02-30", "from"}, {"to=yesterday", "to"}, {"from=2026-11-02&to=2026-11-01", "to"}, {"kind=rude", "kind"},
			} {
				status, body, _ := e.call(t, "GET", "/api/v1/analytics/experiences?"+bad.query, "", e.token)
				if errBody, _ := body["error"].(map[string]any); status != 422 || errBody == nil || errBody["field"] != bad.field {
					t.Errorf("%s: %d %v, want 422 naming %s", bad.query, status, body, bad.field)
				}
			}
		})
	}
}

// FuzzExperiencesQuery sends arbitrary from, to and kind to GET
// /analytics/experiences: it answers 200 or 422 with the one error shape,
// never a 5xx.
func FuzzExperiencesQuery(f *testing.F) {
	f.Add("2026-11-01", "2026-11-30", "late_delivery")
	f.Add("", "", "")
	f.Add("2026-13-01", "x", "rude")
	f.Add("0001-01-01", "9999-12-31", "low_score")
	f.Add("2026-11-30", "2026-11-01", "\x00")
	e := fuzzEnv(f)
	f.Fuzz(func(t *testing.T, from, to, kind string) {
		q := url.Values{"from": {from}, "to": {to}, "kind": {kind}}.Encode()
		status, answer := e.serve("GET", "/api/v1/analytics/experiences?"+q, "")
		switch status {
		case http.StatusOK, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("%s: status %d: %s", q, status, answer)
		}
		var out struct {
			Error *struct{ Code, Message, Field string } `json:"error"`
		}
		if err := json.Unmarshal(answer, &out); err != nil {
			t.Fatalf("%s: not JSON: %s", q, answer)
		}
		if status != http.StatusOK && (out.Error == nil || out.Error.Field == "") {
			t.Fatalf("%s: %d without a field: %s", q, status, answer)
		}
	})
}
