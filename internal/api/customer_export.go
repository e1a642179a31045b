package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"

	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// exportJSON answers GET /customers/{id}/export: everything shopcare
// holds about a customer, for their right of access and portability
// (GDPR art. 15 and 20).
type exportJSON struct {
	ExportedAt time.Time              `json:"exported_at"`
	Customer   exportProfileJSON      `json:"customer"`
	Consent    map[string]consentJSON `json:"consent"`
	Orders     []orderJSON            `json:"orders"`
	Messages   []exportMessageJSON    `json:"messages"`
	Loyalty    exportLoyaltyJSON      `json:"loyalty"`
}

// exportProfileJSON is the customer's whole row.
type exportProfileJSON struct {
	customerJSON
	TelegramChatID      string      `json:"telegram_chat_id,omitempty"`
	Birthday            string      `json:"birthday,omitempty" doc:"MM-DD: only the day is kept, for a birthday bonus."`
	ChannelOrder        string      `json:"channel_order,omitempty" doc:"The channels in the order the customer likes to be reached."`
	OrdersCount         int64       `json:"orders_count"`
	LTV                 json.Number `json:"ltv"`
	Currency            string      `json:"currency"`
	FirstOrderAt        *time.Time  `json:"first_order_at"`
	LastOrderAt         *time.Time  `json:"last_order_at"`
	MarketingOptedOutAt *time.Time  `json:"marketing_opted_out_at"`
	ErasedAt            *time.Time  `json:"erased_at"`
	CreatedAt           time.Time   `json:"created_at"`
	UpdatedAt           time.Time   `json:"updated_at"`
}

// exportMessageJSON is a message to the customer, with its text.
type exportMessageJSON struct {
	messageJSON
	OrderID *int64 `json:"order_id"`
	Body    string `json:"body"`
}

// exportLoyaltyJSON is the customer's points: the balance and every
// transaction.
type exportLoyaltyJSON struct {
	Balance int64             `json:"balance"`
	Ledger  []ledgerEntryJSON `json:"ledger"`
}

// exportPage is how many rows each read of the export takes.
const exportPage = 200

// Exports builds a customer's copy of everything shopcare holds about
// them. The API's GET /customers/{id}/export and the customer's own page
// (/my/data/export) both answer with it, byte for byte: the orders in it
// are the API's order view, so the building stays beside that view.
type Exports struct{ h *Handler }

// NewExports returns the exports of a's customers.
func NewExports(a *app.App) *Exports {
	return &Exports{h: &Handler{services: servicesOf(a), app: a, log: a.Log.With("component", "api"), human: clock.System{}}}
}

// Export returns customer id's export as the API answers it (JSON, one
// line). The orders' texts are in the customer's language, as the API's
// without ?lang=.
func (e *Exports) Export(ctx context.Context, id int64) ([]byte, error) {
	out, err := e.h.export(ctx, "", id)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as writeJSON
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("export customer %d: %w", id, err)
	}
	return buf.Bytes(), nil
}

// customerExport answers with everything shopcare holds about a customer.
func (h *Handler) customerExport(w http.ResponseWriter, r *http.Request) {
	id, err := h.customers.ResolveID(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out, err := h.export(r.Context(), r.URL.Query().Get("lang"), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="customer-`+itoa(id)+`.json"`)
	writeJSON(w, http.StatusOK, out)
}

// export gathers customer id's export: the row, consents, every order,
// message and loyalty transaction; the orders' texts in lang (?lang=, ""
// for the customer's own).
func (h *Handler) export(ctx context.Context, lang string, id int64) (exportJSON, error) {
	p, err := h.customers.GetProfile(ctx, id)
	if err != nil {
		return exportJSON{}, err
	}
	cur := h.app.Settings.Shop.Currency
	out := exportJSON{ExportedAt: h.app.Clock.Now().In(h.app.Settings.Shop.Location()), Consent: consentView(p.Channels),
		Customer: exportProfileJSON{
			customerJSON: customerJSON{ID: p.ID, ExternalID: p.ExternalID, Name: p.Name, Email: p.Email, Phone: p.Phone,
				Language: p.Language, Country: p.Country, City: p.City, Timezone: p.Timezone},
			TelegramChatID: p.TelegramChatID, Birthday: p.Birthday, ChannelOrder: p.ChannelOrder, OrdersCount: p.OrdersCount,
			LTV: json.Number(money.Format(p.SpentMinor, money.Scale(cur))), Currency: cur, FirstOrderAt: p.FirstOrderAt,
			LastOrderAt: p.LastOrderAt, MarketingOptedOutAt: p.MarketingOptedOutAt, ErasedAt: p.ErasedAt,
			CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt},
		Orders: []orderJSON{}, Messages: []exportMessageJSON{}, Loyalty: exportLoyaltyJSON{Ledger: []ledgerEntryJSON{}}}

	for after := ""; ; {
		page, more, err := h.orders.List(ctx, order.ListFilter{CustomerID: id, After: after, Limit: exportPage})
		if err != nil {
			return exportJSON{}, err
		}
		for _, it := range page {
			o, err := h.orders.Get(ctx, it.ID)
			if err != nil {
				return exportJSON{}, err
			}
			v, err := h.view(ctx, lang, o)
			if err != nil {
				return exportJSON{}, err
			}
			out.Orders = append(out.Orders, v)
		}
		if !more || len(page) == 0 {
			break
		}
		after = page[len(page)-1].Cursor()
	}

	ms, err := h.messages.ListByCustomer(ctx, id, 1<<30)
	if err != nil {
		return exportJSON{}, err
	}
	for _, m := range ms {
		attempts, err := h.messages.Attempts(ctx, m.ID)
		if err != nil {
			return exportJSON{}, err
		}
		j := exportMessageJSON{messageJSON: messageJSON{ID: m.ID, Rule: m.Rule, Template: m.Template, Channel: m.Channel,
			Language: m.Language, Transactional: m.Transactional, Status: string(m.Status), ScheduledAt: m.ScheduledAt.UTC(),
			SentAt: m.SentAt, Reason: m.Reason, Subject: m.Subject, Attempts: make([]attemptJSON, len(attempts))},
			OrderID: nonZero(m.OrderID), Body: m.Body}
		for k, a := range attempts {
			j.Attempts[k] = attemptJSON{Channel: a.Channel, Outcome: a.Outcome, Detail: a.Detail, At: a.At.UTC()}
		}
		out.Messages = append(out.Messages, j)
	}

	if out.Loyalty.Balance, err = h.loyalty.Balance(ctx, id); err != nil {
		return exportJSON{}, err
	}
	for before := int64(0); ; {
		ts, err := h.loyalty.Ledger(ctx, id, before, exportPage)
		if err != nil {
			return exportJSON{}, err
		}
		for _, t := range ts {
			out.Loyalty.Ledger = append(out.Loyalty.Ledger, ledgerEntry(t))
		}
		if len(ts) < exportPage {
			break
		}
		before = ts[len(ts)-1].ID
	}
	return out, nil
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
