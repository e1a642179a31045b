package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestSystemPage: the owner's menu links to /system, which shows the
// version, the database's engine and schema (current), the SQLite files'
// sizes, the journal and the job queue; other people get no link and a
// refusal.
func TestSystemPage(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			placeOrders(t, e)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			status, _, body := b.do("GET", "/system", nil)
			if status != http.StatusOK {
				t.Fatalf("GET /system: %d\n%.600s", status, body)
			}
			if !strings.Contains(body, `href="/system" aria-current="page"`) {
				t.Error("the menu does not mark the system page")
			}
			wants := []string{`id="system-schema"`, `id="system-jobs"`, `data-state="scheduled"`, `id="system-journal-pending"`, "system-uptime"}
			if engine == "sqlite" {
				wants = append(wants, "<code>shopcare.db</code>")
			}
			for _, want := range wants {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %s", want)
				}
			}
			if m := regexp.MustCompile(`id="system-schema">(\d+) · `).FindStringSubmatch(body); m == nil || strings.Contains(body, "badge bad") {
				t.Errorf("the schema is not shown current:\n%.2000s", body)
			}
			for _, role := range []auth.Role{auth.Operator, auth.Packer} {
				o := newBrowser(t, e)
				o.login(people[role])
				if status, _, _ := o.do("GET", "/system", nil); status != http.StatusForbidden {
					t.Errorf("%s: GET /system %d, want 403", role, status)
				}
				if _, _, body := o.do("GET", "/account", nil); strings.Contains(body, `href="/system"`) {
					t.Errorf("%s sees the system page in the menu", role)
				}
			}
		})
	}
}
