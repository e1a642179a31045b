package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// Raw codes a person must never read on an admin page.
var rawCodes = []struct {
	what string
	re   *regexp.Regexp
}{
	{"a snake_case code", regexp.MustCompile(`\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b`)},
	{"a Go duration", regexp.MustCompile(`\b\d+h\d+m\d+(?:\.\d+)?s\b|\b\d+m\d+s\b`)},
	{"a text id without its text", regexp.MustCompile(`\[[a-z_]+(?:\.[a-z_0-9]+)+\]`)},
	{"a text id", regexp.MustCompile(`\b[a-z_]+\.[a-z_]+\.[a-z_.]+\b`)},
	{"a negative duration", regexp.MustCompile(`[−-]\d+ (?:h|ч|st\.) `)},
}

// latinWord is a word in Latin letters, which a Russian page must not
// have, and a Latvian one only in Latvian.
var latinWord = regexp.MustCompile(`[\p{L}'’]+`)

// asciiWord is a word in English letters only: "Līga" and "Latviešu" are
// not English.
var asciiWord = regexp.MustCompile(`^[A-Za-z][A-Za-z'’]+$`)

// notEnglish lists what a Russian or Latvian page may write in Latin
// letters: brand names, units and abbreviations the language writes so,
// and the words of the fixture's data (names, products, e-mail
// addresses, SKUs, tracking numbers, time zones), which are the shop's.
var notEnglish = map[string]bool{
	// brands and abbreviations
	"shopcare": true, "English": true, "LTV": true, "CAC": true, "Telegram": true, "SMS": true, "PDF": true, "CSV": true, "API": true, "UTC": true, "QR": true,
	"YAML": true, "SKU": true, "ID": true, "CLV": true, "RFM": true, "BG": true, "NBD": true, "RUB": true, "EUR": true,
	"USD": true, "Omniva": true, "DPD": true, "DHL": true, "CDEK": true, "Boxberry": true, "PickPoint": true, "htmx": true,
	"Instagram": true, "Facebook": true, "Google": true, "Yandex": true, "VK": true, "TikTok": true,
	"Markdown": true, "HTML": true, "JPEG": true, "PNG": true, "GIF": true, "WebP": true,
	// fixture data
	"Sam": true, "Lee": true, "Lid": true, "Panna": true, "Anna": true, "Europe": true, "Moscow": true, "Riga": true,
	"RU": true, "LV": true, "EE": true, "LT": true, "POT": true, "PAN": true, "LID": true, "RA": true, "CR": true,
}

// latvianOnly are the Latin words a Latvian page writes that are also
// English words or look like them; everything a Latvian page writes in
// Latin letters is checked against English only by this small stop list.
var englishWords = regexp.MustCompile(`(?i)\b(the|and|of|is|are|was|for|on|at|by|with|from|order|orders|customer|customers|status|day|days|hours?|none|new|sent|failed|scheduled|suppressed|call|calls|back|next|page|previous|overdue|due|total|save|saved|cancel|cancelled|delivered|shipped|processing|returned|ready|pickup|holiday|reason|started|late|contact|address|outside|points?|tier|rule|template|carrier|courier|post|yes|unknown|playbook|mail)\b`)

