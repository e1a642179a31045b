package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// customerView is GET /api/v1/customers/{id}: the customer, their
// standing in the loyalty program, their orders and LTV.
type customerView struct {
	customerJSON
	OrdersCount  int64              `json:"orders_count"`
	LTV          json.Number        `json:"ltv"` // spend on orders not cancelled or returned
	Currency     string             `json:"currency"`
	FirstOrderAt *time.Time         `json:"first_order_at"`
	LastOrderAt  *time.Time         `json:"last_order_at"`
	Loyalty      loyaltyJSON        `json:"loyalty"`
	Orders       []customerOrderRow `json:"orders"`
	// Consent is the customer's consent per channel (email, sms,
	// telegram): only channels with a word on record are listed.
	Consent map[string]consentJSON `json:"consent"`
	// TelegramLinked says the customer linked a chat with the shop's bot.
	TelegramLinked      bool       `json:"telegram_linked"`
	MarketingOptedOutAt *time.Time `json:"marketing_opted_out_at" doc:"When the customer unsubscribed from all marketing; null if they have not since their last consent."`
	ErasedAt            *time.Time `json:"erased_at" doc:"When the customer's personal data was erased on request; null if it was not."`
	// NegativeExperiences are the customer's rows of the negative-experience
	// register, latest first (experience_view.go).
	NegativeExperiences []negativeExperienceJSON `json:"negative_experiences"`
	// InsiderProjects are the club's projects the customer is in
	// (insider_routes.go).
	InsiderProjects []customerInsiderJSON `json:"insider_projects"`
}

// consentJSON is a customer's word on one channel, with its proof.
type consentJSON struct {
	Transactional      bool       `json:"transactional" doc:"Order news may go on the channel: consent given and not withdrawn."`
	TransactionalAt    *time.Time `json:"transactional_at"`
	OptedOutAt         *time.Time `json:"opted_out_at" doc:"When the customer stopped every message on the channel."`
	Marketing          bool       `json:"marketing" doc:"Campaigns and offers may go on the channel."`
	MarketingAt        *time.Time `json:"marketing_at" doc:"When the marketing consent was given."`
	MarketingSource    string     `json:"marketing_source,omitempty" doc:"Where the marketing consent was given: the proof."`
	MarketingRevokedAt *time.Time `json:"marketing_revoked_at" doc:"When the marketing consent was taken back."`
	// MarketingPendingAt is a marketing consent waiting for the customer's
	// confirmation (campaigns.double_opt_in).
	MarketingPendingAt     *time.Time `json:"marketing_pending_at,omitempty" doc:"When a marketing e-mail consent was given that waits for the customer's confirmation (double opt-in); no offer goes until then."`
	MarketingPendingSource string     `json:"marketing_pending_source,omitempty" doc:"Where the pending marketing consent was given."`
	FailedAt               *time.Time `json:"failed_at" doc:"When the address failed for good (a bounce)."`
}

// consentView shows channels by name.
func consentView(chs []customer.ChannelConsent) map[string]consentJSON {
	out := make(map[string]consentJSON, len(chs))
	for _, c := range chs {
		out[c.Channel] = consentJSON{Transactional: c.Transactional(), TransactionalAt: c.ConsentAt, OptedOutAt: c.OptedOutAt,
			Marketing: c.Marketing(), MarketingAt: c.MarketingConsentAt, MarketingSource: c.MarketingConsentSource,
			MarketingRevokedAt: c.MarketingRevokedAt, MarketingPendingAt: c.MarketingPendingAt,
			MarketingPendingSource: c.MarketingPendingSource, FailedAt: c.FailedAt}
	}
	return out
}

type loyaltyJSON struct {
	Balance int64       `json:"balance"`
	Value   json.Number `json:"value"` // what the balance pays, in the shop's currency
	// Tier is the tier's code, "" for none.
	Tier            string     `json:"tier"`
	TierName        string     `json:"tier_name,omitempty"`
	TierSince       *time.Time `json:"tier_since,omitempty"`
	DiscountPercent float64    `json:"discount_percent"`
	Perks           []string   `json:"perks"`
	// Window is the tier window's delivered orders and spend.
	Window       windowJSON    `json:"window"`
	NextTier     *nextTierJSON `json:"next_tier"`
	Expiring     *expiringJSON `json:"expiring"`
	ReferralCode string        `json:"referral_code"`
	ReferralURL  string        `json:"referral_url"`
}

type windowJSON struct {
	Orders int64       `json:"orders"`
	Spent  json.Number `json:"spent"`
}

type nextTierJSON struct {
	Tier       string      `json:"tier"`
	OrdersToGo int64       `json:"orders_to_go,omitempty"`
	SpendToGo  json.Number `json:"spend_to_go,omitempty"`
	Progress   float64     `json:"progress"`
}

type expiringJSON struct {
	Points int64     `json:"points"`
	At     time.Time `json:"at"`
	On     string    `json:"on"` // the day, in the shop's calendar
}

