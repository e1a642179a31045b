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
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
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
