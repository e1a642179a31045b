package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/storetest"
)

// settingsState is what a refused settings request must leave as it was:
// the document in force and the number of kept versions.
func settingsState(t *testing.T, e *env) (string, int) {
	t.Helper()
	ctx := context.Background()
	doc, _, err := config.Saved(ctx, e.app.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	list, err := config.VersionList(ctx, e.app.DB.Read(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return string(doc), len(list)
}

const configuredShop = `shop:
  name: "Pods un panna"
  country: LV
  timezone: Europe/Riga
  languages: [lv, ru]
  public_url: https://care.pods.example
channels:
  email:
    smtp_url: smtp://mail.pods.example:587
    from: "Pods un panna <hello@pods.example>"
webhooks:
  - url: https://pods.example/hooks/shopcare
    secret: 0123456789abcdef0123
`

// TestSettingsBlankSubmissionChangesNothing is issue 17's finding 8: a
// settings form without its document, an empty document, a form without
// any setting, or a document that leaves out configured sections is
// refused with a 4xx, in the owner's language, and the settings in
// force and their history stay as they were.
func TestSettingsBlankSubmissionChangesNothing(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			b.do("GET", "/settings", nil)
			if st, _, body := b.do("POST", "/settings/yaml", url.Values{"csrf": {b.csrf}, "yaml": {configuredShop}}); st != http.StatusSeeOther {
				t.Fatalf("saving a configured shop: status %d\n%s", st, body)
			}
			b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {"ru"}})
			doc, versions := settingsState(t, e)
			for _, tc := range []struct {
				name   string
				path   string
				form   url.Values
				status int
				want   string
			}{
				{"no document field", "/settings/yaml", url.Values{}, http.StatusBadRequest, "без документа настроек"},
				{"an empty document", "/settings/yaml", url.Values{"yaml": {"  \n"}}, http.StatusUnprocessableEntity, "Документ настроек пуст"},
				{"no setting in the form", "/settings", url.Values{}, http.StatusBadRequest, "без единой настройки"},
				{"an unknown key", "/settings/yaml", url.Values{"yaml": {strings.Replace(configuredShop, "shop:\n", "shop:\n  colour: red\n", 1)}}, http.StatusUnprocessableEntity,
					"Строка 2: неизвестный ключ «colour»."},
				{"a time that is not one", "/settings/yaml", url.Values{"yaml": {strings.Replace(configuredShop, "country: LV", "cutoff: \"25:00\"", 1)}},
					http.StatusUnprocessableEntity, "Строка 3: значение «25:00» не подходит для своего ключа."},
				{"sections left out", "/settings/yaml", url.Values{"yaml": {"shop:\n  name: x\n"}}, http.StatusUnprocessableEntity,
					"нет разделов «Каналы, Вебхуки»"},
			} {
				tc.form.Set("csrf", b.csrf)
				st, _, body := b.do("POST", tc.path, tc.form)
				if st != tc.status || !strings.Contains(body, tc.want) {
					t.Errorf("%s: status %d, want %d with %q\n%s", tc.name, st, tc.status, tc.want, body)
				}
				if d, n := settingsState(t, e); d != doc || n != versions {
					t.Errorf("%s changed the settings (%d versions, was %d):\n%s", tc.name, n, versions, d)
				}
			}
			if s, err := config.Parse([]byte(doc)); err != nil || s.Shop.Country != "LV" || len(s.Webhooks) != 1 ||
				s.Shop.PublicURL != "https://care.pods.example" {
				t.Errorf("the settings in force after the refusals: %+v, %v", s.Shop, err)
			}
		})
	}
}

var restoreForm = regexp.MustCompile(`action="/settings/history/(\d+)/restore"`)

// TestSettingsSaveSaveRestore saves twice and restores the first save:
// its settings are in force again, and the history lists every version
// (the settings file's, both saves and the restore) with who saved it
// and the sections each changed, in words.
func TestSettingsSaveSaveRestore(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {"en"}})
			b.do("GET", "/settings", nil)
			second := strings.Replace(configuredShop, "country: LV", "country: EE", 1) + "promise:\n  handling_days: 3\n"
			for i, doc := range []string{configuredShop, second} {
				if st, _, body := b.do("POST", "/settings/yaml", url.Values{"csrf": {b.csrf}, "yaml": {doc}}); st != http.StatusSeeOther {
					t.Fatalf("save %d: status %d\n%s", i+1, st, body)
				}
			}
			st, _, page := b.do("GET", "/settings", nil)
			if st != http.StatusOK {
				t.Fatalf("/settings: status %d", st)
			}
			ids := restoreForm.FindAllStringSubmatch(page, -1)
			// Newest first: the second save is in force (no button), then
			// the first save, then the settings file.
			if len(ids) != 2 {
				t.Fatalf("restore buttons: %v, want the first save's and the file's", ids)
			}
			for _, want := range []string{"owner@shop.test", "Shop, Lead times", "Shop, Channels, Webhooks", "the settings file", "in force"} {
				if !strings.Contains(page, want) {
					t.Errorf("the history does not show %q", want)
				}
			}
			st, h, body := b.do("POST", "/settings/history/"+ids[0][1]+"/restore", url.Values{"csrf": {b.csrf}})
			if st != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "restored=") {
				t.Fatalf("restore: status %d to %q\n%s", st, h.Get("Location"), body)
			}
			doc, versions := settingsState(t, e)
			if doc != configuredShop || versions != 4 {
				t.Errorf("after the restore: %d versions, document\n%s\nwant 4 and the first save's", versions, doc)
			}
			if _, _, page = b.do("GET", "/settings", nil); !strings.Contains(page, "restored version "+ids[0][1]) {
				t.Errorf("the history does not mark the restore")
			}
			if st, _, _ := b.do("POST", "/settings/history/99999/restore", url.Values{"csrf": {b.csrf}}); st != http.StatusNotFound {
				t.Errorf("restoring a version that does not exist: status %d, want 404", st)
			}
		})
	}
}
