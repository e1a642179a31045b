package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/audit"
	"github.com/shopcare/shopcare/internal/i18n"
)

// demoAuditPeople are who walk the demo shop's touch points, in the
// shop's language: the owner's monthly self-check and the agency's
// mystery shopper, with what the shopper wrote.
var demoAuditPeople = map[i18n.Lang]struct{ self, mystery, callNote, deliveryNote string }{
	i18n.RU: {"Анна Смирнова", "Тайный покупатель, агентство «Взгляд»",
		"Перезвонили через 50 минут, оператор вежлив, но не знал остаток на складе.",
		"Курьер приехал в обещанный день, позвонил за час. Коробка немного помята."},
	i18n.LV: {"Marta Ozola", "Slepenais pircējs, aģentūra «Skats»",
		"Atzvanīja pēc 50 minūtēm; operators pieklājīgs, bet nezināja atlikumu noliktavā.",
		"Kurjers ieradās solītajā dienā, piezvanīja stundu iepriekš. Kaste nedaudz saspiesta."},
	i18n.EN: {"Anna Smith", "Mystery shopper, Glance agency",
		"Called back in 50 minutes; polite, but did not know the stock.",
		"The courier came on the promised day and called an hour ahead. The box was a little dented."},
}

// seedAudit gives the demo shop a year of monthly self-checks of every
// touch point, better month by month, and two mystery-shopper visits
// (the call-back and the delivery); this month only some points are
// checked yet, so the board shows what is due.
func seedAudit(ctx context.Context, a *app.App, rnd *rand.Rand, until time.Time) error {
	have, err := a.Audit.Checks(ctx, "", "", "", false)
	if err != nil || len(have) > 0 {
		return err
	}
	items, err := a.Audit.Items(ctx, until)
	if err != nil {
		return err
	}
	lang := i18n.Pick(auditShopLanguage(a), i18n.EN)
	who := demoAuditPeople[lang]
	local := until.In(a.Settings.Shop.Location())
	thisMonth := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, time.UTC)
	const months = 12
	for back := months - 1; back >= 0; back-- {
		month := thisMonth.AddDate(0, -back, 0)
		progress := float64(months-1-back) / float64(months-1) // 0 a year ago, 1 this month
		for i, p := range audit.Points() {
			day := month.AddDate(0, 0, 2+rnd.IntN(8))
			if back == 0 && (i%2 == 1 || day.Format(time.DateOnly) > local.Format(time.DateOnly)) {
				continue
			}
			in := audit.CheckInput{Point: p, Day: day.Format(time.DateOnly), Kind: audit.KindSelf, Who: who.self, By: "demo"}
			passed := 0
			for _, it := range items[p] {
				ok := rnd.Float64() < 0.5+0.45*progress
				if ok {
					passed++
				}
				in.Results = append(in.Results, audit.ResultInput{ItemID: it.ID, Passed: ok})
			}
			if n := len(items[p]); n > 0 {
				in.Score = max(1, min(5, 1+int(float64(4*passed)/float64(n)+0.5)))
			}
			if _, err := a.Audit.CheckAdd(ctx, in, until); err != nil {
				return fmt.Errorf("demo audit check of %s on %s: %w", p, in.Day, err)
			}
		}
	}
	for _, v := range []struct {
		point audit.Point
		back  int
		note  string
		score int
	}{{audit.PointCall, 7, who.callNote, 3}, {audit.PointDelivery, 2, who.deliveryNote, 4}} {
		day := thisMonth.AddDate(0, -v.back, 14)
		in := audit.CheckInput{Point: v.point, Day: day.Format(time.DateOnly), Kind: audit.KindMystery, Who: who.mystery,
			Score: v.score, Notes: v.note, By: "demo"}
		for j, it := range items[v.point] {
			in.Results = append(in.Results, audit.ResultInput{ItemID: it.ID, Passed: j != len(items[v.point])-1})
		}
		if _, err := a.Audit.CheckAdd(ctx, in, until); err != nil {
			return fmt.Errorf("demo mystery visit of %s: %w", v.point, err)
		}
	}
	return nil
}

// auditShopLanguage is the shop's first language, "" when it names none.
func auditShopLanguage(a *app.App) string {
	if len(a.Settings.Shop.Languages) == 0 {
		return ""
	}
	return a.Settings.Shop.Languages[0]
}
