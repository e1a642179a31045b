package cdek

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/clock"
)

const (
	testAccount = "EMscd6r9JnFiQ3bLoyjJY6eM78JrJceI"
	testSecure  = "PjLZkKBHEiLK3YsjtNrt3TGNG0ahs3kG"
)

// fakeCDEK plays the CDEK API v2: it issues tokens tok-1, tok-2, … from
// /v2/oauth/token, refuses any other token with CDEK's 401, and answers
// the other routes with the handlers a test gives it.
type fakeCDEK struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	tokens int    // tokens issued
	valid  string // the token the API accepts now
	// expiresIn is the lifetime the token answer gives.
	expiresIn int
	// tokenAnswer, when set, answers the token request instead.
	tokenAnswer http.HandlerFunc
	routes      map[string]http.HandlerFunc // "GET /v2/orders" → handler
	seen        []string                    // "METHOD path?query bearer"
}

func newFake(t *testing.T) *fakeCDEK {
	t.Helper()
	f := &fakeCDEK{t: t, expiresIn: 3600, routes: map[string]http.HandlerFunc{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeCDEK) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/v2/oauth/token" {
		f.token(w, r)
		return
	}
	f.mu.Lock()
	f.seen = append(f.seen, fmt.Sprintf("%s %s %s", r.Method, r.URL.RequestURI(), r.Header.Get("Authorization")))
	valid := f.valid
	h := f.routes[r.Method+" "+r.URL.Path]
	f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+valid || valid == "" {
		writeJSON(w, http.StatusUnauthorized, `{"requests":[{"type":"AUTH","state":"INVALID","errors":[{"code":"v2_token_expired","message":"Token is expired"}]}]}`)
		return
	}
	if r.Header.Get("Accept") != "application/json" {
		f.t.Errorf("%s %s: Accept %q", r.Method, r.URL.Path, r.Header.Get("Accept"))
	}
	if h == nil {
		f.t.Errorf("unexpected request %s %s", r.Method, r.URL.RequestURI())
		http.NotFound(w, r)
		return
	}
	h(w, r)
}