type customerOrderRow struct {
	ID         int64        `json:"id"`
	ExternalID string       `json:"external_id"`
	Status     order.Status `json:"status"`
	Total      json.Number  `json:"total"`
	Currency   string       `json:"currency"`
	PlacedAt   time.Time    `json:"placed_at"`
}

// customerGet shows a customer by shopcare's id or the shop's external id.
func (h *Handler) customerGet(w http.ResponseWriter, r *http.Request) {
	id, err := h.customers.ResolveID(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeCustomer(w, r, id)
}

// writeCustomer answers with customer id as GET /customers/{id} shows one.
func (h *Handler) writeCustomer(w http.ResponseWriter, r *http.Request, id int64) {
	ctx := r.Context()
	c, err := h.customers.GetProfile(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.loyalty.MemberGet(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	code, err := h.loyalty.ReferralCode(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	orders, _, err := h.orders.List(ctx, order.ListFilter{CustomerID: id, Limit: 100})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cur := h.app.Settings.Shop.Currency
	amount := func(minor int64) json.Number { return json.Number(money.Format(minor, money.Scale(cur))) }
	v := customerView{
		customerJSON: customerJSON{ID: c.ID, ExternalID: c.ExternalID, Name: c.Name, Email: c.Email, Phone: c.Phone,
			Language: c.Language, Country: c.Country, City: c.City, Timezone: c.Timezone},
		OrdersCount: c.OrdersCount, LTV: amount(c.SpentMinor), Currency: cur, FirstOrderAt: c.FirstOrderAt, LastOrderAt: c.LastOrderAt,
		Loyalty: loyaltyJSON{Balance: m.Balance, Value: amount(m.ValueMinor), Tier: m.Tier, TierSince: m.TierSince, Perks: []string{},
			Window:       windowJSON{Orders: m.Standing.Orders, Spent: amount(m.Standing.SpentMinor)},
			ReferralCode: code, ReferralURL: h.loyalty.ReferralLink(code)},
		Orders: []customerOrderRow{}, Consent: consentView(c.Channels), TelegramLinked: c.TelegramChatID != "",
		MarketingOptedOutAt: c.MarketingOptedOutAt, ErasedAt: c.ErasedAt,
	}
	if t, ok := h.app.Settings.Loyalty.Tier(m.Tier); ok {
		v.Loyalty.TierName, v.Loyalty.DiscountPercent = t.Name(c.Language), t.DiscountPercent
		v.Loyalty.Perks = append(v.Loyalty.Perks, t.Perks...)
	}
	if n := m.Next; n != nil {
		v.Loyalty.NextTier = &nextTierJSON{Tier: n.Tier.Code, OrdersToGo: max(0, n.OrdersToGo), Progress: n.Progress}
		if n.Tier.MinSpend > 0 {
			v.Loyalty.NextTier.SpendToGo = amount(max(0, n.SpendToGoMinor))
		}
	}
	if e := m.Expiring; e.Points > 0 {
		v.Loyalty.Expiring = &expiringJSON{Points: e.Points, At: e.At, On: e.At.In(h.app.Settings.Shop.Location()).Format(time.DateOnly)}
	}
	if v.NegativeExperiences, err = h.negativeExperiences(ctx, id); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, o := range orders {
		v.Orders = append(v.Orders, customerOrderRow{ID: o.ID, ExternalID: o.ExternalID, Status: o.Status,
			Total: json.Number(money.Format(o.TotalMinor, money.Scale(o.Currency))), Currency: o.Currency, PlacedAt: o.PlacedAt})
	}
	if v.InsiderProjects, err = h.customerInsiderProjects(ctx, id, c.Language); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// ledgerEntryJSON is one transaction of a customer's ledger.
type ledgerEntryJSON struct {
	ID        int64          `json:"id"`
	Kind      loyalty.Kind   `json:"kind"`
	Points    int64          `json:"points"`
	Balance   int64          `json:"balance"`
	OrderID   *int64         `json:"order_id"`
	Source    loyalty.Source `json:"source"`
	Reason    string         `json:"reason"`
	Actor     string         `json:"actor,omitempty"`
	ExpiresAt *time.Time     `json:"expires_at"`
	CreatedAt time.Time      `json:"created_at"`
}

// ledgerJSON answers GET /customers/{id}/ledger.
type ledgerJSON struct {
	Entries []ledgerEntryJSON `json:"entries"`
	// Next is the address of the next page, when there may be one.
	Next string `json:"next,omitempty"`
}

// customerLedger lists a customer's ledger, newest first:
// ?before=<id>&limit=<n> pages back.
func (h *Handler) customerLedger(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := h.customers.ResolveID(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	before, limit, err := pageParams(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ts, err := h.loyalty.Ledger(ctx, id, before, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := ledgerJSON{Entries: []ledgerEntryJSON{}}
	for _, t := range ts {
		out.Entries = append(out.Entries, ledgerEntry(t))
	}
	if len(ts) == limit {
		out.Next = r.URL.Path + "?before=" + strconv.FormatInt(ts[len(ts)-1].ID, 10) + "&limit=" + strconv.Itoa(limit)
	}
	writeJSON(w, http.StatusOK, out)
}
