package web_test

import (
	"bytes"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with what the pages render now")

// get fetches path from the test server with an optional request header
// (name: value) and returns the status, headers and body.
func (e *env) get(t *testing.T, method, path string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range header {
		name, value, _ := strings.Cut(h, ": ")
		req.Header.Set(name, value)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

// privateHeaders are the headers every page must carry: a tracking link is
// a secret.
var privateHeaders = map[string]string{
	"Cache-Control":           "no-store",
	"Referrer-Policy":         "no-referrer",
	"X-Robots-Tag":            "noindex, nofollow",
	"X-Content-Type-Options":  "nosniff",
	"Content-Security-Policy": "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
}

// orderData is what no 404 page may contain: the test orders' numbers and
// their customers' details.
var orderData = []string{"R-1", "L-7", "E-3", "Андрей", "Līga", "Петров", "andrei@example.com", "liga@example.lv",
	"sam@example.com", "916", "2612", "Тверь", "RA123456789RU", "courier", "Заказ №", "Pasūtījums Nr.", "Order E"}

func TestTrackingPageScenarios(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			tok := placeOrders(t, e)
			unknown := strings.Repeat("A", 43) // well-formed, no order has it
			tests := []struct {
				name       string
				method     string
				path       string
				header     []string
				wantStatus int
				want       []string // in this order
				notWant    []string
				golden     string
			}{
				{name: "ru: made to order, work began late", path: "/t/" + tok.making, wantStatus: 200,
					want: []string{`<html lang="ru">`, "<title>Заказ № R-1 · shopcare</title>",
						"Здравствуйте, Андрей!", "В работе",
						"Заказ принят", "понедельник, 23 ноября, 15:00",
						"В работе", "пятница, 27 ноября, 10:00",
						"Упакован и ждёт курьера", "ещё впереди", "Отправлен", "ещё впереди", "Доставлен", "ещё впереди",
						"Изготовление", "вторник, 1 декабря",
						"Отправка", "среда, 2 декабря",
						"Доставка", "пятница, 4 декабря", "через 3 дня",
						"Служба доставки", "Курьер",
						"Сроки менялись 1 раз", "пятница, 27 ноября, 10:00",
						"Было", "воскресенье, 29 ноября", "Стало", "пятница, 4 декабря",
						"Почему", "Работа над заказом началась позже плана.",
						"не пересылайте ссылку"},
					notWant: []string{"Петров", "andrei@example.com", "916", "Тверь", "Кастрюля", "Трек-номер",
						"Ждёт в пункте выдачи", "["},
					golden: "tracking_show_ru.golden.html"},
				{name: "ru: shipped late", path: "/t/" + tok.shipped, wantStatus: 200,
					want: []string{"Заказ № R-2", "Отправлен",
						"Заказ принят", "понедельник, 23 ноября, 15:00",
						"В работе", "четверг, 26 ноября, 10:00",
						"Упакован и ждёт курьера",
						"Отправлен", "понедельник, 30 ноября, 12:00",
						"Доставлен", "ещё впереди",
						"Доставка", "среда, 2 декабря", "через 1 день",
						"Трек-номер", "RA123456789RU",
						"Сроки менялись 2 раза",
						"Работа над заказом началась позже плана.",
						"Посылка отправлена позже плана."},
					notWant: []string{"Изготовление", "Отправка", "Ждёт в пункте выдачи", "andrei@example.com"}},
				{name: "?lang=en overrides the customer's language", path: "/t/" + tok.shipped + "?lang=en", wantStatus: 200,
					want: []string{`<html lang="en">`, "Order R-2", "Hello, Андрей!", "Shipped",
						"Monday 30 Nov 12:00", "Delivery", "Wednesday 2 Dec", "in 1 day",
						"Tracking number", "RA123456789RU",
						"The dates changed 2 times", "The parcel left later than planned."},
					notWant: []string{"Отправлен", "andrei@example.com"}},
				{name: "?lang=lv-LV", path: "/t/" + tok.making + "?lang=lv-LV", wantStatus: 200,
					want: []string{`<html lang="lv">`, "Tiek apstrādāts", "piektdiena, 27. novembris, 10:00",
						"Izgatavošana", "otrdiena, 1. decembris", "pēc 3 dienām", "Termiņi mainīti 1 reizi"}},
				{name: "lv: just placed, by post", path: "/t/" + tok.new, wantStatus: 200,
					want: []string{`<html lang="lv">`, "Pasūtījums Nr. L-7", "Labdien, Līga!",
						"Visi laiki šajā lapā ir jūsu vietējā laikā.",
						"Pasūtījums saņemts", "otrdiena, 1. decembris, 09:00",
						"Tiek apstrādāts", "vēl priekšā", "Iesaiņots, drīz tiks nodots pastā", "vēl priekšā",
						"Gaida pasta nodaļā", "vēl priekšā", "Piegādāts",
						"Nosūtīšana", "trešdiena, 2. decembris",
						"Piegāde", "pirmdiena, 7. decembris – trešdiena, 9. decembris", "pēc 6 dienām",
						"Piegādātājs", "post"},
					notWant: []string{"Izgatavošana", "Sūtījuma numurs", "Termiņi mainīti", "liga@example.lv", "2612", "kurjer",
						"izsniegšanas punkt"}},
				{name: "en: cancelled", path: "/t/" + tok.cancelled, wantStatus: 200,
					want: []string{`<html lang="en">`, "Order E-3", "Hello!", "Cancelled",
						"This order was cancelled.", "Order received", "Monday 23 Nov 15:00",
						`step-stopped`, "Cancelled", "Tuesday 24 Nov 09:30"},
					notWant: []string{"In progress", "Delivery", "sam@example.com", "not yet"}},
				{name: "en: delivered by courier", path: "/t/" + tok.delivered, wantStatus: 200,
					want: []string{"Order D-5", "Hello, Sam!", "Delivered",
						"Order received", "Monday 23 Nov 15:00",
						"In progress", "Packed and waiting for the courier",
						"Shipped", "Wednesday 25 Nov 11:00",
						"Delivered", "Thursday 26 Nov 18:10",
						"Delivery", "Friday 27 Nov", "Carrier", "Courier", "Tracking number", "CR-77"},
					notWant: []string{"Waiting at the pickup point", "not yet", "Lee", "in 1 day", "today", "Shipping",
						"The dates changed"}},
				{name: "unknown token", path: "/t/" + unknown, wantStatus: 404,
					want: []string{"Страница не найдена"}, notWant: orderData},
				{name: "unknown token in the browser's language", path: "/t/" + unknown, header: []string{"Accept-Language: lv-LV,lv;q=0.9,en;q=0.5"},
					wantStatus: 404, want: []string{`<html lang="lv">`, "Lapa nav atrasta"}, notWant: orderData},
				{name: "token too short", path: "/t/" + tok.shipped[:42], wantStatus: 404, notWant: orderData},
				{name: "token too long", path: "/t/" + tok.shipped + "A", wantStatus: 404, notWant: orderData},
				{name: "token in another case", path: "/t/" + strings.ToUpper(tok.shipped), wantStatus: 404, notWant: orderData},
				{name: "SQL in the token", path: "/t/'%20OR%20'1'='1'%20--%20aaaaaaaaaaaaaaaaaaaaaaaaa", wantStatus: 404, notWant: orderData},
				{name: "NUL in the token", path: "/t/%00" + tok.shipped[1:], wantStatus: 404, notWant: orderData},
				{name: "no token", path: "/t/", wantStatus: 404, notWant: orderData},
				{name: "token with a trailing path", path: "/t/" + tok.shipped + "/x", wantStatus: 404, notWant: orderData},
				{name: "unknown path", path: "/no-such-page", wantStatus: 404, want: []string{"Page not found"}, header: []string{"Accept-Language: en"}},
				{name: "POST is not a page", method: "POST", path: "/t/" + tok.shipped, wantStatus: 404, notWant: orderData},
				{name: "HEAD has the headers and no body", method: "HEAD", path: "/t/" + tok.shipped, wantStatus: 200, notWant: orderData},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					method := tc.method
					if method == "" {
						method = http.MethodGet
					}
					status, h, body := e.get(t, method, tc.path, tc.header...)
					if status != tc.wantStatus {
						t.Errorf("status %d, want %d; body:\n%s", status, tc.wantStatus, body)
					}
					for name, want := range privateHeaders {
						if got := h.Get(name); got != want {
							t.Errorf("%s: %q, want %q", name, got, want)
						}
					}
					if h.Get("Content-Type") != "text/html; charset=utf-8" {
						t.Errorf("Content-Type %q", h.Get("Content-Type"))
					}
					text := visibleText(body)
					rest := text
					for _, w := range tc.want {
						i := strings.Index(rest, w)
						if i < 0 && !strings.Contains(body, w) {
							t.Errorf("the page lacks %q (after what came before); its text:\n%s", w, text)
							continue
						}
						if i >= 0 {
							rest = rest[i+len(w):]
						}
					}
					for _, w := range tc.notWant {
						if strings.Contains(body, w) {
							t.Errorf("the page shows %q; it must not:\n%s", w, text)
						}
					}
					if tc.golden != "" {
						checkGolden(t, tc.golden, body)
					}
				})
			}
		})
	}
}

