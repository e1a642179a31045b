package packing

import (
	"os"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
)

func TestZZRender(t *testing.T) {
	if os.Getenv("ZZ_RENDER") == "" {
		t.Skip()
	}
	s := config.Default()
	cal, _ := calendar.New("LV", nil)
	loc, _ := time.LoadLocation("Europe/Riga")
	o := &order.Order{ID: 7, ExternalID: "1042", Carrier: "omniva", GiftWrap: true, PlacedAt: time.Date(2026, 12, 18, 9, 30, 0, 0, time.UTC),
		Customer: &customer.Customer{Name: "Anna Bērziņa", Phone: "+37129123456", Email: "anna@example.lv", Language: "lv"},
		Items: []order.Item{{SKU: "MUG-1", Name: "Krūze ar vāku, zilā glazūra", Qty: 2}, {SKU: "POT-24-XL-LONGSKU", Name: "Кастрюля эмалированная 24 см с крышкой и длинным названием, которое переносится на вторую строку", Qty: 1}}}
	sh := &Sheet{Shop: "Кастрюля и сковородка", ShopLanguage: i18n.RU, Order: o, Address: "Brīvības iela 12-3, Rīga, LV-1010", Language: i18n.LV,
		ShipDay: calendar.Date(2026, 12, 20), FirstOrder: true, GiftWrap: true, At: time.Date(2026, 12, 20, 8, 0, 0, 0, time.UTC), Location: loc}
	sh.Inserts = Inserts(s.Packing, cal, Facts{ShipDay: sh.ShipDay, FirstOrder: true})
	sh.Checklist = checklist(s.Packing, true, sh.Inserts)
	for _, lang := range []i18n.Lang{i18n.RU, i18n.LV, i18n.EN} {
		for _, size := range []Size{A4, A6} {
			b, err := SlipPDF(sh, lang, size)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile("/tmp/slip_"+string(lang)+"_"+string(size)+".pdf", b, 0o644)
			b, err = NotePDF(sh, lang, size)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile("/tmp/note_"+string(lang)+"_"+string(size)+".pdf", b, 0o644)
		}
	}
}
