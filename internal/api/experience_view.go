package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/money"
)

// negativeExperienceJSON is one row of the negative-experience register
// on GET /customers/{id}.
type negativeExperienceJSON struct {
	ID           int64           `json:"id"`
	Kind         experience.Kind `json:"kind" doc:"late_delivery, broken_promise, unanswered_message, missed_callback, low_score, cancelled_by_shop or unreachable."`
	At           time.Time       `json:"at"`
	OrderID      *int64          `json:"order_id" doc:"The order it was about; null when it was about no order (a conversation, a survey)."`
	Ref          string          `json:"ref" doc:"What it was about: order:12, conversation:7, survey:3, task:9, message:21."`
	Detail       string          `json:"detail,omitempty" doc:"Machine-readable detail: days_late=2;promised_to=2026-03-21 and the like."`
	Cost         json.Number     `json:"cost" doc:"What it cost the shop, in the shop's currency."`
	Compensation json.Number     `json:"compensation" doc:"What the customer was given, in the shop's currency."`
	ResolvedAt   *time.Time      `json:"resolved_at"`
	Resolution   string          `json:"resolution,omitempty" doc:"The shop's note on how it was put right."`
}

// negativeExperiences reads a customer's register rows for the API.
func (h *Handler) negativeExperiences(ctx context.Context, customerID int64) ([]negativeExperienceJSON, error) {
	list, err := h.app.Experiences.ListByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	amount := h.shopAmount()
	out := make([]negativeExperienceJSON, 0, len(list))
	for _, x := range list {
		j := negativeExperienceJSON{ID: x.ID, Kind: x.Kind, At: x.At, Ref: x.Ref, Detail: x.Detail,
			Cost: amount(x.CostMinor), Compensation: amount(x.CompensationMinor), ResolvedAt: x.ResolvedAt, Resolution: x.Resolution}
		if x.OrderID != 0 {
			j.OrderID = &x.OrderID
		}
		out = append(out, j)
	}
	return out, nil
}

// shopAmount writes minor units of the shop's currency as the API does.
func (h *Handler) shopAmount() func(int64) json.Number {
	scale := money.Scale(h.app.Settings.Shop.Currency)
	return func(minor int64) json.Number { return json.Number(money.Format(minor, scale)) }
}

// experienceGroupJSON is one group of GET /analytics/experiences.
type experienceGroupJSON struct {
	Name            string      `json:"name" doc:"none, one or several negative experiences."`
	Customers       int64       `json:"customers"`
	Repeaters       int64       `json:"repeaters" doc:"Customers who bought twice or more."`
	RepeatRate      float64     `json:"repeat_rate"`
	BoughtAfter     int64       `json:"bought_after" doc:"Customers who placed an order after their first negative experience."`
	BoughtAfterRate float64     `json:"bought_after_rate"`
	AvgSpent        json.Number `json:"avg_spent"`
	Scored          int64       `json:"scored" doc:"Customers the CLV scoring has scored."`
	AvgCLV          json.Number `json:"avg_clv"`
}

// experienceWorthJSON answers GET /analytics/experiences.
type experienceWorthJSON struct {
	From     string                 `json:"from,omitempty"`
	To       string                 `json:"to,omitempty"`
	Kind     experience.Kind        `json:"kind,omitempty"`
	Currency string                 `json:"currency"`
	Groups   []experienceGroupJSON  `json:"groups"`
	Kinds    []experience.KindCount `json:"kinds"`
}

// experienceWorthGet answers GET /analytics/experiences; a bad from, to
// or kind is 422 naming the field.
func (h *Handler) experienceWorthGet(w http.ResponseWriter, r *http.Request) {
	qs := r.URL.Query()
	q, err := experience.ParseWorthQuery(qs.Get("from"), qs.Get("to"), qs.Get("kind"), h.app.Settings.Shop.Location())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	wo, err := h.app.Experiences.Worth(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	amount := h.shopAmount()
	out := experienceWorthJSON{From: wo.From, To: wo.To, Kind: wo.Kind, Currency: wo.Currency, Kinds: wo.Kinds}
	for _, g := range wo.Groups {
		out.Groups = append(out.Groups, experienceGroupJSON{Name: g.Name, Customers: g.Customers, Repeaters: g.Repeaters,
			RepeatRate: g.RepeatRate, BoughtAfter: g.BoughtAfter, BoughtAfterRate: g.BoughtAfterRate,
			AvgSpent: amount(g.AvgSpentMinor), Scored: g.Scored, AvgCLV: amount(g.AvgCLVMinor)})
	}
	writeJSON(w, http.StatusOK, out)
}

// experienceKinds are the kinds' codes, for the document.
func experienceKinds() []string {
	var out []string
	for _, k := range experience.Kinds() {
		out = append(out, string(k))
	}
	return out
}
