package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// shipOrder places an order of a Russian-speaking customer with the
// carrier and ships it with the tracking number; the journal's handlers
// (its parcel among them) have run when it returns.
func shipOrder(t *testing.T, e *env, ext, carrierCode, tracking string) *order.Order {
	t.Helper()
	ctx := context.Background()
	n := order.NewOrder{ExternalID: ext, Carrier: carrierCode,
		Customer: customer.Input{ExternalID: "c-" + ext, Name: "Анна " + ext, Email: strings.ToLower(ext) + "@example.ru", Language: "ru"},
		Items:    []order.Item{{SKU: "PAN", Name: "Сковородка", Qty: 1, PriceMinor: 99000}}}
	if err := order.Normalize(&n, e.app.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := e.app.Orders.Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: order.Shipped, TrackingNumber: tracking,
		Source: order.SourceAPI}); err != nil {
		t.Fatal(err)
	}
	drainJournal(t, e)
	o, err := order.Get(ctx, e.app.DB.Read(), res.ID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func drainJournal(t *testing.T, e *env) {
	t.Helper()
	if _, err := e.app.Dispatcher.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// report hands carrier events to the parcels, as the API would, and runs
// the journal's handlers.
func report(t *testing.T, e *env, source parcel.Source, events ...carrier.Event) {
	t.Helper()
	reports := make([]parcel.Report, len(events))
	for i, ev := range events {
		reports[i] = parcel.Report{Event: ev, Source: source}
	}
	out, err := e.app.Parcels.Ingest(context.Background(), reports)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range out {
		if o != parcel.Stored {
			t.Fatalf("event %d (%+v): %s, want stored", i, events[i], o)
		}
	}
	drainJournal(t, e)
}

func orderPath(id int64) string { return "/orders/" + strconv.FormatInt(id, 10) }

// wantAll fails the test for each text the page lacks, and notAll for
// each it has.
func wantAll(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func wantNone(t *testing.T, what, body string, notWant ...string) {
	t.Helper()
	for _, w := range notWant {
		if strings.Contains(body, w) {
			t.Errorf("%s has %q", what, w)
		}
	}
}

// TestOrderPageShowsParcels: after the carrier's events, the order page
// shows the parcel, its status in words, the pickup point's hold, the
// planned reminders and the events with their source.
func TestOrderPageShowsParcels(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			o := shipOrder(t, e, "P-1", "post", "RA000000001RU")
			arrived := e.clock.Now().Add(-time.Hour)
			report(t, e, parcel.SourceAPI,
				carrier.Event{TrackingNumber: "RA000000001RU", Status: carrier.InTransit, At: arrived.Add(-24 * time.Hour), Code: "8.0"},
				carrier.Event{TrackingNumber: "RA000000001RU", Status: carrier.ArrivedAtPickup, At: arrived, Code: "8.2",
					Description: "Прибыло в место вручения", Location: "Москва 101000"})
			b := newBrowser(t, e)
			b.login(people[auth.Operator])
			status, _, body := b.do("GET", orderPath(o.ID), nil)
			if status != http.StatusOK {
				t.Fatalf("order page: %d", status)
			}
			wantAll(t, "the order page", body, `id="parcels"`, "RA000000001RU", "Прибыл в пункт выдачи", "В пути",
				"8.2", "Прибыло в место вручения", "Москва 101000", "Система магазина (API)",
				"Хранится до", "Напоминания о получении", "Запланировано",
				"не запрашивается", `action="/orders/`+strconv.FormatInt(o.ID, 10)+`/parcels"`)
			wantNone(t, "the order page", body, "застряла", "[order_show.", "[parcel")
		})
	}
}

