package analytics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/trend"
)

// AlertOrdersDrop is the kind of the early warning on daily orders.
const AlertOrdersDrop = "orders_drop"

// alertHistoryDays is how much history the early warning reads: the
// trend's window and its minimum, with room.
const alertHistoryDays = 120

// alertShownDays is how long an alert stays on the admin's banner unless
// dismissed.
const alertShownDays = 7

// Alert is an early warning raised on a day.
type Alert struct {
	ID       int64   `json:"id"`
	Kind     string  `json:"kind"`
	Day      string  `json:"day"` // YYYY-MM-DD, shop-local
	Actual   float64 `json:"actual"`
	Expected float64 `json:"expected"`
	Lower    float64 `json:"lower"`
	Days     int     `json:"days"` // consecutive days below expectation
	// Hour is the hour an outage was seen in (traffic_drop raised within
	// the hour); absent for an alert on a whole day. For conversion_drop
	// Actual, Expected and Lower are shares (0.012 is 1.2 %), for
	// traffic_drop visits.
	Hour      *time.Time `json:"hour,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// alertColumns are the columns scanAlert reads, in its order.
const alertColumns = `id, kind, day, actual, expected, lower, days, hour, created_at`

// scanAlert reads an alert's row of alertColumns.
func scanAlert(r store.Row) (Alert, error) {
	var a Alert
	var hour *int64
	err := r.Scan(&a.ID, &a.Kind, &a.Day, &a.Actual, &a.Expected, &a.Lower, &a.Days, &hour, &a.CreatedAt)
	if hour != nil {
		t := time.Unix(*hour, 0).UTC()
		a.Hour = &t
	}
	return a, err
}

// WatchArgs is the periodic job of the early warning.
type WatchArgs struct{}

// Kind names the job.
func (WatchArgs) Kind() string { return "analytics_watch" }

// WatchInterval is how often the early warning looks; it judges the last
// complete day, so the first pass after midnight decides.
const WatchInterval = time.Hour

// LatestAlert returns the newest alert of the last week not dismissed, or
// nil.
func (s *Service) LatestAlert(ctx context.Context) (*Alert, error) {
	since := s.today().AddDate(0, 0, -alertShownDays).Format(time.DateOnly)
	a, err := scanAlert(s.db.Read().QueryRow(ctx, `SELECT `+alertColumns+` FROM alerts
		WHERE dismissed_at IS NULL AND day >= $1 ORDER BY day DESC, id DESC LIMIT 1`, since))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the latest alert: %w", err)
	}
	return &a, nil
}

// DismissAlert takes an alert off the banner.
func (s *Service) DismissAlert(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `UPDATE alerts SET dismissed_at = $2 WHERE id = $1 AND dismissed_at IS NULL`, id, s.clock.Now())
		if err != nil {
			return fmt.Errorf("dismiss alert %d: %w", id, err)
		}
		if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// today is the shop-local date of now, at midnight UTC.
func (s *Service) today() time.Time {
	y, m, d := s.clock.Now().In(s.settings.Shop.Location()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DailyOrders returns the orders placed on each day from..to (YYYY-MM-DD,
// inclusive) that had any; the trend reads the days between as zero.
func (s *Service) DailyOrders(ctx context.Context, from, to string) ([]trend.Day, []int64, error) {
	var days []trend.Day
	var revenue []int64
	err := store.Each(ctx, s.db.Read(), `SELECT day, CAST(SUM(orders) AS BIGINT),
		CAST(SUM(CASE WHEN currency = $3 THEN revenue_minor ELSE 0 END) AS BIGINT)
		FROM sales_days WHERE day >= $1 AND day <= $2 GROUP BY day ORDER BY day`, []any{from, to, s.settings.Shop.Currency},
		func(r store.Rows) error {
			var day string
			var n, rev int64
			if err := r.Scan(&day, &n, &rev); err != nil {
				return err
			}
			d, err := time.Parse(time.DateOnly, day)
			if err != nil {
				return fmt.Errorf("sales day %q: %w", day, err)
			}
			days = append(days, trend.Day{Date: d, Value: float64(n)})
			revenue = append(revenue, rev)
			return nil
		})
	if err != nil {
		return nil, nil, fmt.Errorf("read daily orders: %w", err)
	}
	return days, revenue, nil
}

// Watch judges yesterday's orders against their expected level and raises
// an alert (once per day) when they dropped clearly below it; then it
// e-mails the alerts not sent yet.
func (s *Service) Watch(ctx context.Context) (*Alert, error) {
	if s.settings.Analytics.Warning.Off {
		return nil, nil
	}
	yesterday := s.today().AddDate(0, 0, -1)
	days, _, err := s.DailyOrders(ctx, yesterday.AddDate(0, 0, -alertHistoryDays).Format(time.DateOnly), yesterday.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	var raised *Alert
	if len(days) > 0 {
		w, err := trend.Check(days, trend.Options{Sensitivity: s.settings.Analytics.Warning.Sensitivity, Through: yesterday})
		switch {
		case errors.Is(err, trend.ErrTooLittleHistory):
		case err != nil:
			return nil, fmt.Errorf("check daily orders: %w", err)
		case w != nil:
			if raised, err = s.raise(ctx, w); err != nil {
				return nil, err
			}
		}
	}
	if _, err := s.WatchTraffic(ctx); err != nil {
		return nil, err
	}
	return raised, s.notify(ctx)
}

// raise records the warning as an alert, once per day.
func (s *Service) raise(ctx context.Context, w *trend.Warning) (*Alert, error) {
	return s.record(ctx, &Alert{Kind: AlertOrdersDrop, Day: w.Date.Format(time.DateOnly), Actual: w.Actual,
		Expected: math.Round(w.Expected*10) / 10, Lower: math.Round(w.Lower*10) / 10, Days: w.Days})
}

// record stores a as an alert, once per kind and day: nil when that
// kind was raised on that day already.
func (s *Service) record(ctx context.Context, a *Alert) (*Alert, error) {
	a.CreatedAt = s.clock.Now()
	var hour *int64
	if a.Hour != nil {
		h := a.Hour.Unix()
		hour = &h
	}
	inserted := false
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		return store.Each(ctx, tx, `INSERT INTO alerts (kind, day, actual, expected, lower, days, hour, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kind, day) DO NOTHING RETURNING id`,
			[]any{a.Kind, a.Day, a.Actual, a.Expected, a.Lower, a.Days, hour, a.CreatedAt}, func(r store.Rows) error {
				inserted = true
				return r.Scan(&a.ID)
			})
	})
	if err != nil {
		return nil, fmt.Errorf("raise %s alert for %s: %w", a.Kind, a.Day, err)
	}
	if !inserted {
		return nil, nil
	}
	return a, nil
}

// notify e-mails the alerts not sent yet to analytics.warning.email, or
// to the shop's owners; without an e-mail channel they stay on the banner.
func (s *Service) notify(ctx context.Context) error {
	if s.mail == nil {
		return nil
	}
	var pending []Alert
	err := store.Each(ctx, s.db.Read(), `SELECT `+alertColumns+` FROM alerts
		WHERE notified_at IS NULL AND dismissed_at IS NULL ORDER BY id`, nil, func(r store.Rows) error {
		a, err := scanAlert(r)
		if err != nil {
			return err
		}
		pending = append(pending, a)
		return nil
	})
	if err != nil || len(pending) == 0 {
		return err
	}
	to := []string{}
	if e := s.settings.Analytics.Warning.Email; e != "" {
		to = append(to, e)
	} else {
		owners, err := auth.FactsOwnerEmails(ctx, s.db.Read())
		if err != nil {
			return fmt.Errorf("read the owners' e-mails: %w", err)
		}
		to = append(to, owners...)
	}
	lang := "en"
	if ls := s.settings.Shop.Languages; len(ls) > 0 {
		lang = ls[0]
	}
	loc := s.settings.Shop.Location()
	for _, a := range pending {
		if a.Hour != nil {
			h := a.Hour.In(loc)
			a.Hour = &h
		}
		subject, text := AlertText(lang, s.settings.Shop.Name, a, strings.TrimRight(s.settings.Shop.PublicURL, "/")+"/analytics")
		for _, addr := range to {
			err := s.mail.Send(ctx, notify.Message{ID: alertMessageID(a.ID, addr), To: addr, Subject: subject, Text: text, Transactional: true})
			if err != nil {
				return fmt.Errorf("e-mail alert %d to %s: %w", a.ID, addr, err)
			}
		}
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE alerts SET notified_at = $2 WHERE id = $1`, a.ID, s.clock.Now())
			return err
		})
		if err != nil {
			return fmt.Errorf("mark alert %d sent: %w", a.ID, err)
		}
	}
	return nil
}

