package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestAnalyticsSpendSave enters a month's spend on a channel: the page
// comes back to the same window with the flash, the spend in its list
// and the channel's CAC at once (the cached dashboard is dropped); a
// wrong field comes back named, 422, and nothing is saved.
func TestAnalyticsSpendSave(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			seedHistory(t, e, 40)
			addPeople(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			_, _, before := b.do("GET", "/analytics", nil) // caches the dashboard
			if cac := between(before, "<td>реклама</td>", "</tr>"); cac == "" {
				t.Fatalf("no ads channel on the page:\n%s", between(before, `id="channel-table"`, "</table>"))
			}

			for _, tc := range []struct {
				name, month, channel, amount string
				field, text                  string
			}{
				{"no such month", "2026-13", "ads", "100", "month", "Выберите месяц."},
				{"no month", "", "ads", "100", "month", "Выберите месяц."},
				{"no channel", "2026-11", "  ", "100", "channel", "Назовите канал"},
				{"not an amount", "2026-11", "ads", "a lot", "amount", "Укажите сумму в RUB"},
				{"a negative amount", "2026-11", "ads", "-5", "amount", "Укажите сумму в RUB"},
			} {
				status, _, body := b.do("POST", "/analytics/spend", formOf(b, "month", tc.month, "channel", tc.channel, "amount", tc.amount,
					"from", "2026-10-01"))
				if status != http.StatusUnprocessableEntity {
					t.Errorf("%s: status %d, want 422", tc.name, status)
					continue
				}
				wantAll(t, tc.name, body, `data-field="`+tc.field+`">`+tc.text, `name="amount" value="`+tc.amount+`"`,
					`<input type="hidden" name="from" value="2026-10-01">`)
			}
			if list, err := e.app.Analytics.SpendList(context.Background()); err != nil || len(list) != 0 {
				t.Fatalf("after the refused forms the spend is %v, %v", list, err)
			}

			status, h, _ := b.do("POST", "/analytics/spend", formOf(b, "month", "2026-11", "channel", " ads ", "amount", "15 000,50",
				"from", "2026-10-01", "to", ""))
			if want := "/analytics?from=2026-10-01&saved=spend#channels"; status != http.StatusSeeOther || h.Get("Location") != want {
				t.Fatalf("save the spend: %d to %q, want 303 to %q", status, h.Get("Location"), want)
			}
			status, _, body := b.do("GET", h.Get("Location"), nil)
			if status != http.StatusOK {
				t.Fatalf("back on the page: %d", status)
			}
			wantAll(t, "the page after the spend", body, `class="flash"`, "Сохранено",
				"<td>2026-11</td><td>реклама</td><td class=\"num\">15\u00a0000,50\u00a0₽</td>")
			if row := between(body, "<td>реклама</td>", "</tr>"); !strings.Contains(row, "15\u00a0000,50\u00a0₽") || strings.Contains(row, "<td class=\"num\">—</td>") {
				t.Errorf("the ads channel has no spend or CAC after the save: %s", row)
			}
			// The same month and channel again replaces the amount.
			b.do("POST", "/analytics/spend", formOf(b, "month", "2026-11", "channel", "ads", "amount", "900"))
			list, err := e.app.Analytics.SpendList(context.Background())
			if err != nil || len(list) != 1 || list[0].Amount != "900.00" || list[0].Channel != "ads" {
				t.Errorf("the spend after the second save: %+v, %v", list, err)
			}
		})
	}
}
