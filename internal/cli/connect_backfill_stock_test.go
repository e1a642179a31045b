package cli

import (
	"strings"
	"testing"
)

// TestConnectBackfillStockNeedsAStockAPI: --stock on a platform without
// a stock API (Tilda) says so and reads nothing.
func TestConnectBackfillStockNeedsAStockAPI(t *testing.T) {
	t.Parallel()
	cs := newConnectShop(t, "tok")
	out, err := cs.run(t, &ConnectBackfillCmd{Name: "form", Stock: true})
	if err == nil || !strings.Contains(err.Error(), "no API to read stock from") {
		t.Fatalf("err = %v, want no API to read stock from\n%s", err, out)
	}
	if out != "" {
		t.Errorf("printed %q before reading anything", out)
	}
}
