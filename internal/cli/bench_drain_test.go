package cli_test

import (
	"encoding/json"
	"testing"
)

// TestBenchDrain runs the benchmark small: every imported order's event is
// drained, in more than one history batch, and every order counted once
// in the customers' figures.
func TestBenchDrain(t *testing.T) {
	t.Parallel()
	var fig struct {
		Imported      int64 `json:"imported"`
		Events        int64 `json:"events"`
		Batch         int   `json:"batch"`
		OrdersCounted int64 `json:"orders_counted"`
	}
	out := runShopcare(t, sqliteEnv(t), "", "bench", "drain", "--orders", "700", "--customers", "90", "--batch", "300", "--json")
	if err := json.Unmarshal([]byte(out), &fig); err != nil || fig.Imported != 700 || fig.Events != 700 || fig.Batch != 300 || fig.OrdersCounted != 700 {
		t.Errorf("bench drain: %+v, %v\n%s", fig, err, out)
	}
}