// TestParcelForms adds a parcel and records a carrier event by hand; a
// wrong field comes back named, and nothing is saved.
func TestParcelForms(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			o := shipOrder(t, e, "P-2", "courier", "CR-2001")
			other := shipOrder(t, e, "P-3", "courier", "CR-3001")
			ctx := context.Background()
			b := newBrowser(t, e)
			b.login(people[auth.Operator])
			page := orderPath(o.ID)

			bad := []struct {
				name, path string
				form       url.Values
				field      string
				text       string
			}{
				{"no tracking number", page + "/parcels", url.Values{"carrier": {"post"}, "tracking_number": {"  "}},
					"tracking_number", "Трек-номер: укажите номер посылки"},
				{"unknown carrier", page + "/parcels", url.Values{"carrier": {"pigeon"}, "tracking_number": {"RA1"}},
					"carrier", "Перевозчик: выберите"},
				{"another order's number", page + "/parcels", url.Values{"carrier": {"courier"}, "tracking_number": {"CR-3001"}},
					"tracking_number", "посылка с этим номером есть у другого заказа"},
			}
			ps, err := parcel.ByOrder(ctx, e.app.DB.Read(), o.ID)
			if err != nil || len(ps) != 1 {
				t.Fatalf("parcels of P-2: %v, %v", ps, err)
			}
			events := page + "/parcels/" + strconv.FormatInt(ps[0].ID, 10) + "/events"
			now := e.clock.Now().In(e.app.Settings.Shop.Location())
			bad = append(bad, []struct {
				name, path string
				form       url.Values
				field      string
				text       string
			}{
				{"no such status", events, url.Values{"status": {"teleported"}, "at": {now.Format("2006-01-02T15:04")}},
					"status", "Статус: выберите"},
				{"no time", events, url.Values{"status": {"delivered"}, "at": {"yesterday"}}, "at", "Время: укажите"},
				{"a time to come", events, url.Values{"status": {"delivered"}, "at": {now.Add(2 * time.Hour).Format("2006-01-02T15:04")}},
					"at", "не может быть позже"},
				{"a note of two lines", events, url.Values{"status": {"delivered"}, "at": {now.Format("2006-01-02T15:04")},
					"description": {"one\ntwo"}}, "description", "Заметка: одна строка"},
			}...)
			for _, tc := range bad {
				tc.form.Set("csrf", b.csrf)
				status, _, body := b.do("POST", tc.path, tc.form)
				if status != http.StatusUnprocessableEntity {
					t.Errorf("%s: status %d, want 422", tc.name, status)
					continue
				}
				wantAll(t, tc.name, body, `data-field="`+tc.field+`"`, tc.text)
			}
			if ps, _ := parcel.ByOrder(ctx, e.app.DB.Read(), o.ID); len(ps) != 1 {
				t.Errorf("after the refused forms the order has %d parcels, want 1", len(ps))
			}
			if evs, _ := parcel.Events(ctx, e.app.DB.Read(), ps[0].ID); len(evs) != 0 {
				t.Errorf("after the refused forms the parcel has events %+v", evs)
			}
			// Another order's parcel is no parcel of this order.
			otherParcels, _ := parcel.ByOrder(ctx, e.app.DB.Read(), other.ID)
			status, _, _ := b.do("POST", page+"/parcels/"+strconv.FormatInt(otherParcels[0].ID, 10)+"/events",
				url.Values{"csrf": {b.csrf}, "status": {"delivered"}, "at": {now.Format("2006-01-02T15:04")}})
			if status != http.StatusNotFound {
				t.Errorf("an event for another order's parcel: %d, want 404", status)
			}

			status, h, _ := b.do("POST", page+"/parcels", url.Values{"csrf": {b.csrf}, "carrier": {"post"}, "tracking_number": {" RA000000002RU "}})
			if status != http.StatusSeeOther || h.Get("Location") != page+"?saved=parcel" {
				t.Fatalf("add a parcel: %d to %q", status, h.Get("Location"))
			}
			at := now.Add(-30 * time.Minute).Format("2006-01-02T15:04")
			status, h, _ = b.do("POST", events, url.Values{"csrf": {b.csrf}, "status": {"delivered"}, "at": {at},
				"description": {"Клиент позвонил: получил"}})
			if status != http.StatusSeeOther || h.Get("Location") != page+"?saved=event" {
				t.Fatalf("record an event: %d to %q", status, h.Get("Location"))
			}
			_, _, body := b.do("GET", page+"?saved=event", nil)
			wantAll(t, "the order page after the forms", body, "RA000000002RU", "Вручён", "Клиент позвонил: получил", "Оператор",
				"Сохранено")
			evs, err := parcel.Events(ctx, e.app.DB.Read(), ps[0].ID)
			if err != nil || len(evs) != 1 || evs[0].Source != parcel.SourceAdmin || evs[0].Status != carrier.Delivered {
				t.Fatalf("the parcel's events: %+v, %v; want the operator's delivered", evs, err)
			}
			// One of two parcels delivered: the order waits for the other.
			if got, _ := order.Get(ctx, e.app.DB.Read(), o.ID); got.Status != order.Shipped {
				t.Errorf("the order with one of two parcels delivered is %s, want shipped", got.Status)
			}
		})
	}
}

// lateShop is a shop on the fake clock, two days past the promised day
// of a courier order: that order is late, a post parcel has been silent
// for six days, another waits at its pickup point, and one order came on
// time.
type lateShop struct {
	late, stuck, waiting, onTime *order.Order
}

