package message

import (
	"testing"
	"time"
)

// TestSendOptsDueNowIsAvailable: a message due now or earlier is enqueued
// without ScheduledAt, so River makes its job available at once instead of
// storing it as scheduled until its scheduler's next pass; one due later
// waits for its time.
func TestSendOptsDueNowIsAvailable(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		at   time.Time
		want time.Time
	}{
		{"due now", now, time.Time{}},
		{"overdue", now.Add(-time.Hour), time.Time{}},
		{"due in a second", now.Add(time.Second), now.Add(time.Second)},
		{"due at the customer's morning", now.Add(11 * time.Hour), now.Add(11 * time.Hour)},
	} {
		opts := sendOpts(c.at, now)
		if !opts.ScheduledAt.Equal(c.want) {
			t.Errorf("%s: ScheduledAt %v, want %v", c.name, opts.ScheduledAt, c.want)
		}
		if opts.MaxAttempts != MaxAttempts {
			t.Errorf("%s: MaxAttempts %d, want %d", c.name, opts.MaxAttempts, MaxAttempts)
		}
	}
}
