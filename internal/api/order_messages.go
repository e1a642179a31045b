package api

import (
	"net/http"
	"time"
)

// messageJSON is one message in GET /orders/{id}/messages (README.md, API).
type messageJSON struct {
	ID            int64         `json:"id"`
	Rule          string        `json:"rule"`
	Template      string        `json:"template"`
	Channel       string        `json:"channel"`
	Language      string        `json:"language"`
	Transactional bool          `json:"transactional"`
	Status        string        `json:"status"`
	ScheduledAt   time.Time     `json:"scheduled_at"`
	SentAt        *time.Time    `json:"sent_at"`
	Reason        string        `json:"reason"`
	Subject       string        `json:"subject,omitempty"`
	Attempts      []attemptJSON `json:"attempts"`
}

// messagesJSON answers GET /orders/{id}/messages.
type messagesJSON struct {
	Messages []messageJSON `json:"messages"`
}

type attemptJSON struct {
	Channel string    `json:"channel"`
	Outcome string    `json:"outcome"`
	Detail  string    `json:"detail,omitempty"`
	At      time.Time `json:"at"`
}

// orderMessages lists the order's messages, scheduled, sent, failed and
// suppressed, each with its attempts.
func (h *Handler) orderMessages(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := h.orders.ResolveID(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ms, err := h.messages.ListByOrder(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]messageJSON, len(ms))
	for i, m := range ms {
		attempts, err := h.messages.Attempts(ctx, m.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		j := messageJSON{ID: m.ID, Rule: m.Rule, Template: m.Template, Channel: m.Channel, Language: m.Language,
			Transactional: m.Transactional, Status: string(m.Status), ScheduledAt: m.ScheduledAt.UTC(), SentAt: m.SentAt,
			Reason: m.Reason, Subject: m.Subject, Attempts: make([]attemptJSON, len(attempts))}
		for k, a := range attempts {
			j.Attempts[k] = attemptJSON{Channel: a.Channel, Outcome: a.Outcome, Detail: a.Detail, At: a.At.UTC()}
		}
		out[i] = j
	}
	writeJSON(w, http.StatusOK, messagesJSON{Messages: out})
}
