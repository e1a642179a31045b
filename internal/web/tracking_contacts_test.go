package web_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// TestTrackingPageContacts: the tracking page says its times are the
// customer's own, and gives the shop's phone (a tel: link), e-mail and
// messengers, its working hours in the customer's time, and whether it
// is open now or when it opens — by its hours and its country's calendar
// (the New Year holidays) on the shop's clock, told in the customer's
// time: a customer in Riga reads Moscow's 09:00 as 08:00.
func TestTrackingPageContacts(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := apptest.New(t, engine, false, "shop:",
				`  phone: "+7 495 123-45-67"`,
				"  email: hello@kastryulya.example",
				`  messengers: {whatsapp: "+7 916 555-01-01", telegram: "@kastryulya_shop"}`,
				"  address: Москва, ул. Покровка, 12")
			if err := a.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(web.New(a))
			t.Cleanup(srv.Close)
			e := &env{app: a, clock: clk, srv: srv}
			tok := placeOrders(t, e)
			links := []string{`href="tel:&#43;74951234567"`, `href="mailto:hello@kastryulya.example"`,
				`href="https://t.me/kastryulya_shop"`, `href="https://wa.me/79165550101"`}
			tests := []struct {
				name  string
				at    string // Moscow time
				token string
				want  []string
			}{
				{"open, in Moscow", "2026-12-01T12:00:00", tok.making, []string{"Всё время на этой странице — ваше местное.",
					"Связаться с магазином", "Сейчас открыто, до 18:00", "Часы работы", "09:00–18:00 по рабочим дням",
					"Телефон", "7 495 123-45-67", "Эл. почта", "hello@kastryulya.example", "Мессенджеры",
					"Telegram @kastryulya_shop", "WhatsApp &#43;7 916 555-01-01", "Адрес", "Москва, ул. Покровка, 12"}},
				{"before opening, in Riga", "2026-12-01T07:30:00", tok.new, []string{"Visi laiki šajā lapā ir jūsu vietējā laikā.",
					"Šobrīd slēgts; atvērsim šodien plkst. 08:00", "08:00–17:00 darba dienās"}},
				{"Friday evening", "2026-12-04T19:00:00", tok.delivered, []string{"All times on this page are your local time.",
					"Closed now; opens on Monday 7 Dec at 09:00", "09:00–18:00 on working days"}},
				{"Thursday evening", "2026-12-03T18:00:00", tok.delivered, []string{"Closed now; opens tomorrow at 09:00"}},
				{"New Year holidays", "2026-12-31T20:00:00", tok.making, []string{"Сейчас закрыто; откроется в понедельник, 11 января в 09:00"}},
			}
			for _, tt := range tests {
				clk.Set(msk(t, tt.at))
				status, _, body := e.get(t, "GET", "/t/"+tt.token)
				if status != 200 {
					t.Fatalf("%s: status %d", tt.name, status)
				}
				text := visibleText(body)
				for _, w := range tt.want {
					if !strings.Contains(text, w) {
						t.Errorf("%s: the page lacks %q:\n%s", tt.name, w, text)
					}
				}
				for _, l := range links {
					if !strings.Contains(body, l) {
						t.Errorf("%s: the page lacks the link %s", tt.name, l)
					}
				}
			}
		})
	}
}
