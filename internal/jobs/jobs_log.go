package jobs

import (
	"context"
	"log/slog"
	"strings"
)

// riverLogger is the logger River writes to: shopcare's own, through
// quietHandler, tagged component=jobs.
func riverLogger(log *slog.Logger) *slog.Logger {
	return slog.New(quietHandler{next: log.Handler()}).With("component", "jobs")
}

// riverRoutine are the parts of River's messages that report routine
// work: the job counts every few seconds, each maintenance run, the
// client's start and stop (serve logs its own), a job handed back at
// shutdown, and leader elections. They are DEBUG in shopcare's log.
var riverRoutine = []string{
	"River client started",
	"River client stopped",
	"Producer job counts",
	": Ran successfully",
	"Job stopped due to client shutdown",
	"leadership.",
}

// quietHandler passes River's records on at the level a shop's operator
// needs: routine messages and anything caused by a cancelled context (a
// Ctrl-C, a shutdown) are lowered to DEBUG; a job's error stays INFO and
// River's real warnings and errors stay as they are. A record is only
// ever lowered, so Enabled can ask the next handler about the level given.
type quietHandler struct{ next slog.Handler }

// Enabled reports whether the next handler takes records of level.
func (h quietHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle lowers a routine record to DEBUG and passes it on if the next
// handler takes it at its new level.
func (h quietHandler) Handle(ctx context.Context, r slog.Record) error {
	if level := riverLevel(r); level != r.Level {
		if !h.next.Enabled(ctx, level) {
			return nil
		}
		r = r.Clone()
		r.Level = level
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs returns the handler with attrs on every record.
func (h quietHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietHandler{next: h.next.WithAttrs(attrs)}
}

// WithGroup returns the handler with the group opened.
func (h quietHandler) WithGroup(name string) slog.Handler {
	return quietHandler{next: h.next.WithGroup(name)}
}

// riverLevel is the level a River record is logged at in shopcare.
func riverLevel(r slog.Record) slog.Level {
	if r.Level <= slog.LevelDebug {
		return r.Level
	}
	cancelled := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "err" || a.Key == "error" {
			cancelled = isCancellation(a.Value.String())
		}
		return !cancelled
	})
	if cancelled {
		return slog.LevelDebug
	}
	if r.Level >= slog.LevelError {
		return r.Level
	}
	for _, routine := range riverRoutine {
		if strings.Contains(r.Message, routine) {
			return slog.LevelDebug
		}
	}
	return r.Level
}

// isCancellation tells an error text that comes from a cancelled context.
func isCancellation(text string) bool {
	return strings.HasSuffix(text, context.Canceled.Error()) || strings.HasSuffix(text, "context canceled)")
}
