package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestPromiseQuoteUnknownLanguageRefused: --lang de used to answer in
// Russian with exit 0; a year the calendars do not cover is refused too.
func TestPromiseQuoteUnknownLanguageRefused(t *testing.T) {
	t.Parallel()
	env := sqliteEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"promise", "quote", "--lang", "de"}, "ru, lv or en"},
		{[]string{"promise", "calendar", "--lang", "de"}, "ru, lv or en"},
		{[]string{"promise", "quote", "--at", "2150-01-01T10:00:00Z"}, "2000–2099"},
		{[]string{"promise", "calendar", "--year", "2100"}, "2000–2099"},
	} {
		if out := runShopcareFails(t, env, tc.args...); !strings.Contains(out, tc.want) {
			t.Errorf("shopcare %s: %s, want it to name %q", strings.Join(tc.args, " "), out, tc.want)
		}
	}
}

// TestImportLatvianCSV: a Windows-1257 file from Latvian Excel is read as
// such (auto and --encoding windows-1257); one that cannot be told is
// refused naming --encoding.
func TestImportLatvianCSV(t *testing.T) {
	t.Parallel()
	env := sqliteEnv(t)
	dir := t.TempDir()
	text := "order_id;customer_id;name;city;created_at;total\r\nL-1;c-1;Jānis Bērziņš;Rīga;2026-01-10;10\r\n"
	data, err := charmap.Windows1257.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	lv := filepath.Join(dir, "lv.csv")
	unsure := filepath.Join(dir, "unsure.csv")
	if err := os.WriteFile(lv, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(unsure, []byte("order_id;customer_id;name;created_at;total\nX-1;c-1;\xe9;2026-01-01;1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := runShopcare(t, env, "", "import", "orders", lv); !strings.Contains(out, "1 imported") {
		t.Errorf("import: %s", out)
	}
	if out := runShopcare(t, env, "", "import", "orders", "--encoding", "windows-1257", lv); !strings.Contains(out, "1 already there") {
		t.Errorf("import --encoding windows-1257: %s", out)
	}
	if out := runShopcareFails(t, env, "import", "orders", unsure); !strings.Contains(out, "--encoding") {
		t.Errorf("an unsure file: %s", out)
	}
}
