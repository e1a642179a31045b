package omniva

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/clock"
)

// now is the tests' clock: the events interface is asked from six days
// before it, 2026-11-17 12:00 in Tallinn (UTC+2 in November).
var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

const (
	login    = "7103139"
	password = "s3cret:pw"
	// wantPath is the path Omniva's modules ask: from in PHP's date("c").
	wantPath = "/epteavitus/events/from/2026-11-17T12:00:00+02:00/for-client-code/7103139"
)

// fixture reads a testdata file.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// omnivaServer answers like Omniva's events interface: it checks that the
// request is the documented one and answers status, header and body.
type omnivaServer struct {
	t        *testing.T
	status   int
	header   http.Header
	body     []byte
	requests atomic.Int32
}

func (s *omnivaServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	t := s.t
	if r.Method != http.MethodGet {
		t.Errorf("method %s, want GET", r.Method)
	}
	if r.URL.Path != wantPath || r.URL.EscapedPath() != wantPath {
		t.Errorf("path %q (escaped %q), want %q", r.URL.Path, r.URL.EscapedPath(), wantPath)
	}
	if r.URL.RawQuery != "" {
		t.Errorf("query %q, want none", r.URL.RawQuery)
	}
	if u, p, ok := r.BasicAuth(); !ok || u != login || p != password {
		t.Errorf("basic auth %q %q %v, want %q %q", u, p, ok, login, password)
	}
	if got := r.Header.Get("Accept"); got != "text/xml" {
		t.Errorf("Accept %q, want text/xml", got)
	}
	for k, v := range s.header {
		w.Header()[k] = v
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	}
	status := s.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(s.body)
}

// newClient starts srv and returns a client of it.
func newClient(t *testing.T, srv *omnivaServer) *Client {
	t.Helper()
	srv.t = t
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return New(carrier.Options{URL: ts.URL + "/", Login: login, Password: password, HTTP: ts.Client(), Clock: clock.NewFake(now)})
}

// step is what a test expects of one event.
type step struct {
	number string
	status carrier.Status
	code   string
	at     string // RFC 3339
	where  string
}

