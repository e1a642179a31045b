package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/stock"
)

// waitlistSKU is the out-of-stock demo item customers wait for: the
// whetstone, out with a delivery of 8 on its way (demo_stock.go).
const waitlistSKU = "STONE-1000"

// waitlistAsks is how many demo customers asked to be told when it is
// back: more than the delivery brings, so that the last ones wait on.
const waitlistAsks = 10

// waitlistPeople are the visitors who asked, in the order they asked:
// e-mail, name and language.
var waitlistPeople = [][3]string{
	{"liga.ozola@inbox.lv.example", "Līga Ozola", "lv"}, {"olga.smirnova@mail.ru.example", "Ольга Смирнова", "ru"},
	{"janis.berzins@inbox.lv.example", "Jānis Bērziņš", "lv"}, {"emma.jones@example.com", "Emma Jones", "en"},
	{"pavel.ivanov@mail.ru.example", "Павел Иванов", "ru"}, {"ilze.kalnina@inbox.lv.example", "Ilze Kalniņa", "lv"},
	{"marta.liepa@inbox.lv.example", "Marta Liepa", "lv"}, {"sergey.petrov@mail.ru.example", "Сергей Петров", "ru"},
	{"tom.clark@example.com", "Tom Clark", "en"}, {"anna.krumina@inbox.lv.example", "Anna Krūmiņa", "lv"},
}

// seedWaitlist has visitors of the shop's product page ask, through the
// widget (and a few through the shop's own code), to be told when the
// whetstone is back, each in their language; those the shop does not
// know yet become customers. The live demo brings its delivery
// (deliverDue), and the first of them, as many as units came in, are
// told.
func seedWaitlist(ctx context.Context, a *app.App) error {
	site := "https://shop.example.com/products/whetstone-1000-6000"
	for i, p := range waitlistPeople[:waitlistAsks] {
		lang := p[2]
		if !slices.Contains(a.Settings.Shop.Languages, lang) {
			lang = a.Settings.Shop.Languages[0] // the shop's site speaks only its own languages
		}
		ask := stock.AskParams{SKU: waitlistSKU, Email: p[0], Name: p[1], Language: lang, Source: stock.SourceWidget, PageURL: site}
		if i%4 == 3 {
			ask.Source, ask.PageURL = stock.SourceAPI, ""
		}
		if _, err := a.Stock.Ask(ctx, ask); err != nil {
			return fmt.Errorf("demo waitlist: %s: %w", p[0], err)
		}
	}
	return nil
}

// deliverDue runs the demo shop's stock room on the shop's clock: the
// deliveries whose day has come join on hand, as the shop's platform
// would report them (the orders waiting for them are served first, then
// the customers waiting to be told, first come first told); and an item
// running low with nothing on its way is reordered from the supplier, a
// batch arriving in a few working days, so the demo keeps a believable
// stock however long it runs. now is the shop's clock.
func deliverDue(ctx context.Context, a *app.App, now time.Time) error {
	today := calendar.DayOf(now.In(a.Settings.Shop.Location()))
	cal := a.Promises.Engine().Calendar()
	for sku, d := range demoStock {
		l, err := a.Stock.Get(ctx, sku)
		if err != nil {
			continue // not tracked (yet)
		}
		var left []stock.Incoming
		came, coming := 0, 0
		for _, in := range l.Incoming {
			if d, err := calendar.ParseDay(in.Date); err == nil && d <= today {
				came += in.Qty
				continue
			}
			coming += in.Qty
			left = append(left, in)
		}
		reorder := coming == 0 && l.OnHand+came-l.Reserved <= demoReorderAt
		if came == 0 && !reorder {
			continue
		}
		l.OnHand += came
		l.Incoming = left
		if reorder {
			// The usual batch: what the item started the demo with, at
			// least a dozen; suppliers take three to six working days.
			batch := max(d.onHand, d.qty, 12)
			days := 3 + int(uint(today)%4)
			l.Incoming = append(l.Incoming, stock.Incoming{Qty: batch, Date: cal.AddWorkdays(today, days).String()})
		}
		if _, err := a.Stock.Put(ctx, "demo", []stock.Level{l}); err != nil {
			return fmt.Errorf("demo delivery of %s: %w", sku, err)
		}
	}
	return nil
}

// demoReorderAt is the level at which the demo shop orders more of an
// item from its supplier.
const demoReorderAt = 2
