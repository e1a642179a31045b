package callback_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// stockRows writes the shop's stock and what the order holds, as the
// stock service leaves them: a pot held for the order, a blue mug not in
// stock (expected on Tuesday 15 Dec), a teapot tracked (2 available) that
// the order does not hold; the vase is not tracked at all.
func stockRows(t *testing.T, a *app.App, orderID int64) {
	t.Helper()
	ctx := context.Background()
	now := a.Clock.Now()
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		for _, it := range []struct {
			sku              string
			onHand, reserved int
		}{{"POT-1", 50, 1}, {"MUG-BLUE", 0, 0}, {"TEAPOT", 3, 1}} {
			if _, err := tx.Exec(ctx, `INSERT INTO stock_items (sku, on_hand, reserved, source, updated_at) VALUES ($1, $2, $3, 'api', $4)
				ON CONFLICT (sku) DO NOTHING`, it.sku, it.onHand, it.reserved, now); err != nil {
				return err
			}
		}
		for _, r := range []struct {
			sku, name string
			qty, held int
			expected  string
		}{{"POT-1", "Кастрюля", 1, 1, ""}, {"MUG-BLUE", "Синяя кружка", 2, 0, "2026-12-15"}} {
			if _, err := tx.Exec(ctx, `INSERT INTO stock_reservations (order_id, sku, name, qty, held, status, expected_on, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, 'open', NULLIF($6, ''), $7, $7)`, orderID, r.sku, r.name, r.qty, r.held, r.expected, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestScriptShowsRealStock: each item of the call script says its real
// stock in the operator's language — held for the order, not in stock
// and when it arrives, how many are on hand — and an untracked item says
// nothing; the lines tell the customer, in theirs, what waits and until
// when, and what the operator may offer.
func TestScriptShowsRealStock(t *testing.T) {
	t.Parallel()
	items := []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 499000},
		{SKU: "MUG-BLUE", Name: "Синяя кружка", Qty: 2, PriceMinor: 50000},
		{SKU: "TEAPOT", Name: "Чайник", Qty: 1, PriceMinor: 150000},
		{SKU: "VASE", Name: "Ваза", Qty: 1, PriceMinor: 250000}}
	inStock := map[i18n.Lang][]string{
		i18n.EN: {"held for this order", "not in stock — arrives on Tuesday 15 Dec", "2 on hand", ""},
		i18n.RU: {"зарезервирован для этого заказа", "нет в наличии — поступит во вторник, 15 декабря", "в наличии 2 шт.", ""},
		i18n.LV: {"rezervēta šim pasūtījumam", "nav noliktavā — pienāks otrdien, 15. decembrī", "noliktavā 2 gab.", ""},
	}
	said := map[i18n.Lang][]string{
		i18n.EN: {"Синяя кружка is not in stock right now; we expect it on Tuesday 15 Dec.",
			"We can wait for it, send what we have now and the rest later, offer you something similar instead, or refund it. What would suit you?"},
		i18n.RU: {"Товара «Синяя кружка» сейчас нет в наличии; ожидаем его во вторник, 15 декабря.",
			"Можем дождаться поставки, отправить то, что есть, сейчас, а остальное позже, предложить похожий товар или вернуть деньги. Как вам удобнее?"},
		i18n.LV: {"Preces \"Синяя кружка\" šobrīd nav noliktavā; to gaidām otrdien, 15. decembrī.",
			"Varam sagaidīt piegādi, nosūtīt to, kas ir, tagad un pārējo vēlāk, piedāvāt līdzīgu preci vai atmaksāt naudu. Kā jums ērtāk?"},
	}
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _, _ := shop(t, engine, false)
			for _, cl := range i18n.Langs() {
				c := moscow("c-st-"+string(cl)+"1", "Андрей Петров")
				c.Language = string(cl)
				id := place(t, a, order.NewOrder{ExternalID: "ST-" + string(cl), Customer: c, Items: items})
				stockRows(t, a, id)
				tk := callbackOf(t, a, id)
				for _, ol := range i18n.Langs() {
					sc, err := a.Callbacks.Script(ctx, tk.ID, ol)
					if err != nil {
						t.Fatal(err)
					}
					got := make([]string, len(sc.Items))
					for i, it := range sc.Items {
						got[i] = it.InStock
					}
					if !slices.Equal(got, inStock[ol]) {
						t.Errorf("operator %s: stock %q, want %q", ol, got, inStock[ol])
					}
					if !sc.Items[1].Short || sc.Items[0].Short || sc.Items[3].Short {
						t.Errorf("operator %s: short flags %+v", ol, sc.Items)
					}
					// The lines: after "you placed order…", before the dates.
					i := slices.Index(sc.Lines, said[cl][0])
					if i != 2 || len(sc.Lines) < 4 || sc.Lines[3] != said[cl][1] {
						t.Errorf("customer %s, operator %s: lines\n%s\nwant at 2–3:\n%s", cl, ol, strings.Join(sc.Lines, "\n"),
							strings.Join(said[cl], "\n"))
					}
				}
			}
		})
	}
}
