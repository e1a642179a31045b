package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/webhook"
)

type webhookDeliveryJSON struct {
	ID          int64                `json:"id"`
	EventID     int64                `json:"event_id"`
	EventKind   string               `json:"event_kind"`
	URL         string               `json:"url"`
	Status      string               `json:"status"`
	Attempts    int                  `json:"attempts"`
	LastCode    *int                 `json:"last_code"`
	LastError   string               `json:"last_error"`
	CreatedAt   time.Time            `json:"created_at"`
	DeliveredAt *time.Time           `json:"delivered_at"`
	AttemptLog  []webhookAttemptJSON `json:"attempt_log"`
}

// deliveriesJSON answers GET /webhooks/deliveries.
type deliveriesJSON struct {
	Deliveries []webhookDeliveryJSON `json:"deliveries"`
}

type webhookAttemptJSON struct {
	Code       *int      `json:"code"`
	Error      string    `json:"error"`
	DurationMS int64     `json:"duration_ms"`
	At         time.Time `json:"at"`
}

// webhookDeliveriesList lists the newest webhook deliveries with their
// attempts: ?limit=N (at most webhook.MaxLimit), ?status=pending|delivered|failed.
func (h *Handler) webhookDeliveriesList(w http.ResponseWriter, r *http.Request) {
	var errs invalid.List
	f := webhook.Filter{Status: r.URL.Query().Get("status")}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > webhook.MaxLimit {
			errs.Add("limit", "invalid", "must be a number from 1 to %d", webhook.MaxLimit)
		}
		f.Limit = n
	}
	switch f.Status {
	case "", webhook.StatusPending, webhook.StatusDelivered, webhook.StatusFailed:
	default:
		errs.Add("status", "invalid", "must be pending, delivered or failed, not %q", f.Status)
	}
	if err := errs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := h.webhooks.Deliveries(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]webhookDeliveryJSON, 0, len(list))
	for _, d := range list {
		j := webhookDeliveryJSON{ID: d.ID, EventID: d.EventID, EventKind: d.EventKind, URL: d.URL, Status: d.Status,
			Attempts: d.Attempts, LastCode: httpCode(d.LastCode), LastError: d.LastError, CreatedAt: d.CreatedAt.UTC(),
			DeliveredAt: utcPtr(d.DeliveredAt), AttemptLog: make([]webhookAttemptJSON, 0, len(d.Log))}
		for _, a := range d.Log {
			j.AttemptLog = append(j.AttemptLog, webhookAttemptJSON{Code: httpCode(a.Code), Error: a.Error,
				DurationMS: a.Duration.Milliseconds(), At: a.At.UTC()})
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, deliveriesJSON{Deliveries: out})
}

// httpCode is an HTTP status for JSON: null when there was no answer.
func httpCode(c int) *int {
	if c == 0 {
		return nil
	}
	return &c
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
