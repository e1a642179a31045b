package store

import (
	"slices"
	"testing"
	"time"
)

// TestStatisticsWait: KeepStatistics looks soon after start and then
// less often, doubling up to once a minute, and a second after a pass
// that found stale tables.
func TestStatisticsWait(t *testing.T) {
	t.Parallel()
	var waits []time.Duration
	for w := time.Second; len(waits) < 9; w = statisticsWait(w, false) {
		waits = append(waits, w)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second,
		32 * time.Second, time.Minute, time.Minute, time.Minute}
	if !slices.Equal(waits, want) {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	for _, last := range []time.Duration{time.Second, 8 * time.Second, time.Minute} {
		if got := statisticsWait(last, true); got != time.Second {
			t.Errorf("wait after a pass that found stale tables, %v after the last = %v, want 1s", last, got)
		}
	}
}
