package promise

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
)

// settings returns the default settings of a shop, changed by edit.
func settings(t testing.TB, yaml string) config.Settings {
	t.Helper()
	s, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func engine(t testing.TB, yaml string, overrides ...calendar.Override) *Engine {
	t.Helper()
	e, err := NewEngine(settings(t, yaml), overrides)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const moscow = `
shop: {country: RU, timezone: Europe/Moscow, cutoff: "14:00"}
promise: {handling_days: 1}
carriers:
  - {code: courier, transit_days: [2, 2]}
  - {code: post, transit_days: [5, 7]}
  - {code: cdek, transit_days: [2, 4], transit_working_days: true, non_delivery_weekdays: [sun],
     destinations: {LV: [4, 6]}}
`

const riga = `
shop: {country: LV, timezone: Europe/Riga, cutoff: "14:00", languages: [lv, ru, en]}
promise: {handling_days: 1}
carriers:
  - {code: omniva, transit_days: [1, 2], non_delivery_weekdays: [sat, sun]}
`

func TestQuote(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		shop     string
		req      Request
		received string
		made     string
		ship     string
		from, to string
	}{
		{name: "Friday after the cut-off is received on Monday", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-27T15:20:00+03:00")},
			received: "2026-11-30", ship: "2026-12-01", from: "2026-12-03", to: "2026-12-03"},
		{name: "before the cut-off is received the same day", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-24T11:00:00+03:00"), Carrier: "post"},
			received: "2026-11-24", ship: "2026-11-25", from: "2026-11-30", to: "2026-12-02"},
		{name: "exactly at the cut-off makes it", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-24T14:00:00+03:00")},
			received: "2026-11-24", ship: "2026-11-25", from: "2026-11-27", to: "2026-11-27"},
		{name: "a second after the cut-off does not", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-24T14:00:01+03:00")},
			received: "2026-11-25", ship: "2026-11-26", from: "2026-11-28", to: "2026-11-28"},
		{name: "a nanosecond after the cut-off does not", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-24T14:00:00.000000001+03:00")},
			received: "2026-11-25", ship: "2026-11-26", from: "2026-11-28", to: "2026-11-28"},
		{name: "at 23:59 on a Friday", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-27T23:59:00+03:00")},
			received: "2026-11-30", ship: "2026-12-01", from: "2026-12-03", to: "2026-12-03"},
		{name: "at 00:00 on a Monday", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-30T00:00:00+03:00")},
			received: "2026-11-30", ship: "2026-12-01", from: "2026-12-03", to: "2026-12-03"},
		{name: "at 00:00 on a Saturday", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-28T00:00:00+03:00")},
			received: "2026-11-30", ship: "2026-12-01", from: "2026-12-03", to: "2026-12-03"},
		{name: "31 December 2025 evening waits for the New Year holidays", shop: moscow,
			req:      Request{PlacedAt: at(t, "2025-12-31T19:40:00+03:00")},
			received: "2026-01-12", ship: "2026-01-13", from: "2026-01-15", to: "2026-01-15"},
		{name: "30 December 2025 evening, after the cut-off, is received after the holidays", shop: moscow,
			req:      Request{PlacedAt: at(t, "2025-12-30T18:00:00+03:00")},
			received: "2026-01-12", ship: "2026-01-13", from: "2026-01-15", to: "2026-01-15"},
		{name: "handling 0 ships on the first working day of January", shop: strings.Replace(moscow, "handling_days: 1", "handling_days: 0", 1),
			req:      Request{PlacedAt: at(t, "2025-12-31T19:40:00+03:00")},
			received: "2026-01-12", ship: "2026-01-12", from: "2026-01-14", to: "2026-01-14"},
		{name: "the working Saturday 1 Nov 2025 receives and ships", shop: moscow,
			req:      Request{PlacedAt: at(t, "2025-10-31T16:00:00+03:00")},
			received: "2025-11-01", ship: "2025-11-05", from: "2025-11-07", to: "2025-11-07"},
		{name: "placed on the working Saturday before the cut-off", shop: moscow,
			req:      Request{PlacedAt: at(t, "2025-11-01T10:00:00+03:00"), Carrier: "post"},
			received: "2025-11-01", ship: "2025-11-05", from: "2025-11-10", to: "2025-11-12"},
		{name: "Moscow shop, Vladivostok customer: the shop's clock decides", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-24T23:30:00+10:00")},
			received: "2026-11-25", ship: "2026-11-26", from: "2026-11-28", to: "2026-11-28"},
		{name: "made to order: the largest production time, then handling", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-23T10:00:00+03:00"), MadeToOrder: true, ProductionDays: 5, Carrier: "post"},
			received: "2026-11-23", made: "2026-11-30", ship: "2026-12-01", from: "2026-12-06", to: "2026-12-08"},
		{name: "made to order in 0 days is made on the day received", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-23T10:00:00+03:00"), MadeToOrder: true},
			received: "2026-11-23", made: "2026-11-23", ship: "2026-11-24", from: "2026-11-26", to: "2026-11-26"},
		{name: "working-day carrier skips holidays and its Sunday", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-05-07T10:00:00+03:00"), Carrier: "cdek"},
			received: "2026-05-07", ship: "2026-05-08", from: "2026-05-13", to: "2026-05-15"},
		{name: "destination transit and the destination's calendar", shop: moscow,
			req:      Request{PlacedAt: at(t, "2026-11-16T10:00:00+03:00"), Carrier: "cdek", Country: "LV"},
			received: "2026-11-16", ship: "2026-11-17", from: "2026-11-24", to: "2026-11-26"},
		{name: "Latvia: 18 November", shop: riga,
			req:      Request{PlacedAt: at(t, "2026-11-17T15:00:00+02:00")},
			received: "2026-11-19", ship: "2026-11-20", from: "2026-11-23", to: "2026-11-23"},
		{name: "Latvia: Midsummer, Līgo and Jāņi", shop: riga,
			req:      Request{PlacedAt: at(t, "2026-06-22T16:00:00+03:00")},
			received: "2026-06-25", ship: "2026-06-26", from: "2026-06-29", to: "2026-06-29"},
		{name: "Riga before DST: 11:30 UTC is 13:30, before the cut-off", shop: riga,
			req:      Request{PlacedAt: at(t, "2026-03-27T11:30:00Z")},
			received: "2026-03-27", ship: "2026-03-30", from: "2026-03-31", to: "2026-04-01"},
		{name: "Riga after DST: 11:30 UTC is 14:30, after the cut-off", shop: riga,
			req:      Request{PlacedAt: at(t, "2026-03-30T11:30:00Z")},
			received: "2026-03-31", ship: "2026-04-01", from: "2026-04-02", to: "2026-04-03"},
		{name: "work begun late moves everything out", shop: moscow,
			req: Request{PlacedAt: at(t, "2026-11-23T10:00:00+03:00"),
				StartedAt: at(t, "2026-11-25T16:00:00+03:00")},
			received: "2026-11-23", ship: "2026-11-27", from: "2026-11-29", to: "2026-11-29"},
		{name: "work begun early moves nothing in", shop: moscow,
			req: Request{PlacedAt: at(t, "2026-11-23T15:00:00+03:00"),
				StartedAt: at(t, "2026-11-23T15:10:00+03:00")},
			received: "2026-11-24", ship: "2026-11-25", from: "2026-11-27", to: "2026-11-27"},
		{name: "a late shipment moves the delivery", shop: moscow,
			req: Request{PlacedAt: at(t, "2026-11-23T10:00:00+03:00"),
				ShippedAt: at(t, "2026-11-28T12:00:00+03:00")},
			received: "2026-11-23", ship: "2026-11-28", from: "2026-11-30", to: "2026-11-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := engine(t, tt.shop).Quote(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			made := ""
			if d.Made {
				made = d.Production.String()
			}
			got := [5]string{d.Received.String(), made, d.Ship.String(), d.DeliveryFrom.String(), d.DeliveryTo.String()}
			want := [5]string{tt.received, tt.made, tt.ship, tt.from, tt.to}
			if got != want {
				t.Errorf("received, made, ship, from, to =\n %v, want\n %v", got, want)
			}
		})
	}
}

