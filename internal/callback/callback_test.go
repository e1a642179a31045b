package callback_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// shop starts an SMTP server and an App on the engine that mails through
// it; the shop has a phone number for the call-back e-mails, and the shop
// settings lines given ("  callback_tries: 1").
func shop(t testing.TB, engine store.Engine, work bool, shopLines ...string) (*app.App, *clock.Fake, *smtptest.Server) {
	t.Helper()
	srv := smtptest.Start(t)
	settings := append([]string{
		"shop:",
		`  name: "Кастрюля и сковородка"`,
		"  public_url: https://care.example.com",
		`  phone: "+7 495 123-45-67"`,
	}, shopLines...)
	settings = append(settings,
		"channels:",
		"  email:",
		"    smtp_url: "+srv.URL(),
		`    from: "Кастрюля и сковородка <shop@example.com>"`)
	a, clk := apptest.New(t, engine, work, settings...)
	return a, clk, srv
}

// place creates an order (one pot by courier unless n has items) and lets
// the playbook handle it, and returns the order's id.
func place(t testing.TB, a *app.App, n order.NewOrder) int64 {
	t.Helper()
	if len(n.Items) == 0 {
		n.Items = []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 499000}}
	}
	if n.Carrier == "" {
		n.Carrier = "courier"
	}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Dispatcher.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	return res.ID
}

// moscow is a customer in Moscow with an e-mail and a phone.
func moscow(ext, name string) customer.Input {
	return customer.Input{ExternalID: ext, Name: name, Email: ext + "@example.ru", Phone: "+7 916 555-01-0" + ext[len(ext)-1:],
		Language: "ru", Country: "RU", City: "Москва"}
}

