package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/order"
)

// ledgerPage is how many ledger entries the customer page shows at once.
const ledgerPage = 20

// customerLoyalty is a customer's standing in the loyalty program on
// their page: balance, tier, the way to the next one, what lapses next,
// the referral code, a page of the ledger and the operator's grant form.
type customerLoyalty struct {
	Member       loyalty.Member
	TierName     string // in the viewer's language, "" for none
	Tier         config.Tier
	NextName     string
	ReferralLink string
	Ledger       []loyalty.Transaction
	// OrderNumbers names the customer's orders the ledger links to.
	OrderNumbers map[int64]string
	// Newer and Older are the ledger's neighbouring pages, "" for none.
	Newer, Older string
	Form         grantForm
	// Again says the grant had been made already: nothing changed.
	Again bool
	Loc   *time.Location
}

// grantForm is the operator's form that gives or takes points.
type grantForm struct {
	Kind, Points, OrderID, Reason string
	Errors                        map[string]string // field → what is wrong, in the viewer's language
}

// Day writes a moment's day with its year in the shop's zone: points
// lapse and tiers last a year and more, and the admin's short dates
// leave the year out.
func (l *customerLoyalty) Day(t any) string {
	switch v := t.(type) {
	case time.Time:
		return v.In(l.Loc).Format(time.DateOnly)
	case *time.Time:
		if v != nil {
			return v.In(l.Loc).Format(time.DateOnly)
		}
	}
	return ""
}

// Stamp writes a moment in the shop's zone, day with its year and time:
// a ledger goes back years.
func (l *customerLoyalty) Stamp(t time.Time) string { return t.In(l.Loc).Format("2006-01-02 15:04") }

// ProgressPercent is the way to the next tier, 0 to 100.
func (l *customerLoyalty) ProgressPercent() int {
	if l.Member.Next == nil {
		return 0
	}
	return min(100, max(0, int(l.Member.Next.Progress*100)))
}

// customerLoyaltyData reads a customer's loyalty section: the ledger page
// older than before (0: the newest).
func (h *Handler) customerLoyaltyData(ctx context.Context, v *visitor, customerID, before int64, orders []order.ListItem) (*customerLoyalty, error) {
	m, err := h.loyalty.MemberGet(ctx, customerID)
	if err != nil {
		return nil, err
	}
	l := &customerLoyalty{Member: m, Loc: h.app.Settings.Shop.Location(), OrderNumbers: map[int64]string{},
		Form: grantForm{Kind: string(loyalty.Compensation), Errors: map[string]string{}}}
	program := h.loyalty.Settings()
	if t, ok := program.Tier(m.Tier); ok {
		l.Tier, l.TierName = t, t.Name(string(v.Lang))
	} else if m.Tier != "" {
		l.TierName = m.Tier // a tier the settings no longer have
	}
	if m.Next != nil {
		l.NextName = m.Next.Tier.Name(string(v.Lang))
	}
	if m.ReferralCode != "" {
		l.ReferralLink = h.loyalty.ReferralLink(m.ReferralCode)
	}
	if l.Ledger, err = h.loyalty.Ledger(ctx, customerID, before, ledgerPage); err != nil {
		return nil, err
	}
	base := "/customers/" + strconv.FormatInt(customerID, 10)
	if before > 0 {
		l.Newer = base + "#ledger"
	}
	if len(l.Ledger) == ledgerPage {
		l.Older = base + "?before=" + strconv.FormatInt(l.Ledger[len(l.Ledger)-1].ID, 10) + "#ledger"
	}
	for _, o := range orders {
		l.OrderNumbers[o.ID] = o.ExternalID
	}
	return l, nil
}

