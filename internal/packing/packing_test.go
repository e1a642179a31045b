package packing_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/packing"
	"github.com/shopcare/shopcare/internal/store"
)

// lvShop is the settings of a Latvian shop writing Latvian first.
var lvShop = []string{
	"shop:",
	"  name: Māla darbnīca",
	"  country: LV",
	"  timezone: Europe/Riga",
	"  languages: [lv, en]",
}

// andrei is a Russian customer of the default (Russian) shop.
var andrei = customer.Input{ExternalID: "c-1", Name: "Андрей Петров", Email: "andrei@example.com", Language: "ru"}

// shop returns an App of the engine with the settings given, its clock
// at apptest.Start; no jobs run.
func shop(t testing.TB, engine store.Engine, yaml ...string) *app.App {
	t.Helper()
	a, _ := apptest.New(t, engine, false, yaml...)
	return a
}

// newOrder describes an order of a pot and two mugs.
func newOrder(ext string, c customer.Input) order.NewOrder {
	return order.NewOrder{ExternalID: ext, Customer: c, Carrier: "post", Items: []order.Item{
		{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 249000},
		{SKU: "MUG-2", Name: "Krūze ar vāku", Qty: 2, PriceMinor: 99000},
	}}
}

// place hands an order in and moves it to processing, as a shop does once
// it starts on it.
func place(t testing.TB, a *app.App, n order.NewOrder) int64 {
	t.Helper()
	ctx := context.Background()
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: order.Processing, Source: order.SourceAPI}); err != nil {
		t.Fatal(err)
	}
	return res.ID
}

// run runs one statement in a transaction.
func run(t testing.TB, a *app.App, sql string, args ...any) {
	t.Helper()
	err := a.DB.InTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(context.Background(), sql, args...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// build makes the packing sheet of an order at now.
func build(t testing.TB, a *app.App, id int64, now time.Time) *packing.Sheet {
	t.Helper()
	sheet, err := packing.Build(context.Background(), a.DB.Read(), a.Settings, a.Promises.Engine().Calendar(), id, now)
	if err != nil {
		t.Fatal(err)
	}
	return sheet
}

// ids returns the checklist ids of a sheet, all ticked.
func ids(sheet *packing.Sheet) []string {
	out := make([]string, len(sheet.Checklist))
	for i, c := range sheet.Checklist {
		out[i] = c.ID
	}
	return out
}

// kinds returns the kinds of a sheet's inserts.
func kinds(ins []packing.Insert) []packing.InsertKind {
	out := make([]packing.InsertKind, len(ins))
	for i, in := range ins {
		out[i] = in.Kind
	}
	return out
}

// at is a moment of a shop-local day.
func at(zone string, day string, hour int) time.Time {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	d := calendar.MustParseDay(day)
	return d.Time(loc).Add(time.Duration(hour) * time.Hour)
}
