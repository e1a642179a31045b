package packing_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/packing"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestBuildSheet: the sheet of an order carries its items, customer,
// address and languages, the shop's checklist with gift wrap, and the
// inserts of a first order.
func TestBuildSheet(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a := shop(t, engine, "shop:", "  name: Кастрюля и сковородка")
			n := newOrder("1042", andrei)
			n.GiftWrap = true
			id := place(t, a, n)
			run(t, a, `UPDATE orders SET address = $2 WHERE id = $1`, id, "Москва, ул. Тверская, 1, кв. 5")
			sheet := build(t, a, id, apptest.Start)

			if sheet.Shop != "Кастрюля и сковородка" || sheet.ShopLanguage != i18n.RU || sheet.Language != i18n.RU {
				t.Errorf("shop %q in %s, customer in %s", sheet.Shop, sheet.ShopLanguage, sheet.Language)
			}
			if sheet.Order.ExternalID != "1042" || len(sheet.Order.Items) != 2 || sheet.Pieces() != 3 {
				t.Errorf("order %s with %d lines, %d pieces", sheet.Order.ExternalID, len(sheet.Order.Items), sheet.Pieces())
			}
			if sheet.FirstName() != "Андрей" || sheet.Address != "Москва, ул. Тверская, 1, кв. 5" || sheet.PackedAt != nil {
				t.Errorf("first name %q, address %q, packed at %v", sheet.FirstName(), sheet.Address, sheet.PackedAt)
			}
			// Placed on Monday 23 Nov at 15:00 in Moscow, after the cut-off:
			// received on the 24th, shipped a working day later.
			if sheet.Order.ShipDate != "2026-11-25" || sheet.ShipDay != calendar.MustParseDay("2026-11-25") {
				t.Errorf("ship date %s, ship day %s; want the promised 2026-11-25", sheet.Order.ShipDate, sheet.ShipDay)
			}
			want := []string{"bubble_wrap", "kraft_paper", "tape", "branded_box", "gift_wrap", "insert.thank_you", "insert.souvenir"}
			if got := ids(sheet); !slices.Equal(got, want) {
				t.Errorf("checklist %v, want %v", got, want)
			}
			if got := sheet.Checklist[1].Label(i18n.RU); got != "Крафт-бумага в 1–2 слоя" {
				t.Errorf("kraft paper in Russian: %q", got)
			}
			if got := sheet.Checklist[6].Hint(i18n.LV); got != "Klienta pirmais pasūtījums." {
				t.Errorf("souvenir's reason in Latvian: %q", got)
			}
		})
	}
}

// TestBuildShipDay: the day judged is today in the shop's zone, or the
// promised ship date when that is later.
func TestBuildShipDay(t *testing.T) {
	t.Parallel()
	a := shop(t, store.SQLite)
	id := place(t, a, newOrder("1", andrei))
	// 21:30 UTC on 24 Nov is already the 25th in Moscow.
	if got := build(t, a, id, time.Date(2026, 11, 24, 21, 30, 0, 0, time.UTC)).ShipDay; got != calendar.MustParseDay("2026-11-25") {
		t.Errorf("ship day %s, want the promised 2026-11-25", got)
	}
	if got := build(t, a, id, time.Date(2026, 11, 30, 21, 30, 0, 0, time.UTC)).ShipDay; got != calendar.MustParseDay("2026-12-01") {
		t.Errorf("ship day %s, want today in Moscow, 2026-12-01", got)
	}
}

