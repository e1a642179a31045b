package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// FuzzUnsubscribe posts any token and body to /u/{token}: the answer is
// the page (200) or not found (404), never a server error, and a token
// that is no message's stops nobody's messages.
func FuzzUnsubscribe(f *testing.F) {
	a, _ := apptest.New(f, store.SQLite, false, "shop:", "  public_url: https://care.example.com")
	ctx := context.Background()
	n := order.NewOrder{ExternalID: "U-1", Customer: customerInput(), Carrier: "post",
		Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 499000}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		f.Fatal(err)
	}
	res, err := a.Orders.Create(ctx, n)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		f.Fatal(err)
	}
	// A marketing message of the order's customer, for a token that is real.
	var token string
	err = a.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := message.Schedule(ctx, tx, a.Queue, []message.Plan{{OrderID: res.ID, CustomerID: customerOf(f, a, res.ID),
			Rule: "delivered_followup", Template: "delivered_followup", DedupeKey: "fuzz", Language: "ru",
			EventAt: a.Clock.Now(), ScheduledAt: a.Clock.Now()}}, a.Clock.Now())
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	ms, err := message.ListByOrder(ctx, a.DB.Read(), res.ID)
	if err != nil {
		f.Fatal(err)
	}
	for _, m := range ms {
		if m.UnsubscribeToken != "" {
			token = m.UnsubscribeToken
		}
	}
	pages := web.New(a)
	f.Add(token, "List-Unsubscribe=One-Click")
	f.Add(token, "scope=all")
	f.Add("x", "scope=all")
	f.Add(token+"%00", "scope=%00")
	f.Fuzz(func(t *testing.T, tok, body string) {
		if strings.ContainsAny(tok, "/?#") {
			return // another path
		}
		req := httptest.NewRequest(http.MethodPost, "/u/placeholder", strings.NewReader(body))
		req.URL.Path, req.URL.RawPath = "/u/"+tok, ""
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		pages.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusNotFound && rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("POST /u/%q %q = %d", tok, body, rec.Code)
		}
		if rec.Code == http.StatusOK && tok != token {
			t.Fatalf("POST /u/%q took a token that is no message's", tok)
		}
	})
}

func customerInput() customer.Input {
	return customer.Input{ExternalID: "c-u", Email: "u@example.com", Name: "Ульяна", Language: "ru"}
}

func customerOf(tb testing.TB, a *app.App, orderID int64) int64 {
	tb.Helper()
	o, err := order.Get(context.Background(), a.DB.Read(), orderID)
	if err != nil {
		tb.Fatal(err)
	}
	return o.CustomerID
}
