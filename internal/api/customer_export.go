package api

import (
	"encoding/json"
	"net/http"
	"time"

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

// customerExport answers with everything shopcare holds about a customer.
func (h *Handler) customerExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := h.customers.ResolveID(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.customers.GetProfile(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
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
			h.fail(w, r, err)
			return
		}
		for _, it := range page {
			o, err := h.orders.Get(ctx, it.ID)
			if err == nil {
				var v orderJSON
				v, err = h.view(r, o)
				out.Orders = append(out.Orders, v)
			}
			if err != nil {
				h.fail(w, r, err)
				return
			}
		}
		if !more || len(page) == 0 {
			break
		}
		after = page[len(page)-1].Cursor()
	}

	ms, err := h.messages.ListByCustomer(ctx, id, 1<<30)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, m := range ms {
		attempts, err := h.messages.Attempts(ctx, m.ID)
		if err != nil {
			h.fail(w, r, err)
			return
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
		h.fail(w, r, err)
		return
	}
	for before := int64(0); ; {
		ts, err := h.loyalty.Ledger(ctx, id, before, exportPage)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, t := range ts {
			out.Loyalty.Ledger = append(out.Loyalty.Ledger, ledgerEntry(t))
		}
		if len(ts) < exportPage {
			break
		}
		before = ts[len(ts)-1].ID
	}
	w.Header().Set("Content-Disposition", `attachment; filename="customer-`+itoa(id)+`.json"`)
	writeJSON(w, http.StatusOK, out)
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