// customerLoyaltySave is the operator's grant: points given (a
// compensation) or a correction either way (an adjustment), with a reason
// and optionally the order it is about. Errors come back on their fields;
// success goes back to the customer page.
func (h *Handler) customerLoyaltySave(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	if _, err := h.customers.Get(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	form := grantForm{Kind: r.PostFormValue("kind"), Points: strings.TrimSpace(r.PostFormValue("points")),
		OrderID: r.PostFormValue("order_id"), Reason: r.PostFormValue("reason")}
	g, errs := parseGrant(form, id, v.User.Email)
	var res loyalty.GrantResult
	err = errs.Err()
	if err == nil {
		res, err = h.loyalty.Grant(r.Context(), g)
	}
	back := "/customers/" + strconv.FormatInt(id, 10)
	var list invalid.List
	var one *invalid.Error
	var short *loyalty.InsufficientError
	switch {
	case err == nil && !res.Granted:
		http.Redirect(w, r, back+"?saved=again#loyalty", http.StatusSeeOther)
		return
	case err == nil:
		h.log.InfoContext(r.Context(), "loyalty grant", "customer", id, "kind", g.Kind, "points", g.Grant.Points, "user", v.User.Email)
		http.Redirect(w, r, back+"?saved=1#loyalty", http.StatusSeeOther)
		return
	case errors.As(err, &short):
		list = invalid.List{invalid.Field("points", "insufficient", "the balance is %d points", short.Balance)}
	case errors.Is(err, app.ErrNotFound) && g.OrderID != 0:
		list = invalid.List{invalid.Field("order_id", "not_found", "there is no order %d", g.OrderID)}
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = invalid.List{one}
	default:
		h.fail(w, r, err)
		return
	}
	p, err := h.customerShowData(r, v, id, 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Errors = map[string]string{}
	for _, e := range list {
		if _, seen := form.Errors[e.Field]; !seen {
			form.Errors[e.Field] = grantErrorText(v.Lang, e, short)
		}
	}
	p.Loyalty.Form = form
	h.render(w, r, http.StatusUnprocessableEntity, "customer_show", p)
}

// parseGrant reads the grant form; what it cannot read is an error on
// its field, the rest the loyalty program checks.
func parseGrant(f grantForm, customerID int64, actor string) (loyalty.GrantRequest, invalid.List) {
	var errs invalid.List
	g := loyalty.GrantRequest{CustomerID: customerID, Source: loyalty.FromOperator, Actor: actor,
		Grant: config.Grant{Reason: f.Reason}}
	switch loyalty.Kind(f.Kind) {
	case loyalty.Compensation, loyalty.Adjustment:
		g.Kind = loyalty.Kind(f.Kind)
	default:
		errs.Add("kind", "invalid", "%q is not compensation or adjustment", f.Kind)
	}
	if strings.ContainsFunc(f.Reason, unicode.IsControl) {
		errs.Add("reason", "invalid", "the reason is one line of text")
	}
	if f.Points != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(f.Points, "+"), 10, 64)
		if err != nil {
			errs.Add("points", "invalid", "%q is not a whole number of points", f.Points)
		}
		g.Grant.Points = n
	}
	if f.OrderID != "" {
		n, err := strconv.ParseInt(f.OrderID, 10, 64)
		if err != nil || n <= 0 {
			errs.Add("order_id", "invalid", "%q is not an order", f.OrderID)
		}
		g.OrderID = n
	}
	return g, errs
}

// grantErrorText says in the viewer's language what is wrong with a
// field of the grant form.
func grantErrorText(lang i18n.Lang, e *invalid.Error, short *loyalty.InsufficientError) string {
	switch e.Field + "." + e.Code {
	case "points.insufficient":
		return i18n.Text(lang, "customer_show.loyalty.error.insufficient", map[string]any{"Count": short.Balance})
	case "points.required":
		return i18n.Text(lang, "customer_show.loyalty.error.points_required", nil)
	case "points.invalid":
		return i18n.Text(lang, "customer_show.loyalty.error.points_invalid", map[string]any{"Count": config.MaxPoints})
	case "reason.required":
		return i18n.Text(lang, "customer_show.loyalty.error.reason_required", nil)
	case "reason.invalid":
		return i18n.Text(lang, "customer_show.loyalty.error.reason_invalid", nil)
	case "reason.too_long":
		return i18n.Text(lang, "customer_show.loyalty.error.reason_too_long", nil)
	case "order_id.not_yours", "order_id.not_found", "order_id.invalid":
		return i18n.Text(lang, "customer_show.loyalty.error.order", nil)
	case "kind.invalid":
		return i18n.Text(lang, "customer_show.loyalty.error.kind", nil)
	}
	return e.Message
}

// customerReferralSave makes the customer's personal referral code, for
// an operator to read out or send; a customer who has one keeps it.
func (h *Handler) customerReferralSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	if _, err := h.customers.Get(ctx, id); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.loyalty.ReferralCode(ctx, id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "referral code made", "customer", id, "user", v.User.Email)
	http.Redirect(w, r, "/customers/"+strconv.FormatInt(id, 10)+"#loyalty", http.StatusSeeOther)
}
