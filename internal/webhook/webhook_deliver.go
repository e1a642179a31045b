package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/store"
)

// MaxAttempts is how many times a delivery is tried before it is marked
// failed. With Backoff that spans about two and a half days: 30 s, 1 min,
// 2 min, … 4 h 16 min, then every 6 h.
const MaxAttempts = 15

// Backoff bounds: the wait after the first failed attempt, doubling after
// each further one up to the cap.
const (
	FirstBackoff = 30 * time.Second
	MaxBackoff   = 6 * time.Hour
)

// maxSnoozes bounds how often a receiver may throttle one delivery (429 or
// 503 with Retry-After): throttled tries do not count toward MaxAttempts,
// so without a bound a receiver that always throttles would hold the
// delivery forever. Past it, throttling counts as a failure.
const maxSnoozes = 50

// Backoff is the wait after the attempt-th failed attempt (1-based):
// FirstBackoff doubled attempt-1 times, at most MaxBackoff.
func Backoff(attempt int) time.Duration {
	d := FirstBackoff
	for i := 1; i < attempt && d < MaxBackoff; i++ {
		d *= 2
	}
	return min(d, MaxBackoff)
}

// DeliverArgs is the job that makes one delivery.
type DeliverArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind names the job.
func (DeliverArgs) Kind() string { return "webhook_deliver" }

// InsertOpts gives deliveries their MaxAttempts.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts}
}

// DeliverWorker works DeliverArgs jobs.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	Service *Service
}

// NextRetry schedules the next attempt after a failure by Backoff, on the
// service's clock. River counts a snoozed (throttled) try out of
// job.Attempt, so throttling does not lengthen the backoff either. A job
// rescued after its process died during the request runs again at once,
// with the same delivery id (DeliveryHeader) for the receiver to drop a
// copy by.
func (w *DeliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	now := w.Service.clock.Now()
	var at *time.Time
	err := w.Service.db.Read().QueryRow(context.Background(), `SELECT handoff_at FROM webhook_deliveries WHERE id = $1`,
		job.Args.DeliveryID).Scan(&at)
	if err == nil && at != nil {
		return now
	}
	return now.Add(Backoff(job.Attempt))
}

// Timeout bounds the whole job: the request and the two short
// transactions around it. It is short because the queue runs the job of
// a process that died again only once it is over (jobs.RescueAfter).
func (w *DeliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration {
	return Timeout + 5*time.Second
}

// Work makes one attempt at the delivery. It returns nil when the delivery
// is done (delivered now or before, or failed for good), river.JobSnooze
// when the receiver asked to wait, and an error for River to retry it.
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	s := w.Service
	id := job.Args.DeliveryID
	var d struct {
		kind, url, payload, status string
	}
	err := s.db.Read().QueryRow(ctx, `SELECT event_kind, url, payload, status FROM webhook_deliveries WHERE id = $1`, id).
		Scan(&d.kind, &d.url, &d.payload, &d.status)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("webhook delivery %d: %w", id, err))
	}
	if err != nil {
		return fmt.Errorf("load webhook delivery %d: %w", id, err)
	}
	if d.status != StatusPending {
		return nil // a job that runs again after its delivery was settled
	}
	ep, ok := s.endpoint(d.url)
	if !ok {
		// The endpoint was removed from the settings since: nothing is sent.
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET status = $2, last_error = $3, updated_at = $4
				WHERE id = $1 AND status = 'pending'`, id, StatusFailed, "the endpoint is no longer in the settings", s.clock.Now())
			return err
		})
		if err != nil {
			return fmt.Errorf("fail webhook delivery %d: %w", id, err)
		}
		return nil
	}

	// The hand-off is recorded, and committed, before the request: a job
	// that finds it set knows its process died during one (the receiver
	// may have the event), and is run again at once (NextRetry).
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET handoff_at = $2 WHERE id = $1`, id, s.clock.Now())
		return err
	})
	if err != nil {
		return fmt.Errorf("record hand-off of webhook delivery %d: %w", id, err)
	}
	res := s.post(ctx, id, d.kind, ep, []byte(d.payload))
	if ctx.Err() != nil {
		// Shutting down (or out of time): River runs the job again, at
		// once as the hand-off stays recorded; the cut-short try is not
		// worth a record.
		return ctx.Err()
	}
	// What came of the request is recorded even when the job's time runs
	// out meanwhile: a delivery made and left unrecorded would go twice.
	ctx = context.WithoutCancel(ctx)
	final := job.Attempt >= job.MaxAttempts
	switch {
	case res.ok():
		return s.record(ctx, id, res)
	case res.throttled && snoozes(job.Metadata) < maxSnoozes:
		if err := s.record(ctx, id, res); err != nil {
			return err
		}
		return river.JobSnooze(res.retryAfter)
	}
	res.final = final
	if err := s.record(ctx, id, res); err != nil {
		return err
	}
	return fmt.Errorf("webhook delivery %d to %s: %s", id, d.url, res.describe())
}