// pageText is what a person reads on a page: its text and the titles,
// placeholders and labels of its elements, without scripts, styles and
// the parts in another language (lang="…": a message as the customer got
// it).
func pageText(body string, lang i18n.Lang) string {
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`(?s)<script\b.*?</script>`), regexp.MustCompile(`(?s)<style\b.*?</style>`),
		regexp.MustCompile(`(?s)<head\b.*?</head>`),
		// <code> is verbatim data: a carrier's event code, a coupon, a tier's code.
		regexp.MustCompile(`(?s)<code\b.*?</code>`),
	} {
		body = re.ReplaceAllString(body, " ")
	}
	other := regexp.MustCompile(`(?s)<(\w+)\b[^>]*\slang="(\w+)"[^>]*>.*?</(\w+)>`)
	body = other.ReplaceAllStringFunc(body, func(m string) string {
		sm := other.FindStringSubmatch(m)
		if sm[2] != string(lang) && sm[1] == sm[3] {
			return " "
		}
		return m
	})
	var attrs []string
	for _, m := range regexp.MustCompile(`\s(?:title|placeholder|aria-label|alt)="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		attrs = append(attrs, m[1])
	}
	body = regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(body, " ")
	text := html.UnescapeString(body + " " + strings.Join(attrs, " "))
	return text
}

// unreadable lists what a person could not read in the text of a page in
// lang: raw codes, and Latin words in a Russian page or English ones in a
// Latvian page.
func unreadable(text string, lang i18n.Lang) []string {
	// E-mail addresses, URLs and paths are the shop's data, not words.
	// So are order numbers and SKUs ("LATE-1", "POT-1").
	text = shopData.ReplaceAllString(text, " ")
	var out []string
	for _, rc := range rawCodes {
		for _, m := range rc.re.FindAllString(text, 5) {
			out = append(out, fmt.Sprintf("%s %q", rc.what, m))
		}
	}
	if lang == i18n.EN {
		return out
	}
	var words []string
	for _, w := range latinWord.FindAllString(text, -1) {
		if !asciiWord.MatchString(w) || notEnglish[w] || (lang == i18n.LV && !englishWords.MatchString(w)) {
			continue
		}
		if !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	if len(words) > 0 {
		out = append(out, fmt.Sprintf("Latin words in a %s page: %v", lang, words))
	}
	return out
}

// shopData is what a page shows of the shop's own data in Latin letters.
var shopData = regexp.MustCompile(`\S+@\S+|https?://\S+|/\S+|\b[A-Z]+-[0-9A-Z]+\b`)

// walkFixture makes a shop with something on every page: the orders of
// placeOrders, and the late shop's parcels (late, stuck, waiting at a
// pickup point, delivered) with their tasks.
func walkFixture(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	placeOrders(t, e)
	shipOrder(t, e, "LATE-1", "courier", "CR-LATE1")
	shipOrder(t, e, "STUCK-1", "post", "RA000000101RU")
	shipOrder(t, e, "WAIT-1", "post", "RA000000102RU")
	shipOrder(t, e, "DONE-1", "courier", "CR-DONE1")
	now := e.clock.Now()
	report(t, e, parcel.SourceAPI,
		carrier.Event{TrackingNumber: "RA000000101RU", Status: carrier.InTransit, At: now.Add(-24 * time.Hour), Code: "8"},
		carrier.Event{TrackingNumber: "RA000000102RU", Status: carrier.ArrivedAtPickup, At: now, Code: "8.2", Location: "Тверь 170000"},
		carrier.Event{TrackingNumber: "CR-DONE1", Status: carrier.Delivered, At: now, Code: "DELIVERED"})
	e.clock.Set(now.Add(9 * 24 * time.Hour))
	if _, err := e.app.Orders.Watch(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Parcels.Watch(ctx); err != nil {
		t.Fatal(err)
	}
	drainJournal(t, e)
	inboxFixture(t, e)
	campaignFixture(t, e)
	stockFixture(t, e)
	if _, err := e.app.Insiders.ProjectSave(ctx, insider.ProjectInput{Kind: insider.PreOrder, Goal: 50,
		Title:       map[string]string{"ru": "Новый улун", "lv": "Jauns ulūns", "en": "A new oolong"},
		Description: map[string]string{"ru": "Предзаказ урожая.", "lv": "Ražas priekšpasūtījums.", "en": "A pre-order of the harvest."}}); err != nil {
		t.Fatal(err)
	}
}

// TestAdminPagesSpeakTheLanguage walks every GET page of the admin (but
// the settings, which have their own walker) in Russian, Latvian and
// English and fails on any raw code, and on any English word in a
// Russian or Latvian page.
func TestAdminPagesSpeakTheLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Engines(t)[0])
	addPeople(t, e)
	walkFixture(t, e)
	b := newBrowser(t, e)
	b.login(people[auth.Owner])

	paths := adminPagePaths(t, e, b)
	for _, lang := range []i18n.Lang{i18n.RU, i18n.LV, i18n.EN} {
		if status, _, _ := b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {string(lang)}}); status != http.StatusSeeOther {
			t.Fatalf("set language %s: %d", lang, status)
		}
		for _, p := range paths {
			status, _, body := b.do("GET", p, nil)
			if status != http.StatusOK {
				t.Errorf("%s %s: %d", lang, p, status)
				continue
			}
			for _, problem := range unreadable(pageText(body, lang), lang) {
				t.Errorf("%s %s: %s", lang, p, problem)
			}
		}
	}
}

