package playbook_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// placeShort places an order of a pot (held) and a mug of the language's
// name that is not in stock, expected on Tuesday 15 Dec, through the
// order's intake, which holds the pot and leaves the mug waiting.
func placeShort(t *testing.T, a *app.App, ext string, lang i18n.Lang, mug string) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := a.Stock.Get(ctx, "POT-1"); errors.Is(err, store.ErrNotFound) {
		if _, err := a.Stock.Put(ctx, "api", []stock.Level{{SKU: "POT-1", OnHand: 1000},
			{SKU: "MUG-BLUE", Incoming: []stock.Incoming{{Qty: 1000, Date: "2026-12-15"}}}}); err != nil {
			t.Fatal(err)
		}
	}
	c := customer.Input{ExternalID: "c-" + ext, Name: "Anna Bērziņa", Email: ext + "@example.lv", Language: string(lang),
		Country: "LV", Timezone: "Europe/Riga"}
	n := order.NewOrder{ExternalID: ext, Customer: c, Carrier: "post", Currency: "EUR",
		Items: []order.Item{{SKU: "POT-1", Name: "Pot", Qty: 1, PriceMinor: 4990}, {SKU: "MUG-BLUE", Name: mug, Qty: 1, PriceMinor: 1250}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return res.ID
}

// compose writes the order's message of a rule as it would go now.
func compose(t *testing.T, a *app.App, orderID int64, rule string) message.Draft {
	t.Helper()
	ctx := context.Background()
	m := byRule(t, a, orderID, rule)
	c, err := message.LoadContact(ctx, a.DB.Read(), m.CustomerID)
	if err != nil {
		t.Fatal(err)
	}
	d, err := a.Playbook.Compose(ctx, a.DB.Read(), &m, c)
	if err != nil {
		t.Fatal(err)
	}
	if d.Suppress != "" {
		t.Fatalf("%s suppressed: %s", rule, d.Suppress)
	}
	return d
}

// TestStockMessagesInTheCustomersLanguage: the confirmation of an order
// with an item not in stock names it and the day it is expected, in the
// e-mail/Telegram text and the SMS, in the customer's language; what the
// operator then agrees (a refund, an alternative, a split) and the stock
// that came in are each told once, as order news in the customer's hours,
// with the amount in the order's currency written their way.
func TestStockMessagesInTheCustomersLanguage(t *testing.T) {
	t.Parallel()
	type want struct{ mug, ack, sms, alternative, split, filled string }
	wants := map[i18n.Lang]want{
		i18n.EN: {"Blue mug", "Blue mug is not in stock; we expect it on Tuesday 15 Dec", "Blue mug is not in stock, expected on Tuesday 15 Dec",
			"instead of Blue mug, which is not in stock, we will send you Green mug", "- Blue mug: we expect it on Tuesday 15 Dec", "has come in (Blue mug)"},
		i18n.RU: {"Синяя кружка", "Товара «Синяя кружка» нет в наличии; ожидаем его во вторник, 15 декабря", "«Синяя кружка» нет в наличии, ожидаем во вторник, 15 декабря",
			"вместо товара «Синяя кружка», которого нет в наличии, в заказе", "— «Синяя кружка»: ожидаем во вторник, 15 декабря", "поступило («Синяя кружка»)"},
		i18n.LV: {"Zilā krūze", `Preces "Zilā krūze" nav noliktavā; to gaidām otrdien, 15. decembrī`, `"Zilā krūze" nav noliktavā, gaidām otrdien, 15. decembrī`,
			`preces "Zilā krūze" vietā, kuras nav noliktavā`, `— "Zilā krūze": gaidām otrdien, 15. decembrī`, `ir pienācis ("Zilā krūze")`},
	}
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _, _ := shop(t, engine, false)
			ctx := context.Background()
			for lang, w := range wants {
				ids := map[string]int64{}
				for _, r := range []string{"refund", "alternative", "split", "filled"} {
					ids[r] = placeShort(t, a, "S-"+string(lang)+"-"+r, lang, w.mug)
				}
				drain(t, a)
				ack := compose(t, a, ids["refund"], "order_ack")
				if !strings.Contains(ack.Text, w.ack) || !strings.Contains(ack.Short, w.sms) {
					t.Errorf("%s: the confirmation does not say what waits:\n%s\n-- SMS --\n%s", lang, ack.Text, ack.Short)
				}
				for r, res := range map[string]stock.Resolution{
					"refund":      {Resolution: "refund", RefundMinor: 1250},
					"alternative": {Resolution: "alternative", Alternative: "Green mug"},
					"split":       {Resolution: "split"},
				} {
					res.OrderID = ids[r]
					if r == "alternative" && lang != i18n.EN {
						res.Alternative = map[i18n.Lang]string{i18n.RU: "Зелёная кружка", i18n.LV: "Zaļā krūze"}[lang]
					}
					if _, err := a.Stock.Resolve(ctx, res); err != nil {
						t.Fatal(err)
					}
				}
				err := a.DB.InTx(ctx, func(tx *store.Tx) error {
					return a.Journal.Append(ctx, tx, journal.Event{Kind: journal.StockFilled, OrderID: ids["filled"],
						Payload: journal.MustPayload(event.StockFilledPayload{SKUs: []string{"MUG-BLUE"}}), OccurredAt: a.Clock.Now()})
				})
				if err != nil {
					t.Fatal(err)
				}
				drain(t, a)
				drain(t, a) // a second drain plans nothing new: each message once
				for r, rule := range map[string]string{"refund": "stock_refund", "alternative": "stock_alternative", "split": "stock_split",
					"filled": "stock_filled"} {
					n := 0
					for _, m := range messages(t, a, ids[r]) {
						if m.Rule == rule {
							n++
							if !m.Transactional {
								t.Errorf("%s %s: not order news", lang, rule)
							}
						}
					}
					if n != 1 {
						t.Errorf("%s %s: %d messages, want 1", lang, rule, n)
					}
				}
				refund := compose(t, a, ids["refund"], "stock_refund")
				if amount := i18n.Money(lang, 1250, "EUR"); !strings.Contains(refund.Text, amount) {
					t.Errorf("%s: the refund does not name %q:\n%s\n%s", lang, amount, refund.Subject, refund.Text)
				}
				if !strings.Contains(refund.Text, w.mug) {
					t.Errorf("%s: the refund does not name the item:\n%s", lang, refund.Text)
				}
				if d := compose(t, a, ids["alternative"], "stock_alternative"); !strings.Contains(d.Text, w.alternative) {
					t.Errorf("%s: alternative:\n%s", lang, d.Text)
				}
				if d := compose(t, a, ids["split"], "stock_split"); !strings.Contains(d.Text, w.split) {
					t.Errorf("%s: split:\n%s", lang, d.Text)
				}
				if d := compose(t, a, ids["filled"], "stock_filled"); !strings.Contains(d.Text, w.filled) {
					t.Errorf("%s: filled:\n%s", lang, d.Text)
				}
				// Refunded, the mug no longer waits: the confirmation, if it
				// went now, would not claim it.
				if d := compose(t, a, ids["refund"], "order_ack"); strings.Contains(d.Text, w.ack) {
					t.Errorf("%s: a refunded item still waits in the confirmation:\n%s", lang, d.Text)
				}
			}
		})
	}
}

// TestStockMessagesWaitForTheCustomersHours: a resolution recorded in the
// customer's night is planned for their morning when the shop keeps quiet
// hours on every channel.
func TestStockMessagesWaitForTheCustomersHours(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk, _ := shop(t, engine, false, "  quiet_hours: {email: true, sms: true, telegram: true}")
			ctx := context.Background()
			id := placeShort(t, a, "Q-1", i18n.EN, "Blue mug")
			drain(t, a)
			// 23:30 in Riga.
			clk.Set(time.Date(2026, 11, 23, 21, 30, 0, 0, time.UTC))
			if _, err := a.Stock.Resolve(ctx, stock.Resolution{OrderID: id, Resolution: "split"}); err != nil {
				t.Fatal(err)
			}
			drain(t, a)
			m := byRule(t, a, id, "stock_split")
			riga, _ := time.LoadLocation("Europe/Riga")
			if local := m.ScheduledAt.In(riga); local.Hour() < 9 || local.Day() != 24 {
				t.Errorf("scheduled at %s Riga time, want the morning of the 24th", local)
			}
		})
	}
}
