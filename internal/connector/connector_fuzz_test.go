package connector_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/store"
)

// FuzzHookIntake posts arbitrary bodies, paths and headers, signed or
// not, through the intake handler: it must answer one of its statuses,
// never panic, and store only what it answered 200 to.
func FuzzHookIntake(f *testing.F) {
	good, _ := json.Marshal(connector.Delivery{ID: "d1", Event: connector.OrderCreated, OrderID: "1001", Order: placed()})
	for _, seed := range []struct {
		path, header string
		body         []byte
		signed       bool
	}{
		{"shop", "", good, true},
		{"shop", "", good, false},
		{"shop", "x", []byte(`{"Event":"ping"}`), true},
		{"form/" + pathSecret, "", []byte(`{"Event":"order_created","OrderID":"\u0000"}`), false},
		{"form", "", []byte("tranid=1&test=test"), false},
		{"shop", "a\x00b", []byte(`{"Event":"order_updated","Order":{"ID":"\xff"}}`), true},
		{"nobody", "", nil, false},
	} {
		f.Add(seed.path, seed.header, seed.body, seed.signed)
	}
	hs := newHarness(f, store.SQLite)
	f.Fuzz(func(t *testing.T, path, header string, body []byte, signed bool) {
		if strings.ContainsAny(path, "?#% \t\r\n") || !strings.HasPrefix("/hooks/"+path, "/hooks/") {
			return // not a request line httptest can build
		}
		before := len(hs.deliveries(t, "shop")) + len(hs.deliveries(t, "form"))
		r, err := http.NewRequest(http.MethodPost, "/hooks/"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		r.Header.Set("X-Anything", header)
		if signed {
			r.Header.Set(signHeader, b64(sign(signKey, body)))
		}
		w := httptest.NewRecorder()
		hs.h.ServeHTTP(w, r)
		after := len(hs.deliveries(t, "shop")) + len(hs.deliveries(t, "form"))
		switch w.Code {
		case 200:
		case 301, 307, 308, 401, 404, 405, 413, 422: // 3xx: the mux cleans a path such as /hooks/.
			if after != before {
				t.Fatalf("%d stored a delivery", w.Code)
			}
		default:
			t.Fatalf("POST /hooks/%s: %d %q", path, w.Code, w.Body.String())
		}
		if _, err := hs.svc.Drain(ctx); err != nil {
			t.Fatalf("drain after %q: %v", body, err)
		}
	})
}