// callbackOf returns the order's call-back task.
func callbackOf(t testing.TB, a *app.App, orderID int64) task.Task {
	t.Helper()
	ts, err := task.ListByOrder(context.Background(), a.DB.Read(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range ts {
		if tk.Kind == task.Callback {
			return tk
		}
	}
	t.Fatalf("order %d has no call-back task: %+v", orderID, ts)
	return task.Task{}
}

type note struct {
	Kind, Body, Author string
	At                 time.Time
}

func notes(t testing.TB, a *app.App, orderID int64) []note {
	t.Helper()
	rows, err := a.DB.Read().Query(context.Background(), `SELECT kind, body, author, created_at FROM order_notes
		WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []note
	for rows.Next() {
		var n note
		if err := rows.Scan(&n.Kind, &n.Body, &n.Author, &n.At); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func messagesOf(t testing.TB, a *app.App, orderID int64, rule string) []message.Message {
	t.Helper()
	ms, err := message.ListByOrder(context.Background(), a.DB.Read(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	var out []message.Message
	for _, m := range ms {
		if m.Rule == rule {
			out = append(out, m)
		}
	}
	return out
}

// send runs the send job of a message now, as River would.
func send(t testing.TB, a *app.App, id int64) {
	t.Helper()
	err := a.Messages.Work(context.Background(), &river.Job[message.SendArgs]{
		JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: message.MaxAttempts}, Args: message.SendArgs{MessageID: id}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestQueue: open call-backs come by due time with the time left, the
// overdue ones flagged, each with the customer's local time; a closed one
// leaves the queue.
func TestQueue(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, _ := shop(t, engine, false)
			// 12:00 UTC is 15:00 in Moscow: due within the hour.
			first := place(t, a, order.NewOrder{ExternalID: "A-1", Customer: moscow("c-1", "Андрей Петров")})
			clk.Advance(10 * time.Minute)
			riga := customer.Input{ExternalID: "c-2", Name: "Anna Bērziņa", Email: "anna@example.lv", Phone: "+371 2612 3456",
				Language: "lv", Country: "LV"}
			second := place(t, a, order.NewOrder{ExternalID: "A-2", Customer: riga})

			q, err := a.Callbacks.Queue(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(q) != 2 || q[0].OrderID != first || q[1].OrderID != second {
				t.Fatalf("queue = %+v, want A-1 then A-2", q)
			}
			it := q[0]
			if want := apptest.Start.Add(time.Hour); !it.DueAt.Equal(want) {
				t.Errorf("A-1 due %s, want %s", it.DueAt.UTC(), want)
			}
			if it.OrderNumber != "A-1" || it.CustomerName != "Андрей Петров" || it.Phone != "+79165550101" ||
				it.Attempts != 0 || it.OrderStatus != order.New {
				t.Errorf("item = %+v", it)
			}
			if it.Overdue || it.Left != 50*time.Minute {
				t.Errorf("A-1 overdue %v, left %s; want 50m left", it.Overdue, it.Left)
			}
			if q[1].Zone != "Europe/Riga" || q[1].LocalNow.Format("15:04") != "14:10" {
				t.Errorf("Riga customer's time = %s %s, want 14:10 Europe/Riga", q[1].LocalNow.Format("15:04"), q[1].Zone)
			}

			clk.Set(apptest.Start.Add(65 * time.Minute))
			q, err = a.Callbacks.Queue(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(q) != 1 || q[0].OrderID != first || !q[0].Overdue || q[0].Left != -5*time.Minute {
				t.Fatalf("queue of 1 at 13:05 = %+v, want A-1 overdue by 5m", q)
			}
			c, err := a.Callbacks.QueueCounts(ctx)
			if err != nil || c != (callback.Counts{Open: 2, Overdue: 1}) {
				t.Errorf("counts = %+v, %v; want 2 open, 1 overdue", c, err)
			}

			if _, err := a.Callbacks.Reached(ctx, q[0].TaskID, callback.ReachedInput{Address: "ул. Ленина, 1"}, "op@example.com"); err != nil {
				t.Fatal(err)
			}
			q, err = a.Callbacks.Queue(ctx, 0)
			if err != nil || len(q) != 1 || q[0].OrderID != second || q[0].Overdue {
				t.Errorf("queue after A-1 reached = %+v, %v; want A-2 alone, not overdue", q, err)
			}
		})
	}
}

// TestReached: the address and time window are checked and saved, the
// order moves to processing, a note records the call, and the task is
// done and refuses another outcome.
func TestReached(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, _ := shop(t, engine, false)
			id := place(t, a, order.NewOrder{ExternalID: "R-1", Customer: moscow("c-1", "Андрей Петров")})
			tk := callbackOf(t, a, id)
			clk.Advance(20 * time.Minute)

			for _, tt := range []struct {
				in    callback.ReachedInput
				field string
			}{
				{callback.ReachedInput{Window: "09:00-12:00"}, "address"},
				{callback.ReachedInput{Address: "ул. Ленина, 1", Window: "07:00-09:00"}, "window"},
				{callback.ReachedInput{Address: strings.Repeat("д", 501)}, "address"},
				{callback.ReachedInput{Address: "ул. Ленина, 1\x07"}, "address"},
				{callback.ReachedInput{Address: "ул. \x00Ленина, 1"}, "address"},
			} {
				_, err := a.Callbacks.Reached(ctx, tk.ID, tt.in, "op@example.com")
				if e, ok := invalid.First(err); !ok || e.Field != tt.field {
					t.Errorf("Reached(%+v) = %v, want an invalid %s", tt.in, err, tt.field)
				}
			}
			if o := getOrder(t, a, id); o.Status != order.New || o.AddressConfirmedAt != nil {
				t.Fatalf("a refused call moved the order to %s, confirmed its address at %v", o.Status, o.AddressConfirmedAt)
			}

			res, err := a.Callbacks.Reached(ctx, tk.ID, callback.ReachedInput{Address: "  ул. Ленина,\n 1, кв. 5 ",
				Window: "15:00–18:00", Notes: "звонить после обеда"}, "op@example.com")
			if err != nil {
				t.Fatal(err)
			}
			if !res.Closed || res.Outcome != task.Reached || res.Attempts != 1 || !res.OrderMoved {
				t.Errorf("result = %+v", res)
			}
			o := getOrder(t, a, id)
			if o.Status != order.Processing || o.Address != "ул. Ленина, 1, кв. 5" || o.DeliveryWindow != "15:00-18:00" ||
				o.AddressConfirmedAt == nil || !o.AddressConfirmedAt.Equal(clk.Now()) {
				t.Errorf("order: status %s, address %q confirmed at %v, window %q", o.Status, o.Address, o.AddressConfirmedAt, o.DeliveryWindow)
			}
			if last := o.StatusHistory[len(o.StatusHistory)-1]; last.To != order.Processing || last.Source != string(order.SourceAdmin) {
				t.Errorf("last status change = %+v, want processing by admin", last)
			}
			ns := notes(t, a, id)
			if len(ns) != 1 || ns[0].Kind != callback.NoteReached || ns[0].Author != "op@example.com" || !ns[0].At.Equal(clk.Now()) {
				t.Fatalf("notes = %+v", ns)
			}
			for _, want := range []string{"Дозвонились", "ул. Ленина, 1, кв. 5", "15:00–18:00", "звонить после обеда"} {
				if !strings.Contains(ns[0].Body, want) {
					t.Errorf("note lacks %q:\n%s", want, ns[0].Body)
				}
			}
			done := callbackOf(t, a, id)
			if done.Status != task.Done || done.Outcome != task.Reached || done.Attempts != 1 || done.DoneBy != "op@example.com" ||
				done.DoneAt == nil || !done.DoneAt.Equal(clk.Now()) {
				t.Errorf("task = %+v", done)
			}

			// Done is done: every outcome is refused, and nothing changes.
			if _, err := a.Callbacks.Reached(ctx, tk.ID, callback.ReachedInput{Address: "другой"}, "x@example.com"); !errors.Is(err, callback.ErrTaskClosed) {
				t.Errorf("second Reached = %v, want ErrTaskClosed", err)
			}
			if _, err := a.Callbacks.NoAnswer(ctx, tk.ID, "x@example.com"); !errors.Is(err, callback.ErrTaskClosed) {
				t.Errorf("NoAnswer on a done task = %v, want ErrTaskClosed", err)
			}
			if _, err := a.Callbacks.WrongNumber(ctx, tk.ID, "x@example.com"); !errors.Is(err, callback.ErrTaskClosed) {
				t.Errorf("WrongNumber on a done task = %v, want ErrTaskClosed", err)
			}
			if n := len(notes(t, a, id)); n != 1 {
				t.Errorf("refused outcomes left notes: %d", n)
			}
			for _, f := range []func() error{
				func() error { _, err := a.Callbacks.NoAnswer(ctx, 999999, "x"); return err },
				func() error {
					_, err := a.Callbacks.Reached(ctx, 999999, callback.ReachedInput{Address: "x"}, "x")
					return err
				},
				func() error { _, err := a.Callbacks.WrongNumber(ctx, 999999, "x"); return err },
				func() error { _, err := a.Callbacks.Script(ctx, 999999, "en"); return err },
			} {
				if err := f(); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("unknown task: %v, want store.ErrNotFound", err)
				}
			}

			// An order that has an address needs none; the call confirms it.
			id2 := place(t, a, order.NewOrder{ExternalID: "R-2", Customer: moscow("c-1", "Андрей Петров")})
			if _, err := a.Callbacks.Reached(ctx, callbackOf(t, a, id2).ID, callback.ReachedInput{Address: "ул. Ленина, 1"}, "op"); err != nil {
				t.Fatal(err)
			}
			id3 := place(t, a, order.NewOrder{ExternalID: "R-3", Customer: moscow("c-1", "Андрей Петров")})
			setAddress(t, a, id3, "ул. Мира, 7")
			if _, err := a.Callbacks.Reached(ctx, callbackOf(t, a, id3).ID, callback.ReachedInput{}, "op"); err != nil {
				t.Fatalf("Reached without an address on an order that has one: %v", err)
			}
			if o := getOrder(t, a, id3); o.Address != "ул. Мира, 7" || o.Status != order.Processing || o.AddressConfirmedAt == nil {
				t.Errorf("order R-3: address %q confirmed at %v, status %s", o.Address, o.AddressConfirmedAt, o.Status)
			}
		})
	}
}

func getOrder(t testing.TB, a *app.App, id int64) *order.Order {
	t.Helper()
	o, err := order.Get(context.Background(), a.DB.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func setAddress(t testing.TB, a *app.App, id int64, address string) {
	t.Helper()
	err := a.DB.InTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE orders SET address = $2 WHERE id = $1`, id, address)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoAnswerRetriesThenEmails: unanswered calls are retried
// callback_retry_after later at a moment the shop works and the customer
// may be called — across the customer's night — and the third closes the
// task and e-mails the customer, once, through the real queue and SMTP.
func TestNoAnswerRetriesThenEmails(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, true)
			vlad, err := time.LoadLocation("Asia/Vladivostok")
			if err != nil {
				t.Fatal(err)
			}
			// 22:00 in Vladivostok: the call falls at 09:00 Moscow, 16:00 there.
			// Placed before the workers start, so that place's own drain
			// handles it and the task is there at once.
			id := place(t, a, order.NewOrder{ExternalID: "V-1", Customer: customer.Input{ExternalID: "c-v", Name: "Иван Сидоров",
				Email: "ivan@example.ru", Phone: "+7 914 555-01-02", Timezone: "Asia/Vladivostok", Language: "ru"}})
			tk := callbackOf(t, a, id)
			if err := a.Start(ctx); err != nil {
				t.Fatal(err)
			}
			if want := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC); !tk.DueAt.Equal(want) {
				t.Fatalf("call-back due %s, want %s", tk.DueAt.UTC(), want)
			}

			steps := []struct {
				at   time.Time // when the call is made
				next time.Time // when the next one is due
			}{
				// 09:00 Moscow: two hours later is 11:00 Moscow, 18:00 there.
				{time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC), time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)},
				// 14:30 Moscow, 21:30 there: two hours later is the
				// customer's night, then the shop's: 09:00 Moscow next day.
				{time.Date(2026, 11, 24, 11, 30, 0, 0, time.UTC), time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)},
			}
			for i, st := range steps {
				clk.Set(st.at)
				res, err := a.Callbacks.NoAnswer(ctx, tk.ID, "op@example.com")
				if err != nil {
					t.Fatal(err)
				}
				if res.Closed || res.Attempts != i+1 || !res.NextDueAt.Equal(st.next) || res.Emailed {
					t.Fatalf("call %d: %+v, want open, next due %s", i+1, res, st.next)
				}
				local := res.NextDueAt.In(vlad)
				if h := local.Hour(); h < 9 || h >= 21 {
					t.Errorf("call %d: next call at %s in Vladivostok, outside contact hours", i+1, local)
				}
				cur := callbackOf(t, a, id)
				if cur.Status != task.Open || !cur.DueAt.Equal(st.next) || cur.Attempts != i+1 || cur.FirstDueAt == nil ||
					!cur.FirstDueAt.Equal(tk.DueAt) || cur.FirstAttemptAt == nil || !cur.FirstAttemptAt.Equal(steps[0].at) {
					t.Errorf("call %d: task = %+v", i+1, cur)
				}
			}
			q, err := a.Callbacks.Queue(ctx, 0)
			if err != nil || len(q) != 1 || q[0].Attempts != 2 || !q[0].DueAt.Equal(steps[1].next) {
				t.Errorf("queue = %+v, %v", q, err)
			}
			if ms := messagesOf(t, a, id, callback.RuleMissed); len(ms) != 0 {
				t.Fatalf("an e-mail before the last try: %+v", ms)
			}

			finished, stop := a.Queue.Subscribe()
			defer stop()
			clk.Set(steps[1].next)
			res, err := a.Callbacks.NoAnswer(ctx, tk.ID, "op@example.com")
			if err != nil {
				t.Fatal(err)
			}
			if !res.Closed || res.Outcome != task.NoAnswer || res.Attempts != 3 || !res.Emailed {
				t.Fatalf("third call: %+v, want closed with an e-mail", res)
			}
			// The customer's negative experience, for the register: once,
			// at the last try, naming the call-back.
			var negatives int
			err = a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE kind = 'experience.negative' AND order_id = $1
				AND payload LIKE $2`, id, `%"cause":"missed_callback","task_id":`+strconv.FormatInt(tk.ID, 10)+`%`).Scan(&negatives)
			if err != nil || negatives != 1 {
				t.Errorf("%d experience.negative events of the missed call-back, want 1 (%v)", negatives, err)
			}
			if _, err := a.Callbacks.NoAnswer(ctx, tk.ID, "op@example.com"); !errors.Is(err, callback.ErrTaskClosed) {
				t.Errorf("fourth call = %v, want ErrTaskClosed", err)
			}
			for {
				ms := messagesOf(t, a, id, callback.RuleMissed)
				if len(ms) != 1 {
					t.Fatalf("callback_missed messages: %+v, want one", ms)
				}
				if ms[0].Status == message.Sent {
					if ms[0].Channel != message.Email || !ms[0].Transactional {
						t.Errorf("message = %+v, want order news by e-mail", ms[0])
					}
					break
				}
				apptest.WaitJob(t, finished, message.SendArgs{}.Kind())
			}
			var missed []smtptest.Mail
			for _, m := range srv.Mails() {
				if strings.Contains(m.Subject(), "не смогли до вас дозвониться") {
					missed = append(missed, m)
				}
			}
			if len(missed) != 1 {
				t.Fatalf("SMTP took %d call-back e-mails, want 1", len(missed))
			}
			for _, want := range []string{"Иван", "V-1", "+7 495 123-45-67"} {
				if !strings.Contains(missed[0].Text(), want) {
					t.Errorf("e-mail lacks %q:\n%s", want, missed[0].Text())
				}
			}

			ns := notes(t, a, id)
			if len(ns) != 3 || slices.ContainsFunc(ns, func(n note) bool { return n.Kind != callback.NoteNoAnswer }) {
				t.Fatalf("notes = %+v, want three no-answer notes", ns)
			}
			for i, want := range []string{"звонок 1 из 3", "звонок 2 из 3", "звонок 3 из 3"} {
				if !strings.Contains(ns[i].Body, want) {
					t.Errorf("note %d = %q, want %q", i+1, ns[i].Body, want)
				}
			}
			if !strings.Contains(ns[1].Body, "среда, 25 ноября, 09:00") || !strings.Contains(ns[2].Body, "письмо") {
				t.Errorf("notes say %q and %q", ns[1].Body, ns[2].Body)
			}
		})
	}
}

// TestNextCallTimeNeverAtNight: whatever the moment and the customer's
// zone, the next call falls at or after it, inside the customer's contact
// hours, and in the shop's working hours on a working day whenever the
// two overlap — New Year holidays included.
func TestNextCallTimeNeverAtNight(t *testing.T) {
	t.Parallel()
	a, _, _ := shop(t, store.SQLite, false)
	shopLoc := a.Settings.Shop.Location()
	isWorkday := a.Promises.Engine().Calendar().IsWorkday
	for _, zone := range []struct {
		name    string
		overlap bool
	}{{"Europe/Moscow", true}, {"Asia/Vladivostok", true}, {"Europe/Riga", true}, {"Pacific/Kiritimati", true}, {"America/Denver", false}} {
		loc, err := time.LoadLocation(zone.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, start := range []time.Time{apptest.Start, time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC)} {
			for at := start; at.Before(start.Add(16 * 24 * time.Hour)); at = at.Add(37 * time.Minute) {
				got := a.Playbook.NextCallTime(at, loc)
				local, shopLocal := got.In(loc), got.In(shopLoc)
				mins := shopLocal.Hour()*60 + shopLocal.Minute()
				switch {
				case got.Before(at):
					t.Fatalf("%s: NextCallTime(%s) = %s, before it", zone.name, at, got)
				case local.Hour() < 9 || local.Hour() >= 21:
					t.Fatalf("%s: NextCallTime(%s) = %s, at night there", zone.name, at, local)
				case zone.overlap && (mins < 9*60 || mins > 18*60 || !isWorkday(calendar.DayOf(shopLocal))):
					t.Fatalf("%s: NextCallTime(%s) = %s in Moscow, outside working hours", zone.name, at, shopLocal)
				}
			}
		}
	}
}

// TestWrongNumber: the task closes, the phone is marked failed for SMS,
// and the customer is e-mailed once for the right number.
func TestWrongNumber(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false)
			id := place(t, a, order.NewOrder{ExternalID: "W-1", Customer: moscow("c-1", "Андрей Петров")})
			tk := callbackOf(t, a, id)
			clk.Advance(30 * time.Minute)
			res, err := a.Callbacks.WrongNumber(ctx, tk.ID, "op@example.com")
			if err != nil {
				t.Fatal(err)
			}
			if !res.Closed || res.Outcome != task.WrongNumber || !res.Emailed || res.Attempts != 1 {
				t.Errorf("result = %+v", res)
			}
			done := callbackOf(t, a, id)
			if done.Status != task.Done || done.Outcome != task.WrongNumber || done.DoneBy != "op@example.com" {
				t.Errorf("task = %+v", done)
			}
			c, err := message.LoadContact(ctx, a.DB.Read(), getOrder(t, a, id).CustomerID)
			if err != nil {
				t.Fatal(err)
			}
			if _, why := c.Address(message.SMS); !strings.Contains(why, "wrong number") {
				t.Errorf("SMS standing: %q, want the phone failed for good as a wrong number", why)
			}
			if _, why := c.Address(message.Email); why != "" {
				t.Errorf("e-mail closed too: %q", why)
			}
			ns := notes(t, a, id)
			if len(ns) != 1 || ns[0].Kind != callback.NoteWrongNumber || !strings.Contains(ns[0].Body, "+79165550101") {
				t.Errorf("notes = %+v", ns)
			}
			if _, err := a.Callbacks.WrongNumber(ctx, tk.ID, "op@example.com"); !errors.Is(err, callback.ErrTaskClosed) {
				t.Errorf("second WrongNumber = %v, want ErrTaskClosed", err)
			}
			ms := messagesOf(t, a, id, callback.RuleWrongNumber)
			if len(ms) != 1 || ms[0].Status != message.Scheduled || !ms[0].ScheduledAt.Equal(clk.Now()) {
				t.Fatalf("callback_wrong_number messages = %+v, want one, due now", ms)
			}
			send(t, a, ms[0].ID)
			if m := messagesOf(t, a, id, callback.RuleWrongNumber)[0]; m.Status != message.Sent || m.Channel != message.Email {
				t.Errorf("message = %s on %q (%s), want sent by e-mail", m.Status, m.Channel, m.Reason)
			}
			if n := srv.Count(); n != 1 {
				t.Fatalf("SMTP took %d messages, want 1", n)
			}
			if got := srv.Mails()[0].Subject(); got != "Заказ W-1: уточните номер телефона" {
				t.Errorf("subject = %q", got)
			}
		})
	}
}

// TestOutcomeEmailsWaitForTheCustomersMorning: a call-back e-mail decided
// late in the customer's evening goes in their morning, like any message.
func TestOutcomeEmailsWaitForTheCustomersMorning(t *testing.T) {
	t.Parallel()
	a, clk, _ := shop(t, store.SQLite, false, "  callback_tries: 1")
	vlad := customer.Input{ExternalID: "c-v", Name: "Иван", Email: "ivan@example.ru", Timezone: "Asia/Vladivostok", Language: "ru"}
	id := place(t, a, order.NewOrder{ExternalID: "N-1", Customer: vlad})
	clk.Set(time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC)) // 17:30 Moscow, 00:30 in Vladivostok
	res, err := a.Callbacks.NoAnswer(context.Background(), callbackOf(t, a, id).ID, "op@example.com")
	if err != nil || !res.Closed || !res.Emailed {
		t.Fatalf("one try only: %+v, %v; want closed with an e-mail", res, err)
	}
	ms := messagesOf(t, a, id, callback.RuleMissed)
	if want := time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC); len(ms) != 1 || !ms[0].ScheduledAt.Equal(want) {
		t.Errorf("messages = %+v, want one at %s (09:00 in Vladivostok)", ms, want)
	}
}