func TestQuoteShopDaysOff(t *testing.T) {
	t.Parallel()
	e := engine(t, moscow, calendar.Override{
		From: calendar.MustParseDay("2026-11-24"), To: calendar.MustParseDay("2026-11-25"), Reason: "stocktaking"})
	d, err := e.Quote(Request{PlacedAt: at(t, "2026-11-23T15:00:00+03:00")})
	if err != nil {
		t.Fatal(err)
	}
	if d.Received.String() != "2026-11-26" || d.Ship.String() != "2026-11-27" {
		t.Errorf("received %s, ship %s; want 2026-11-26, 2026-11-27 around the stocktaking", d.Received, d.Ship)
	}
	_, steps, err := e.Explain(Request{PlacedAt: at(t, "2026-11-23T15:00:00+03:00")}, i18n.EN)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(steps, "\n"), "stocktaking") {
		t.Errorf("the explanation does not name the shop's day off:\n%s", strings.Join(steps, "\n"))
	}
}

func TestQuoteUnknownCarrier(t *testing.T) {
	t.Parallel()
	d, err := engine(t, moscow).Quote(Request{PlacedAt: at(t, "2026-11-23T10:00:00+03:00"), Carrier: "dhl"})
	if !errors.Is(err, ErrUnknownCarrier) {
		t.Fatalf("err = %v, want ErrUnknownCarrier", err)
	}
	if d.Ship.String() != "2026-11-24" || d.Delivers {
		t.Errorf("ship %s delivers %v: want the ship date and no delivery", d.Ship, d.Delivers)
	}
	if _, err := engine(t, moscow).Quote(Request{}); !errors.Is(err, ErrNoPlacedAt) {
		t.Errorf("no time: err = %v", err)
	}
}

