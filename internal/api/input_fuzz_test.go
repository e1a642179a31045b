package api

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
)

// fuzzNow is the clock of the fuzzers.
var fuzzNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// decodeFuzz decodes body as a handler does; ok is false when it is
// refused, and the test fails when the refusal is not a 415 or a
// validation error.
func decodeFuzz(t *testing.T, body string, v any) (ok bool) {
	t.Helper()
	r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(body))
	err := decode(r, v)
	if err == nil {
		return true
	}
	var nj *notJSONError
	if _, isInvalid := invalid.First(err); !isInvalid && !errors.As(err, &nj) {
		t.Fatalf("decode error is neither a 415 nor a validation error: %v", err)
	}
	return false
}

// FuzzStatusRequest feeds arbitrary bodies to POST /orders/{id}/status's
// decoding and validation: nothing panics, every refusal names a field,
// and what is accepted has text within the limits and a time in the
// calendars' years, not ahead of the clock.
func FuzzStatusRequest(f *testing.F) {
	f.Add(`{"status":"shipped","carrier":"courier","tracking_number":"RA123"}`)
	f.Add(`{"status":"delivered","at":"2026-11-23T15:00:00+03:00"}`)
	f.Add(`{"status":"delivered","at":"9999-12-31T23:59:59Z"}`)
	f.Add(`{"status":"shipped","tracking_number":"RA\u0000"}`)
	f.Add(`{"status":"new","at":"0001-01-01"}`)
	settings, err := config.Parse(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var req statusRequest
		if !decodeFuzz(t, body, &req) {
			return
		}
		u, err := req.update(settings, fuzzNow)
		if err != nil {
			if _, ok := invalid.First(err); !ok {
				t.Fatalf("validation error of an unexpected type: %T %v", err, err)
			}
			return
		}
		for field, v := range map[string]string{"carrier": u.Carrier, "tracking_number": u.TrackingNumber} {
			if e := invalid.Text(field, v); e != nil {
				t.Fatalf("accepted %s %q: %v", field, v, e)
			}
		}
		if !u.At.IsZero() && (!invalid.InRange(u.At) || u.At.After(fuzzNow.Add(invalid.ClockSkew))) {
			t.Fatalf("accepted at %s", u.At)
		}
	})
}

// FuzzShopDaysRequest feeds arbitrary bodies to POST /shop/days' decoding
// and validation: nothing panics, and every span accepted is one the
// calendar takes (a span it refused once made serve unable to start).
func FuzzShopDaysRequest(f *testing.F) {
	f.Add(`{"from":"2026-12-28","to":"2026-12-30","reason":"stocktaking"}`)
	f.Add(`{"from":"2100-01-01","to":"2100-01-02"}`)
	f.Add(`{"from":"2099-12-31"}`)
	f.Add(`{"from":"2027-01-01","to":"2028-01-01","working":true}`)
	f.Add(`{"from":"2027-01-01","reason":"a\u0000"}`)
	f.Fuzz(func(t *testing.T, body string) {
		var req shopDaysRequest
		if !decodeFuzz(t, body, &req) {
			return
		}
		d, err := req.days()
		if err != nil {
			if _, ok := invalid.First(err); !ok {
				t.Fatalf("validation error of an unexpected type: %T %v", err, err)
			}
			return
		}
		o := calendar.Override{From: d.From, To: d.To, Working: d.Working, Reason: d.Reason}
		if _, err := calendar.New("RU", []calendar.Override{o}); err != nil {
			t.Fatalf("accepted %+v, which the calendar refuses: %v", d, err)
		}
		if e := invalid.Text("reason", d.Reason); e != nil {
			t.Fatalf("accepted reason %q: %v", d.Reason, e)
		}
	})
}
