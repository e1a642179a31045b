package event_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/event"
)

// TestExperienceFields: the fields the negative-experience register added
// to older payloads (who moved an order, the call-back and the message of
// an experience.negative) round-trip through their golden rows, and the
// older rows still decode (TestGoldenRows).
func TestExperienceFields(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	cases := map[string]event.Payload{
		"order.status_changed.source": event.OrderStatusChangedPayload{OrderFacts: event.OrderFacts{TotalMinor: 12990, Counted: true, PlacedAt: at},
			From: "processing", To: "cancelled", Carrier: "omniva", Source: "admin"},
		"experience.negative.task":    event.ExperienceNegativePayload{Cause: "missed_callback", TaskID: 9},
		"experience.negative.message": event.ExperienceNegativePayload{Cause: "unreachable", MessageID: 21},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			golden, err := os.ReadFile(filepath.Join("testdata", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			golden = bytes.TrimSpace(golden)
			back, err := event.Decode(p.EventKind(), golden)
			if err != nil {
				t.Fatal(err)
			}
			if got := reflect.ValueOf(back).Elem().Interface(); !reflect.DeepEqual(got, p) {
				t.Errorf("golden row decodes as %+v, want %+v", got, p)
			}
			dec := json.NewDecoder(bytes.NewReader(golden))
			dec.DisallowUnknownFields()
			if err := dec.Decode(reflect.New(reflect.TypeOf(p)).Interface()); err != nil {
				t.Errorf("golden row has a field the payload lost: %v", err)
			}
			raw, err := event.Encode(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(raw, golden) {
				t.Errorf("encodes as\n%s\nwas\n%s", raw, golden)
			}
		})
	}
}
