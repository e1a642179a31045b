package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportStock runs shopcare import stock: levels in, a bad row to
// FILE.rejected.csv with its line and reason, and a second run changes
// nothing.
func TestImportStock(t *testing.T) {
	t.Parallel()
	env := sqliteEnv(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "stock.csv")
	data := "sku,on_hand,name,incoming_qty,incoming_date\n" +
		"POT-1,5,Pot,,\n" +
		"PAN,0,Pan,10,2026-12-15\n" +
		"LID,many,,,\n"
	if err := os.WriteFile(csvPath, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	out := runShopcare(t, env, "", "import", "stock", csvPath)
	if !strings.Contains(out, "3 rows: 2 SKUs new, 0 changed, 0 unchanged, 1 rows rejected") {
		t.Fatalf("import summary: %s", out)
	}
	rejected, err := os.ReadFile(filepath.Join(dir, "stock.rejected.csv"))
	if err != nil || !strings.Contains(string(rejected), "4,") || !strings.Contains(string(rejected), "on_hand must be") {
		t.Errorf("rejected file: %s %v", rejected, err)
	}
	if again := runShopcare(t, env, "", "import", "stock", csvPath); !strings.Contains(again, "0 SKUs new, 0 changed, 2 unchanged") {
		t.Errorf("re-import: %s", again)
	}
}
