package dhl

import (
	"encoding/json"
	"testing"

	"github.com/shopcare/shopcare/internal/carrier"
)

// checkFuzzEvents asserts what every parsed event must satisfy.
func checkFuzzEvents(t *testing.T, body []byte, evs []carrier.Event) {
	t.Helper()
	for _, e := range evs {
		if e.Status != "" && !e.Status.Valid() {
			t.Fatalf("event with invalid status %q from %q", e.Status, body)
		}
		if e.TrackingNumber == "" || e.At.IsZero() {
			t.Fatalf("event without number or time %+v from %q", e, body)
		}
		if !json.Valid(e.Raw) {
			t.Fatalf("event raw %q is no JSON", e.Raw)
		}
	}
}

// seeds are small bodies of each shape DHL sends; small, so that the
// fuzzer's minimising of what it finds stays quick.
func seeds(f *testing.F) {
	f.Helper()
	for _, s := range []string{
		`{"shipments":[{"id":"1","service":"parcel-de","events":[{"timestamp":"2026-03-13T09:50:00",` +
			`"location":{"address":{"addressLocality":"Leipzig","postalCode":"04109","countryCode":"DE"}},` +
			`"statusCode":"delivered","statusDetailed":"PCKDU_PCKST_DD","description":"<b>Die Sendung</b> wurde &amp; zugestellt."},` +
			`{"timestamp":"2026-03-12T08:38:00","statusCode":"transit","description":"ready for pick-up at the PACKSTATION"}]}]}`,
		`{"shipments":[{"id":"2","service":"express","status":{"timestamp":"2026-04-08T11:47:00+03:00",` +
			`"statusCode":"transit","status":"WC","description":"With delivery courier"}}],"possibleAdditionalShipmentsUrl":["/x"]}`,
		`{"scope":"subscription.push","self":"https://api-eu.dhl.com/tracking/push/v1/subscription/s","shipments":[{"id":"3",` +
			`"events":[{"timestamp":"2026-05-04T09:12:00Z","statusCode":"failure","description":"not at home"}]}]}`,
		`{"scope":"subscription.validate","secret":"x"}`,
		`{"shipments":null}`,
		`<`,
	} {
		f.Add([]byte(s))
	}
}

func FuzzParseAnswer(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		evs, err := parseAnswer("1234567890", body)
		if err != nil && len(evs) != 0 {
			t.Fatalf("events with an error: %v", err)
		}
		checkFuzzEvents(t, body, evs)
	})
}

func FuzzParsePush(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		evs, err := parsePush(body)
		if err != nil && len(evs) != 0 {
			t.Fatalf("events with an error: %v", err)
		}
		checkFuzzEvents(t, body, evs)
	})
}
