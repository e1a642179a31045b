package web

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/playbook"
)

// The numbers of things the points page shows at most.
const (
	myLedgerRows = 20
	myCouponRows = 20
)

// myPointsPage is the customer's points and club: every figure already in
// words and in the page's language, so the template only places them.
type myPointsPage struct {
	myPage
	Balance string // "1 250 points"
	Value   string // what they are worth: "1 250,00 ₽"
	// HasTiers says the shop runs club tiers at all.
	HasTiers  bool
	Tier      string // the tier's name, "" for none yet
	TierSince string
	Discount  string   // the tier's discount, "" for none
	Perks     []string // the tier's perks in words
	Next      string   // the next tier's name, "" at the top
	ToGo      string   // what is missing for it
	Progress  int      // 0 to 100
	Expiring  string   // "120 points on 5 March 2027", "" when nothing lapses
	Coupons   []myCoupon
	// Referral is the personal link with what it gives; "" when the
	// program gives nothing for a friend.
	Referral   string
	FriendGets string
	YouGet     string
	Ledger     []myLedgerRow
}

// myCoupon is one coupon the customer can still use.
type myCoupon struct {
	Code, Off, MinOrder, Until string
}

// myLedgerRow is one entry of the points history, in words.
type myLedgerRow struct {
	When    string
	What    string
	Points  string // signed: "+120", "-50"
	Minus   bool
	OrderID int64
	OrderNo string
}

// myPoints is the customer's points and club page: balance and its worth,
// tier and the way to the next one, points that lapse soon, the coupons
// still to use, the personal referral link with what it gives both sides,
// and the latest entries of the points history.
func (h *Handler) myPoints(w http.ResponseWriter, r *http.Request, v *myVisit) {
	ctx := r.Context()
	p, err := h.myPointsOf(ctx, r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "my_points", p)
}

// myPointsOf reads and words the points page of the visit's customer.
func (h *Handler) myPointsOf(ctx context.Context, r *http.Request, v *myVisit) (myPointsPage, error) {
	lang, id := v.Lang, v.Customer.ID
	loc := notify.Location(v.Customer.Timezone, h.app.Settings.Shop.Location())
	cur := h.app.Settings.Shop.Currency
	program := h.loyalty.Settings()
	m, err := h.loyalty.MemberGet(ctx, id)
	if err != nil {
		return myPointsPage{}, err
	}
	p := myPointsPage{myPage: h.myPageOf(r, v, lang, "points"), Balance: myPointsText(lang, m.Balance),
		Value: i18n.Money(lang, m.ValueMinor, cur), HasTiers: len(program.Tiers) > 0}
	if t, ok := program.Tier(m.Tier); ok {
		p.Tier = t.Name(string(lang))
		if t.DiscountPercent > 0 {
			p.Discount = i18n.Text(lang, "my_points.discount", map[string]any{"Percent": myPercent(lang, t.DiscountPercent)})
		}
		for _, perk := range t.Perks {
			p.Perks = append(p.Perks, i18n.Text(lang, "my_points.perk."+perk, nil))
		}
	}
	if m.TierSince != nil && p.Tier != "" {
		p.TierSince = myDayWithYear(lang, m.TierSince.In(loc))
	}
	if n := m.Next; n != nil {
		p.Next, p.Progress = n.Tier.Name(string(lang)), min(100, max(0, int(n.Progress*100)))
		p.ToGo = myToGo(lang, n.OrdersToGo, n.SpendToGoMinor, cur)
	}
	if m.Expiring.Points > 0 {
		p.Expiring = i18n.Text(lang, "my_points.lapse", map[string]any{"Count": m.Expiring.Points,
			"Points": i18n.Number(lang, m.Expiring.Points), "Day": myDayWithYear(lang, m.Expiring.At.In(loc))})
	}
	if p.Coupons, err = h.myCoupons(ctx, lang, id, loc); err != nil {
		return p, err
	}
	if ref := program.Referral; ref.FriendPoints > 0 || ref.ReferrerPoints > 0 {
		code, err := h.loyalty.ReferralCode(ctx, id)
		if err != nil {
			return p, err
		}
		p.Referral = h.loyalty.ReferralLink(code)
		p.FriendGets, p.YouGet = myPointsText(lang, ref.FriendPoints), myPointsText(lang, ref.ReferrerPoints)
	}
	p.Ledger, err = h.myLedger(ctx, lang, id, loc)
	return p, err
}

