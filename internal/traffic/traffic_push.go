package traffic

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// Limits of a push.
const (
	// MaxPushDays is how many day-and-source rows one push may carry: a
	// few years of a shop's sources.
	MaxPushDays = 5000
	// maxSourceLen bounds a source's name.
	maxSourceLen = 100
	// maxCount bounds a day's figure: far beyond any shop, well inside
	// the columns.
	maxCount = 1_000_000_000_000
	// maxPastYears is how far back a pushed day may lie.
	maxPastYears = 20
)

// Push records days of traffic the shop or its platform counted, under
// origin (OriginAPI, or a connector's name). Each row replaces what
// origin had pushed for that day and source, and a pushed day stands in
// for the counter's figures of the same day when reports are read. Every
// row is checked before any is written; an error names the row's field:
// days[2].visits. Sources are kept lower-case, "" meaning direct.
func (s *Service) Push(ctx context.Context, origin string, days []Day) error {
	if origin == "" || origin == OriginCounter {
		return fmt.Errorf("push traffic: origin %q is not a pushing origin", origin)
	}
	clean, err := s.checkPush(days)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, d := range clean {
			_, err := tx.Exec(ctx, `INSERT INTO traffic_days (day, source, origin, pageviews, visits, visitors, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (day, source, origin) DO UPDATE SET
				pageviews = excluded.pageviews, visits = excluded.visits, visitors = excluded.visitors, updated_at = excluded.updated_at`,
				d.Day, d.Source, origin, d.Pageviews, d.Visits, d.Visitors, now)
			if err != nil {
				return fmt.Errorf("push traffic of %s %q: %w", d.Day, d.Source, err)
			}
		}
		return nil
	})
}

// checkPush validates the rows of a push and returns them normalised.
func (s *Service) checkPush(days []Day) ([]Day, error) {
	var errs invalid.List
	switch {
	case len(days) == 0:
		errs.Add("days", "required", "send at least one day")
	case len(days) > MaxPushDays:
		errs.Add("days", "too_many", "send at most %d days at once, not %d", MaxPushDays, len(days))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	today := s.clock.Now().In(s.settings.Shop.Location())
	latest := today.Format(time.DateOnly)
	earliest := today.AddDate(-maxPastYears, 0, 0).Format(time.DateOnly)
	seen := make(map[[2]string]int, len(days))
	out := make([]Day, 0, len(days))
	for i, d := range days {
		at := func(f string) string { return fmt.Sprintf("days[%d].%s", i, f) }
		d.Source = strings.ToLower(strings.TrimSpace(d.Source))
		if _, err := time.Parse(time.DateOnly, d.Day); err != nil || len(d.Day) != len(time.DateOnly) {
			errs.Add(at("day"), "invalid", "%q is not a date (YYYY-MM-DD)", d.Day)
		} else if d.Day > latest {
			errs.Add(at("day"), "future", "%s has not come yet (today is %s in the shop)", d.Day, latest)
		} else if d.Day < earliest {
			errs.Add(at("day"), "too_old", "%s is more than %d years ago", d.Day, maxPastYears)
		}
		if e := invalid.TextMax(at("source"), d.Source, maxSourceLen, false); e != nil {
			errs = append(errs, e)
		}
		for _, f := range []struct {
			name string
			v    int64
		}{{"visits", d.Visits}, {"unique_visitors", d.Visitors}, {"pageviews", d.Pageviews}} {
			switch {
			case f.v < 0:
				errs.Add(at(f.name), "negative", "must be 0 or more, not %d", f.v)
			case f.v > maxCount:
				errs.Add(at(f.name), "too_large", "must be at most %d", int64(maxCount))
			}
		}
		if d.Visitors > d.Visits && d.Visits >= 0 {
			errs.Add(at("unique_visitors"), "above_visits", "%d unique visitors cannot have made only %d visits", d.Visitors, d.Visits)
		}
		if d.Pageviews > 0 && d.Pageviews < d.Visits {
			errs.Add(at("pageviews"), "below_visits", "%d visits saw at least one page each, not %d pages in all", d.Visits, d.Pageviews)
		}
		key := [2]string{d.Day, d.Source}
		if j, ok := seen[key]; ok {
			errs.Add(at("source"), "duplicate", "day %s and source %q are also in days[%d]", d.Day, d.Source, j)
		}
		seen[key] = i
		out = append(out, d)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}
