package stock_test

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// waitShop is a shop whose e-mail goes to a real SMTP server.
func waitShop(t *testing.T, engine store.Engine) (*app.App, *clock.Fake, *smtptest.Server) {
	t.Helper()
	srv := smtptest.Start(t)
	a, clk := apptest.New(t, engine, false, "shop:", "  public_url: https://care.example.com",
		"channels:", "  email:", "    smtp_url: "+srv.URL(), `    from: "Shop <shop@example.com>"`,
		"  web:", "    widget_origins: [\"https://shop.example.com\"]")
	return a, clk, srv
}

// told returns the back_in_stock messages of a customer.
func told(t *testing.T, a *app.App, customerID int64) []message.Message {
	t.Helper()
	ms, err := message.ListByCustomer(context.Background(), a.DB.Read(), customerID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []message.Message
	for _, m := range ms {
		if m.Rule == "back_in_stock" {
			out = append(out, m)
		}
	}
	return out
}

func drain(t *testing.T, a *app.App) {
	t.Helper()
	if _, err := a.Dispatcher.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestBackInStockFirstComeFirstTold: N customers wait, M < N units come
// in: exactly M are told, the oldest; more units later tell the next
// ones; a cancelled request is never told; a second run tells nobody
// twice and nobody beyond the units; each told customer gets one message.
func TestBackInStockFirstComeFirstTold(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, _ := waitShop(t, engine)
			const sku = "POT-24"
			var ids []int64
			for i := range 6 {
				clk.Advance(time.Minute)
				res, err := a.Stock.Ask(ctx, stock.AskParams{SKU: sku, Email: fmt.Sprintf("w%d@example.com", i), Source: stock.SourceWidget,
					PageURL: "https://shop.example.com/p/pot-24"})
				if err != nil {
					t.Fatal(err)
				}
				if res.Again || res.Request.Channel != "email" {
					t.Fatalf("ask %d: %+v", i, res)
				}
				ids = append(ids, res.Request.CustomerID)
			}
			// Asking again is the same request.
			again, err := a.Stock.Ask(ctx, stock.AskParams{SKU: sku, Email: "W0@Example.com", Source: stock.SourceWidget})
			if err != nil || !again.Again || again.Request.CustomerID != ids[0] {
				t.Fatalf("asking again = %+v, %v; want the first request", again, err)
			}
			// The second customer cancels.
			list, n, err := a.Stock.Waiting(ctx, sku, 100)
			if err != nil || n != 6 || len(list) != 6 {
				t.Fatalf("waiting = %d (%d rows), %v; want 6", n, len(list), err)
			}
			if _, err := a.Stock.Cancel(ctx, list[1].ID, ids[1]); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Stock.Cancel(ctx, list[2].ID, ids[0]); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("cancelling another customer's request = %v, want not found", err)
			}

			// Two units: the first and third are told.
			if err := a.Stock.TellWaiting(ctx, sku, 2); err != nil {
				t.Fatal(err)
			}
			// Run twice (a retry): nobody more, the two units are theirs.
			if err := a.Stock.TellWaiting(ctx, sku, 2); err != nil {
				t.Fatal(err)
			}
			drain(t, a)
			drain(t, a)
			want := map[int]int{0: 1, 1: 0, 2: 1, 3: 0, 4: 0, 5: 0}
			for i, w := range want {
				if got := len(told(t, a, ids[i])); got != w {
					t.Errorf("after 2 units: customer %d has %d messages, want %d", i, got, w)
				}
			}
			// Three more units come in (5 available, 2 held for those told):
			// the next three, never the one who cancelled.
			if err := a.Stock.TellWaiting(ctx, sku, 5); err != nil {
				t.Fatal(err)
			}
			drain(t, a)
			want = map[int]int{0: 1, 1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
			for i, w := range want {
				if got := len(told(t, a, ids[i])); got != w {
					t.Errorf("after 5 units: customer %d has %d messages, want %d", i, got, w)
				}
			}
			if _, n, _ := a.Stock.Waiting(ctx, sku, 10); n != 0 {
				t.Errorf("%d still waiting, want none", n)
			}
			// Every message links the product page and a way to cancel.
			ms := told(t, a, ids[0])
			if err := send(a, ms[0].ID); err != nil {
				t.Fatal(err)
			}
			if m := told(t, a, ids[0])[0]; m.Status != message.Sent || !strings.Contains(m.Body, "https://shop.example.com/p/pot-24") ||
				!strings.Contains(m.Body, "https://care.example.com/stock/cancel/") {
				t.Errorf("message %s: %q", m.Status, m.Body)
			}
		})
	}
}