func checkSteps(t *testing.T, got []carrier.Event, want []step) {
	t.Helper()
	if len(got) != len(want) {
		for _, e := range got {
			t.Logf("%s %s %s %s", e.TrackingNumber, e.At.Format(time.RFC3339), e.Code, e.Status)
		}
		t.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i, w := range want {
		e := got[i]
		at, err := time.Parse(time.RFC3339, w.at)
		if err != nil {
			t.Fatal(err)
		}
		if e.TrackingNumber != w.number || e.Status != w.status || e.Code != w.code || !e.At.Equal(at) || e.Location != w.where {
			t.Errorf("event %d = %s %s %s %s %q, want %s %s %s %s %q", i,
				e.TrackingNumber, e.Status, e.Code, e.At.Format(time.RFC3339), e.Location,
				w.number, w.status, w.code, w.at, w.where)
		}
		if _, off := e.At.Zone(); off != 2*3600 {
			t.Errorf("event %d at %s: zone offset %d, want Omniva's +02:00", i, e.At, off)
		}
		if e.Description == "" || e.Description == e.Code {
			t.Errorf("event %d (%s): description %q, want Omniva's words", i, e.Code, e.Description)
		}
		var raw xmlEvent
		if err := json.Unmarshal(e.Raw, &raw); err != nil {
			t.Errorf("event %d raw %s: %v", i, e.Raw, err)
		} else if raw.EventCode != e.Code || barcodeKey(raw.PacketCode) != barcodeKey(e.TrackingNumber) || raw.ID == "" || raw.StateCode == "" {
			t.Errorf("event %d raw %s does not keep the event", i, e.Raw)
		}
	}
}

// TestTrackJourney follows two parcels of one call, asked in the order
// courier parcel first: a parcel-machine delivery (registered, picked up,
// sorted, sent, arrived, stored in the machine, SMS, taken out) and a
// courier delivery with a failed attempt. The feed's third parcel was not
// asked for.
func TestTrackJourney(t *testing.T) {
	t.Parallel()
	srv := &omnivaServer{body: fixture(t, "events_journey.xml")}
	c := newClient(t, srv)
	got, err := c.Track(context.Background(), []string{"CE473205926EE", "ce473205912ee "})
	if err != nil {
		t.Fatal(err)
	}
	const courier, machine = "CE473205926EE", "ce473205912ee "
	checkSteps(t, got, []step{
		{courier, "", "PACKET_EVENT_SAVED", "2026-11-17T14:02:12+02:00", "10151"},
		{courier, carrier.Accepted, "PACKET_EVENT_PICKED_UP_WITH_SCAN", "2026-11-17T17:40:09+02:00", "Tallinna Kesklinna kuller (10151)"},
		{courier, carrier.InTransit, "PACKET_EVENT_IN_POSTOFFICE", "2026-11-17T21:16:02+02:00", "Tallinna sorteerimiskeskus (13413)"},
		{courier, carrier.OutForDelivery, "PACKET_EVENT_ON_DELIVERY_LIST", "2026-11-18T08:05:44+02:00", "Tallinna kullerkeskus (13413)"},
		{courier, carrier.FailedAttempt, "PACKET_EVENT_DELIVERING_TRY", "2026-11-18T14:20:31+02:00", "Tallinna kullerkeskus (13413)"},
		{courier, carrier.InTransit, "PACKET_EVENT_FROM_DELIVERY_LIST", "2026-11-18T19:02:00+02:00", "Tallinna kullerkeskus (13413)"},
		{courier, carrier.OutForDelivery, "PACKET_EVENT_ON_DELIVERY_LIST", "2026-11-19T08:11:17+02:00", "Tallinna kullerkeskus (13413)"},
		{courier, carrier.Delivered, "PACKET_EVENT_DELIVERED", "2026-11-19T11:03:40+02:00", "Tallinna kullerkeskus (13413)"},

		{machine, "", "PACKET_EVENT_SAVED", "2026-11-17T14:02:11+02:00", "10151"},
		{machine, carrier.Accepted, "PACKET_EVENT_PICKED_UP_WITH_SCAN", "2026-11-17T17:40:05+02:00", "Tallinna Kesklinna kuller (10151)"},
		{machine, carrier.InTransit, "PACKET_EVENT_IN_POSTOFFICE", "2026-11-17T21:15:40+02:00", "Tallinna sorteerimiskeskus (13413)"},
		{machine, carrier.InTransit, "PACKET_EVENT_IN_CONTAINER", "2026-11-17T22:03:58+02:00", "Tallinna sorteerimiskeskus (13413)"},
		{machine, carrier.InTransit, "PACKET_EVENT_FROM_CONTAINER", "2026-11-18T05:47:21+02:00", "Tartu sorteerimiskeskus (50090)"},
		{machine, carrier.ArrivedAtPickup, "PACKET_EVENT_STORING", "2026-11-18T11:32:09+02:00", "Tartu Lõunakeskuse pakiautomaat (96062)"},
		{machine, "", "PACKET_EVENT_SEND_REC_SMS_NOTIF", "2026-11-18T11:32:10+02:00", "Tartu Lõunakeskuse pakiautomaat (96062)"},
		{machine, carrier.Delivered, "PACKET_EVENT_DELIVERED", "2026-11-19T09:48:55+02:00", "Tartu Lõunakeskuse pakiautomaat (96062)"},
	})
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("%d requests for two parcels, want one", n)
	}
}

// TestTrackReturn reads a namespaced answer: an international parcel
// through customs, waiting at the post office, not collected and sent back;
// its last delivery is the shop's.
func TestTrackReturn(t *testing.T) {
	t.Parallel()
	c := newClient(t, &omnivaServer{body: fixture(t, "events_return.xml")})
	got, err := c.Track(context.Background(), []string{"CC118403771EE"})
	if err != nil {
		t.Fatal(err)
	}
	const n = "CC118403771EE"
	checkSteps(t, got, []step{
		{n, carrier.InTransit, "PACKET_EVENT_IPS_D", "2026-11-17T10:05:00+02:00", "Tallinna sorteerimiskeskus (13413)"},
		{n, carrier.Customs, "PACKET_EVENT_IPS_E", "2026-11-17T15:40:00+02:00", "Tallinna sorteerimiskeskus (13413)"},
		{n, carrier.ArrivedAtPickup, "PACKET_EVENT_IN_DEST_POSTOFFICE", "2026-11-18T09:30:00+02:00", "Tallinna Postimaja postkontor (10001)"},
		{n, carrier.Returning, "PACKET_EVENT_RETURN", "2026-11-21T18:00:00+02:00", "Tallinna Postimaja postkontor (10001)"},
		{n, carrier.Returned, "PACKET_EVENT_DELIVERED", "2026-11-22T12:15:00+02:00", "Tallinna Kesklinna kuller (10151)"},
	})
}