// TestBuildFirstOrder: a souvenir goes with a customer's earliest counted
// order only; a cancelled first order does not count.
func TestBuildFirstOrder(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a := shop(t, engine)
			first := place(t, a, newOrder("1", andrei))
			second := newOrder("2", andrei)
			second.PlacedAt = apptest.Start.Add(time.Hour)
			secondID := place(t, a, second)
			if got := kinds(build(t, a, first, apptest.Start).Inserts); !slices.Equal(got, []packing.InsertKind{packing.ThankYou, packing.Souvenir}) {
				t.Errorf("first order: %v, want a thank-you note and a souvenir", got)
			}
			if got := kinds(build(t, a, secondID, apptest.Start).Inserts); !slices.Equal(got, []packing.InsertKind{packing.ThankYou}) {
				t.Errorf("second order: %v, want a thank-you note only", got)
			}
			if _, err := a.Orders.ChangeStatus(ctx, first, order.StatusUpdate{Status: order.Cancelled, Source: order.SourceAPI}); err != nil {
				t.Fatal(err)
			}
			if got := kinds(build(t, a, secondID, apptest.Start).Inserts); !slices.Equal(got, []packing.InsertKind{packing.ThankYou, packing.Souvenir}) {
				t.Errorf("second order after the first was cancelled: %v, want a souvenir", got)
			}
			other := place(t, a, newOrder("3", customer.Input{ExternalID: "c-2", Name: "Anna", Email: "anna@example.lv"}))
			if !build(t, a, other, apptest.Start).FirstOrder {
				t.Error("another customer's first order is not a first order")
			}
		})
	}
}

// TestBuildHolidayCards: shipping on 20 December gets a card in a Russian
// and a Latvian shop, on 10 March none; a Latvian shop sends Līgo cards in
// June.
func TestBuildHolidayCards(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ru := shop(t, engine)
			lv := shop(t, engine, lvShop...)
			ruID := place(t, ru, newOrder("1", andrei))
			lvID := place(t, lv, newOrder("1", customer.Input{ExternalID: "c-2", Name: "Anna Bērziņa", Email: "anna@example.lv", Language: "lv"}))
			tests := []struct {
				name    string
				sheet   *packing.Sheet
				holiday string // "" for no card
			}{
				{"RU 20 Dec", build(t, ru, ruID, at("Europe/Moscow", "2026-12-20", 10)), "new_year"},
				{"RU 10 Mar", build(t, ru, ruID, at("Europe/Moscow", "2027-03-10", 10)), ""},
				{"LV 20 Dec", build(t, lv, lvID, at("Europe/Riga", "2026-12-20", 10)), "christmas"},
				{"LV 10 Mar", build(t, lv, lvID, at("Europe/Riga", "2027-03-10", 10)), ""},
				{"LV June", build(t, lv, lvID, at("Europe/Riga", "2027-06-18", 10)), "midsummer"},
			}
			for _, tt := range tests {
				var card *packing.Insert
				for i, in := range tt.sheet.Inserts {
					if in.Kind == packing.HolidayCard {
						card = &tt.sheet.Inserts[i]
					}
				}
				switch {
				case tt.holiday == "" && card != nil:
					t.Errorf("%s: a holiday card for %s, want none", tt.name, card.Holiday)
				case tt.holiday != "" && card == nil:
					t.Errorf("%s: no holiday card, want one for %s", tt.name, tt.holiday)
				case card != nil && card.Holiday != tt.holiday:
					t.Errorf("%s: a card for %s, want %s", tt.name, card.Holiday, tt.holiday)
				case card != nil && !slices.Contains(ids(tt.sheet), "insert.holiday_card"):
					t.Errorf("%s: the card is not on the checklist: %v", tt.name, ids(tt.sheet))
				}
			}
			june := build(t, lv, lvID, at("Europe/Riga", "2027-06-18", 10))
			if got := june.Inserts[1].Why(june.Language); got != "Sūtām piektdien, 18. jūnijā, 5 dienas pirms svētkiem „Līgo un Jāņi”." {
				t.Errorf("the Līgo card's reason: %q", got)
			}
		})
	}
}

// TestBuildUnknownOrder is store.ErrNotFound.
func TestBuildUnknownOrder(t *testing.T) {
	t.Parallel()
	a := shop(t, store.SQLite)
	_, err := packing.Build(context.Background(), a.DB.Read(), a.Settings, a.Promises.Engine().Calendar(), 404, apptest.Start)
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Build(404) = %v, want store.ErrNotFound", err)
	}
}