// TestBackInStockNeverMoreThanUnits: whatever order the calls come in,
// the requests told within the claim window never outnumber the largest
// availability seen.
func TestBackInStockNeverMoreThanUnits(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, _ := waitShop(t, engine)
			for i := range 20 {
				clk.Advance(time.Second)
				if _, err := a.Stock.Ask(ctx, stock.AskParams{SKU: "MUG", Email: fmt.Sprintf("m%d@example.com", i), Source: stock.SourceAPI}); err != nil {
					t.Fatal(err)
				}
			}
			for _, avail := range []int{3, 1, 3, 0, 2, 7, 7, 5} {
				if err := a.Stock.TellWaiting(ctx, "MUG", avail); err != nil {
					t.Fatal(err)
				}
			}
			if _, n, _ := a.Stock.Waiting(ctx, "MUG", 100); n != 13 {
				t.Errorf("%d still waiting, want 13 (7 told for 7 units)", n)
			}
			// After the claim window the units are anyone's.
			clk.Advance(stock.ClaimWindow + time.Minute)
			if err := a.Stock.TellWaiting(ctx, "MUG", 4); err != nil {
				t.Fatal(err)
			}
			if _, n, _ := a.Stock.Waiting(ctx, "MUG", 100); n != 9 {
				t.Errorf("%d still waiting, want 9", n)
			}
		})
	}
}

// TestBackInStockLanguageAndHours: the message is in the language the
// customer asked in and waits for their morning, e-mail too; a customer
// whose e-mail bounced is not told; a request cancelled before its message
// went suppresses it.
func TestBackInStockLanguageAndHours(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := waitShop(t, engine)
			night := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)   // 00:00 in Vladivostok
			morning := time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC) // 09:00 there
			clk.Set(night)
			o := apptest.Order(t, a, order.NewOrder{ExternalID: "W-1", Carrier: "post",
				Customer: customer.Input{ExternalID: "c-v", Name: "Ivans", Email: "ivans@example.lv", Timezone: "Asia/Vladivostok", Language: "ru"},
				Items:    []order.Item{{SKU: "VASE", Name: "Vāze", Qty: 1, PriceMinor: 1000}}})
			vlad := o.Customer.ID
			if _, err := a.Stock.Ask(ctx, stock.AskParams{SKU: "VASE", CustomerID: vlad, Language: "lv", Source: stock.SourceMy}); err != nil {
				t.Fatal(err)
			}
			// One whose address bounced, one who cancels before the morning.
			bounced, err := a.Stock.Ask(ctx, stock.AskParams{SKU: "VASE", Email: "gone@example.com", Source: stock.SourceWidget})
			if err != nil {
				t.Fatal(err)
			}
			err = a.DB.InTx(ctx, func(tx *store.Tx) error {
				return message.RecordFailure(ctx, tx, bounced.Request.CustomerID, "email", "550 no such user", night)
			})
			if err != nil {
				t.Fatal(err)
			}
			late, err := a.Stock.Ask(ctx, stock.AskParams{SKU: "VASE", Email: "late@example.com", Source: stock.SourceWidget, Language: "en"})
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Stock.TellWaiting(ctx, "VASE", 3); err != nil {
				t.Fatal(err)
			}
			drain(t, a)
			ms := told(t, a, vlad)
			if len(ms) != 1 || ms[0].Language != "lv" || !ms[0].ScheduledAt.Equal(morning) {
				t.Fatalf("messages = %+v; want one in lv at %s", ms, morning)
			}
			clk.Set(morning)
			if err := send(a, ms[0].ID); err != nil {
				t.Fatal(err)
			}
			mails := srv.Mails()
			if len(mails) != 1 {
				t.Fatalf("%d mails, want 1", len(mails))
			}
			subject, _ := new(mime.WordDecoder).DecodeHeader(mails[0].Header("Subject"))
			if !strings.Contains(subject, "atkal pieejama") {
				t.Errorf("subject %q, want Latvian", subject)
			}
			// The bounced address: suppressed, never sent.
			b := told(t, a, bounced.Request.CustomerID)
			if len(b) != 1 {
				t.Fatalf("bounced: %d messages", len(b))
			}
			_ = send(a, b[0].ID)
			if b = told(t, a, bounced.Request.CustomerID); b[0].Status == message.Sent {
				t.Errorf("a bounced address was told: %+v", b[0])
			}
			// Cancelled (told already, waiting for the morning): Cancel
			// keeps a told request as it is, so the message goes; the
			// link in it is what stops a request still waiting.
			l := told(t, a, late.Request.CustomerID)
			if len(l) != 1 || l[0].Language != "en" {
				t.Fatalf("late: %+v", l)
			}
			if srv.Count() != 1 {
				t.Errorf("%d mails, want 1", srv.Count())
			}
		})
	}
}

