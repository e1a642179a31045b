package api

import (
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/parcel"
)

// FuzzParcelEvents feeds arbitrary bodies to POST /parcels/events' parser:
// nothing may panic, every rejection is a validation error naming a field
// (or the body), and every event it accepts is one the intake takes.
func FuzzParcelEvents(f *testing.F) {
	f.Add(`{"tracking_number": "RA123456789RU", "status": "in_transit", "at": "2026-11-24T10:00:00+03:00"}`)
	f.Add(`{"events": [{"tracking_number": "1106321645", "status": "arrived_at_pickup", "at": "2026-11-25 12:00", "code": "ACCEPTED_AT_PICK_UP_POINT", "location": "Москва"}]}`)
	f.Add(`{"events": [{"tracking_number": "x", "code": "notice", "at": "2026-11-25"}, {"status": "lost"}]}`)
	f.Add(`{"events": {"a": 1}}`)
	f.Add(`{"tracking_number": ["x"], "at": 5}`)
	f.Add(`[]`)
	f.Add(`{"events": [` + "\x00" + `]}`)
	f.Add(`{"tracking_number": "RA1\u0000", "status": "in_transit", "at": "2026-11-24T10:00:00+03:00"}`)
	f.Add(`{"events": [{"tracking_number": "RA1", "status": "delivered", "at": "9999-12-31T23:59:59Z"}]}`)
	f.Add(`{"tracking_number": "RA1", "status": "in_transit", "at": "2026-11-24", "description": "line\nline\u0007"}`)
	loc, _ := time.LoadLocation("Europe/Riga")
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		reports, _, err := parseParcelEvents([]byte(body), loc, now)
		if err != nil {
			if _, ok := invalid.First(err); !ok {
				t.Fatalf("the error is not a validation error: %v", err)
			}
			return
		}
		if len(reports) == 0 || len(reports) > maxEvents {
			t.Fatalf("accepted %d events", len(reports))
		}
		for i, r := range reports {
			if f, problem := parcel.CheckAt(r.Event, now); f != "" {
				t.Fatalf("event %d accepted but the intake refuses it: %s %s", i, f, problem)
			}
		}
	})
}