// myCoupons are the customer's coupons still to use: not expired on the
// shop's clock, not used up.
func (h *Handler) myCoupons(ctx context.Context, lang i18n.Lang, customerID int64, loc *time.Location) ([]myCoupon, error) {
	list, err := h.loyalty.Coupons(ctx, customerID, myCouponRows)
	if err != nil {
		return nil, err
	}
	now := h.app.Clock.Now()
	var out []myCoupon
	for _, c := range list {
		if c.ExpiresAt != nil && !c.ExpiresAt.After(now) || c.MaxUses > 0 && c.Uses >= c.MaxUses {
			continue
		}
		mc := myCoupon{Code: c.Display()}
		if c.Kind == loyalty.Percent {
			mc.Off = myPercent(lang, c.PercentOff())
		} else {
			mc.Off = i18n.Money(lang, c.Value, c.Currency)
		}
		if c.MinOrderMinor > 0 {
			mc.MinOrder = i18n.Money(lang, c.MinOrderMinor, c.Currency)
		}
		if c.ExpiresAt != nil {
			mc.Until = myDayWithYear(lang, c.ExpiresAt.In(loc))
		}
		out = append(out, mc)
	}
	return out, nil
}

// myLedger is the latest entries of the customer's points history, in
// words: what happened (each kind and the program's own reasons in the
// page's language; an operator's reason as they wrote it, since the
// customer is told it), the points and the order it was about.
func (h *Handler) myLedger(ctx context.Context, lang i18n.Lang, customerID int64, loc *time.Location) ([]myLedgerRow, error) {
	list, err := h.loyalty.Ledger(ctx, customerID, 0, myLedgerRows)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, t := range list {
		if t.OrderID != 0 {
			ids = append(ids, t.OrderID)
		}
	}
	numbers := map[int64]string{}
	if len(ids) > 0 {
		if numbers, err = h.orders.ExternalIDs(ctx, ids); err != nil {
			return nil, err
		}
	}
	out := make([]myLedgerRow, 0, len(list))
	for _, t := range list {
		row := myLedgerRow{When: myDayWithYear(lang, t.CreatedAt.In(loc)), What: myLedgerWhat(lang, t),
			Points: i18n.Number(lang, t.Points), Minus: t.Points < 0}
		if t.Points > 0 {
			row.Points = "+" + row.Points
		}
		if ext, ok := numbers[t.OrderID]; ok {
			row.OrderID, row.OrderNo = t.OrderID, orderNumber(ext)
		}
		out = append(out, row)
	}
	return out, nil
}

// myReasons are the program's own reasons, which the page words.
var myReasons = map[string]bool{
	loyalty.ReasonFirstOrder: true, loyalty.ReasonBirthday: true, loyalty.ReasonReview: true,
	loyalty.ReasonReferrer: true, loyalty.ReasonFriend: true, loyalty.ReasonReturned: true,
	loyalty.ReasonCancelled: true, playbook.LateReason: true,
}

// myLedgerWhat words one entry: its kind, and its reason when it adds
// something. The expiry's reason is the program's note for operators.
func myLedgerWhat(lang i18n.Lang, t loyalty.Transaction) string {
	what := i18n.Text(lang, "my_points.kind."+string(t.Kind), nil)
	switch {
	case t.Reason == "" || t.Kind == loyalty.Expiry:
		return what
	case myReasons[t.Reason]:
		return what + ": " + i18n.Text(lang, "my_points.reason."+t.Reason, nil)
	case t.Kind == loyalty.Compensation || t.Kind == loyalty.Adjustment:
		return what + ": " + t.Reason
	}
	return what
}

// myPointsText is a number of points standing alone, grouped as the
// language writes numbers: "1 250 баллов".
func myPointsText(lang i18n.Lang, n int64) string {
	return i18n.Text(lang, "my_points.points", map[string]any{"Count": n, "Points": i18n.Number(lang, n)})
}

// myToGo words what is missing for the next tier: orders, spend, or
// either.
func myToGo(lang i18n.Lang, orders, spendMinor int64, cur string) string {
	data := map[string]any{"Count": orders, "Spend": i18n.Money(lang, spendMinor, cur)}
	switch {
	case orders > 0 && spendMinor > 0:
		return i18n.Text(lang, "my_points.to_go_either", data)
	case orders > 0:
		return i18n.Text(lang, "my_points.to_go_orders", data)
	case spendMinor > 0:
		return i18n.Text(lang, "my_points.to_go_spend", data)
	}
	return ""
}

// myDayWithYear writes a day with its year: points lapse and coupons run
// out a year ahead, where the short day would be ambiguous.
func myDayWithYear(lang i18n.Lang, t time.Time) string {
	return i18n.FormatDayShort(lang, calendar.DayOf(t)) + " " + strconv.Itoa(t.Year())
}

// myPercent writes a percent off (7.5 for 7.5 %) as the language does,
// its fraction kept: a discount of 7.5 % is not 8 %.
func myPercent(lang i18n.Lang, percent float64) string {
	whole := i18n.Percent(lang, percent/100)
	if percent == math.Trunc(percent) || math.IsNaN(percent) || math.IsInf(percent, 0) {
		return whole
	}
	frac := strconv.FormatFloat(percent, 'f', -1, 64)
	if lang != i18n.EN {
		frac = strings.Replace(frac, ".", ",", 1)
	}
	// The whole percent's own spacing and sign, around the fraction.
	w := strconv.FormatFloat(math.Round(percent), 'f', 0, 64)
	return strings.Replace(whole, w, frac, 1)
}
