package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
)

func sqliteEnv(t *testing.T) []string {
	t.Helper()
	return shopEnv(store.Options{DataDir: t.TempDir()})
}

func TestHelpListsTheCommands(t *testing.T) {
	t.Parallel()
	out := runShopcare(t, sqliteEnv(t), "", "help")
	for _, cmd := range []string{"serve", "import orders", "user add", "token add", "report metrics", "promise quote", "promise calendar", "parcels track", "parcels subscribe", "bench", "help"} {
		if !strings.Contains(out, cmd) {
			t.Errorf("help does not mention %q:\n%s", cmd, out)
		}
	}
}

func TestHelpFlagExitsZero(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"import", "--help"}, {"report", "metrics", "--help"}} {
		cmd := exec.Command(binary, args...)
		cmd.Env = sqliteEnv(t)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Usage: shopcare") {
			t.Errorf("shopcare %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestTokenAndUserAdd(t *testing.T) {
	t.Parallel()
	env := sqliteEnv(t)
	if token := lastLine(runShopcare(t, env, "", "token", "add", "shop")); !strings.HasPrefix(token, "sc_") || len(token) < 40 {
		t.Errorf("last line is not a token: %q", token)
	}
	out := runShopcare(t, env, "a long enough password\n", "user", "add", "Owner@Example.com", "--role", "owner")
	if !strings.Contains(out, "owner@example.com") {
		t.Errorf("user add: %q", out)
	}
	cmd := exec.Command(binary, "user", "add", "x@example.com", "--role", "owner")
	cmd.Env, cmd.Stdin = env, strings.NewReader("short\n")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "password") {
		t.Errorf("a short password was accepted: %s", out)
	}
}

func TestBadSettingsNameTheKey(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "shop.yaml")
	if err := os.WriteFile(cfg, []byte("shop:\n  timezone: Europe/Moskow\n  colour: red\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "report", "metrics", "--config", cfg)
	cmd.Env = sqliteEnv(t)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), `unknown key "colour"`) {
		t.Errorf("bad settings: %v\n%s", err, out)
	}
}

func TestImportAndReport(t *testing.T) {
	t.Parallel()
	env := sqliteEnv(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "orders.csv")
	data := "order_id,customer_id,email,created_at,total,status,delivered_at,promised_to\n" +
		"1,c1,a@example.com,2025-01-10 10:00:00,100.50,delivered,2025-01-12,2025-01-12\n" +
		"2,c1,a@example.com,2025-02-10,99,delivered,2025-02-15,2025-02-13\n" +
		"3,c2,,not a date,10,,,\n" +
		"4,c2,,2025-03-01,-5,,,\n" +
		"5,c3,b@example.com,2025-03-01,1e3,,,\n" +
		"6,c3,b@example.com,2025-03-02,70,,,\n"
	if err := os.WriteFile(csvPath, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	out := runShopcare(t, env, "", "import", "orders", csvPath)
	if !strings.Contains(out, "3 imported") || !strings.Contains(out, "3 rejected") {
		t.Fatalf("import summary: %s", out)
	}
	rejected, err := os.ReadFile(filepath.Join(dir, "orders.rejected.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"4,", "5,", "6,", "created_at", "total"} {
		if !strings.Contains(string(rejected), want) {
			t.Errorf("rejected file lacks %q:\n%s", want, rejected)
		}
	}
	if again := runShopcare(t, env, "", "import", "orders", csvPath); !strings.Contains(again, "0 imported") || !strings.Contains(again, "3 already there") {
		t.Errorf("re-import: %s", again)
	}

	var m map[string]any
	if err := json.Unmarshal([]byte(runShopcare(t, env, "", "report", "metrics", "--json")), &m); err != nil {
		t.Fatal(err)
	}
	if m["orders"] != 3.0 || m["customers"] != 2.0 || m["repeat_customer_rate"] != 0.5 || m["on_time_rate"] != 0.5 || m["revenue"] != 269.5 {
		t.Errorf("metrics: %v", m)
	}
}

func TestPromiseQuoteAndCalendar(t *testing.T) {
	t.Parallel()
	env := sqliteEnv(t)
	out := runShopcare(t, env, "", "promise", "quote", "--at", "2025-12-31T19:40:00+03:00", "--carrier", "post", "--lang", "en")
	for _, want := range []string{"received       2026-01-12", "ships          2026-01-13", "arrives        2026-01-18 – 2026-01-20",
		"placed Wednesday 31 Dec 19:40, on a day off: received Monday 12 Jan"} {
		if !strings.Contains(out, want) {
			t.Errorf("quote lacks %q:\n%s", want, out)
		}
	}
	cmd := exec.Command(binary, "promise", "quote", "--carrier", "dhl")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "--carrier") {
		t.Errorf("an unknown carrier: %v\n%s", err, out)
	}
	out = runShopcare(t, env, "", "promise", "calendar", "--year", "2025", "--lang", "en")
	for _, want := range []string{"RU 2025: 247 working days", "2025-11-01  Saturday 1 Nov", "working weekend day", "2025-05-02"} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar lacks %q:\n%s", want, out)
		}
	}
}
