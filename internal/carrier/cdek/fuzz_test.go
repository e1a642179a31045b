package cdek

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shopcare/shopcare/internal/carrier"
)

// seed adds the testdata bodies whose name starts with prefix.
func seed(f *testing.F, prefix string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", prefix+"*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds %s: %v", prefix, err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func checkEvents(t *testing.T, events []carrier.Event) {
	t.Helper()
	for _, e := range events {
		if e.Status != "" && !e.Status.Valid() {
			t.Fatalf("invalid status %q in %+v", e.Status, e)
		}
		if e.TrackingNumber == "" || e.Code == "" || e.At.IsZero() {
			t.Fatalf("incomplete event %+v", e)
		}
	}
}

// FuzzOrderAnswer feeds order answers to what Track makes of them.
func FuzzOrderAnswer(f *testing.F) {
	seed(f, "order_")
	f.Add([]byte(`{"entity":{"is_return":true,"cdek_number":"1","statuses":[{"code":"DELIVERED","date_time":"2024-03-07T14:21:05+03:00"},{"code":" ","date_time":""}]}}`))
	f.Add([]byte(`{"entity":null,"requests":[{"errors":[{"code":"v2_entity_not_found"}]}],"errors":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ans, err := decodeOrder(body)
		if err != nil {
			return
		}
		_ = ans.notFound()
		_ = ans.apiError(400)
		_ = answerError(400, body)
		if ans.Entity == nil {
			return
		}
		events, err := orderEvents("1106321645", ans.Entity)
		if err != nil {
			return
		}
		checkEvents(t, events)
		for i := 1; i < len(events); i++ {
			if events[i].At.Before(events[i-1].At) {
				t.Fatalf("events not oldest first: %v before %v", events[i-1].At, events[i].At)
			}
		}
	})
}

// FuzzWebhook feeds push bodies to Parse's reader.
func FuzzWebhook(f *testing.F) {
	seed(f, "webhook_")
	f.Add([]byte(`{"type":"ORDER_STATUS","date_time":"2024-03-06T10:00:00+0300","attributes":{"cdek_number":5,"status_code":12}}`))
	f.Add([]byte(`{"type":"ORDER_STATUS","attributes":{"is_return":true,"cdek_number":"1","code":"DELIVERED","status_date_time":"2024-03-06T10:00:00Z","related_entities":[{"type":"direct_order","cdek_number":2}]}}`))
	f.Add([]byte(`{"type":"PRINT_FORM","attributes":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := parseWebhook(body)
		if err != nil {
			return
		}
		if len(events) > 1 {
			t.Fatalf("%d events from one push", len(events))
		}
		checkEvents(t, events)
	})
}
