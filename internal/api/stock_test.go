package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// TestStockAPI walks PUT and GET /stock through the real router: counts,
// the bare array, errors naming the field with nothing written, the
// paged list with its filter and one SKU's level.
func TestStockAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			steps := []struct {
				method, path, body string
				status             int
				want               []string // in the answer's text
			}{
				{"PUT", "/api/v1/stock", `{"items":[{"sku":"POT-1","name":"Pot","on_hand":5,"incoming":[{"qty":10,"date":"2026-12-15"}]},{"sku":"LID","on_hand":0}]}`,
					200, []string{`"created":2`}},
				{"PUT", "/api/v1/stock", `[{"sku":"POT-1","on_hand":5,"incoming":[{"qty":10,"date":"2026-12-15"}]},{"sku":"LID","on_hand":2}]`,
					200, []string{`"updated":1`, `"unchanged":1`}},
				{"PUT", "/api/v1/stock", `{"items":[{"sku":"NEW","on_hand":1},{"sku":"X","on_hand":1,"incoming":[{"qty":1,"date":"15.12.2026"}]}]}`,
					422, []string{`"field":"items[1].incoming[0].date"`}},
				{"PUT", "/api/v1/stock", `[{"sku":"NEW","on_hand":1.5}]`, 422, []string{`"field":"items[0].on_hand"`}},
				{"PUT", "/api/v1/stock", `[{"sku":"NEW","on_hand":-1}]`, 422, []string{`"field":"items[0].on_hand"`}},
				{"PUT", "/api/v1/stock", `[{"sku":"","on_hand":1}]`, 422, []string{`"field":"items[0].sku"`}},
				{"PUT", "/api/v1/stock", `{"levels":[]}`, 422, []string{`"field":"items"`}},
				{"GET", "/api/v1/stock/NEW", "", 404, nil},
				{"GET", "/api/v1/stock/POT-1", "", 200, []string{`"on_hand":5`, `"available":5`, `"incoming":[{"date":"2026-12-15","qty":10}]`, `"name":"Pot"`}},
				{"GET", "/api/v1/stock?limit=1", "", 200, []string{`"sku":"LID"`, `"next_cursor":"LID"`}},
				{"GET", "/api/v1/stock?cursor=LID", "", 200, []string{`"sku":"POT-1"`, `"next_cursor":null`}},
				{"GET", "/api/v1/stock?short=true", "", 200, []string{`"items":[]`}},
				{"GET", "/api/v1/stock?short=maybe", "", 422, []string{`"field":"short"`}},
			}
			for _, s := range steps {
				status, out, _ := e.call(t, s.method, s.path, s.body, e.token)
				raw, _ := json.Marshal(out)
				text := string(raw)
				if status != s.status {
					t.Errorf("%s %s %s: %d %v, want %d", s.method, s.path, s.body, status, out, s.status)
					continue
				}
				for _, w := range s.want {
					if !strings.Contains(text, w) {
						t.Errorf("%s %s %s: %s lacks %s", s.method, s.path, s.body, text, w)
					}
				}
			}
			if status, _, _ := e.call(t, "GET", "/api/v1/stock/X", "", e.token); status != http.StatusNotFound {
				t.Errorf("a refused batch wrote X: %d", status)
			}
		})
	}
}
