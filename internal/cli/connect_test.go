package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConnectCommands runs the connect commands as the shop's operator
// does: the list, and the errors that must not pass for success.
func TestConnectCommands(t *testing.T) {
	t.Parallel()
	env := sqliteEnv(t)
	if out := runShopcare(t, env, "", "help"); !strings.Contains(out, "connect backfill") || !strings.Contains(out, "connect dry-run") {
		t.Errorf("help does not list the connect commands:\n%s", out)
	}
	if out := runShopcare(t, env, "", "connect", "list"); !strings.Contains(out, "No connectors in the settings") {
		t.Errorf("connect list without connectors: %s", out)
	}

	cfg := filepath.Join(t.TempDir(), "shop.yaml")
	yaml := "shop:\n  public_url: https://care.example.lv\nconnectors:\n" +
		"  - {name: main, platform: shopify, url: https://main.myshopify.com, access_token: t, webhook_secret: s}\n" +
		"  - {name: form, platform: tilda, webhook_secret: form-secret-0123456789, write_back: true}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "SHOPCARE_CONFIG="+cfg)
	out := runShopcare(t, env, "", "connect", "list")
	for _, want := range []string{"main  shopify   no          https://care.example.lv/hooks/main", "never run",
		"form  tilda     yes         https://care.example.lv/hooks/form/{webhook_secret}"} {
		if !strings.Contains(out, want) {
			t.Errorf("connect list lacks %q:\n%s", want, out)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"connect", "test", "nope"}, `no connector is named "nope" in the settings (they have: main, form)`},
		{[]string{"connect", "backfill", "nope"}, `no connector is named "nope"`},
		{[]string{"connect", "dry-run", "main", filepath.Join(t.TempDir(), "missing.json")}, "missing.json"},
		{[]string{"connect", "backfill", "main", "--since", "yesterday"}, ""},
	} {
		cmd := exec.Command(binary, tc.args...)
		cmd.Env = env
		got, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("shopcare %s succeeded:\n%s", strings.Join(tc.args, " "), got)
			continue
		}
		if !strings.Contains(string(got), tc.want) {
			t.Errorf("shopcare %s: %s, want %q", strings.Join(tc.args, " "), got, tc.want)
		}
	}
}

// TestBenchBackfill runs the benchmark small: every order is stored and
// the figures come out as JSON.
func TestBenchBackfill(t *testing.T) {
	t.Parallel()
	var fig struct {
		Orders, Stored int
		Pages          int
	}
	out := runShopcare(t, sqliteEnv(t), "", "bench", "backfill", "--orders", "600", "--page-size", "100", "--json")
	if err := json.Unmarshal([]byte(out), &fig); err != nil || fig.Orders != 600 || fig.Stored != 600 || fig.Pages != 6 {
		t.Errorf("bench backfill: %+v, %v\n%s", fig, err, out)
	}
}