// TestTrackUnknown: a number the feed does not name yields nothing, and
// an empty feed is no error.
func TestTrackUnknown(t *testing.T) {
	t.Parallel()
	for name, body := range map[string][]byte{
		"others":   fixture(t, "events_journey.xml"),
		"empty":    []byte(`<?xml version="1.0" encoding="UTF-8"?><events/>`),
		"nsEmpty":  []byte(`<ns3:events xmlns:ns3="http://epteavitus.eestipost.ee/xsd"></ns3:events>`),
		"spacious": []byte("<events>\n</events>\n"),
	} {
		t.Run(name, func(t *testing.T) {
			c := newClient(t, &omnivaServer{body: body})
			got, err := c.Track(context.Background(), []string{"CE999999999EE"})
			if err != nil || len(got) != 0 {
				t.Fatalf("Track = %v, %v; want no events, no error", got, err)
			}
		})
	}
}

// TestTrackBatch: BatchSize numbers cost one request; more are refused
// before any request.
func TestTrackBatch(t *testing.T) {
	t.Parallel()
	srv := &omnivaServer{body: fixture(t, "events_journey.xml")}
	c := newClient(t, srv)
	numbers := make([]string, c.BatchSize())
	for i := range numbers {
		numbers[i] = "CE" + strings.Repeat("0", 9) + "EE"
	}
	numbers[0], numbers[len(numbers)-1] = "CE473205912EE", "CE473205926EE"
	got, err := c.Track(context.Background(), numbers)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 16 || got[0].TrackingNumber != "CE473205912EE" || got[len(got)-1].TrackingNumber != "CE473205926EE" {
		t.Errorf("%d events, first of %s, last of %s; want 16, the machine parcel's first", len(got), got[0].TrackingNumber, got[len(got)-1].TrackingNumber)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("%d requests for a batch, want 1", n)
	}
	if _, err := c.Track(context.Background(), append(numbers, "CE473205940EE")); err == nil {
		t.Error("Track took more than BatchSize numbers")
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("an oversized batch was sent (%d requests)", n)
	}
	if got, err := c.Track(context.Background(), nil); err != nil || got != nil {
		t.Errorf("Track(nil) = %v, %v", got, err)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("no numbers cost a request (%d requests)", n)
	}
}

// TestTrackErrors covers the error answers of the web services.
func TestTrackErrors(t *testing.T) {
	t.Parallel()
	html := http.Header{"Content-Type": {"text/html;charset=utf-8"}}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   []byte
		check  func(t *testing.T, err error)
	}{
		{"bad credentials", 401, html, fixture(t, "error_401.html"), unauthorized},
		{"other client's code", 403, html, []byte(`<html><head><title>Error</title></head><body><h1>HTTP Status 403 - Access is denied</h1></body></html>`), unauthorized},
		{"login page answered 200", 200, html, fixture(t, "error_401.html"), unauthorized},
		{"rate limited, seconds", 429, http.Header{"Retry-After": {"120"}}, nil, rateLimited(120 * time.Second)},
		{"rate limited, date", 429, http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, []byte("Too Many Requests"), rateLimited(90 * time.Second)},
		{"rate limited, no wait", 429, nil, nil, rateLimited(0)},
		{"server error", 500, html, fixture(t, "error_500.html"),
			apiError(500, "HTTP Status 500 - Request processing failed; nested exception is java.lang.IllegalArgumentException: Invalid date")},
		{"unavailable", 503, nil, []byte("Service Temporarily Unavailable\n"), apiError(503, "Service Temporarily Unavailable")},
		{"not found", 404, html, []byte(`<html><head><title>Apache Tomcat/7.0.52 - Error report</title></head><body><h1>HTTP Status 404 - /epteavitus/events/</h1></body></html>`), apiError(404, "HTTP Status 404 - /epteavitus/events/")},
		{"json body", 200, nil, []byte(`{"events":[]}`), malformed},
		{"empty body", 200, nil, nil, malformed},
		{"cut off", 200, nil, fixture(t, "events_journey.xml")[:700], malformed},
		{"other root", 200, nil, []byte(`<shipments><event/></shipments>`), malformed},
		{"bad date", 200, nil, []byte(`<events><event><id>1</id><packetCode>CE473205912EE</packetCode><eventCode>PACKET_EVENT_DELIVERED</eventCode><eventDate>yesterday</eventDate></event></events>`), malformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, &omnivaServer{status: tt.status, header: tt.header, body: tt.body})
			got, err := c.Track(context.Background(), []string{"CE473205912EE"})
			if err == nil {
				t.Fatalf("Track = %v, want an error", got)
			}
			tt.check(t, err)
		})
	}
}

