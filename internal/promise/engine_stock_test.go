package promise

import (
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
)

// TestQuoteWaitsForStock: an item not on hand holds the start of work
// back to the day its delivery is expected (the first working day on or
// after it); production and handling count from there. A delivery
// expected before the order is received changes nothing.
func TestQuoteWaitsForStock(t *testing.T) {
	t.Parallel()
	e := engine(t, moscow)
	placed := at(t, "2026-12-07T11:00:00+03:00") // Monday, before the cut-off
	tests := []struct {
		name       string
		stockOn    string
		production int
		made, ship string
		from, to   string
	}{
		{name: "in stock", ship: "2026-12-08", from: "2026-12-10", to: "2026-12-10"},
		{name: "expected on a Tuesday", stockOn: "2026-12-15", ship: "2026-12-16", from: "2026-12-18", to: "2026-12-18"},
		{name: "expected on a Saturday: work begins on Monday", stockOn: "2026-12-19", ship: "2026-12-22", from: "2026-12-24", to: "2026-12-24"},
		{name: "expected before the order is received", stockOn: "2026-12-01", ship: "2026-12-08", from: "2026-12-10", to: "2026-12-10"},
		{name: "made to order after the delivery", stockOn: "2026-12-15", production: 2, made: "2026-12-17", ship: "2026-12-18", from: "2026-12-20", to: "2026-12-20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Request{PlacedAt: placed}
			if tt.stockOn != "" {
				r.AddWait(Wait{Item: "Blue mug", On: calendar.MustParseDay(tt.stockOn)})
			}
			r.AddItem(tt.production > 0, tt.production)
			d, err := e.Quote(r)
			if err != nil {
				t.Fatal(err)
			}
			got := d.Store()
			if got.ProductionDate != tt.made || got.ShipDate != tt.ship || got.DeliveryFrom != tt.from || got.DeliveryTo != tt.to {
				t.Errorf("dates = %+v, want made %q ship %s delivery %s–%s", got, tt.made, tt.ship, tt.from, tt.to)
			}
			if d.Received.String() != "2026-12-07" {
				t.Errorf("received = %s, want the day the order came in, 2026-12-07", d.Received)
			}
		})
	}
}

// TestQuoteStockKeepsTheLaterStart: a start of work later than the
// delivery wins, and the later of two deliveries counts.
func TestQuoteStockKeepsTheLaterStart(t *testing.T) {
	t.Parallel()
	e := engine(t, moscow)
	r := Request{PlacedAt: at(t, "2026-12-07T11:00:00+03:00"), StartedAt: at(t, "2026-12-17T10:00:00+03:00")}
	r.AddWait(Wait{Item: "Blue mug", On: calendar.MustParseDay("2026-12-15")})
	r.AddWait(Wait{Item: "Vase", On: calendar.MustParseDay("2026-12-10")})
	if r.StockOn != calendar.MustParseDay("2026-12-15") {
		t.Fatalf("StockOn = %s, want the latest delivery 2026-12-15", r.StockOn)
	}
	d, err := e.Quote(r)
	if err != nil || d.Ship.String() != "2026-12-18" {
		t.Fatalf("ship = %s, %v; want 2026-12-18, a day after work began on the 17th", d.Ship, err)
	}
}

// TestExplainNamesTheWaitingItem: the explanation names each item not in
// stock and its day, in the customer's language, and says when work
// begins when the delivery falls on a day off.
func TestExplainNamesTheWaitingItem(t *testing.T) {
	t.Parallel()
	e := engine(t, moscow)
	r := Request{PlacedAt: at(t, "2026-12-07T11:00:00+03:00")}
	r.AddWait(Wait{Item: "Blue mug", On: calendar.MustParseDay("2026-12-15")})
	r.AddWait(Wait{Item: "Vase", ProductionDays: 3})
	r.AddWait(Wait{Item: "Plate"})
	tests := []struct {
		lang i18n.Lang
		want []string
	}{
		{i18n.EN, []string{"«Blue mug» is not in stock: the next delivery is expected on Tuesday 15 Dec",
			"«Vase» is not in stock: made for this order in 3 working days",
			"«Plate» is not in stock: the date of the next delivery is not known yet"}},
		{i18n.RU, []string{"товара «Blue mug» нет в наличии: следующая поставка ожидается во вторник, 15 декабря",
			"товара «Vase» нет в наличии: изготовление для этого заказа, 3 рабочих дня"}},
		{i18n.LV, []string{"preces «Blue mug» nav noliktavā: nākamā piegāde gaidāma otrdien, 15. decembrī"}},
	}
	for _, tt := range tests {
		_, steps, err := e.Explain(r, tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(steps, "\n")
		for _, w := range tt.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s steps lack %q:\n%s", tt.lang, w, all)
			}
		}
	}

	// A delivery on Saturday: work begins on Monday, and the explanation
	// says so.
	sat := Request{PlacedAt: at(t, "2026-12-07T11:00:00+03:00")}
	sat.AddWait(Wait{Item: "Blue mug", On: calendar.MustParseDay("2026-12-19")})
	_, steps, err := e.Explain(sat, i18n.EN)
	if err != nil {
		t.Fatal(err)
	}
	if all := strings.Join(steps, "\n"); !strings.Contains(all, "work on the order begins after the delivery: Monday 21 Dec") {
		t.Errorf("steps lack the day work begins:\n%s", all)
	}
}

// TestQuoteWithStockDoesNotAllocate: the stock check keeps Quote free of
// allocations.
func TestQuoteWithStockDoesNotAllocate(t *testing.T) {
	e := engine(t, moscow)
	r := Request{PlacedAt: at(t, "2026-12-07T11:00:00+03:00"), Carrier: "cdek", Country: "LV"}
	r.AddWait(Wait{Item: "Blue mug", On: calendar.MustParseDay("2026-12-19")})
	if n := testing.AllocsPerRun(100, func() { _, _ = e.Quote(r) }); n != 0 {
		t.Errorf("Quote with StockOn allocates %v times, want 0", n)
	}
}

// BenchmarkQuoteStock compares a quote with and without an item waiting
// for stock: the difference is what the stock check adds (issue 27: under
// 1 µs).
// go test -run '^$' -bench QuoteStock ./internal/promise/
func BenchmarkQuoteStock(b *testing.B) {
	e := engine(b, moscow)
	plain := Request{PlacedAt: at(b, "2026-12-07T11:00:00+03:00"), Carrier: "cdek", Country: "LV"}
	waiting := plain
	waiting.AddWait(Wait{Item: "Blue mug", On: calendar.MustParseDay("2026-12-19")})
	for _, c := range []struct {
		name string
		r    Request
	}{{"in_stock", plain}, {"waits", waiting}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Quote(c.r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