// TestBuildOwnChecklist: a shop's own words stand as written, next to the
// built-in checks in the packer's language.
func TestBuildOwnChecklist(t *testing.T) {
	t.Parallel()
	a := shop(t, store.SQLite, "packing:", `  checklist: [tape, "Наклейка «Осторожно, стекло»"]`, "  souvenir: {first_order: false}")
	sheet := build(t, a, place(t, a, newOrder("1", andrei)), apptest.Start)
	if got := ids(sheet); !slices.Equal(got, []string{"tape", "Наклейка «Осторожно, стекло»", "insert.thank_you"}) {
		t.Fatalf("checklist %v", got)
	}
	if got := sheet.Checklist[0].Label(i18n.LV); got != "Līmlente 2–3 apļos" {
		t.Errorf("tape in Latvian: %q", got)
	}
	if got := sheet.Checklist[1].Label(i18n.EN); got != "Наклейка «Осторожно, стекло»" {
		t.Errorf("the shop's own check: %q", got)
	}
}

// TestBuildTier: the sheet carries the customer's tier from the loyalty
// program; a card with free gift wrap says so on the gift wrap line, and
// a card with the souvenir perk gets a souvenir on every order.
func TestBuildTier(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a := shop(t, engine, "loyalty:", "  tiers:",
				"    - {code: silver, names: {en: Silver card, ru: Серебряная карта}, min_orders: 1, perks: [free_gift_wrap]}",
				"    - {code: gold, names: {en: Gold card, ru: Золотая карта}, min_orders: 2, perks: [souvenir]}")
			// deliver takes a placed order to the customer and lets the
			// loyalty program react, as the journal's dispatcher does.
			deliver := func(id int64) {
				t.Helper()
				for _, st := range []order.Status{order.ReadyToShip, order.Shipped, order.Delivered} {
					if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: st, Source: order.SourceAPI,
						TrackingNumber: "RR123456785RU"}); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := a.Dispatcher.Drain(ctx); err != nil {
					t.Fatal(err)
				}
			}
			wrapped := func(ext string, placed time.Time) int64 {
				n := newOrder(ext, andrei)
				n.GiftWrap, n.PlacedAt = true, placed
				return place(t, a, n)
			}
			gift := func(sheet *packing.Sheet) packing.CheckItem {
				t.Helper()
				for _, c := range sheet.Checklist {
					if c.Kind == packing.CheckGiftWrap {
						return c
					}
				}
				t.Fatalf("no gift wrap line: %v", ids(sheet))
				return packing.CheckItem{}
			}

			first := wrapped("1", apptest.Start)
			sheet := build(t, a, first, apptest.Start)
			if sheet.Tier != "" || gift(sheet).Hint(i18n.EN) != "" {
				t.Errorf("a new customer: tier %q, gift wrap %q", sheet.Tier, gift(sheet).Hint(i18n.EN))
			}
			deliver(first)

			second := wrapped("2", apptest.Start.Add(time.Hour))
			sheet = build(t, a, second, apptest.Start)
			if sheet.Tier != "silver" {
				t.Fatalf("after one delivered order: tier %q, want silver", sheet.Tier)
			}
			if got := kinds(sheet.Inserts); !slices.Equal(got, []packing.InsertKind{packing.ThankYou}) {
				t.Errorf("silver, whose perks have no souvenir: %v", got)
			}
			if got := gift(sheet).Hint(i18n.RU); got != "Бесплатно: привилегия уровня «Серебряная карта»." {
				t.Errorf("silver's gift wrap in Russian: %q", got)
			}
			if got := gift(sheet).Hint(i18n.EN); got != "Free: a perk of the Silver card." {
				t.Errorf("silver's gift wrap in English: %q", got)
			}
			deliver(second)

			third := wrapped("3", apptest.Start.Add(2*time.Hour))
			sheet = build(t, a, third, apptest.Start)
			if sheet.Tier != "gold" || sheet.FirstOrder {
				t.Fatalf("after two delivered orders: tier %q, first order %v; want gold", sheet.Tier, sheet.FirstOrder)
			}
			if want := []string{"bubble_wrap", "kraft_paper", "tape", "branded_box", "gift_wrap", "insert.thank_you", "insert.souvenir"}; !slices.Equal(ids(sheet), want) {
				t.Errorf("gold, whose perks have a souvenir: %v, want %v", ids(sheet), want)
			}
			if got := sheet.Checklist[6].Hint(i18n.EN); got != "Loyalty tier: Gold card." {
				t.Errorf("the souvenir's reason: %q", got)
			}
			if got := gift(sheet).Hint(i18n.EN); got != "" {
				t.Errorf("gold, whose perks have no free gift wrap: %q", got)
			}
		})
	}
}
