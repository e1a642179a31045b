package dhl

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/clock"
)

const testKey = "demo-key"

// reply is what the fake DHL answers for one tracking number.
type reply struct {
	status int
	header map[string]string
	body   string
}

// fakeDHL answers GET /track/shipments as DHL does, after checking that the
// request is the one DHL documents; numbers it has no reply for get DHL's
// 404 problem.
type fakeDHL struct {
	t       *testing.T
	replies map[string]reply
	mu      sync.Mutex
	asked   []string
}

func (f *fakeDHL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.t.Helper()
	if r.Method != http.MethodGet || r.URL.Path != "/track/shipments" {
		f.t.Errorf("request %s %s, want GET /track/shipments", r.Method, r.URL.Path)
	}
	if got := r.Header.Get("DHL-API-Key"); got != testKey {
		f.t.Errorf("DHL-API-Key = %q, want %q", got, testKey)
	}
	if got := r.Header.Get("Accept"); got != "application/json" {
		f.t.Errorf("Accept = %q", got)
	}
	q := r.URL.Query()
	if got := q.Get("language"); got != "en" {
		f.t.Errorf("language = %q, want en", got)
	}
	if len(q["trackingNumber"]) != 1 {
		f.t.Errorf("trackingNumber = %q, want exactly one", q["trackingNumber"])
	}
	n := q.Get("trackingNumber")
	f.mu.Lock()
	f.asked = append(f.asked, n)
	f.mu.Unlock()
	rep, ok := f.replies[n]
	if !ok {
		rep = reply{status: http.StatusNotFound, body: `{"title":"No result found","status":404,` +
			`"detail":"No shipment with given tracking number found."}`}
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		if rep.status == http.StatusOK {
			w.Header().Set("Content-Type", "application/json")
		} else {
			w.Header().Set("Content-Type", "application/problem+json")
		}
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write([]byte(rep.body))
}

var testNow = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func newTestClient(t *testing.T, replies map[string]reply) (*Client, *fakeDHL) {
	t.Helper()
	f := &fakeDHL{t: t, replies: replies}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c := New(carrier.Options{URL: srv.URL + "/", Key: testKey, HTTP: srv.Client(), Clock: clock.NewFake(testNow)})
	return c, f
}

func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ok(body string) reply { return reply{status: http.StatusOK, body: body} }

// want is what a test expects of one event.
type want struct {
	status   carrier.Status
	at       string // RFC 3339
	code     string
	desc     string
	location string
}

func checkEvents(t *testing.T, got []carrier.Event, number string, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d events, want %d: %+v", len(got), len(wants), got)
	}
	for i, w := range wants {
		e := got[i]
		at, err := time.Parse(time.RFC3339, w.at)
		if err != nil {
			t.Fatal(err)
		}
		if e.TrackingNumber != number || e.Status != w.status || !e.At.Equal(at) || e.Code != w.code {
			t.Errorf("event %d = {%s %q %s %q}, want {%s %q %s %q}", i,
				e.TrackingNumber, e.Status, e.At.Format(time.RFC3339), e.Code, number, w.status, w.at, w.code)
		}
		if e.At.Format(time.RFC3339) != w.at {
			t.Errorf("event %d at %s, want %s in its zone", i, e.At.Format(time.RFC3339), w.at)
		}
		if w.desc != "" && e.Description != w.desc {
			t.Errorf("event %d description %q, want %q", i, e.Description, w.desc)
		}
		if w.location != "" && e.Location != w.location {
			t.Errorf("event %d location %q, want %q", i, e.Location, w.location)
		}
		var raw event
		if err := json.Unmarshal(e.Raw, &raw); err != nil || raw.Timestamp == "" || raw.StatusCode == "" {
			t.Errorf("event %d raw %s is not DHL's event (%v)", i, e.Raw, err)
		}
	}
}

func TestTrackParcelJourney(t *testing.T) {
	t.Parallel()
	const n = "00340434161094042557"
	c, _ := newTestClient(t, map[string]reply{n: ok(golden(t, "parcel_de_journey.json"))})
	got, err := c.Track(context.Background(), []string{n})
	if err != nil {
		t.Fatal(err)
	}
	// DHL Paket gives local German time without an offset.
	checkEvents(t, got, n, []want{
		{"", "2026-03-09T10:02:00+01:00", "PRADV_INFRC_PO", "", ""},
		{carrier.Accepted, "2026-03-10T16:14:00+01:00", "PCKDU_ROUTL_PO",
			"The shipment has been posted by the sender at the retail outlet.", "München, DE"},
		{carrier.InTransit, "2026-03-10T19:16:00+01:00", "ULFMV_ORGPC_PO", "", "Aschheim, DE"},
		{carrier.InTransit, "2026-03-11T23:56:00+01:00", "ARRVD_DSTPC_PO", "", ""},
		{carrier.OutForDelivery, "2026-03-12T08:38:00+01:00", "SRTED_NRQRD_PO",
			"The shipment has been loaded onto the delivery vehicle.", ""},
		{carrier.FailedAttempt, "2026-03-12T11:05:00+01:00", "NTDLV_NTHOM_DD", "", ""},
		{carrier.ArrivedAtPickup, "2026-03-12T14:31:00+01:00", "ARRVD_PCKST_PO",
			"The shipment is ready for pick-up at the PACKSTATION 102 Leipzig.", "04109 Leipzig, DE"},
		{carrier.Delivered, "2026-03-13T18:02:00+01:00", "PCKDU_PCKST_DD", "", "04109 Leipzig, DE"},
	})
}

