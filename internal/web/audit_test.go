package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/audit"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/storetest"
)

func auditRows(t *testing.T, e *env, table string) int {
	t.Helper()
	var n int
	if err := e.app.DB.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var auditItemID = regexp.MustCompile(`name="item-(\d+)" value="pass"`)

// TestAuditAdmin: the owner sees every touch point due on /audit, edits
// a checklist (a bad item names its field and writes nothing), records a
// check (a bad one names each field and writes nothing) and sees it in
// the trend and the board; the pages have no English in Russian; an
// operator may not see them. Both engines.
func TestAuditAdmin(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			ownerInEnglish(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])

			status, _, body := b.do("GET", "/audit", nil)
			if status != http.StatusOK || !strings.Contains(body, "9 touch points are due for their check this month.") ||
				!strings.Contains(body, `href="/audit"`) || !strings.Contains(body, `href="/audit/follow_up">After delivery</a>`) {
				t.Fatalf("board: %d\n%.2000s", status, body)
			}
			if status, _, _ := b.do("GET", "/audit/lobby", nil); status != http.StatusNotFound {
				t.Errorf("unknown point: %d", status)
			}
			status, _, body = b.do("GET", "/audit/call", nil)
			if status != http.StatusOK || !strings.Contains(body, "Обратный звонок был в течение часа в рабочее время.") ||
				!strings.Contains(body, "Call-backs made within the promised time") {
				t.Fatalf("call: %d\n%.3000s", status, body)
			}
			items := auditItemID.FindAllStringSubmatch(body, -1)
			if len(items) != 4 {
				t.Fatalf("call checklist: %d items", len(items))
			}

			before := auditRows(t, e, "audit_items")
			status, _, body = b.do("POST", "/audit/call/items", url.Values{"csrf": {b.csrf}, "text": {"  "}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Fill in this field.") || !strings.Contains(body, `aria-invalid="true"`) {
				t.Fatalf("empty item: %d\n%.600s", status, body)
			}
			if n := auditRows(t, e, "audit_items"); n != before {
				t.Fatalf("an empty item wrote %d rows", n-before)
			}
			status, h, _ := b.do("POST", "/audit/call/items", url.Values{"csrf": {b.csrf}, "text": {"The operator knew the stock."}})
			if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/audit/call?items=1#item-") {
				t.Fatalf("add item: %d %q", status, h.Get("Location"))
			}
			newID := strings.TrimPrefix(h.Get("Location"), "/audit/call?items=1#item-")
			if status, _, _ := b.do("POST", "/audit/call/items", url.Values{"csrf": {b.csrf}, "id": {newID}, "move": {"up"}}); status != http.StatusSeeOther {
				t.Errorf("move: %d", status)
			}
			if status, _, _ := b.do("POST", "/audit/site/items", url.Values{"csrf": {b.csrf}, "id": {newID}, "text": {"x"}}); status != http.StatusNotFound {
				t.Errorf("rename through another point: %d", status)
			}
			if status, _, _ := b.do("POST", "/audit/call/items/"+items[3][1]+"/delete", url.Values{"csrf": {b.csrf}}); status != http.StatusSeeOther {
				t.Errorf("delete item: %d", status)
			}

			status, _, body = b.do("POST", "/audit/call/checks", url.Values{"csrf": {b.csrf}, "day": {"2099-01-01"}, "kind": {"guess"},
				"who": {""}, "score": {"7"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, "A check cannot be dated after today.") ||
				!strings.Contains(body, "Choose a self-check or a mystery shopper.") || !strings.Contains(body, "A score from 1 to 5.") {
				t.Fatalf("bad check: %d\n%.4000s", status, body)
			}
			status, _, body = b.do("POST", "/audit/call/checks", url.Values{"csrf": {b.csrf}, "day": {e.app.Orders.Today()}, "kind": {"self"},
				"who": {"Anna"}, "item-" + items[0][1]: {"maybe"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Answer each item with yes, no or not checked.") {
				t.Fatalf("bad answer: %d\n%.600s", status, body)
			}
			if n := auditRows(t, e, "audit_checks"); n != 0 {
				t.Fatalf("refused checks wrote %d rows", n)
			}
			status, h, _ = b.do("POST", "/audit/call/checks", url.Values{"csrf": {b.csrf}, "day": {e.app.Orders.Today()}, "kind": {"mystery"},
				"who": {"Mystery Shopper Ltd"}, "score": {"4"}, "notes": {"Called back in 40 minutes."},
				"item-" + items[0][1]: {"pass"}, "item-" + items[1][1]: {"fail"}, "item-" + items[2][1]: {""}})
			if status != http.StatusSeeOther || h.Get("Location") != "/audit/call?saved=1" {
				t.Fatalf("check: %d %q", status, h.Get("Location"))
			}
			status, _, body = b.do("GET", "/audit/call?saved=1", nil)
			if status != http.StatusOK || !strings.Contains(body, "The check is saved.") || !strings.Contains(body, "Mystery Shopper Ltd") ||
				!strings.Contains(body, "1 of 2") || !strings.Contains(body, "4 of 5") || !strings.Contains(body, `class="bar"`) {
				t.Fatalf("after the check: %d\n%.6000s", status, body)
			}
			if _, _, body := b.do("GET", "/audit", nil); !strings.Contains(body, "8 touch points are due") {
				t.Errorf("board after the check:\n%.2000s", body)
			}

			paths := []string{"/audit"}
			for _, p := range audit.Points() {
				paths = append(paths, "/audit/"+string(p))
			}
			for _, lang := range []i18n.Lang{i18n.RU, i18n.LV} {
				b.do("POST", "/account/language", url.Values{"csrf": {b.csrf}, "language": {string(lang)}})
				for _, path := range paths {
					status, _, body := b.do("GET", path, nil)
					if status != http.StatusOK {
						t.Fatalf("%s %s: %d", lang, path, status)
					}
					// The check above was typed in English by the test: the
					// shop's own words, not the page's.
					text := strings.NewReplacer("Mystery Shopper Ltd", "", "Called back in 40 minutes.", "", "The operator knew the stock.", "").Replace(pageText(body, lang))
					for _, problem := range unreadable(text, lang) {
						t.Errorf("%s %s: %s", lang, path, problem)
					}
				}
			}

			op := newBrowser(t, e)
			op.login(people[auth.Operator])
			for _, rt := range []struct{ method, path string }{{"GET", "/audit"}, {"GET", "/audit/call"},
				{"POST", "/audit/call/checks"}, {"POST", "/audit/call/items"}} {
				if status, _, _ := op.do(rt.method, rt.path, url.Values{"csrf": {op.csrf}, "day": {"2026-12-01"}, "kind": {"self"},
					"who": {"x"}, "score": {"3"}, "text": {"x"}}); status != http.StatusForbidden {
					t.Errorf("operator %s %s: %d", rt.method, rt.path, status)
				}
			}
			if len(audit.Points()) != 9 {
				t.Errorf("%d points", len(audit.Points()))
			}
		})
	}
}