func unauthorized(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, carrier.ErrUnauthorized) {
		t.Errorf("error %v, want ErrUnauthorized", err)
	}
}

func rateLimited(wait time.Duration) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var rl *carrier.RateLimitError
		if !errors.As(err, &rl) || rl.RetryAfter != wait || rl.Carrier != "omniva" {
			t.Errorf("error %v, want a RateLimitError of omniva, retry after %s", err, wait)
		}
	}
}

func apiError(status int, message string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ae *carrier.APIError
		if !errors.As(err, &ae) || ae.Status != status || ae.Message != message || ae.Carrier != "omniva" {
			t.Errorf("error %#v, want APIError %d %q", err, status, message)
		}
		if errors.Is(err, carrier.ErrUnauthorized) {
			t.Errorf("error %v is ErrUnauthorized", err)
		}
	}
}

func malformed(t *testing.T, err error) {
	t.Helper()
	var ae *carrier.APIError
	var rl *carrier.RateLimitError
	if errors.As(err, &ae) || errors.As(err, &rl) || errors.Is(err, carrier.ErrUnauthorized) {
		t.Errorf("error %v, want a malformed-answer error", err)
	}
	if !strings.Contains(err.Error(), "omniva") {
		t.Errorf("error %q does not name omniva", err)
	}
}

// TestTrackNoLogin: without a client code there is nothing to ask.
func TestTrackNoLogin(t *testing.T) {
	t.Parallel()
	srv := &omnivaServer{t: t}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := New(carrier.Options{URL: ts.URL, Password: password, Clock: clock.NewFake(now)})
	if _, err := c.Track(context.Background(), []string{"CE473205912EE"}); !errors.Is(err, carrier.ErrUnauthorized) {
		t.Errorf("error %v, want ErrUnauthorized", err)
	}
	if n := srv.requests.Load(); n != 0 {
		t.Errorf("%d requests without a login", n)
	}
}

// TestTrackCancelled: a cancelled context stops the call.
func TestTrackCancelled(t *testing.T) {
	t.Parallel()
	c := newClient(t, &omnivaServer{body: fixture(t, "events_journey.xml")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Track(ctx, []string{"CE473205912EE"}); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// TestDefaults: the production address and the batch size.
func TestDefaults(t *testing.T) {
	t.Parallel()
	c := New(carrier.Options{Login: "12 3/4"})
	if got := c.eventsURL(now); got != "https://edixml.post.ee/epteavitus/events/from/2026-11-23T12:00:00+02:00/for-client-code/12%203%2F4" {
		t.Errorf("events URL %s", got)
	}
	// In summer Tallinn is UTC+3.
	if got := c.eventsURL(time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)); !strings.Contains(got, "/from/2026-07-01T12:00:00+03:00/") {
		t.Errorf("summer events URL %s", got)
	}
	if c.BatchSize() < 2 {
		t.Errorf("BatchSize %d: the interface answers for all parcels at once", c.BatchSize())
	}
	var _ carrier.Tracker = c
	if slices.Contains([]string{"", "/"}, c.base) {
		t.Errorf("base %q", c.base)
	}
}