// token checks the client-credentials request and issues the next token.
func (f *fakeCDEK) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		f.t.Errorf("token: method %s", r.Method)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		f.t.Errorf("token: Content-Type %q", ct)
	}
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("token: %v", err)
	}
	for k, want := range map[string]string{"grant_type": "client_credentials", "client_id": testAccount, "client_secret": testSecure} {
		if got := r.PostForm.Get(k); got != want {
			f.t.Errorf("token: %s = %q, want %q", k, got, want)
		}
	}
	if f.tokenAnswer != nil {
		f.tokenAnswer(w, r)
		return
	}
	f.mu.Lock()
	f.tokens++
	f.valid = fmt.Sprintf("tok-%d", f.tokens)
	tok, exp := f.valid, f.expiresIn
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{"access_token":%q,"token_type":"bearer","expires_in":%d,"scope":"order:all payment:all","jti":"9adca50a-%d"}`, tok, exp, exp))
}

// revoke makes the API refuse the current token, as when CDEK expires it
// early.
func (f *fakeCDEK) revoke() {
	f.mu.Lock()
	f.valid = "revoked"
	f.mu.Unlock()
}

func (f *fakeCDEK) issued() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens
}

func (f *fakeCDEK) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.seen)
}

// orders answers GET /v2/orders?cdek_number=… from answers, by number;
// a number not there gets CDEK's not-found answer.
func (f *fakeCDEK) orders(answers map[string]string) {
	f.routes["GET /v2/orders"] = func(w http.ResponseWriter, r *http.Request) {
		n := r.URL.Query().Get("cdek_number")
		if len(r.URL.Query()) != 1 || n == "" {
			f.t.Errorf("orders: query %q", r.URL.RawQuery)
		}
		if file, ok := answers[n]; ok {
			writeJSON(w, http.StatusOK, fixture(f.t, file))
			return
		}
		writeJSON(w, http.StatusBadRequest, fixture(f.t, "order_not_found.json"))
	}
}

func (f *fakeCDEK) client(c clock.Clock) *Client {
	return New(carrier.Options{URL: f.srv.URL + "/v2", Key: testAccount, Secret: testSecure, HTTP: f.srv.Client(), Clock: c})
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	msk = time.FixedZone("+0300", 3*3600)
	nsk = time.FixedZone("+0700", 7*3600)
)

func newClock() *clock.Fake { return clock.NewFake(time.Date(2024, 3, 8, 12, 0, 0, 0, time.UTC)) }

// brief is what a test compares of an event.
type brief struct {
	Number, Code string
	Status       carrier.Status
	At           time.Time
	Location     string
}

func briefs(events []carrier.Event) []brief {
	out := make([]brief, len(events))
	for i, e := range events {
		out[i] = brief{e.TrackingNumber, e.Code, e.Status, e.At, e.Location}
	}
	return out
}

func sameBriefs(t *testing.T, got []carrier.Event, want []brief) {
	t.Helper()
	g := briefs(got)
	if len(g) != len(want) {
		t.Fatalf("%d events, want %d:\n%v", len(g), len(want), g)
	}
	for i := range want {
		if g[i].Number != want[i].Number || g[i].Code != want[i].Code || g[i].Status != want[i].Status ||
			!g[i].At.Equal(want[i].At) || g[i].Location != want[i].Location {
			t.Errorf("event %d = %+v, want %+v", i, g[i], want[i])
		}
	}
}

func TestTrackJourneyToPickupPointAndDelivery(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.orders(map[string]string{"1106321645": "order_pickup_delivered.json"})
	c := f.client(newClock())

	events, err := c.Track(context.Background(), []string{"1106321645"})
	if err != nil {
		t.Fatal(err)
	}
	const n = "1106321645"
	sameBriefs(t, events, []brief{
		{n, "ACCEPTED", "", time.Date(2024, 3, 1, 9, 59, 58, 0, nsk), "Офис СДЭК"},
		{n, "CREATED", "", time.Date(2024, 3, 1, 10, 0, 0, 0, nsk), "Офис СДЭК"},
		{n, "RECEIVED_AT_SHIPMENT_WAREHOUSE", carrier.Accepted, time.Date(2024, 3, 2, 16, 45, 12, 0, nsk), "Новосибирск"},
		{n, "READY_FOR_SHIPMENT_IN_SENDER_CITY", carrier.InTransit, time.Date(2024, 3, 2, 22, 10, 0, 0, nsk), "Новосибирск"},
		{n, "TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY", carrier.InTransit, time.Date(2024, 3, 3, 5, 15, 31, 0, nsk), "Новосибирск"},
		{n, "SENT_TO_RECIPIENT_CITY", carrier.InTransit, time.Date(2024, 3, 3, 6, 2, 0, 0, nsk), "Новосибирск"},
		{n, "ACCEPTED_IN_RECIPIENT_CITY", carrier.InTransit, time.Date(2024, 3, 4, 23, 40, 10, 0, msk), "Москва"},
		{n, "ACCEPTED_AT_PICK_UP_POINT", carrier.ArrivedAtPickup, time.Date(2024, 3, 5, 9, 12, 44, 0, msk), "Москва"},
		{n, "DELIVERED", carrier.Delivered, time.Date(2024, 3, 7, 14, 21, 5, 0, msk), "Москва"},
	})
	last := events[len(events)-1]
	if last.Description != "Вручен" {
		t.Errorf("Description %q", last.Description)
	}
	if _, off := last.At.Zone(); off != 3*3600 {
		t.Errorf("zone offset %d, want +03:00 as CDEK sent it", off)
	}
	var raw orderStatus
	if err := json.Unmarshal(last.Raw, &raw); err != nil || raw.Code != "DELIVERED" || raw.DateTime != "2024-03-07T14:21:05+0300" {
		t.Errorf("Raw %s (%v)", last.Raw, err)
	}
	want := []string{"GET /v2/orders?cdek_number=1106321645 Bearer tok-1"}
	if got := f.requests(); !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}

func TestTrackManyNumbersOnePerRequest(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.orders(map[string]string{
		"1106321645": "order_pickup_delivered.json",
		"1107000123": "order_pickup_delivered.json",
	})
	c := f.client(newClock())
	if c.BatchSize() != 1 {
		t.Fatalf("BatchSize %d", c.BatchSize())
	}
	events, err := c.Track(context.Background(), []string{"1106321645", " ", "1107000123", "9999999999"})
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, e := range events {
		if len(numbers) == 0 || numbers[len(numbers)-1] != e.TrackingNumber {
			numbers = append(numbers, e.TrackingNumber)
		}
	}
	if !slices.Equal(numbers, []string{"1106321645", "1107000123"}) || len(events) != 18 {
		t.Errorf("events per number %q, %d events", numbers, len(events))
	}
	want := []string{
		"GET /v2/orders?cdek_number=1106321645 Bearer tok-1",
		"GET /v2/orders?cdek_number=1107000123 Bearer tok-1",
		"GET /v2/orders?cdek_number=9999999999 Bearer tok-1",
	}
	if got := f.requests(); !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
	if f.issued() != 1 {
		t.Errorf("%d tokens fetched, want 1 for the whole call", f.issued())
	}
}

func TestTrackUnknownNumber(t *testing.T) {
	t.Parallel()
	notFound := fixture(t, "order_not_found.json")
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"400 v2_entity_not_found", http.StatusBadRequest, notFound},
		{"404 v2_order_not_found", http.StatusNotFound, `{"requests":[{"type":"GET","state":"INVALID","errors":[{"code":"v2_order_not_found","message":"Order is not found"}]}]}`},
		{"200 without entity", http.StatusOK, notFound},
		{"200 empty", http.StatusOK, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.routes["GET /v2/orders"] = func(w http.ResponseWriter, r *http.Request) { writeJSON(w, tt.status, tt.body) }
			events, err := f.client(newClock()).Track(context.Background(), []string{"9999999999"})
			if err != nil || len(events) != 0 {
				t.Errorf("Track = %v, %v; want no events, no error", events, err)
			}
		})
	}
}

func TestTrackFollowsReturnOrder(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.orders(map[string]string{"1107000123": "order_not_delivered.json"})
	f.routes["GET /v2/orders/c0ffee00-1234-4567-89ab-cdef01234567"] = func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, fixture(t, "order_return.json"))
	}
	events, err := f.client(newClock()).Track(context.Background(), []string{"1107000123"})
	if err != nil {
		t.Fatal(err)
	}
	const n = "1107000123"
	sameBriefs(t, events, []brief{
		{n, "CREATED", "", time.Date(2024, 4, 8, 16, 0, 0, 0, msk), "Санкт-Петербург"},
		{n, "RECEIVED_AT_SHIPMENT_WAREHOUSE", carrier.Accepted, time.Date(2024, 4, 9, 12, 0, 0, 0, msk), "Санкт-Петербург"},
		{n, "ACCEPTED_AT_RECIPIENT_CITY_WAREHOUSE", carrier.InTransit, time.Date(2024, 4, 10, 7, 20, 0, 0, msk), "Москва"},
		{n, "TAKEN_BY_COURIER", carrier.OutForDelivery, time.Date(2024, 4, 11, 8, 50, 0, 0, msk), "Москва"},
		{n, "RETURNED_TO_RECIPIENT_CITY_WAREHOUSE", carrier.FailedAttempt, time.Date(2024, 4, 11, 20, 15, 0, 0, msk), "Москва"},
		{n, "TAKEN_BY_COURIER", carrier.OutForDelivery, time.Date(2024, 4, 12, 9, 5, 0, 0, msk), "Москва"},
		{n, "NOT_DELIVERED", carrier.Returning, time.Date(2024, 4, 12, 18, 30, 0, 0, msk), "Москва"},
		// the return order, under the parcel's own number
		{n, "CREATED", "", time.Date(2024, 4, 12, 18, 31, 0, 0, msk), "Москва"},
		{n, "RECEIVED_AT_SHIPMENT_WAREHOUSE", carrier.Returning, time.Date(2024, 4, 13, 9, 0, 0, 0, msk), "Москва"},
		{n, "SENT_TO_RECIPIENT_CITY", carrier.Returning, time.Date(2024, 4, 13, 22, 0, 0, 0, msk), "Москва"},
		{n, "ACCEPTED_AT_PICK_UP_POINT", carrier.Returning, time.Date(2024, 4, 15, 10, 0, 0, 0, msk), "Санкт-Петербург"},
		{n, "DELIVERED", carrier.Returned, time.Date(2024, 4, 16, 13, 0, 0, 0, msk), "Санкт-Петербург"},
	})
}

func TestTokenCachedUntilShortlyBeforeExpiry(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.orders(map[string]string{"1106321645": "order_pickup_delivered.json"})
	clk := newClock()
	c := f.client(clk)
	track := func() {
		t.Helper()
		if _, err := c.Track(context.Background(), []string{"1106321645"}); err != nil {
			t.Fatal(err)
		}
	}
	track()
	clk.Advance(58 * time.Minute) // inside the hour, before the margin
	track()
	if f.issued() != 1 {
		t.Fatalf("%d tokens after 58 min, want 1", f.issued())
	}
	clk.Advance(90 * time.Second) // 59.5 min: within a minute of expiry
	track()
	if f.issued() != 2 {
		t.Fatalf("%d tokens after 59.5 min, want 2", f.issued())
	}
	got := f.requests()
	if !strings.HasSuffix(got[1], "Bearer tok-1") || !strings.HasSuffix(got[2], "Bearer tok-2") {
		t.Errorf("requests %q", got)
	}
}

func TestTokenRefreshedOnceOn401(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.orders(map[string]string{"1106321645": "order_pickup_delivered.json"})
	c := f.client(newClock())
	if _, err := c.Track(context.Background(), []string{"1106321645"}); err != nil {
		t.Fatal(err)
	}
	f.revoke() // CDEK drops tok-1 before its time
	events, err := c.Track(context.Background(), []string{"1106321645"})
	if err != nil || len(events) != 9 {
		t.Fatalf("Track after revoke = %d events, %v", len(events), err)
	}
	want := []string{
		"GET /v2/orders?cdek_number=1106321645 Bearer tok-1",
		"GET /v2/orders?cdek_number=1106321645 Bearer tok-1",
		"GET /v2/orders?cdek_number=1106321645 Bearer tok-2",
	}
	if got := f.requests(); !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}

func TestTrackErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		token http.HandlerFunc // nil: the fake issues tokens
		order http.HandlerFunc
		check func(t *testing.T, err error)
	}{
		{
			name: "429 with Retry-After seconds",
			order: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "120")
				writeJSON(w, http.StatusTooManyRequests, `{"requests":[{"type":"GET","state":"INVALID","errors":[{"code":"v2_too_many_requests","message":"Too many requests"}]}]}`)
			},
			check: wantRateLimit(2 * time.Minute),
		},
		{
			name: "429 with Retry-After date",
			order: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "Fri, 08 Mar 2024 12:00:30 GMT")
				w.WriteHeader(http.StatusTooManyRequests)
			},
			check: wantRateLimit(30 * time.Second),
		},
		{
			name: "429 without Retry-After",
			order: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusTooManyRequests)
			},
			check: wantRateLimit(0),
		},
		{
			name: "token refused: 401 invalid_client",
			token: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusUnauthorized, `{"error":"invalid_client","error_description":"Bad credentials"}`)
			},
			check: wantUnauthorized,
		},
		{
			name: "token refused: 400 unauthorized_client",
			token: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusBadRequest, `{"error":"unauthorized_client","error_description":"Client is not authorized"}`)
			},
			check: wantUnauthorized,
		},
		{
			name: "token endpoint rate-limited",
			token: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "5")
				w.WriteHeader(http.StatusTooManyRequests)
			},
			check: wantRateLimit(5 * time.Second),
		},
		{
			name: "token answer without access_token",
			token: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, `{"token_type":"bearer","expires_in":3600}`)
			},
			check: wantPlainError("access_token"),
		},
		{
			name: "401 even with a new token",
			order: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusUnauthorized, `{"requests":[{"type":"AUTH","state":"INVALID","errors":[{"code":"v2_unauthorized","message":"Unauthorized"}]}]}`)
			},
			check: wantUnauthorized,
		},
		{
			name: "400 invalid cdek_number",
			order: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusBadRequest, `{"requests":[{"type":"GET","state":"INVALID","errors":[{"code":"v2_invalid_format","message":"Invalid value [abc] of field [cdek_number]"}]}]}`)
			},
			check: wantAPIError(http.StatusBadRequest, "v2_invalid_format", "Invalid value [abc]"),
		},
		{
			name: "403 order of another contract",
			order: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusForbidden, `{"requests":[{"type":"GET","state":"INVALID","errors":[{"code":"v2_order_forbidden","message":"Order belongs to another client"}]}]}`)
			},
			check: wantAPIError(http.StatusForbidden, "v2_order_forbidden", "another client"),
		},
		{
			name: "500 internal error",
			order: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusInternalServerError, `{"requests":[{"type":"GET","state":"INVALID","errors":[{"code":"v2_internal_error","message":"Internal error"}]}]}`)
			},
			check: wantAPIError(http.StatusInternalServerError, "v2_internal_error", "Internal error"),
		},
		{
			name: "502 from a proxy, HTML",
			order: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusBadGateway)
				_, _ = w.Write([]byte("<html><body>502 Bad Gateway</body></html>"))
			},
			check: wantAPIError(http.StatusBadGateway, "", "502 Bad Gateway"),
		},
		{
			name: "200 INVALID request without entity",
			order: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, `{"requests":[{"type":"GET","state":"INVALID","errors":[{"code":"v2_similar_request_still_processed","message":"Previous request is still processed"}]}]}`)
			},
			check: wantAPIError(http.StatusOK, "v2_similar_request_still_processed", "still processed"),
		},
		{
			name: "malformed body",
			order: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, `{"entity": {"statuses": [{"code": "DELIVERED"`)
			},
			check: wantPlainError("malformed"),
		},
		{
			name: "status time without zone",
			order: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, `{"entity":{"uuid":"u","cdek_number":1,"statuses":[{"code":"DELIVERED","name":"Вручен","date_time":"2024-03-07T14:21:05","city":"Москва"}]}}`)
			},
			check: wantPlainError("date_time"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.tokenAnswer = tt.token
			if tt.order != nil {
				f.routes["GET /v2/orders"] = tt.order
			}
			events, err := f.client(newClock()).Track(context.Background(), []string{"1106321645"})
			if err == nil {
				t.Fatalf("no error; %d events", len(events))
			}
			tt.check(t, err)
		})
	}
}

func wantRateLimit(after time.Duration) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var rl *carrier.RateLimitError
		if !errors.As(err, &rl) || rl.RetryAfter != after || rl.Carrier != "cdek" {
			t.Errorf("error %v, want a RateLimitError retrying after %s", err, after)
		}
	}
}

func wantUnauthorized(t *testing.T, err error) {
	t.Helper()
	var apiErr *carrier.APIError
	if !errors.Is(err, carrier.ErrUnauthorized) || errors.As(err, &apiErr) {
		t.Errorf("error %v, want ErrUnauthorized alone", err)
	}
}

func wantAPIError(status int, code, msg string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var apiErr *carrier.APIError
		if !errors.As(err, &apiErr) || apiErr.Status != status || apiErr.Code != code || !strings.Contains(apiErr.Message, msg) {
			t.Errorf("error %v, want APIError %d %s %q", err, status, code, msg)
		}
		if errors.Is(err, carrier.ErrUnauthorized) {
			t.Errorf("error %v is ErrUnauthorized", err)
		}
	}
}

func wantPlainError(text string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var apiErr *carrier.APIError
		var rl *carrier.RateLimitError
		if errors.As(err, &apiErr) || errors.As(err, &rl) || errors.Is(err, carrier.ErrUnauthorized) || !strings.Contains(err.Error(), text) {
			t.Errorf("error %v, want a plain error about %q", err, text)
		}
	}
}

func TestNoCredentials(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	c := New(carrier.Options{URL: f.srv.URL + "/v2", HTTP: f.srv.Client()})
	if _, err := c.Track(context.Background(), []string{"1106321645"}); !errors.Is(err, carrier.ErrUnauthorized) {
		t.Errorf("error %v, want ErrUnauthorized", err)
	}
	if f.issued() != 0 || len(f.requests()) != 0 {
		t.Errorf("requests were sent without credentials")
	}
}

func TestTrackContextCanceled(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.orders(map[string]string{"1106321645": "order_pickup_delivered.json"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.client(newClock()).Track(ctx, []string{"1106321645"}); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestDefaultURL(t *testing.T) {
	t.Parallel()
	if c := New(carrier.Options{}); c.base != DefaultURL {
		t.Errorf("base %q, want %q", c.base, DefaultURL)
	}
	if c := New(carrier.Options{URL: TestURL + "/"}); c.base != TestURL {
		t.Errorf("base %q, want %q", c.base, TestURL)
	}
}
