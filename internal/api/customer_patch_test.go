package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// customerState is what a refused customer patch must leave as it was.
func (e *env) customerState(t *testing.T, id int64) string {
	t.Helper()
	var row string
	err := e.app.DB.Read().QueryRow(context.Background(), `SELECT COALESCE(email, '') || '|' || COALESCE(phone, '') || '|' || name ||
		'|' || language || '|' || timezone || '|' || COALESCE(telegram_chat_id, '') || '|' ||
		COALESCE(CAST(marketing_opted_out_at AS TEXT), '') || '|' || COALESCE(birthday, '') || '|' ||
		CAST((SELECT COUNT(*) FROM customer_channels WHERE customer_id = customers.id) AS TEXT) || '|' ||
		CAST((SELECT COUNT(*) FROM customer_search WHERE customer_id = customers.id) AS TEXT) || '|' ||
		CAST((SELECT COUNT(*) FROM events) AS TEXT)
		FROM customers WHERE id = $1`, id).Scan(&row)
	if err != nil {
		t.Fatal(err)
	}
	return row
}

// TestCustomerPatch: PATCH /customers/{id} changes contacts, language and
// consents per channel, keeps the proof of a marketing consent, lifts a
// marketing unsubscribe only on an explicit grant, and writes nothing on
// any error.
func TestCustomerPatch(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			ctx := context.Background()
			if status, b, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token); status != http.StatusCreated {
				t.Fatalf("create: %d %v", status, b)
			}
			path := "/api/v1/customers/c-7"
			status, c, _ := e.call(t, "GET", path, "", e.token)
			if status != http.StatusOK {
				t.Fatalf("get: %d %v", status, c)
			}
			id := int64(c["id"].(float64))

			before := e.customerState(t, id)
			for _, tc := range []struct{ name, body, field, code string }{
				{"bad email", `{"email": "nope"}`, "email", "invalid"},
				{"bad phone", `{"name": "Иван", "phone": "12"}`, "phone", "invalid"},
				{"bad language", `{"language": "klingon!"}`, "language", "invalid"},
				{"bad zone", `{"timezone": "Mars/Olympus"}`, "timezone", "invalid"},
				{"empty zone", `{"timezone": ""}`, "timezone", "required"},
				{"null zone", `{"timezone": null}`, "timezone", "null"},
				{"bad chat", `{"telegram_chat_id": "abc"}`, "telegram_chat_id", "invalid"},
				{"bad birthday", `{"birthday": "02-30"}`, "birthday", "invalid"},
				{"bad channel", `{"consent": {"pigeon": {"marketing": false}}}`, "consent.pigeon", "unknown"},
				{"bad consent", `{"consent": {"sms": {"marketing": false, "always": true}}}`, "consent.sms.always", "unknown"},
				{"grant without proof", `{"consent": {"email": {"marketing": true}}}`, "consent_source", "required"},
				{"wrong type", `{"consent": {"email": {"marketing": "yes"}}}`, "consent.email.marketing", "wrong_type"},
				{"read-only", `{"external_id": "c-8"}`, "external_id", "read_only"},
				{"unknown", `{"nickname": "Andy"}`, "nickname", "unknown"},
				{"control", `{"name": "a\u0007b", "consent": {"sms": {"transactional": true}}}`, "name", ""},
			} {
				status, b, _ := e.call(t, "PATCH", path, tc.body, e.token)
				er, _ := b["error"].(map[string]any)
				if status != http.StatusUnprocessableEntity || er == nil || er["field"] != nilIfEmpty(tc.field) ||
					tc.code != "" && er["code"] != tc.code {
					t.Errorf("%s: %d %v; want 422 naming %q (%s)", tc.name, status, b, tc.field, tc.code)
				}
				if after := e.customerState(t, id); after != before {
					t.Errorf("%s: a refused patch wrote: %s → %s", tc.name, before, after)
				}
			}

			// Contacts: the search index follows.
			status, b, _ := e.call(t, "PATCH", path, `{"name": "Андрей Сидоров", "email": "A.Sidorov@Example.com",
				"phone": "+371 2000 0000", "language": "lv", "timezone": "Europe/Riga", "telegram_chat_id": "123456"}`, e.token)
			if status != http.StatusOK || b["email"] != "a.sidorov@example.com" || b["phone"] != "+37120000000" ||
				b["language"] != "lv" || b["timezone"] != "Europe/Riga" || b["telegram_linked"] != true {
				t.Fatalf("contacts: %d %v", status, b)
			}
			if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			status, list, _ := e.call(t, "GET", "/api/v1/customers?q=сидоров", "", e.token)
			if status != http.StatusOK || len(list["customers"].([]any)) != 1 {
				t.Errorf("search by the new name: %d %v", status, list)
			}
			if _, list, _ = e.call(t, "GET", "/api/v1/customers?q=andrei@example", "", e.token); len(list["customers"].([]any)) != 0 {
				t.Errorf("the old e-mail still finds the customer: %v", list)
			}

			// Birthday: only the day and month are kept; null forgets it.
			for _, tc := range []struct{ body, want string }{
				{`{"birthday": "1990-05-17"}`, "05-17"}, {`{"birthday": "02-29"}`, "02-29"}, {`{"birthday": null}`, ""},
			} {
				if status, b, _ := e.call(t, "PATCH", path, tc.body, e.token); status != http.StatusOK {
					t.Fatalf("birthday %s: %d %v", tc.body, status, b)
				}
				_, x, _ := e.call(t, "GET", path+"/export", "", e.token)
				if got, _ := x["customer"].(map[string]any)["birthday"].(string); got != tc.want {
					t.Errorf("birthday %s: the export says %q, want %q", tc.body, got, tc.want)
				}
			}

			// Consent: the customer unsubscribed from marketing (a link in a
			// campaign) while they had consented on e-mail and sms.
			status, b, _ = e.call(t, "PATCH", path, `{"consent": {"email": {"marketing": true}, "sms": {"transactional": true, "marketing": true}},
				"consent_source": "checkout checkbox"}`, e.token)
			cons, _ := b["consent"].(map[string]any)
			email, _ := cons["email"].(map[string]any)
			if status != http.StatusOK || email["marketing"] != true || !strings.HasPrefix(email["marketing_source"].(string), "checkout checkbox (api:test)") ||
				cons["sms"].(map[string]any)["transactional"] != true {
				t.Fatalf("consent: %d %v", status, b)
			}
			e.clock.Advance(60_000_000_000)
			if err := e.app.DB.InTx(ctx, func(tx *store.Tx) error { return message.OptOutMarketing(ctx, tx, id, e.clock.Now()) }); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(60_000_000_000)
			// A patch that says nothing about marketing keeps the unsubscribe.
			status, b, _ = e.call(t, "PATCH", path, `{"consent": {"telegram": {"transactional": true}}, "consent_source": "bot"}`, e.token)
			if status != http.StatusOK || b["marketing_opted_out_at"] == nil {
				t.Fatalf("an unrelated consent lifted the unsubscribe: %d %v", status, b)
			}
			// An explicit grant on e-mail lifts it for e-mail only: sms's
			// older consent stays void.
			status, b, _ = e.call(t, "PATCH", path, `{"consent": {"email": {"marketing": true}}, "consent_source": "newsletter form"}`, e.token)
			cons, _ = b["consent"].(map[string]any)
			if status != http.StatusOK || b["marketing_opted_out_at"] != nil || cons["email"].(map[string]any)["marketing"] != true ||
				cons["sms"].(map[string]any)["marketing"] != false || cons["sms"].(map[string]any)["marketing_revoked_at"] == nil {
				t.Fatalf("grant after an unsubscribe: %d %v", status, b)
			}
			// Withdrawn, and stop all on sms.
			status, b, _ = e.call(t, "PATCH", path, `{"consent": {"email": {"marketing": false}, "sms": {"transactional": false}}}`, e.token)
			cons, _ = b["consent"].(map[string]any)
			if status != http.StatusOK || cons["email"].(map[string]any)["marketing"] != false ||
				cons["sms"].(map[string]any)["transactional"] != false || cons["sms"].(map[string]any)["opted_out_at"] == nil {
				t.Fatalf("withdrawal: %d %v", status, b)
			}
			var changes int
			_ = e.app.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE kind = 'customer.changed' AND customer_id = $1`, id).Scan(&changes)
			if changes != 8 { // contacts, three birthdays, consent, unsubscribe, grant again, withdrawal
				t.Errorf("%d customer.changed events, want 8", changes)
			}
			// The same again changes nothing.
			before = e.customerState(t, id)
			if status, _, _ := e.call(t, "PATCH", path, `{"consent": {"email": {"marketing": false}}, "language": "lv"}`, e.token); status != http.StatusOK {
				t.Errorf("repeat: %d", status)
			}
			if after := e.customerState(t, id); after != before {
				t.Errorf("a repeated patch wrote: %s → %s", before, after)
			}
			if status, _, _ := e.call(t, "PATCH", "/api/v1/customers/nobody", `{"name": "x"}`, e.token); status != http.StatusNotFound {
				t.Errorf("unknown customer: %d", status)
			}
		})
	}
}

// TestCustomerList: GET /customers searches by words of the name, e-mail
// or phone and pages by cursor.
func TestCustomerList(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			names := []string{"Анна Петрова", "Пётр Петров", "Иван Сидоров", "Анна Иванова", "Mārtiņš Bērziņš"}
			for i, n := range names {
				body := fmt.Sprintf(`{"external_id": "CL-%d", "customer": {"external_id": "cl-%d", "name": %q, "phone": "+7 916 100-00-0%d"},
					"items": [{"sku": "A", "qty": 1, "price": 10}]}`, i, i, n, i)
				if status, b, _ := e.call(t, "POST", "/api/v1/orders", body, e.token); status != http.StatusCreated {
					t.Fatalf("create: %d %v", status, b)
				}
			}
			if _, err := e.app.Dispatcher.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			count := func(b map[string]any) int { return len(b["customers"].([]any)) }
			for _, tc := range []struct {
				q    string
				want int
			}{{"", 5}, {"анна", 2}, {"петр", 2}, {"пётр", 1}, {"петрова", 1}, {"9161000003", 1}, {"berzins", 0}, {"bērziņš", 1}, {"nobody", 0}} {
				status, b, _ := e.call(t, "GET", "/api/v1/customers?q="+tc.q, "", e.token)
				if status != http.StatusOK || count(b) != tc.want {
					t.Errorf("q=%s: %d, %d customers; want %d: %v", tc.q, status, count(b), tc.want, b)
				}
			}
			seen := map[float64]bool{}
			for path, pages := "/api/v1/customers?limit=2", 0; path != ""; pages++ {
				status, b, _ := e.call(t, "GET", path, "", e.token)
				if status != http.StatusOK || pages > 5 {
					t.Fatalf("%s: %d %v", path, status, b)
				}
				for _, c := range b["customers"].([]any) {
					id := c.(map[string]any)["id"].(float64)
					if seen[id] {
						t.Errorf("customer %v on two pages", id)
					}
					seen[id] = true
				}
				path = ""
				if next, _ := b["next_cursor"].(string); next != "" {
					path = "/api/v1/customers?limit=2&cursor=" + next
				}
			}
			if len(seen) != 5 {
				t.Errorf("pages held %d customers, want 5", len(seen))
			}
			if status, b, _ := e.call(t, "GET", "/api/v1/customers?limit=x", "", e.token); status != http.StatusUnprocessableEntity {
				t.Errorf("bad limit: %d %v", status, b)
			}
		})
	}
}