func TestTrackExpressJourney(t *testing.T) {
	t.Parallel()
	const n = "1234567890"
	c, _ := newTestClient(t, map[string]reply{n: ok(golden(t, "express_journey.json"))})
	got, err := c.Track(context.Background(), []string{n})
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, got, n, []want{
		{carrier.Accepted, "2026-04-06T15:30:00+08:00", "PU", "Shipment picked up", "HONG KONG - HONG KONG"},
		{carrier.InTransit, "2026-04-06T23:55:00+08:00", "DF", "", ""},
		{carrier.Customs, "2026-04-07T06:12:00+02:00", "RR", "Customs status updated", "LEIPZIG - GERMANY"},
		{carrier.Customs, "2026-04-07T09:41:00+02:00", "CR", "", ""},
		{carrier.InTransit, "2026-04-07T16:20:00+03:00", "AR", "", ""},
		{carrier.OutForDelivery, "2026-04-08T08:05:00+03:00", "WC", "", ""},
		{carrier.Delivered, "2026-04-08T11:47:00+03:00", "OK", "Delivered", "RIGA - LATVIA"},
	})
}

func TestTrackSeveralNumbersOneByOne(t *testing.T) {
	t.Parallel()
	c, f := newTestClient(t, map[string]reply{
		"1234567890":           ok(golden(t, "express_journey.json")),
		"00340434161094042557": ok(golden(t, "parcel_de_journey.json")),
	})
	if c.BatchSize() != 1 {
		t.Fatalf("BatchSize = %d, want 1", c.BatchSize())
	}
	numbers := []string{"1234567890", "JJD000390007777777777", "00340434161094042557"}
	got, err := c.Track(context.Background(), numbers)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.asked) != 3 || f.asked[0] != numbers[0] || f.asked[1] != numbers[1] || f.asked[2] != numbers[2] {
		t.Errorf("asked %q, want %q one by one", f.asked, numbers)
	}
	count := map[string]int{}
	for _, e := range got {
		count[e.TrackingNumber]++
	}
	if count["1234567890"] != 7 || count["00340434161094042557"] != 8 || count["JJD000390007777777777"] != 0 {
		t.Errorf("events per number %v", count)
	}
}

func TestTrackUnknownNumber(t *testing.T) {
	t.Parallel()
	c, f := newTestClient(t, nil)
	got, err := c.Track(context.Background(), []string{"JJD000390007777777777"})
	if err != nil || len(got) != 0 {
		t.Fatalf("Track = %v, %v; want no events and no error", got, err)
	}
	if len(f.asked) != 1 {
		t.Errorf("asked %q", f.asked)
	}
}

func TestTrackStatusWithoutEvents(t *testing.T) {
	t.Parallel()
	const n = "7777777770"
	body := `{"shipments":[{"id":"7777777770","service":"express","status":{"timestamp":"2026-03-01T10:00:00Z",` +
		`"statusCode":"pre-transit","status":"Shipment information received","description":"Shipment information received"}}]}`
	c, _ := newTestClient(t, map[string]reply{n: ok(body)})
	got, err := c.Track(context.Background(), []string{n})
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, got, n, []want{{"", "2026-03-01T10:00:00Z", "pre-transit", "Shipment information received", ""}})
}