// adminPagePaths returns every GET page of the admin with its wildcards
// filled from the fixture's rows: each order, customer, call-back,
// packing sheet and segment, the first messages. A new route the walker
// cannot fill fails the test, so that it is added here.
func adminPagePaths(t *testing.T, e *env, b *browser) []string {
	t.Helper()
	ids := func(list, link string) []string {
		_, _, body := b.do("GET", list, nil)
		var out []string
		for _, m := range regexp.MustCompile(`href="`+regexp.QuoteMeta(link)+`([\w-]+)"`).FindAllStringSubmatch(body, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
		if len(out) > 6 {
			out = out[:6]
		}
		return out
	}
	fill := map[string][]string{
		"/orders/{id}":    ids("/orders", "/orders/"),
		"/customers/{id}": ids("/customers", "/customers/"),
		"/callbacks/{id}": ids("/callbacks", "/callbacks/"),
		"/packing/{id}":   ids("/packing", "/packing/"),
		"/outbox/{id}":    ids("/outbox", "/outbox/"),
		"/inbox/{id}":     ids("/inbox?status=any", "/inbox/"),
		// The segments' pages show their customers once scored; their
		// headings and empty states are what there is to read here.
		"/analytics/segments/{segment}": {"champions", "at_risk", "likely_lost"},
		"/audit/{point}":                {"site", "call", "follow_up"},
		"/insiders/{id}":                ids("/insiders", "/insiders/"),
		"/campaigns/{id}":               numeric(ids("/campaigns", "/campaigns/")),
		"/campaigns/{id}/edit":          draftCampaigns(t, e),
		// A tracked SKU holding an order, one short, and one not tracked.
		"/stock/{sku}": {"POT-1", "PAN", "NEW-9"},
	}
	// The settings have their own walker; the event stream, the PDFs
	// and the banner fragment are no pages; / sends each person on.
	skip := []string{"/settings", "/settings/export", "/callbacks/events", "/packing/{id}/{doc}", "/alerts/banner", "/{$}",
		"/inbox/events", "/inbox/badge", "/inbox/attachments/{id}", "/insiders/{id}/members.csv",
		"/reviews/{id}/photo", "/campaigns/{id}/letters.pdf", "/campaigns/{id}/labels.pdf", "/campaigns/{id}/preview",
		"/campaigns/{id}/progress", "/actions.csv"}
	var out []string
	for _, rt := range web.AdminRoutes(e.app) {
		if rt.Method != "GET" || slices.Contains(skip, rt.Path) {
			continue
		}
		if path := strings.TrimSuffix(rt.Path, "{$}"); !strings.Contains(path, "{") {
			out = append(out, path)
			continue
		}
		vals, ok := fill[rt.Path]
		if !ok || len(vals) == 0 {
			t.Errorf("the walker has no rows for %s: add them to the fixture", rt.Path)
			continue
		}
		for _, v := range vals {
			out = append(out, strings.Replace(rt.Path, rt.Path[strings.Index(rt.Path, "{"):strings.Index(rt.Path, "}")+1], v, 1))
		}
	}
	return append(out, "/orders?status=new", "/parcels", "/stock?q=PAN", fmt.Sprintf("/orders?state=%s", "late"),
		"/inbox?status=any", "/inbox?whose=unassigned&lang=ru")
}