func TestStaticAssets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	_, _, body := e.get(t, "GET", "/nope")
	href := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(body)
	if href == nil {
		t.Fatalf("no hashed stylesheet link in the page:\n%s", body)
	}
	status, h, css := e.get(t, "GET", href[1])
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/css") ||
		h.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.Contains(css, ".timeline") {
		t.Errorf("GET %s: %d %v\n%.200s", href[1], status, h, css)
	}
	for _, path := range []string{"/static/app.css", "/static/app.000000000000.css", "/static/../routes.go", "/static/"} {
		if status, h, _ := e.get(t, "GET", path); status != 404 || h.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: %d, Cache-Control %q; want 404, no-store", path, status, h.Get("Cache-Control"))
		}
	}
}

// visibleText is the page's text without tags, one line per line of HTML
// that has any, for readable failures and in-order checks.
func visibleText(html string) string {
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(html, " ")
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// checkGolden compares a rendered page with testdata/name; -update
// rewrites the file instead.
// signedMyLink is the tracking page's signed link to the customer's page:
// its key is made per database and it expires from the real clock, so
// the golden files hold it as a placeholder.
var signedMyLink = regexp.MustCompile(`/my/in/[A-Za-z0-9_-]{46}"`)

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	got = signedMyLink.ReplaceAllString(got, `/my/in/SIGNED"`)
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/web -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(want, []byte(got)) {
		t.Errorf("the page differs from %s (go test ./internal/web -update rewrites it after a deliberate change); got:\n%s", path, got)
	}
}