func TestTrackErrors(t *testing.T) {
	t.Parallel()
	retryAt := testNow.Add(90 * time.Second).Format(http.TimeFormat)
	tests := []struct {
		name  string
		reply reply
		check func(t *testing.T, err error)
	}{
		{"bad key", reply{status: 401, body: `{"title":"Unauthorized","status":401,"detail":"Unauthorized for given resource."}`},
			func(t *testing.T, err error) {
				if !errors.Is(err, carrier.ErrUnauthorized) {
					t.Errorf("err = %v, want ErrUnauthorized", err)
				}
			}},
		{"rate limit in seconds", reply{status: 429, header: map[string]string{"Retry-After": "30"},
			body: `{"title":"Too many requests","status":429,"detail":"Too many requests. Allowed rate limit is 250 per day."}`},
			wantRateLimit(30 * time.Second)},
		{"rate limit until a date", reply{status: 429, header: map[string]string{"Retry-After": retryAt},
			body: `{"title":"Too many requests","status":429}`}, wantRateLimit(90 * time.Second)},
		{"rate limit unsaid", reply{status: 429, body: `{"title":"Too many requests","status":429}`}, wantRateLimit(0)},
		{"bad request", reply{status: 400, body: `{"type":"ValidationException","title":"Bad Request","status":400,` +
			`"detail":"Invalid input parameter: service","instance":"/track/shipments"}`},
			wantAPIError(400, "ValidationException", "Bad Request: Invalid input parameter: service")},
		{"server error without problem", reply{status: 502, header: map[string]string{"Content-Type": "text/html"},
			body: "<html>Bad   Gateway</html>"}, wantAPIError(502, "", "<html>Bad Gateway</html>")},
		{"malformed answer", ok(`{"shipments":[{"id":`), wantMalformed},
		{"answer without shipments", ok(`{"error":"none"}`), wantMalformed},
		{"answer of wrong type", ok(`[1,2,3]`), wantMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, map[string]reply{"1234567890": tt.reply})
			got, err := c.Track(context.Background(), []string{"1234567890"})
			if err == nil {
				t.Fatalf("Track = %v, want an error", got)
			}
			tt.check(t, err)
			if tt.reply.status != 401 && errors.Is(err, carrier.ErrUnauthorized) {
				t.Errorf("err = %v must not be ErrUnauthorized", err)
			}
		})
	}
}

func wantRateLimit(d time.Duration) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var rl *carrier.RateLimitError
		if !errors.As(err, &rl) || rl.RetryAfter != d || rl.Carrier != "dhl" {
			t.Errorf("err = %#v, want a RateLimitError retrying after %s", err, d)
		}
	}
}

func wantAPIError(status int, code, msg string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ae *carrier.APIError
		if !errors.As(err, &ae) || ae.Status != status || ae.Code != code || ae.Message != msg {
			t.Errorf("err = %#v, want APIError{%d %q %q}", err, status, code, msg)
		}
	}
}

func wantMalformed(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, errMalformed) {
		t.Errorf("err = %v, want a malformed-body error", err)
	}
	var ae *carrier.APIError
	if errors.As(err, &ae) {
		t.Errorf("err = %v is no API error", err)
	}
}

func TestTrackStopsAtFirstError(t *testing.T) {
	t.Parallel()
	c, f := newTestClient(t, map[string]reply{
		"1": {status: 429, body: `{"title":"Too many requests","status":429}`},
		"2": ok(golden(t, "express_journey.json")),
	})
	_, err := c.Track(context.Background(), []string{"1", "2"})
	var rl *carrier.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want RateLimitError", err)
	}
	if len(f.asked) != 1 {
		t.Errorf("asked %q after the rate limit, want only the first", f.asked)
	}
}

func TestTrackHonoursCancellation(t *testing.T) {
	t.Parallel()
	c, f := newTestClient(t, map[string]reply{"1234567890": ok(golden(t, "express_journey.json"))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Track(ctx, []string{"1234567890"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if len(f.asked) != 0 {
		t.Errorf("asked %q with a cancelled context", f.asked)
	}
}

func TestNewDefaultURL(t *testing.T) {
	t.Parallel()
	if c := New(carrier.Options{Key: "k"}); c.base != DefaultURL {
		t.Errorf("base = %q, want %q", c.base, DefaultURL)
	}
}

func TestTrackMergesShipmentsOfOneNumber(t *testing.T) {
	t.Parallel()
	const n = "JJD0099999999"
	// DHL may find a number in two services; their events make one story,
	// and events of one instant keep DHL's order.
	body := `{"shipments":[
	 {"id":"JJD0099999999","service":"ecommerce-europe","events":[
	  {"timestamp":"2026-05-02T10:00:00+02:00","statusCode":"transit","description":"The parcel has been sorted"},
	  {"timestamp":"2026-05-01T09:00:00+02:00","statusCode":"transit","description":"The parcel has been dropped off by the sender"}]},
	 {"id":"JJD0099999999","service":"parcel-de","events":[
	  {"timestamp":"2026-05-03T08:00:00","statusCode":"delivered","description":"The shipment has been delivered."},
	  {"timestamp":"2026-05-03T08:00:00","statusCode":"transit","description":"The shipment has been loaded onto the delivery vehicle."}]}]}`
	c, _ := newTestClient(t, map[string]reply{n: ok(body)})
	got, err := c.Track(context.Background(), []string{n})
	if err != nil {
		t.Fatal(err)
	}
	checkEvents(t, got, n, []want{
		{carrier.Accepted, "2026-05-01T09:00:00+02:00", "transit", "", ""},
		{carrier.InTransit, "2026-05-02T10:00:00+02:00", "transit", "", ""},
		{carrier.OutForDelivery, "2026-05-03T08:00:00+02:00", "transit", "", ""},
		{carrier.Delivered, "2026-05-03T08:00:00+02:00", "delivered", "", ""},
	})
}