func newLateShop(t *testing.T, e *env) lateShop {
	t.Helper()
	ctx := context.Background()
	var s lateShop
	s.late = shipOrder(t, e, "LATE-1", "courier", "CR-LATE1")
	s.stuck = shipOrder(t, e, "STUCK-1", "post", "RA000000101RU")
	s.waiting = shipOrder(t, e, "WAIT-1", "post", "RA000000102RU")
	s.onTime = shipOrder(t, e, "DONE-1", "courier", "CR-DONE1")
	now := e.clock.Now()
	report(t, e, parcel.SourceAPI,
		carrier.Event{TrackingNumber: "RA000000101RU", Status: carrier.InTransit, At: now.Add(-24 * time.Hour), Code: "8"},
		carrier.Event{TrackingNumber: "RA000000102RU", Status: carrier.ArrivedAtPickup, At: now, Code: "8.2", Location: "Тверь 170000"},
		carrier.Event{TrackingNumber: "CR-DONE1", Status: carrier.Delivered, At: now, Code: "DELIVERED"})
	if s.late.PromisedTo == "" {
		t.Fatal("the courier order has no promised day")
	}
	promised, err := time.ParseInLocation(time.DateOnly, s.late.PromisedTo, e.app.Settings.Shop.Location())
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(promised.AddDate(0, 0, e.app.Settings.Compensation.LateGraceDays+1).Add(12 * time.Hour))
	if silent := e.clock.Now().Sub(now.Add(-24 * time.Hour)); silent < 6*24*time.Hour {
		t.Fatalf("the post parcel is silent only %s by the late day", silent)
	}
	// The courier still moves the late parcel: it is late, not silent.
	report(t, e, parcel.SourceAPI, carrier.Event{TrackingNumber: "CR-LATE1", Status: carrier.InTransit,
		At: e.clock.Now().Add(-2 * time.Hour), Code: "IN_TRANSIT"})
	res, err := e.app.Orders.Watch(ctx)
	if err != nil || res.Late != 1 {
		t.Fatalf("promise watch: %+v, %v; want one late order", res, err)
	}
	pw, err := e.app.Parcels.Watch(ctx)
	if err != nil || pw.Stuck != 1 {
		t.Fatalf("parcel watch: %+v, %v; want one stuck parcel", pw, err)
	}
	drainJournal(t, e)
	return s
}

// findTask returns the order's open find_parcel task.
func findTask(t *testing.T, e *env, orderID int64) task.Task {
	t.Helper()
	ts, err := task.ListByOrder(context.Background(), e.app.DB.Read(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range ts {
		if tk.Kind == task.FindParcel && tk.Status == task.Open {
			return tk
		}
	}
	t.Fatalf("order %d has no open find_parcel task: %+v", orderID, ts)
	return task.Task{}
}

// TestResolveFindParcelTask closes the late order's find_parcel task from
// its order page; a second press changes nothing, and a call-back is no
// task to resolve.
func TestResolveFindParcelTask(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			s := newLateShop(t, e)
			tk := findTask(t, e, s.late.ID)
			b := newBrowser(t, e)
			b.login(people[auth.Operator])
			page := orderPath(s.late.ID)
			resolve := "/tasks/" + strconv.FormatInt(tk.ID, 10) + "/resolve"
			_, _, body := b.do("GET", page, nil)
			wantAll(t, "the late order's page", body, "Найти посылку", "заказ опаздывает", "Перезвонить", `action="`+resolve+`"`)

			status, h, _ := b.do("POST", resolve, url.Values{"csrf": {b.csrf}})
			if status != http.StatusSeeOther || h.Get("Location") != page+"?saved=task" {
				t.Fatalf("resolve: %d to %q", status, h.Get("Location"))
			}
			got, err := task.Get(context.Background(), e.app.DB.Read(), tk.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != task.Done || got.Outcome != task.Resolved || got.DoneBy != people[auth.Operator] {
				t.Fatalf("the task after resolve: %s %s by %q", got.Status, got.Outcome, got.DoneBy)
			}
			_, _, body = b.do("GET", page, nil)
			if strings.Contains(body, `action="`+resolve+`"`) {
				t.Error("the order page still offers to resolve the resolved task")
			}
			if status, _, _ := b.do("POST", resolve, url.Values{"csrf": {b.csrf}}); status != http.StatusSeeOther {
				t.Errorf("resolve again: %d, want 303", status)
			}
			if again, _ := task.Get(context.Background(), e.app.DB.Read(), tk.ID); again.Attempts != got.Attempts || !again.DoneAt.Equal(*got.DoneAt) {
				t.Errorf("resolving again changed the task: %+v", again)
			}
			ts, _ := task.ListByOrder(context.Background(), e.app.DB.Read(), s.late.ID)
			for _, c := range ts {
				if c.Kind == task.Callback {
					if status, _, _ := b.do("POST", "/tasks/"+strconv.FormatInt(c.ID, 10)+"/resolve", url.Values{"csrf": {b.csrf}}); status != http.StatusNotFound {
						t.Errorf("resolve a call-back: %d, want 404", status)
					}
				}
			}
		})
	}
}

