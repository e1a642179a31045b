package jobs

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestRiverLogIsQuiet(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		level slog.Level
		msg   string
		attrs []any
		shown string // the level shown at INFO, "" when hidden
	}{
		{"elector stepping down", slog.LevelWarn, "leadership.Elector: Current leader stepping down because the reelection deadline elapsed", nil, ""},
		{"producer counts", slog.LevelInfo, "producer: Producer job counts", []any{"num_completed_jobs", 7}, ""},
		{"maintenance run", slog.LevelInfo, "maintenance.JobScheduler: Ran successfully", nil, ""},
		{"client started", slog.LevelInfo, "River client started", nil, ""},
		{"job cut off by shutdown", slog.LevelInfo, "jobexecutor.JobExecutor: Job errored; retrying", []any{"error", "begin: context canceled"}, ""},
		{"resign on a cancelled context", slog.LevelError, "leadership.Elector: Error attempting to resign", []any{"err", "context canceled"}, ""},
		{"a job's own error", slog.LevelInfo, "jobexecutor.JobExecutor: Job errored; retrying", []any{"error", "send: 421 try later"}, "INFO"},
		{"elector cannot reach the database", slog.LevelError, "leadership.Elector: Error attempting to elect", []any{"err", "connection refused"}, "ERROR"},
		{"stuck job", slog.LevelWarn, "jobexecutor.JobExecutor: Job appears to be stuck", nil, "WARN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			log := riverLogger(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo})))
			log.Log(context.Background(), c.level, c.msg, c.attrs...)
			got := out.String()
			if c.shown == "" {
				if got != "" {
					t.Fatalf("logged at INFO, want hidden: %s", got)
				}
				return
			}
			if !strings.Contains(got, "level="+c.shown) || !strings.Contains(got, "component=jobs") {
				t.Fatalf("logged %q, want level=%s and component=jobs", got, c.shown)
			}
		})
	}

	var debug bytes.Buffer
	log := riverLogger(slog.New(slog.NewTextHandler(&debug, &slog.HandlerOptions{Level: slog.LevelDebug})))
	log.Warn("leadership.Elector: Current leader stepping down because the reelection deadline elapsed")
	if !strings.Contains(debug.String(), "level=DEBUG") {
		t.Fatalf("at DEBUG the elector's message is shown as DEBUG, got %q", debug.String())
	}
}
