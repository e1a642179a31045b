package web_test

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
)

// settingsAllow are the Latin words a Russian or Latvian settings page
// may show: brands, formats and units the locale writes in Latin, and
// the codes of currencies and languages.
var settingsAllow = map[string]bool{
	"YAML": true, "SMS": true, "Telegram": true, "shopcare": true, "UTC": true, "ISO": true, "https": true,
	"http": true, "config": true, "min": true, "h": true, "d": true, "st": true, "e": true,
}

var (
	// settingsRaw is a settings key, a code name or a Go duration shown
	// as it is: "shop.callback_within", "win_back", "1h0m0s", "[settings.x]".
	settingsRaw    = regexp.MustCompile(`\b(shop|promise|carriers|compensation|watch|analytics|loyalty|channels|playbook|packing|templates|webhooks|campaigns)\.[a-z_]+|\b[a-z]+_[a-z_]+\b|\b\d+h\d+m\d+s\b|\b\d+m0s\b|\[[a-z_.]+\]`)
	settingsLatin  = regexp.MustCompile(`\b[A-Za-z][A-Za-z]+\b`)
	settingsEmail  = regexp.MustCompile(`[\w.+-]+@[\w.-]+`)
	settingsQuoted = regexp.MustCompile(`«[^»]*»|“[^”]*”`)
	settingsTags   = regexp.MustCompile(`(?s)<textarea.*?</textarea>|<script.*?</script>|<style.*?</style>|<[^>]*>`)
)

// settingsText is what a person reads in the page's own content (from
// its heading to the end of main), without the editors' contents: the
// YAML and the templates are the shop's own text.
func settingsText(t *testing.T, page string) string {
	t.Helper()
	start, end := strings.Index(page, "<h1>"), strings.Index(page, "</main>")
	if start < 0 || end < start {
		t.Fatalf("no content in the page:\n%s", page)
	}
	text := html.UnescapeString(settingsTags.ReplaceAllString(page[start:end], " "))
	text = settingsEmail.ReplaceAllString(text, " ")
	return settingsQuoted.ReplaceAllString(text, "«»") // what the owner typed, quoted in an error
}

// settingsEnglish are the words of the admin's English texts that its
// Latvian texts do not use: found in a Latvian page, they are English
// that leaked.
func settingsEnglish(t *testing.T) map[string]bool {
	t.Helper()
	words := func(lang string) map[string]bool {
		out := map[string]bool{}
		for _, area := range []string{"settings", "admin"} {
			buf, err := os.ReadFile(filepath.Join("..", "i18n", "locales", area+"."+lang+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var msgs map[string]any
			if err := yaml.Unmarshal(buf, &msgs); err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				s, _ := m.(string)
				for _, w := range settingsLatin.FindAllString(s, -1) {
					out[strings.ToLower(w)] = true
				}
			}
		}
		return out
	}
	en, lv := words("en"), words("lv")
	for w := range en {
		if lv[w] || len(w) < 3 {
			delete(en, w)
		}
	}
	return en
}

// TestSettingsPageSpeaksTheOwnersLanguage walks /settings (the form, a
// template open, and the form after a refused save) in Russian, Latvian
// and English, and fails on any raw settings key, code name or Go
// duration, and on any English word in the Russian and Latvian pages.
func TestSettingsPageSpeaksTheOwnersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	addPeople(t, e)
	b := newBrowser(t, e)
	b.login(people[auth.Owner])
	b.do("GET", "/settings", nil)
	// One save, so the history has rows to show.
	if st, _, body := b.do("POST", "/settings", url.Values{"csrf": {b.csrf}, "shop.callback_within": {"90"},
		"shop.callback_within.unit": {"min"}}); st != http.StatusSeeOther {
		t.Fatalf("saving the form: status %d\n%s", st, settingsText(t, body))
	}
	english := settingsEnglish(t)
	for _, lang := range []string{"ru", "lv", "en"} {
		b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {lang}})
		pages := map[string]string{}
		for _, path := range []string{"/settings", "/settings?template=status_ready_for_pickup&lang=" + lang} {
			st, _, body := b.do("GET", path, nil)
			if st != http.StatusOK {
				t.Fatalf("%s GET %s: status %d", lang, path, st)
			}
			pages[path] = body
		}
		st, _, body := b.do("POST", "/settings", url.Values{"csrf": {b.csrf}, "shop.working_hours.from": {"18:00"},
			"shop.working_hours.to": {"09:00"}, "shop.callback_tries": {"x"}, "loyalty.expire_after": {"soon"}})
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("%s: a wrong form: status %d", lang, st)
		}
		pages["a refused form"] = body
		for name, page := range pages {
			text := settingsText(t, page)
			for _, raw := range settingsRaw.FindAllString(text, -1) {
				t.Errorf("%s %s: raw code %q", lang, name, raw)
			}
			if lang == "en" {
				continue
			}
			for _, w := range settingsLatin.FindAllString(text, -1) {
				if settingsAllow[w] || strings.ToUpper(w) == w && len(w) == 3 { // currency codes
					continue
				}
				if lang == "ru" || english[strings.ToLower(w)] {
					t.Errorf("%s %s: English word %q", lang, name, w)
				}
			}
		}
		if lang == "ru" {
			text := settingsText(t, pages["a refused form"]) + settingsText(t, pages["/settings"])
			for _, want := range []string{"Часы работы: 18:00-09:00: конец раньше начала.", "Попыток дозвониться: «» — не целое число.",
				"Баллы сгорают через: «» — не длительность", "Ждёт в пункте выдачи", "Перезвонить в течение", "Москва (UTC+3)"} {
				if !strings.Contains(text, want) {
					t.Errorf("ru: the page does not say %q", want)
				}
			}
		}
	}
}