// TestParcelDesk shows the promise-keeping figures and the work lists to
// an operator; the packer may not see the page.
func TestParcelDesk(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			s := newLateShop(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Operator])
			status, _, body := b.do("GET", "/parcels", nil)
			if status != http.StatusOK {
				t.Fatalf("/parcels: %d\n%s", status, body)
			}
			wantAll(t, "/parcels", body, "Посылки и обещания",
				"<strong id=\"on-time-rate\">100\u00a0%</strong>", "1 из 1 доставленного заказа",
				`id="delivered-late">0<`, `id="late-open">1<`, `id="stuck-count">1<`, `id="waiting-count">1<`,
				`id="by-carrier"`, "Курьер",
				`href="/parcels" aria-current="page"`,
				// the work lists
				`id="find-tasks"`, "LATE-1", "заказ опаздывает", "STUCK-1", "перевозчик молчит",
				`id="stuck-parcels"`, "RA000000101RU", "дней без вестей",
				`id="waiting-parcels"`, "WAIT-1", "RA000000102RU", "Хранится до")
			wantNone(t, "/parcels", body, `href="/orders" aria-current`, "[parcel_desk.", "[admin.")
			for _, o := range []*order.Order{s.late, s.stuck} {
				tk := findTask(t, e, o.ID)
				wantAll(t, "/parcels", body, `action="/tasks/`+strconv.FormatInt(tk.ID, 10)+`/resolve"`)
			}

			// Resolved from the desk, it goes back there and off the list.
			tk := findTask(t, e, s.stuck.ID)
			status, h, _ := b.do("POST", "/tasks/"+strconv.FormatInt(tk.ID, 10)+"/resolve", url.Values{"csrf": {b.csrf}, "back": {"parcels"}})
			if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/parcels?done=") {
				t.Fatalf("resolve from the desk: %d to %q", status, h.Get("Location"))
			}
			_, _, body = b.do("GET", h.Get("Location"), nil)
			if strings.Contains(body, `action="/tasks/`+strconv.FormatInt(tk.ID, 10)+`/resolve"`) {
				t.Error("the resolved task is still on the desk")
			}

			packer := newBrowser(t, e)
			packer.login(people[auth.Packer])
			if status, _, _ := packer.do("GET", "/parcels", nil); status != http.StatusForbidden {
				t.Errorf("the packer on /parcels: %d, want 403", status)
			}
		})
	}
}

// TestTrackingPageShowsParcel: the customer's page tells the parcel's
// way in their language and how long it is kept, and nothing of the
// carrier's raw events, the operator's notes or another order.
func TestTrackingPageShowsParcel(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			o := shipOrder(t, e, "T-1", "post", "RA000000201RU")
			other := shipOrder(t, e, "T-2", "post", "RA000000202RU")
			now := e.clock.Now()
			report(t, e, parcel.SourceAPI,
				carrier.Event{TrackingNumber: "RA000000201RU", Status: carrier.Accepted, At: now.Add(-48 * time.Hour), Code: "1",
					Description: "Приём", Location: "Москва 101000", Raw: []byte(`{"secret":"raw-json-1"}`)},
				carrier.Event{TrackingNumber: "RA000000201RU", Status: carrier.ArrivedAtPickup, At: now.Add(-time.Hour), Code: "8.2",
					Description: "Прибыло в место вручения", Location: "Тверь 170000"},
				carrier.Event{TrackingNumber: "RA000000202RU", Status: carrier.InTransit, At: now.Add(-time.Hour), Code: "8",
					Location: "Казань 420000"})
			report(t, e, parcel.SourceAdmin, carrier.Event{TrackingNumber: "RA000000201RU", Code: "call",
				Description: "Оператор: клиентка просила подержать", At: now.Add(-30 * time.Minute)})

			status, _, body := e.get(t, "GET", "/t/"+o.TrackingToken)
			if status != http.StatusOK {
				t.Fatalf("tracking page: %d", status)
			}
			kept := e.app.Parcels.KeptUntil("post", now.Add(-time.Hour))
			if kept == "" {
				t.Fatal("the post carrier keeps parcels for no days")
			}
			wantAll(t, "the tracking page", body, `id="parcels"`, "Ваша посылка", "RA000000201RU",
				"Прибыл в пункт выдачи", "Тверь 170000", "Принят перевозчиком", "Москва 101000",
				"Посылка хранится в пункте выдачи до")
			wantNone(t, "the tracking page", body, "raw-json", "secret", "Оператор", "подержать", "Прибыло в место вручения",
				"Приём", "8.2", other.ExternalID, "RA000000202RU", "Казань", "[parcel", "[tracking")
			if i, j := strings.Index(body, "Прибыл в пункт выдачи"), strings.Index(body, "Принят перевозчиком"); i > j {
				t.Error("the parcel's timeline is not newest first")
			}
		})
	}
}