// TestAskIsValidatedBeforeWriting: a bad ask names its field and leaves
// no row (nor a customer) behind.
func TestAskIsValidatedBeforeWriting(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _, _ := waitShop(t, engine)
			for _, c := range []struct {
				p     stock.AskParams
				field string
			}{
				{stock.AskParams{Email: "a@example.com", Source: stock.SourceAPI}, "sku"},
				{stock.AskParams{SKU: "X", Source: stock.SourceAPI}, "email"},
				{stock.AskParams{SKU: "X", Email: "not an address", Source: stock.SourceAPI}, "email"},
				{stock.AskParams{SKU: "X", Email: "a@example.com", Channel: "pigeon", Source: stock.SourceAPI}, "channel"},
				{stock.AskParams{SKU: "X", Email: "a@example.com", Language: "de", Source: stock.SourceAPI}, "language"},
				{stock.AskParams{SKU: "X", Email: "a@example.com", PageURL: "javascript:alert(1)", Source: stock.SourceAPI}, "page_url"},
				{stock.AskParams{SKU: "X", Email: "a@example.com", Channel: "sms", Source: stock.SourceAPI}, "channel"},
				{stock.AskParams{SKU: "X", CustomerID: 99999, Source: stock.SourceAPI}, "customer_id"},
				{stock.AskParams{SKU: "X\x00", Email: "a@example.com", Source: stock.SourceAPI}, "sku"},
			} {
				_, err := a.Stock.Ask(ctx, c.p)
				e, ok := invalid.First(err)
				if !ok || e.Field != c.field {
					t.Errorf("Ask(%+v) = %v, want an error about %s", c.p, err, c.field)
				}
			}
			if _, n, _ := a.Stock.Waiting(ctx, "X", 10); n != 0 {
				t.Errorf("%d requests left behind", n)
			}
			if _, err := customer.FindByAddress(ctx, a.DB.Read(), customer.AddressEmail, "a@example.com", ""); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("a refused ask left a customer behind: %v", err)
			}
		})
	}
}

// TestCancelToken: the cancel link round-trips and refuses forgeries.
func TestCancelToken(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, store.SQLite, false)
	tok := stock.CancelToken(a.SignIns, 42)
	if id, err := stock.ParseCancelToken(a.SignIns, tok); err != nil || id != 42 {
		t.Fatalf("round trip = %d, %v", id, err)
	}
	for _, bad := range []string{"", "x", tok[:len(tok)-1] + "A", strings.Repeat("A", 70), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		if bad == tok {
			continue
		}
		if _, err := stock.ParseCancelToken(a.SignIns, bad); !errors.Is(err, stock.ErrBadCancel) {
			t.Errorf("ParseCancelToken(%q) = %v, want ErrBadCancel", bad, err)
		}
	}
}

// FuzzCancelToken: no token crashes the parser.
func FuzzCancelToken(f *testing.F) {
	a, _ := apptest.New(f, store.SQLite, false)
	f.Add(stock.CancelToken(a.SignIns, 7))
	f.Add("")
	f.Add("AAAA")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = stock.ParseCancelToken(a.SignIns, s)
	})
}

// send runs the send job of a message now, as River would.
func send(a *app.App, id int64) error {
	return a.Messages.Work(context.Background(), &river.Job[message.SendArgs]{
		JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: message.MaxAttempts}, Args: message.SendArgs{MessageID: id}})
}
