package settingsdoc

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestReferenceIsCurrent fails when docs/settings.md no longer matches the
// config types: run go generate ./internal/config/.
func TestReferenceIsCurrent(t *testing.T) {
	t.Parallel()
	got, err := Render("..")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../../docs/settings.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("docs/settings.md is stale: run go generate ./internal/config/ and commit it")
	}
}

// TestReferenceNamesEveryKey checks the page against keys a shop writes.
func TestReferenceNamesEveryKey(t *testing.T) {
	t.Parallel()
	got, err := Render("..")
	if err != nil {
		t.Fatal(err)
	}
	page := string(got)
	for _, key := range []string{
		"`shop.timezone`", "`shop.working_hours`", "`carriers[].transit_days`",
		"`channels.email.smtp_url`", "`connectors[].webhook_secret`", "`support.first_response`",
		"`SHOPCARE_CONNECTORS_<NAME>_WEBHOOK_SECRET`", "`SHOPCARE_SMTP_URL`",
	} {
		if !strings.Contains(page, key) {
			t.Errorf("the reference does not name %s", key)
		}
	}
	if strings.Contains(page, "config_") {
		t.Error("the reference cites source files")
	}
}

// TestEveryKeyIsDescribed fails when a settings field has no doc comment:
// the reference would show the key without saying what it does.
func TestEveryKeyIsDescribed(t *testing.T) {
	t.Parallel()
	missing, err := Undocumented("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range missing {
		t.Errorf("%s has no doc comment in internal/config", key)
	}
}
