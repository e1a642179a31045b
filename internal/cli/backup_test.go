package cli_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupAndRestoreCommands backs a shop up with the command, restores
// it into a new directory, and is refused a restore over a database.
func TestBackupAndRestoreCommands(t *testing.T) {
	t.Parallel()
	env := sqliteEnv(t)
	runShopcare(t, env, "", "token", "add", "shop") // the shop's database exists
	to := filepath.Join(t.TempDir(), "shop.tar.gz")
	out := runShopcare(t, env, "", "backup", "--to", to)
	for _, want := range []string{"backup written: " + to, "tables: ", "orders: 0", "took: "} {
		if !strings.Contains(out, want) {
			t.Errorf("backup's output does not say %q:\n%s", want, out)
		}
	}
	into := filepath.Join(t.TempDir(), "restored")
	out = runShopcare(t, env, "", "restore", "--data", into, to)
	if !strings.Contains(out, "checksum, integrity and counts verified") {
		t.Errorf("restore's output:\n%s", out)
	}
	cmd := exec.Command(binary, "restore", "--data", into, to)
	cmd.Env = env
	if msg, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(msg), filepath.Join(into, "shopcare.db")) {
		t.Errorf("a restore over a database: %v\n%s", err, msg)
	}
}