func (s *Service) endpoint(url string) (config.Webhook, bool) {
	for _, ep := range s.endpoints {
		if ep.URL == url {
			return ep, true
		}
	}
	return config.Webhook{}, false
}

// outcome is what one attempt came to.
type outcome struct {
	code       int // 0: no HTTP answer
	err        string
	duration   time.Duration
	at         time.Time
	throttled  bool
	retryAfter time.Duration
	final      bool // no attempt follows: the delivery has failed
}

func (o outcome) ok() bool { return o.code >= 200 && o.code < 300 }

func (o outcome) describe() string {
	if o.code == 0 {
		return o.err
	}
	return "HTTP " + o.err
}

// maxErrorBytes is how much of a failed answer's body is kept as its error.
const maxErrorBytes = 200

// post sends the delivery once and says what came of it.
func (s *Service) post(ctx context.Context, id int64, kind string, ep config.Webhook, body []byte) outcome {
	start := s.clock.Now()
	o := outcome{at: start}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		o.err = err.Error()
		return o
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(EventHeader, kind)
	req.Header.Set(DeliveryHeader, strconv.FormatInt(id, 10))
	req.Header.Set(SignatureHeader, Sign(ep.Secret, start, body))
	resp, err := s.Client.Do(req)
	o.duration = s.clock.Now().Sub(start)
	if err != nil {
		o.err = err.Error()
		return o
	}
	defer resp.Body.Close()
	o.code = resp.StatusCode
	if o.ok() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		return o
	}
	// The error is the status line and the start of the answer, which
	// often says what the receiver disliked.
	o.err = resp.Status
	excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
	if text := cleanText(excerpt); text != "" {
		o.err += ": " + text
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		o.retryAfter, o.throttled = retryAfter(resp.Header.Get("Retry-After"), s.clock.Now())
	}
	return o
}

// retryAfter reads a Retry-After header: seconds or an HTTP date. The wait
// is capped at MaxBackoff; a date in the past means now.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		d = time.Duration(min(secs, int64(MaxBackoff/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = max(t.Sub(now), 0)
	} else {
		return 0, false
	}
	return min(d, MaxBackoff), true
}

// snoozes reads how often River has snoozed the job, from its metadata.
func snoozes(metadata []byte) int {
	var m struct {
		Snoozes int `json:"snoozes"`
	}
	_ = json.Unmarshal(metadata, &m)
	return m.Snoozes
}

// cleanText makes a receiver's answer safe to store as text: valid UTF-8,
// no NUL bytes (PostgreSQL refuses both), on one line.
func cleanText(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch r {
		case 0:
			return -1
		case '\n', '\r', '\t':
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	for len(s) > maxErrorBytes {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// record writes the attempt and brings the delivery up to date, in one
// transaction. A delivery settled meanwhile (delivered by a concurrent run)
// keeps its status.
func (s *Service) record(ctx context.Context, id int64, o outcome) error {
	if o.at.IsZero() {
		o.at = s.clock.Now()
	}
	status := StatusPending
	var deliveredAt *time.Time
	switch {
	case o.ok():
		status = StatusDelivered
		deliveredAt = &o.at
	case o.final:
		status = StatusFailed
	}
	var code *int
	if o.code != 0 {
		code = &o.code
	}
	now := s.clock.Now()
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO webhook_attempts (delivery_id, code, error, duration_ms, at) VALUES ($1, $2, $3, $4, $5)`,
			id, code, o.err, o.duration.Milliseconds(), o.at); err != nil {
			return fmt.Errorf("record attempt of webhook delivery %d: %w", id, err)
		}
		_, err := tx.Exec(ctx, `UPDATE webhook_deliveries
			SET attempts = attempts + 1, last_code = $2, last_error = $3, status = $4, delivered_at = $5, updated_at = $6,
				handoff_at = NULL
			WHERE id = $1 AND status = 'pending'`,
			id, code, o.err, status, deliveredAt, now)
		if err != nil {
			return fmt.Errorf("update webhook delivery %d: %w", id, err)
		}
		return nil
	})
}
