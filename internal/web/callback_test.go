package web_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// newOrder places an order as the API does and lets the playbook make its
// call-back task; it returns the order and the task.
func newOrder(t *testing.T, e *env, ext string, in customer.Input) (int64, task.Task) {
	t.Helper()
	ctx := context.Background()
	n := order.NewOrder{ExternalID: ext, Customer: in, Carrier: "courier", Payment: order.Payment{Method: "cod"},
		Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 249000}}}
	if err := order.Normalize(&n, e.app.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := e.app.Orders.Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	ts, err := task.ListByOrder(ctx, e.app.DB.Read(), res.ID)
	if err != nil || len(ts) != 1 {
		t.Fatalf("tasks of %s: %v, %v", ext, ts, err)
	}
	return res.ID, ts[0]
}

// TestCallbackToTheEnd takes a call-back from the queue through the
// script to "reached": the order moves to processing with the address
// and window the operator confirmed.
func TestCallbackToTheEnd(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			id, tk := newOrder(t, e, "CB-1", customer.Input{ExternalID: "cb-1", Name: "Андрей Петров",
				Phone: "+7 916 123-45-67", Email: "andrei@example.com", Language: "ru", City: "Тверь"})
			b := newBrowser(t, e)
			b.login(people[auth.Operator])

			status, _, body := b.do("GET", "/callbacks", nil)
			if status != http.StatusOK || !strings.Contains(body, "CB-1") || !strings.Contains(body, "/callbacks/"+strconv.FormatInt(tk.ID, 10)) {
				t.Fatalf("queue: %d\n%s", status, body)
			}
			status, _, body = b.do("GET", "/callbacks/"+strconv.FormatInt(tk.ID, 10), nil)
			if status != http.StatusOK {
				t.Fatalf("script: %d\n%s", status, body)
			}
			for _, want := range []string{"Андрей", "CB-1", "79161234567", "Оплата при получении"} {
				if !strings.Contains(body, want) {
					t.Errorf("the script lacks %q\n%s", want, body)
				}
			}
			path := "/callbacks/" + strconv.FormatInt(tk.ID, 10) + "/reached"
			status, _, body = b.do("POST", path, url.Values{"csrf": {b.csrf}, "address": {"Тверь, ул. Советская, 5"}, "window": {"03:00-04:00"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `class="invalid"`) {
				t.Fatalf("a window not offered: %d, want 422 with the field marked\n%.2000s", status, body)
			}
			if o, _ := order.Get(context.Background(), e.app.DB.Read(), id); o.Status != order.New {
				t.Fatalf("after a refused outcome the order is %s", o.Status)
			}
			status, h, _ := b.do("POST", path, url.Values{"csrf": {b.csrf}, "address": {"Тверь, ул. Советская, 5"},
				"window": {"12:00-15:00"}, "notes": {"звонить после обеда"}})
			if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/callbacks") {
				t.Fatalf("reached: %d to %q", status, h.Get("Location"))
			}
			o, err := order.Get(context.Background(), e.app.DB.Read(), id)
			if err != nil {
				t.Fatal(err)
			}
			if o.Status != order.Processing || o.Address != "Тверь, ул. Советская, 5" || o.DeliveryWindow != "12:00-15:00" {
				t.Errorf("order after the call: %s %q %q", o.Status, o.Address, o.DeliveryWindow)
			}
			status, _, body = b.do("GET", "/orders/"+strconv.FormatInt(id, 10), nil)
			if status != http.StatusForbidden && !strings.Contains(body, "Звонок: дозвонились") {
				t.Errorf("the order page does not show the call's note")
			}
			// The same outcome again: the task is closed, nothing changes.
			status, _, _ = b.do("POST", "/callbacks/"+strconv.FormatInt(tk.ID, 10)+"/no-answer", url.Values{"csrf": {b.csrf}})
			if status != http.StatusUnprocessableEntity {
				t.Errorf("an outcome on a closed call-back: %d, want 422", status)
			}
		})
	}
}

// TestCallbackQueueUpdatesLive listens to the queue's server-sent events
// and places an order: an event arrives.
func TestCallbackQueueUpdatesLive(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Engines(t)[0])
	addPeople(t, e)
	b := newBrowser(t, e)
	b.login(people[auth.Operator])
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/callbacks/events", nil)
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "retry:") {
		t.Fatalf("stream starts with %q", lines.Text())
	}
	newOrder(t, e, "LIVE-1", customer.Input{ExternalID: "live-1", Name: "Līga", Phone: "+371 2612 3456", Language: "lv", Country: "LV"})
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "data: ") {
			if !strings.Contains(lines.Text(), `"open":1`) {
				t.Errorf("event %q, want one open call-back", lines.Text())
			}
			return
		}
	}
	t.Fatalf("no event after a new order: %v", lines.Err())
}
