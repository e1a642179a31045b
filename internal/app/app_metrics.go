package app

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/metrics"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/store"
)

// observeChannels counts every failed send of the channels in the
// metrics (provider errors by channel and kind).
func observeChannels(m *metrics.Metrics, channels []notify.Sender) []notify.Sender {
	out := make([]notify.Sender, len(channels))
	for i, ch := range channels {
		out[i] = notify.Observe(ch, m.ProviderError)
	}
	return out
}

// messageFinished counts a finished message in the metrics.
func messageFinished(m *metrics.Metrics) func(string, message.Status) {
	return func(channel string, status message.Status) { m.Message(channel, string(status)) }
}

// Gauges reads the database's figures the metrics and the system page
// show: jobs by kind, queue and state, and the journal's lag.
func (a *App) Gauges(ctx context.Context) (metrics.Gauges, error) {
	counts, err := jobs.Counts(ctx, a.DB.Read())
	if err != nil {
		return metrics.Gauges{}, err
	}
	g := metrics.Gauges{Jobs: make([]metrics.JobCount, len(counts))}
	for i, c := range counts {
		g.Jobs[i] = metrics.JobCount{Kind: c.Kind, Queue: c.Queue, State: c.State, N: c.N}
	}
	pending, oldest, err := journal.Lag(ctx, a.DB.Read())
	if err != nil {
		return metrics.Gauges{}, err
	}
	g.JournalPending = pending
	if !oldest.IsZero() {
		g.JournalLag = a.realAge(oldest)
	}
	return g, nil
}

// JournalLag is the count of the journal's events not yet handled and
// the real-time age of the oldest.
func (a *App) JournalLag(ctx context.Context) (int64, time.Duration, error) {
	pending, oldest, err := journal.Lag(ctx, a.DB.Read())
	if err != nil || oldest.IsZero() {
		return pending, 0, err
	}
	return pending, a.realAge(oldest), nil
}

// realAge is how long ago, in real time, the shop's clock read at: the
// demo's clock runs faster than the wall, and a lag is what people wait.
func (a *App) realAge(at time.Time) time.Duration {
	age := a.Clock.Now().Sub(at)
	if s, ok := a.Clock.(interface{ Speed() float64 }); ok && s.Speed() > 0 {
		age = time.Duration(float64(age) / s.Speed())
	}
	return max(age, 0)
}

// ReadyMaxLag is how old the oldest unhandled journal event may be while
// the app counts as ready: past it, reactions (messages, points) are
// running late and a load balancer should prefer another node.
const ReadyMaxLag = 5 * time.Minute

// ReadyTimeout bounds each of the readiness checks.
const ReadyTimeout = 2 * time.Second

// Check is one readiness check: its name, whether it passed and what it
// saw.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Ready runs the readiness checks: the database answers, every migration
// this binary knows is applied, and the journal's lag is within
// ReadyMaxLag.
func (a *App) Ready(ctx context.Context) []Check {
	run := func(name string, f func(ctx context.Context) (string, error)) Check {
		ctx, cancel := context.WithTimeout(ctx, ReadyTimeout)
		defer cancel()
		detail, err := f(ctx)
		if err != nil {
			return Check{Name: name, Detail: err.Error()}
		}
		return Check{Name: name, OK: true, Detail: detail}
	}
	checks := []Check{run("database", func(ctx context.Context) (string, error) {
		return string(a.DB.Engine()), a.DB.Ping(ctx)
	})}
	if !checks[0].OK {
		return append(checks, Check{Name: "migrations", Detail: "database unreachable"},
			Check{Name: "journal", Detail: "database unreachable"})
	}
	checks = append(checks, run("migrations", func(ctx context.Context) (string, error) {
		current, latest, err := a.DB.Versions(ctx)
		if err != nil {
			return "", err
		}
		if current != latest {
			return "", fmt.Errorf("schema at version %d, this shopcare's is %d", current, latest)
		}
		return fmt.Sprintf("version %d", current), nil
	}), run("journal", func(ctx context.Context) (string, error) {
		pending, lag, err := a.JournalLag(ctx)
		if err != nil {
			return "", err
		}
		if lag > ReadyMaxLag {
			return "", fmt.Errorf("%d events waiting, the oldest for %s (more than %s)", pending, lag.Round(time.Second), ReadyMaxLag)
		}
		return fmt.Sprintf("%d events waiting, the oldest for %s", pending, lag.Round(time.Second)), nil
	}))
	return checks
}

// MessagesSince counts the messages scheduled since since by channel and
// status (the owner's system page).
func (a *App) MessagesSince(ctx context.Context, since time.Time) ([]message.Count, error) {
	return message.CountSince(ctx, a.DB.Read(), since)
}

// SchemaVersions are the database's schema version and the newest this
// binary knows.
func (a *App) SchemaVersions(ctx context.Context) (current, latest int64, err error) {
	return a.DB.Versions(ctx)
}

// DataFiles are the data directory and the SQLite database's files with
// their sizes ("" and none on PostgreSQL).
func (a *App) DataFiles() (string, []store.File) {
	return a.DB.Dir(), a.DB.Files()
}
