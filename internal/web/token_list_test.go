package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/storetest"
)

var shownToken = regexp.MustCompile(`<code id="token-value">(sc_[A-Za-z0-9_-]+)</code>`)

// TestTokenPage: the owner makes a token with scopes on /tokens and sees
// it once, lists tokens without them, and revokes one; in ru, lv and en;
// on both engines. Nobody but the owner reaches the page.
func TestTokenPage(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newHumanEnv(t, engine)
			addPeople(t, e.env)
			b := newBrowser(t, e.env)
			b.login(people[auth.Owner])

			if _, _, body := b.do("GET", "/users", nil); !strings.Contains(body, `href="/tokens"`) {
				t.Error("the people page has no link to the tokens")
			}
			status, _, body := b.do("POST", "/tokens", url.Values{"csrf": {b.csrf}, "name": {"site"}, "scope": {"read", "orders:write"}})
			m := shownToken.FindStringSubmatch(body)
			if status != http.StatusOK || m == nil {
				t.Fatalf("create: %d, token shown: %v\n%.600s", status, m != nil, body)
			}
			tok, err := auth.TokenCheck(ctx, e.app.DB.Read(), m[1])
			if err != nil || tok.Name != "site" || !slices.Equal(tok.Scopes, []auth.Scope{auth.ScopeOrdersWrite, auth.ScopeRead}) {
				t.Fatalf("the token shown: %+v, %v", tok, err)
			}
			setLang := func(lang string) {
				t.Helper()
				users, _ := auth.UserList(ctx, e.app.DB.Read())
				for _, x := range users {
					if x.Email == people[auth.Owner] {
						if err := auth.UserSetLanguage(ctx, e.app.DB, x.ID, lang, e.human.Now()); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			setLang("en")
			for _, c := range []struct {
				form url.Values
				text string
			}{
				{url.Values{"name": {"site"}}, "exists already"},
				{url.Values{"name": {" "}}, "needs a name"},
				{url.Values{"name": {"x"}, "scope": {"admin"}}, "not one shopcare knows"},
			} {
				c.form.Set("csrf", b.csrf)
				status, _, body := b.do("POST", "/tokens", c.form)
				if status != http.StatusUnprocessableEntity || !strings.Contains(body, c.text) || shownToken.MatchString(body) {
					t.Errorf("create %v: %d, want 422 saying %q", c.form, status, c.text)
				}
			}

			for lang, texts := range map[string][]string{
				"en": {"API tokens", "Read orders, customers and figures", "never", "Revoke"},
				"ru": {"API-токены", "Чтение заказов, покупателей и показателей", "не использовался", "Отозвать"},
				"lv": {"API marķieri", "Pasūtījumu, pircēju un rādītāju lasīšana", "nav lietots", "Atsaukt"},
			} {
				setLang(lang)
				status, _, body := b.do("GET", "/tokens", nil)
				if status != http.StatusOK || strings.Contains(body, "sc_") {
					t.Fatalf("%s list: %d, token in page: %v", lang, status, strings.Contains(body, "sc_"))
				}
				for _, want := range texts {
					if !strings.Contains(body, want) {
						t.Errorf("%s: the page lacks %q", lang, want)
					}
				}
				if strings.Contains(body, "token_list.") || strings.Contains(body, ">orders:write") {
					t.Errorf("%s: a raw id or scope code on the page", lang)
				}
			}

			status, h, _ := b.do("POST", "/tokens/"+itoa(tok.ID)+"/revoke", url.Values{"csrf": {b.csrf}})
			if status != http.StatusSeeOther || h.Get("Location") != "/tokens?revoked=1" {
				t.Fatalf("revoke: %d to %q", status, h.Get("Location"))
			}
			if _, err := auth.TokenCheck(ctx, e.app.DB.Read(), m[1]); err == nil {
				t.Error("the revoked token still checks")
			}
			if status, _, _ := b.do("POST", "/tokens/"+itoa(tok.ID)+"/revoke", url.Values{"csrf": {b.csrf}}); status != http.StatusNotFound {
				t.Errorf("revoke again: %d, want 404", status)
			}

			op := newBrowser(t, e.env)
			op.login(people[auth.Operator])
			if status, _, _ := op.do("GET", "/tokens", nil); status != http.StatusForbidden {
				t.Errorf("an operator on /tokens: %d, want 403", status)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
