package callback_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestScript: the call script of an order with made-to-order items, paid
// on delivery: its lines in the customer's language whatever the
// operator's (the customer's first name, when they ordered in their own
// time, what is made to order and when it is ready, the promised days, the
// payment, the address to ask for and the time windows, with the right
// plural forms), its labels in the operator's; nothing claims "in stock",
// which the shop's data never says.
func TestScript(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, _ := shop(t, engine, false)
			// Monday 23 Nov, 15:00 in Moscow (after the 14:00 cut-off):
			// received Tuesday, the vase made by the 5th working day
			// (Tuesday 1 Dec), shipped Wednesday, by courier in 2 days.
			items := []order.Item{{SKU: "VASE", Name: "Ваза", Qty: 1, PriceMinor: 250000, MadeToOrder: true, ProductionDays: 5},
				{SKU: "MUG", Name: "Кружка", Qty: 2, PriceMinor: 50000, MadeToOrder: true, ProductionDays: 3},
				{SKU: "POT", Name: "Кастрюля", Qty: 1, PriceMinor: 499000}}
			want := map[i18n.Lang][]string{
				i18n.RU: {
					"Здравствуйте, Андрей! Это магазин «Кастрюля и сковородка».",
					"Вы оформили заказ S-ru сегодня в 15:00.",
					"Специально для вас изготовим 2 товара — всё будет готово во вторник, 1 декабря.",
					"Отправим в среду, 2 декабря, доставка в пятницу, 4 декабря.",
					"Оплата при получении: " + i18n.Money(i18n.RU, 849000, "RUB") + ".",
					"По какому адресу доставить заказ (Москва, RU)?",
					"В какое время вам удобно принять доставку: 09:00–12:00, 12:00–15:00, 15:00–18:00, 18:00–21:00?",
					"Спасибо, хорошего дня!",
				},
				i18n.LV: {
					"Labdien, Андрей! Jums zvana no veikala Кастрюля и сковородка.",
					"Jūs veicāt pasūtījumu S-lv šodien plkst. 15:00.",
					"Jums īpaši izgatavosim 2 preces — viss būs gatavs otrdien, 1. decembrī.",
					"Nosūtīsim trešdien, 2. decembrī, piegāde piektdien, 4. decembrī.",
					"Apmaksa saņemot: " + i18n.Money(i18n.LV, 849000, "RUB") + ".",
					"Uz kādu adresi piegādāt pasūtījumu (Москва, RU)?",
					"Kurā laikā jums ērti saņemt piegādi: 09:00–12:00, 12:00–15:00, 15:00–18:00, 18:00–21:00?",
					"Paldies, jauku dienu!",
				},
				i18n.EN: {
					"Hello Андрей, this is Кастрюля и сковородка.",
					"You placed order S-en today at 15:00.",
					"2 items are made to order for you: they will be ready on Tuesday 1 Dec.",
					"We ship it on Wednesday 2 Dec, and it arrives on Friday 4 Dec.",
					"You pay on delivery: " + i18n.Money(i18n.EN, 849000, "RUB") + ".",
					"Which address should we deliver to (Москва, RU)?",
					"Which time suits you for the delivery: 09:00–12:00, 12:00–15:00, 15:00–18:00, 18:00–21:00?",
					"Thank you, and have a good day!",
				},
			}
			// The operator's labels, by operator's language: the note over
			// the lines (for a Latvian customer) and the items' readiness.
			labels := map[i18n.Lang][2]string{
				i18n.RU: {"На латышском — языке клиента", "под заказ, 5 рабочих дней; под заказ, 3 рабочих дня; отправка в среду, 2 декабря"},
				i18n.LV: {"Latviešu valodā — klienta valodā", "izgatavo pēc pasūtījuma, 5 darba dienas; izgatavo pēc pasūtījuma, 3 darba dienas; nosūtīšana trešdien, 2. decembrī"},
				i18n.EN: {"In Latvian, the customer's language", "made to order in 5 working days; made to order in 3 working days; ships on Wednesday 2 Dec"},
			}
			tasks, ids := map[i18n.Lang]int64{}, map[i18n.Lang]int64{}
			for i, cl := range i18n.Langs() {
				c := moscow("c-"+string(cl)+strconv.Itoa(i+1), "Андрей Петров")
				c.Language = string(cl)
				ids[cl] = place(t, a, order.NewOrder{ExternalID: "S-" + string(cl), Customer: c,
					Payment: order.Payment{Method: "cod"}, Items: items})
				tasks[cl] = callbackOf(t, a, ids[cl]).ID
			}
			for _, cl := range i18n.Langs() {
				for _, ol := range i18n.Langs() {
					sc, err := a.Callbacks.Script(ctx, tasks[cl], ol)
					if err != nil {
						t.Fatal(err)
					}
					if sc.CustomerLang != cl || sc.Lang != ol {
						t.Errorf("customer %s, operator %s: script in %s for %s", cl, ol, sc.CustomerLang, sc.Lang)
					}
					if got := strings.Join(sc.Lines, "\n"); got != strings.Join(want[cl], "\n") {
						t.Errorf("customer %s, operator %s: script:\n%s\nwant:\n%s", cl, ol, got, strings.Join(want[cl], "\n"))
					}
					for _, l := range sc.Lines {
						if strings.Contains(l, "наличии") || strings.Contains(l, "noliktavā") || strings.Contains(l, "in stock") {
							t.Errorf("customer %s: the script claims stock the shop never gave: %q", cl, l)
						}
					}
					if cl != i18n.LV {
						continue
					}
					stock := make([]string, len(sc.Items))
					for i, it := range sc.Items {
						stock[i] = it.Stock
					}
					if sc.LangNote != labels[ol][0] || strings.Join(stock, "; ") != labels[ol][1] {
						t.Errorf("operator %s: note %q, stock %q; want %q", ol, sc.LangNote, stock, labels[ol])
					}
				}
			}
			id := ids[i18n.RU]
			tk := callbackOf(t, a, id)
			sc, err := a.Callbacks.Script(ctx, tk.ID, i18n.RU)
			if err != nil {
				t.Fatal(err)
			}
			if sc.OrderNumber != "S-ru" || !sc.Open || sc.Overdue || !sc.NeedsAddress || sc.Payment != callback.PaymentCOD ||
				sc.PaymentText != "оплата при получении" || !sc.MadeToOrder || sc.Customer.FirstName != "Андрей" ||
				sc.Customer.Phone != "+79165550102" || len(sc.Windows) != 4 || sc.Windows[2].Code != "15:00-18:00" {
				t.Errorf("script = %+v", sc)
			}
			if sc.LocalTime != "Время клиента: понедельник, 23 ноября, 15:00 (Europe/Moscow)" {
				t.Errorf("local time = %q", sc.LocalTime)
			}

			// A day later, and three: "yesterday", then the day. An
			// unanswered call shows in the history, and the address the
			// order got is to be confirmed.
			clk.Set(apptest.Start.Add(24 * time.Hour))
			if _, err := a.Callbacks.NoAnswer(ctx, tk.ID, "op@example.com"); err != nil {
				t.Fatal(err)
			}
			setAddress(t, a, id, "ул. Ленина, 1")
			sc, err = a.Callbacks.Script(ctx, tk.ID, i18n.RU)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{"Вы оформили заказ S-ru вчера в 15:00.", "Давайте сверим адрес доставки: ул. Ленина, 1. Всё верно?"} {
				if !slices.Contains(sc.Lines, w) {
					t.Errorf("script lacks %q:\n%s", w, strings.Join(sc.Lines, "\n"))
				}
			}
			if sc.NeedsAddress || sc.Attempts != 1 || len(sc.History) != 1 || sc.History[0].Outcome != "не ответили" ||
				sc.History[0].Author != "op@example.com" || !sc.History[0].At.Equal(clk.Now()) {
				t.Errorf("script after a call: needs address %v, attempts %d, history %+v", sc.NeedsAddress, sc.Attempts, sc.History)
			}
			clk.Set(apptest.Start.Add(72 * time.Hour))
			for lang, w := range map[i18n.Lang]string{
				i18n.RU: "Вы оформили заказ S-ru в понедельник, 23 ноября в 15:00.",
				i18n.LV: "Jūs veicāt pasūtījumu S-lv pirmdien, 23. novembrī plkst. 15:00.",
				i18n.EN: "You placed order S-en on Monday 23 Nov at 15:00.",
			} {
				sc, err := a.Callbacks.Script(ctx, tasks[lang], i18n.EN)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Contains(sc.Lines, w) || !sc.Overdue {
					t.Errorf("%s: overdue %v, script lacks %q:\n%s", lang, sc.Overdue, w, strings.Join(sc.Lines, "\n"))
				}
			}
		})
	}
}

