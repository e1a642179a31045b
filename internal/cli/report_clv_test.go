package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpendAndReports enters spend, then reads the metrics of a window
// and the CLV report (too little data for the model: it says so, and
// the per-customer file has the historical figures).
func TestSpendAndReports(t *testing.T) {
	t.Parallel()
	env := sqliteEnv(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "orders.csv")
	data := "order_id,customer_id,created_at,total,status,channel\n" +
		"1,c1,2025-01-10 10:00:00,100,delivered,instagram\n" +
		"2,c1,2025-02-10,50,delivered,direct\n" +
		"3,c2,2025-01-20,80,delivered,instagram\n" +
		"4,c3,2025-02-01,40,cancelled,google\n"
	if err := os.WriteFile(csvPath, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	runShopcare(t, env, "", "import", "orders", csvPath)
	if out := runShopcare(t, env, "", "spend", "set", "2025-01", "instagram", "300"); !strings.Contains(out, "2025-01 instagram: 300.00 RUB") {
		t.Errorf("spend set: %s", out)
	}
	if out := runShopcareFails(t, env, "spend", "set", "2025-13", "instagram", "300"); !strings.Contains(out, "month") {
		t.Errorf("a bad month: %s", out)
	}
	if out := runShopcare(t, env, "", "spend", "list"); !strings.Contains(out, "instagram") {
		t.Errorf("spend list: %s", out)
	}

	var m struct {
		Orders, NewCustomers int64
		Channels             []struct {
			Channel   string
			Customers int64
			CAC       *json.Number `json:"cac"`
		}
		Cohorts []struct{ Month string }
	}
	out := runShopcare(t, env, "", "report", "metrics", "--json", "--from", "2025-01-01", "--to", "2025-01-31")
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err, out)
	}
	if m.Orders != 2 || len(m.Cohorts) != 1 || m.Cohorts[0].Month != "2025-01" {
		t.Errorf("January: %s", out)
	}
	if !strings.Contains(out, `"cac": 150.00`) {
		t.Errorf("instagram's CAC should be 300 / 2 customers: %s", out)
	}
	if out := runShopcareFails(t, env, "report", "metrics", "--from", "yesterday"); !strings.Contains(out, "from") {
		t.Errorf("a bad date: %s", out)
	}

	customers := filepath.Join(dir, "customers.csv")
	var rep map[string]any
	out = runShopcare(t, env, "", "report", "clv", "--json", "--until", "2025-03-01", "--out", customers)
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err, out)
	}
	for _, key := range []string{"model", "unit", "until", "customers", "params", "log_likelihood", "gamma_gamma"} {
		if _, ok := rep[key]; !ok {
			t.Errorf("report clv lacks %q: %s", key, out)
		}
	}
	if rep["model"] != "bgnbd" || rep["until"] != "2025-03-01" || rep["customers"] != 2.0 || rep["params"] != nil || rep["reliable"] != false {
		t.Errorf("report clv on two customers: %s", out)
	}
	f, err := os.Open(customers)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "customer_id" || rows[1][1] != "1.0000" {
		t.Errorf("customers.csv: %v", rows)
	}
}

// runShopcareFails runs shopcare and wants it to fail; it returns what
// the command printed.
func runShopcareFails(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("shopcare %s succeeded:\n%s", strings.Join(args, " "), out)
	}
	return string(out)
}

// TestImportAndReportWarnOfForeignCurrency: an order in another currency
// than the shop's is counted only in revenue_by_currency; the import's
// summary and both reports say so.
func TestImportAndReportWarnOfForeignCurrency(t *testing.T) {
	t.Parallel()
	env := sqliteEnv(t)
	csvPath := filepath.Join(t.TempDir(), "orders.csv")
	data := "order_id,customer_id,created_at,total,currency,status\n" +
		"1,c1,2025-01-10,100,,delivered\n" +
		"2,c1,2025-02-10,50,USD,delivered\n"
	if err := os.WriteFile(csvPath, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	const want = "1 order in USD, the shop counts RUB"
	if out := runShopcare(t, env, "", "import", "orders", csvPath); !strings.Contains(out, "warning: "+want) {
		t.Errorf("import: want %q:\n%s", want, out)
	}
	for _, report := range []string{"metrics", "clv"} {
		var r struct{ Warnings []string }
		out := runShopcare(t, env, "", "report", report, "--json")
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err, out)
		}
		if !strings.Contains(strings.Join(r.Warnings, "\n"), want) {
			t.Errorf("report %s warnings %q, want %q", report, r.Warnings, want)
		}
	}
}
