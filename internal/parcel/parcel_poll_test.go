package parcel_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// russianPost answers getOperationHistory as the service does, with the
// russianpost adapter's recorded answers: a barcode's answer file, and
// which file to answer for it next.
type russianPost struct {
	mu      sync.Mutex
	answers map[string]string // barcode → testdata file
	asked   []string
}

var barcodeRE = regexp.MustCompile(`<(?:\w+:)?Barcode>([^<]+)<`)

func (rp *russianPost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m := barcodeRE.FindSubmatch(body)
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if m == nil {
		http.Error(w, "no barcode", http.StatusBadRequest)
		return
	}
	rp.asked = append(rp.asked, string(m[1]))
	file := rp.answers[string(m[1])]
	if file == "" {
		file = "unknown.xml"
	}
	b, err := os.ReadFile("../carrier/russianpost/testdata/" + file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	// The recorded journey is of March 2024; the test's is of November 2026.
	b = []byte(strings.ReplaceAll(string(b), "2024-03-0", "2026-11-2"))
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	if strings.HasPrefix(file, "fault") {
		w.WriteHeader(http.StatusInternalServerError)
	}
	_, _ = w.Write(b)
}

func TestPollAsksTheCarriersAPI(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			rp := &russianPost{answers: map[string]string{"80097163905992": "journey.xml", "80097163905993": "fault_quota.xml"}}
			srv := httptest.NewServer(rp)
			defer srv.Close()
			a, clk := apptest.New(t, engine, false, `
carriers:
  - code: post
    transit_days: [5, 7]
    pickup_hold_days: 30
    pickup_reminders: [3, 7, 25]
    tracking:
      api: russianpost
      url: `+srv.URL+`
      login: shop
      password: secret
`)
			o := shipped(t, a, "6001", "post", "80097163905992")
			limited := shipped(t, a, "6002", "post", "80097163905993")
			if res, err := a.Parcels.Poll(ctx); err != nil || res.Asked != 0 {
				t.Fatalf("a poll right after shipping asked %d (%v); the first is due later", res.Asked, err)
			}
			clk.Set(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
			res, err := a.Parcels.Poll(ctx)
			if err != nil {
				t.Fatal(err)
			}
			drain(t, a)
			if res.Asked != 2 || res.Events == 0 || res.Limited != 1 {
				t.Fatalf("poll = %+v, want both asked, events stored, one rate-limited", res)
			}
			p := parcels(t, a, o.ID)[0]
			t.Logf("after the poll the parcel is %s", p.Status)
			if p.Status == "" || p.LastEventAt == nil {
				t.Fatalf("parcel after the poll = %+v, want the carrier's status", p)
			}
			if p.Status == carrier.Delivered {
				if got := get(t, a, o.ID).Status; got != order.Delivered {
					t.Fatalf("the carrier delivered the parcel; the order is %s", got)
				}
				if p.NextPollAt != nil {
					t.Fatalf("a delivered parcel is polled again at %v", p.NextPollAt)
				}
			} else if p.NextPollAt == nil || !p.NextPollAt.After(clk.Now()) {
				t.Fatalf("next poll %v, want later than now", p.NextPollAt)
			}
			q := parcels(t, a, limited.ID)[0]
			if q.NextPollAt == nil || q.NextPollAt.Sub(clk.Now()) < 15*time.Minute || !strings.Contains(q.PollError, "rate limited") {
				t.Fatalf("rate-limited parcel: next poll %v, error %q; want it put off and the error kept", q.NextPollAt, q.PollError)
			}
			// Polled again at once, nothing is due: the limit is respected.
			before := len(rp.asked)
			if res, err := a.Parcels.Poll(ctx); err != nil || res.Asked != 0 || len(rp.asked) != before {
				t.Fatalf("second poll %+v (%v), asked the carrier %d more times; want none", res, err, len(rp.asked)-before)
			}
			// A refused login is an error for the parcel, retried later.
			rp.mu.Lock()
			rp.answers["80097163905993"] = "fault_authorization.xml"
			rp.mu.Unlock()
			clk.Set(clk.Now().Add(time.Hour))
			res, err = a.Parcels.Poll(ctx)
			if err != nil || res.Failed != 1 {
				t.Fatalf("poll with a refused login = %+v (%v), want one failed", res, err)
			}
			q = parcels(t, a, limited.ID)[0]
			if q.NextPollAt == nil || !q.NextPollAt.After(clk.Now()) || q.PollError == "" {
				t.Fatalf("failed parcel: next poll %v, error %q", q.NextPollAt, q.PollError)
			}
		})
	}
}

func TestSubscribeRegistersThePushAddress(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var subscribed string
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.Form.Get("client_id") != "account" || r.Form.Get("client_secret") != "secure" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"invalid_client","error_description":"bad credentials"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"tok","token_type":"bearer","expires_in":3599,"scope":"order:all","jti":"x"}`)
	})
	mux.HandleFunc("POST /v2/webhooks", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		subscribed = string(b)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{"entity":{"uuid":"72753031-a5a5-4a3c-9b3a-0c9a1c3e5a11"},"requests":[{"request_uuid":"72753031-0000-4a3c-9b3a-0c9a1c3e5a11","type":"CREATE","state":"ACCEPTED","date_time":"2026-11-23T15:00:00+0300"}]}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	a, _ := apptest.New(t, storetest.Engines(t)[0], false, `
shop:
  public_url: https://care.example.com
carriers:
  - code: cdek
    transit_days: [2, 4]
    tracking:
      api: cdek
      url: `+srv.URL+`/v2
      key: account
      secret: secure
      webhook_secret: 0123456789abcdef-push
  - code: courier
    transit_days: [1, 1]
`)
	url, err := a.Parcels.Subscribe(ctx, "cdek")
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://care.example.com/api/v1/parcels/webhooks/cdek/0123456789abcdef-push"; url != want || !strings.Contains(subscribed, want) ||
		!strings.Contains(subscribed, `"ORDER_STATUS"`) {
		t.Fatalf("subscribed %q with %s, want %s", url, subscribed, want)
	}
	if _, err := a.Parcels.Subscribe(ctx, "courier"); err == nil {
		t.Fatal("a carrier without a tracking API was subscribed")
	}
	if _, err := a.Parcels.Ask(ctx, "courier", "X"); err == nil {
		t.Fatal("asked a carrier without a tracking API")
	}
}