func TestQuoteProvisional(t *testing.T) {
	t.Parallel()
	e := engine(t, moscow)
	d, err := e.Quote(Request{PlacedAt: at(t, "2026-11-23T10:00:00+03:00")})
	if err != nil || d.Provisional {
		t.Errorf("2026 is decreed: provisional %v, err %v", d.Provisional, err)
	}
	d, err = e.Quote(Request{PlacedAt: at(t, "2030-03-01T10:00:00+03:00")})
	if err != nil || !d.Provisional {
		t.Errorf("2030 is not decreed: provisional %v, err %v", d.Provisional, err)
	}
	_, steps, _ := e.Explain(Request{PlacedAt: at(t, "2030-03-01T10:00:00+03:00")}, i18n.EN)
	if last := steps[len(steps)-1]; !strings.Contains(last, "2030") {
		t.Errorf("the last step does not warn about 2030: %q", last)
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	e := engine(t, moscow)
	req := Request{PlacedAt: at(t, "2026-11-27T15:20:00+03:00")}
	want := map[i18n.Lang][]string{
		i18n.EN: {
			"placed Friday 27 Nov 15:20, after the 14:00 cut-off: received Monday 30 Nov",
			"1 working day to ship: Tuesday 1 Dec",
			"Courier 2 days: Thursday 3 Dec",
		},
		i18n.RU: {
			"заказ оформлен: пятница, 27 ноября, 15:20, после 14:00 — принят: понедельник, 30 ноября",
			"1 рабочий день на отправку: вторник, 1 декабря",
			"Курьер, 2 дня: четверг, 3 декабря",
		},
		i18n.LV: {
			"pasūtīts: piektdiena, 27. novembris, 15:20, pēc 14:00 — pieņemts: pirmdiena, 30. novembris",
			"1 darba diena līdz nosūtīšanai: otrdiena, 1. decembris",
			"Kurjers, 2 dienas: ceturtdiena, 3. decembris",
		},
	}
	for lang, w := range want {
		_, steps, err := e.Explain(req, lang)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(steps, "\n") != strings.Join(w, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", lang, steps, w)
		}
	}
}

func TestExplainNewYear(t *testing.T) {
	t.Parallel()
	_, steps, err := engine(t, moscow).Explain(Request{PlacedAt: at(t, "2025-12-31T19:40:00+03:00")}, i18n.EN)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(steps, "\n")
	for _, want := range []string{"received Monday 12 Jan", "Wednesday 31 Dec – Sunday 11 Jan", "public holidays"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
}

// TestQuoteProperties checks over many random orders that the dates come in
// order, a ship date is a working day, and a later order never gets an
// earlier promise.
func TestQuoteProperties(t *testing.T) {
	t.Parallel()
	shops := map[string]*Engine{"moscow": engine(t, moscow), "riga": engine(t, riga)}
	carriers := map[string][]string{"moscow": {"", "courier", "post", "cdek"}, "riga": {"", "omniva"}}
	rng := rand.New(rand.NewPCG(1, 2))
	start := at(t, "2012-01-01T00:00:00Z").Unix()
	span := at(t, "2032-01-01T00:00:00Z").Unix() - start
	for i := range 100_000 {
		name := "moscow"
		if i%3 == 0 {
			name = "riga"
		}
		e := shops[name]
		cs := carriers[name]
		req := Request{
			PlacedAt: time.Unix(start+rng.Int64N(span), rng.Int64N(1e9)),
			Carrier:  cs[rng.IntN(len(cs))],
			Country:  []string{"", "RU", "LV", "DE", "EE"}[rng.IntN(5)],
		}
		if rng.IntN(3) == 0 {
			req.MadeToOrder, req.ProductionDays = true, rng.IntN(30)
		}
		d, err := e.Quote(req)
		if err != nil {
			t.Fatal(err)
		}
		if d.Made && (d.Production < d.Received || d.Production > d.Ship) ||
			d.Received < calendar.DayOf(req.PlacedAt.In(e.loc)) || d.Ship < d.Received ||
			d.Ship > d.DeliveryFrom || d.DeliveryFrom > d.DeliveryTo {
			t.Fatalf("%s %+v: dates out of order: %+v", name, req, d)
		}
		if !e.shop.IsWorkday(d.Ship) || !e.shop.IsWorkday(d.Received) {
			t.Fatalf("%s %+v: ship %s or received %s is not a working day", name, req, d.Ship, d.Received)
		}
		later := req
		later.PlacedAt = req.PlacedAt.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))
		d2, err := e.Quote(later)
		if err != nil {
			t.Fatal(err)
		}
		if d2.Received < d.Received || d2.Ship < d.Ship || d2.DeliveryFrom < d.DeliveryFrom || d2.DeliveryTo < d.DeliveryTo {
			t.Fatalf("%s: a later order got an earlier promise:\n%v → %+v\n%v → %+v", name, req.PlacedAt, d, later.PlacedAt, d2)
		}
	}
}

