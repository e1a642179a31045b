package inbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// moscow is the default shop's zone.
var moscow, _ = time.LoadLocation("Europe/Moscow")

// shop starts an SMTP server and an App that mails through it; its
// jobs are not worked, so a test hands messages to the channel itself
// (Deliver) and sees what the server got.
func shop(t testing.TB, engine store.Engine, yaml ...string) (*app.App, *clock.Fake, *smtptest.Server) {
	t.Helper()
	return shopWorking(t, engine, false, yaml...)
}

// shopWorking is shop whose jobs are worked when work is set (after
// Start).
func shopWorking(t testing.TB, engine store.Engine, work bool, yaml ...string) (*app.App, *clock.Fake, *smtptest.Server) {
	t.Helper()
	srv := smtptest.Start(t)
	settings := append([]string{
		"shop:",
		"  name: Кастрюля",
		"  public_url: https://care.example.com",
		"  languages: [ru, lv, en]",
		"channels:",
		"  email:",
		"    smtp_url: " + srv.URL(),
		`    from: "Кастрюля <shop@example.com>"`,
	}, yaml...)
	a, clk := apptest.New(t, engine, work, settings...)
	return a, clk, srv
}

// place creates an order for a customer and returns its id and the
// customer's.
func place(t testing.TB, a *app.App, ext string, c customer.Input) (orderID, customerID int64) {
	t.Helper()
	n := order.NewOrder{ExternalID: ext, Customer: c, Carrier: "post",
		Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 499000}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	o, err := order.Get(context.Background(), a.DB.Read(), res.ID)
	if err != nil {
		t.Fatal(err)
	}
	return res.ID, o.CustomerID
}

func receive(t testing.TB, a *app.App, in inbox.Inbound) {
	t.Helper()
	if err := a.Inbox.Receive(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}

func count(t testing.TB, a *app.App, query string, args ...any) int {
	t.Helper()
	var n int
	if err := a.DB.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func messagesOf(t testing.TB, a *app.App, convID int64) []inbox.Message {
	t.Helper()
	ms, err := a.Inbox.Messages(context.Background(), convID)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// engines runs f as a parallel subtest on each engine.
func engines(t *testing.T, f func(t *testing.T, engine store.Engine)) {
	t.Helper()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			f(t, engine)
		})
	}
}

// convOf returns the conversation an incoming message was stored in.
func convOf(t testing.TB, a *app.App, messageID string) inbox.Conversation {
	t.Helper()
	var id int64
	err := a.DB.Read().QueryRow(context.Background(), `SELECT conversation_id FROM conversation_messages WHERE message_id = $1`,
		messageID).Scan(&id)
	if err != nil {
		t.Fatalf("message %s: %v", messageID, err)
	}
	c, err := a.Inbox.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return *c
}