// AlertText is the owner's e-mail about an alert, in lang (ru, lv, en).
func AlertText(lang, shop string, a Alert, url string) (subject, text string) {
	l := i18n.Pick(lang, i18n.EN)
	day := a.Day
	if d, err := calendar.ParseDay(a.Day); err == nil {
		day = i18n.FormatDay(l, d)
	}
	data := map[string]any{"Shop": shop, "Day": day, "Actual": fmt.Sprint(a.Actual), "Expected": fmt.Sprint(a.Expected),
		"Lower": fmt.Sprint(math.Ceil(a.Lower)), "Count": max(a.Days, 1), "URL": url}
	kind, body := a.Kind, "body"
	switch a.Kind {
	case AlertTrafficDrop, AlertConversionDrop:
		trafficAlertData(l, a, data)
		if a.Hour != nil {
			body = "hour_body"
		}
	default:
		kind = AlertOrdersDrop
	}
	subject = i18n.Text(l, "alert."+kind+".subject", data)
	text = i18n.Text(l, "alert."+kind+"."+body, data) + "\n\n" + i18n.Text(l, "alert.orders_drop.link", data) + "\n"
	return subject, text
}

// alertMessageID is the stable id of alert id's e-mail to addr, in the
// letters, digits and .-_ a message id may hold: the address's other
// characters (its @) become _.
func alertMessageID(id int64, addr string) string {
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, addr)
	return fmt.Sprintf("alert-%d-%s", id, safe)
}
