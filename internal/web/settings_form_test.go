package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// savedSettings parses the settings saved in the admin.
func savedSettings(t *testing.T, e *env) config.Settings {
	t.Helper()
	doc, ok, err := config.Saved(context.Background(), e.app.DB.Read())
	if err != nil || !ok {
		t.Fatalf("saved settings: %v, %v", ok, err)
	}
	s, err := config.Parse(doc)
	if err != nil {
		t.Fatalf("the saved settings do not parse: %v\n%s", err, doc)
	}
	return s
}

// TestSettingsForm saves the form's controls: a duration as a number and
// unit or written out, times, the languages, a select, a rule's switch
// and delay, and the carrier editor (one carrier changed, one removed,
// one added); a wrong carrier comes back on its row.
func TestSettingsForm(t *testing.T) {
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
			form := url.Values{"csrf": {b.csrf},
				"shop.callback_within": {"1,5"}, "shop.callback_within.unit": {"h"},
				"playbook.frequency_cap": {"2 d"}, "playbook.frequency_cap.unit": {"min"},
				"shop.cutoff":             {"15:30"},
				"shop.contact_hours.from": {"10:00"}, "shop.contact_hours.to": {"20:00"},
				"shop.languages.main": {"lv"}, "shop.languages": {"ru", "lv"},
				"shop.timezone": {"Europe/Riga"}, "shop.country": {"LV"}, "shop.currency": {"RUB"},
				"playbook.rules.win_back.enabled":           {"false"},
				"playbook.rules.delivered_followup.enabled": {"false", "true"},
				"playbook.rules.delivered_followup.after":   {"5"}, "playbook.rules.delivered_followup.after.unit": {"d"},
				"carriers.count":  {"2"},
				"carriers.0.code": {"courier"}, "carriers.0.name": {"Courier"}, "carriers.0.min": {"1"}, "carriers.0.max": {"2"},
				"carriers.0.off":  {"sat", "sun"},
				"carriers.1.code": {"post"}, "carriers.1.min": {"5"}, "carriers.1.max": {"7"}, "carriers.1.delete": {"true"},
				"carriers.2.code": {"omniva"}, "carriers.2.name": {"Omniva"}, "carriers.2.min": {"2"}, "carriers.2.max": {"3"},
				"carriers.2.working": {"true"}, "carriers.2.hold": {"7"}, "carriers.2.reminders": {"2, 5"},
			}
			if st, h, body := b.do("POST", "/settings", form); st != http.StatusSeeOther {
				t.Fatalf("saving the form: status %d %v\n%s", st, h, body)
			}
			s := savedSettings(t, e)
			if s.Shop.CallbackWithin != config.Duration(90*time.Minute) || s.Playbook.FrequencyCap != config.Duration(48*time.Hour) ||
				s.Shop.Cutoff.String() != "15:30" || s.Shop.ContactHours.String() != "10:00-20:00" ||
				strings.Join(s.Shop.Languages, ",") != "lv,ru" || s.Shop.Timezone != "Europe/Riga" ||
				s.Shop.Country != "LV" || s.Shop.Currency != "RUB" {
				t.Errorf("the saved shop: %+v", s.Shop)
			}
			if r := s.Playbook.Rules["win_back"]; r.Enabled == nil || *r.Enabled {
				t.Errorf("win_back: %+v, want switched off", r)
			}
			if r := s.Playbook.Rules["delivered_followup"]; r.After == nil || *r.After != config.Duration(5*24*time.Hour) {
				t.Errorf("delivered_followup: %+v, want after 5 days", r)
			}
			if _, ok := s.Playbook.Rules["status_shipped"]; ok {
				t.Errorf("an untouched rule was written: %+v", s.Playbook.Rules)
			}
			if len(s.Carriers) != 2 || s.Carriers[0].Name != "Courier" || s.Carriers[0].TransitDays[0] != 1 ||
				len(s.Carriers[0].NonDeliveryWeekdays) != 2 || s.Carriers[1].Code != "omniva" || !s.Carriers[1].TransitWorkingDays ||
				s.Carriers[1].PickupHoldDays != 7 || len(s.Carriers[1].PickupReminders) != 2 {
				t.Errorf("the saved carriers: %+v", s.Carriers)
			}

			// A wrong carrier (its transit backwards) after a removed one:
			// the error lands on the row the owner typed it in.
			bad := url.Values{"csrf": {b.csrf}, "carriers.count": {"2"},
				"carriers.0.code": {"courier"}, "carriers.0.min": {"1"}, "carriers.0.max": {"2"}, "carriers.0.delete": {"true"},
				"carriers.1.code": {"omniva"}, "carriers.1.min": {"9"}, "carriers.1.max": {"3"}}
			st, _, body := b.do("POST", "/settings", bad)
			if st != http.StatusUnprocessableEntity {
				t.Fatalf("a backwards transit: status %d", st)
			}
			row := body[strings.Index(body, `name="carriers.1.code"`):]
			row = row[:strings.Index(row, "</tr>")]
			if !strings.Contains(row, "min 9 must be between 0 and max 3") || !strings.Contains(body, `name="carriers.1.min" value="9"`) {
				t.Errorf("the omniva row after a backwards transit:\n%s", row)
			}
			if len(savedSettings(t, e).Carriers) != 2 {
				t.Errorf("a refused form removed a carrier")
			}
		})
	}
}

// FuzzSettingsForm posts one setting with any value through the real
// router: the answer is a save or a 4xx, never a failure, and a refused
// form changes nothing.
func FuzzSettingsForm(f *testing.F) {
	a, _ := apptest.New(f, store.SQLite, false)
	if err := a.Start(context.Background()); err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	f.Cleanup(srv.Close)
	if err := auth.UserAdd(context.Background(), a.DB, "owner@shop.test", testPassword, auth.Owner, time.Now()); err != nil {
		f.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) (int, string) {
		resp, err := c.PostForm(srv.URL+path, form)
		if err != nil {
			f.Fatal(err)
		}
		defer resp.Body.Close()
		buf, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(buf)
	}
	post("/login", url.Values{"email": {"owner@shop.test"}, "password": {testPassword}})
	resp, err := c.Get(srv.URL + "/settings")
	if err != nil {
		f.Fatal(err)
	}
	buf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindStringSubmatch(string(buf))
	if m == nil {
		f.Fatal("no CSRF token on /settings")
	}
	for _, seed := range [][3]string{
		{"shop.callback_within", "90", "min"}, {"shop.cutoff", "25:00", ""}, {"shop.working_hours.from", "09:00", ""},
		{"carriers.0.min", "-1", ""}, {"shop.languages.main", "xx", ""}, {"yaml", "shop: [", ""},
		{"shop.name", "a\x00b", ""}, {"playbook.rules.win_back.after", "1e99", "d"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, key, value, unit string) {
		before, _, _ := config.Saved(context.Background(), a.DB.Read())
		form := url.Values{"csrf": {m[1]}, key: {value}, key + ".unit": {unit}, "carriers.count": {"2"}}
		st, body := post("/settings", form)
		switch st {
		case http.StatusSeeOther:
		case http.StatusBadRequest, http.StatusUnprocessableEntity:
			if after, _, _ := config.Saved(context.Background(), a.DB.Read()); string(after) != string(before) {
				t.Fatalf("a refused form (%d) changed the settings", st)
			}
		default:
			t.Fatalf("POST /settings %s=%q (%q): status %d\n%s", key, value, unit, st, body)
		}
	})
}