// TestScriptPaymentAndPlurals: one made-to-order item takes the singular,
// a prepayment is received or awaited, an order of nothing made to order
// says only when it ships, and the customer's time is their own zone's.
// Each order is a customer's of another language, so each script speaks
// it; the operator reads English labels.
func TestScriptPaymentAndPlurals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _, _ := shop(t, "sqlite", false)
	riga := func(lang string) customer.Input {
		return customer.Input{ExternalID: "c-r-" + lang, Name: "Anna Bērziņa", Email: lang + "@example.lv", Language: lang, Country: "LV", City: "Rīga"}
	}
	vase := []order.Item{{SKU: "VASE", Name: "Vāze", Qty: 1, PriceMinor: 2500, MadeToOrder: true, ProductionDays: 1}}
	paid := map[string]int64{}
	for _, l := range []string{"ru", "lv", "en"} {
		paid[l] = place(t, a, order.NewOrder{ExternalID: "P-1-" + l, Customer: riga(l), Currency: "EUR", Items: vase,
			Payment: order.Payment{Method: "prepaid", Paid: true}})
	}
	awaited := map[string]int64{}
	for _, l := range []string{"ru", "en"} {
		awaited[l] = place(t, a, order.NewOrder{ExternalID: "P-2-" + l, Customer: riga(l), Currency: "EUR",
			Payment: order.Payment{Method: "prepaid"}})
	}
	tests := []struct {
		order   int64
		payment string
		lines   []string
	}{
		{paid["ru"], callback.PaymentReceived, []string{"Здравствуйте, Anna! Это магазин «Кастрюля и сковородка».",
			"Специально для вас изготовим 1 товар — всё будет готово", "Предоплату " + i18n.Money(i18n.RU, 2500, "EUR") + " мы получили, спасибо.",
			"По какому адресу доставить заказ (Rīga, LV)?"}},
		{paid["lv"], callback.PaymentReceived, []string{"Jums īpaši izgatavosim 1 preci — viss būs gatavs",
			"Jūsu priekšapmaksu " + i18n.Money(i18n.LV, 2500, "EUR") + " esam saņēmuši, paldies."}},
		{paid["en"], callback.PaymentReceived, []string{"1 item is made to order for you: it will be ready on ",
			"We have received your prepayment of " + i18n.Money(i18n.EN, 2500, "EUR") + ", thank you."}},
		{awaited["en"], callback.PaymentAwaited, []string{"You placed order P-2-en today at 14:00.\nWe ship it on ",
			"We are still waiting for your prepayment of " + i18n.Money(i18n.EN, 499000, "EUR") + "."}},
		{awaited["ru"], callback.PaymentAwaited, []string{"Вы оформили заказ P-2-ru сегодня в 14:00.\nОтправим ", "Мы ждём вашу предоплату: " + i18n.Money(i18n.RU, 499000, "EUR") + "."}},
	}
	for _, tt := range tests {
		sc, err := a.Callbacks.Script(ctx, callbackOf(t, a, tt.order).ID, i18n.EN)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(sc.Lines, "\n")
		for _, w := range tt.lines {
			if !strings.Contains(text, w) {
				t.Errorf("script of order %d lacks %q:\n%s", tt.order, w, text)
			}
		}
		if sc.Payment != tt.payment {
			t.Errorf("script of order %d: payment %q, want %q", tt.order, sc.Payment, tt.payment)
		}
		if sc.LocalTime == "" || sc.Customer.Zone != "Europe/Riga" || sc.Customer.LocalNow.Format("15:04") != "14:00" {
			t.Errorf("customer's time = %s %s (%q), want 14:00 Europe/Riga", sc.Customer.LocalNow, sc.Customer.Zone, sc.LocalTime)
		}
	}
	if got := callback.AttemptsText(i18n.RU, 5); got != "5 звонков" {
		t.Errorf("AttemptsText(ru, 5) = %q", got)
	}
	if got := callback.AttemptsText(i18n.LV, 11); got != "11 zvanu" {
		t.Errorf("AttemptsText(lv, 11) = %q", got)
	}
}

// TestScriptAsksTheHourOnlyForACourier: a courier's visit has an hour to
// agree on; a parcel to the post office or a pickup point has none, so
// the script does not ask for one.
func TestScriptAsksTheHourOnlyForACourier(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _, _ := shop(t, "sqlite", false)
	c := customer.Input{ExternalID: "c-hour", Name: "Андрей", Email: "hour@example.com", Language: "ru"}
	for _, tt := range []struct {
		carrier string
		ask     bool
	}{{"courier", true}, {"post", false}} {
		id := place(t, a, order.NewOrder{ExternalID: "H-" + tt.carrier, Customer: c, Carrier: tt.carrier})
		sc, err := a.Callbacks.Script(ctx, callbackOf(t, a, id).ID, i18n.RU)
		if err != nil {
			t.Fatal(err)
		}
		asks := strings.Contains(strings.Join(sc.Lines, "\n"), "В какое время")
		if asks != tt.ask || (len(sc.Windows) > 0) != tt.ask {
			t.Errorf("%s: asks for an hour %v (%d windows), want %v:\n%s", tt.carrier, asks, len(sc.Windows), tt.ask, strings.Join(sc.Lines, "\n"))
		}
	}
}