func BenchmarkQuote(b *testing.B) {
	e := engine(b, moscow)
	reqs := []Request{
		{PlacedAt: at(b, "2026-11-27T15:20:00+03:00")},
		{PlacedAt: at(b, "2025-12-31T19:40:00+03:00"), Carrier: "post", MadeToOrder: true, ProductionDays: 5},
		{PlacedAt: at(b, "2026-05-07T10:00:00+03:00"), Carrier: "cdek", Country: "LV"},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := e.Quote(reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkExplain(b *testing.B) {
	e := engine(b, moscow)
	req := Request{PlacedAt: at(b, "2025-12-31T19:40:00+03:00"), Carrier: "post"}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.Explain(req, i18n.RU); err != nil {
			b.Fatal(err)
		}
	}
}

func TestQuoteCountryWithoutCalendar(t *testing.T) {
	t.Parallel()
	e := engine(t, `shop: {country: FR, timezone: Europe/Paris, languages: [en]}`,
		calendar.Override{From: calendar.MustParseDay("2026-12-25"), To: calendar.MustParseDay("2026-12-25"), Reason: "Noël"})
	d, err := e.Quote(Request{PlacedAt: at(t, "2026-12-24T15:00:00+01:00")})
	if err != nil {
		t.Fatal(err)
	}
	if d.Received.String() != "2026-12-28" || d.Ship.String() != "2026-12-29" {
		t.Errorf("received %s, ship %s: want Monday 28 and Tuesday 29 Dec after Noël and the weekend", d.Received, d.Ship)
	}
}
