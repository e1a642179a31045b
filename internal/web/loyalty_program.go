package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/money"
)

// figuresDays is the default period of the program's figures: the last
// 30 days, today included.
const figuresDays = 30

// loyaltyProgramPage is the loyalty program for the owner: its figures
// for a period, its rules in words, and its coupons.
type loyaltyProgramPage struct {
	adminPage
	// From and To are the period's days, or what was typed when it
	// cannot be read (the last 30 days are counted then).
	From, To string
	Errors   map[string]string // the period's fields → what is wrong
	Figures  loyalty.Figures
	Tiers    []tierRow
	NoTier   int64 // members without a tier
	Rules    programRules
	Currency string
	Coupons  []loyalty.Coupon
	Form     couponForm
	Created  string // the coupon just made, as people read it
}

// tierRow is one tier of the program, for the table of tiers.
type tierRow struct {
	config.Tier
	TierName string // in the viewer's language
	MinSpend int64  // minor units, 0 when the tier asks no spend
	Members  int64
}

// programRules are the program's settings, made into what the page says.
type programRules struct {
	config.Loyalty
	Earn, PointValue, RedeemMax   string
	ExpireAfter, Reminder, Window string // "" for never, none
}

// couponForm is the form that makes a coupon.
type couponForm struct {
	Code, Kind, Value, MinOrder, ValidDays, MaxUses, Reason string
	Errors                                                  map[string]string // field → what is wrong
}

// loyaltyProgram shows the program's figures for ?from=&to= (days of the
// shop, both included; the last 30 days by default).
func (h *Handler) loyaltyProgram(w http.ResponseWriter, r *http.Request, v *visitor) {
	q := r.URL.Query()
	p, err := h.loyaltyProgramData(r.Context(), v, q.Get("from"), q.Get("to"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if c := q.Get("created"); c != "" {
		p.Created = c
	}
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "loyalty_program", p)
}

// loyaltyProgramData reads the page for a period as typed; a period that
// cannot be read is an error on its field, and the default one is counted.
func (h *Handler) loyaltyProgramData(ctx context.Context, v *visitor, fromText, toText string) (*loyaltyProgramPage, error) {
	p := &loyaltyProgramPage{adminPage: h.adminPage(v, auth.AreaLoyalty), From: fromText, To: toText,
		Errors: map[string]string{}, Currency: h.app.Settings.Shop.Currency,
		Form: couponForm{Kind: "percent", MaxUses: "1", Errors: map[string]string{}}}
	to := calendar.DayOf(h.app.Clock.Now().In(h.app.Settings.Shop.Location()))
	from := to.AddDays(1 - figuresDays)
	f, t := from, to
	var err error
	if fromText != "" {
		if f, err = calendar.ParseDay(fromText); err != nil {
			p.Errors["from"] = i18n.Text(v.Lang, "loyalty_program.error.day", nil)
		}
	}
	if toText != "" {
		if t, err = calendar.ParseDay(toText); err != nil {
			p.Errors["to"] = i18n.Text(v.Lang, "loyalty_program.error.day", nil)
		}
	}
	if len(p.Errors) == 0 && f > t {
		p.Errors["from"] = i18n.Text(v.Lang, "loyalty_program.error.order_of_days", nil)
	}
	if len(p.Errors) == 0 { // else what was typed stays in the form
		from, to = f, t
		p.From, p.To = from.String(), to.String()
	}
	loc := h.app.Settings.Shop.Location()
	if p.Figures, err = h.loyalty.FiguresBetween(ctx, from.Time(loc), to.AddDays(1).Time(loc)); err != nil {
		return nil, err
	}
	program := h.loyalty.Settings()
	p.Rules = h.programRules(v.Lang, program)
	known := map[string]bool{}
	for _, t := range program.Tiers {
		known[t.Code] = true
		p.Tiers = append(p.Tiers, tierRow{Tier: t, TierName: t.Name(string(v.Lang)), MinSpend: h.minor(t.MinSpend),
			Members: p.Figures.ByTier[t.Code]})
	}
	for code, n := range p.Figures.ByTier {
		if !known[code] { // none, or a tier the settings no longer have
			p.NoTier += n
		}
	}
	if p.Coupons, err = h.loyalty.Coupons(ctx, 0, 50); err != nil {
		return nil, err
	}
	return p, nil
}

// programRules writes the program's settings as the page says them.
func (h *Handler) programRules(lang i18n.Lang, l config.Loyalty) programRules {
	cur := h.app.Settings.Shop.Currency
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	return programRules{Loyalty: l,
		Earn: i18n.Text(lang, "loyalty_program.rule.earn", map[string]any{"Count": num(l.EarnPercent), "Currency": cur}),
		PointValue: i18n.Text(lang, "loyalty_program.rule.point_value",
			map[string]any{"Value": i18n.Money(lang, h.minor(l.PointValue), cur)}),
		RedeemMax:   i18n.Text(lang, "loyalty_program.rule.redeem_max", map[string]any{"Percent": num(l.RedeemMaxPercent) + " %"}),
		ExpireAfter: durationWords(lang, l.ExpireAfter), Reminder: durationWords(lang, l.ExpiryReminder),
		Window: durationWords(lang, l.TierWindow)}
}

// durationWords writes a duration of the settings in days when whole
// ("365 дней"), else as the settings do; "" for none.
func durationWords(lang i18n.Lang, d config.Duration) string {
	td := time.Duration(d)
	switch {
	case td <= 0:
		return ""
	case td%(24*time.Hour) == 0:
		return i18n.Days(lang, int(td/(24*time.Hour)))
	}
	return d.String()
}

// minor is an amount of the settings (currency units) in minor units.
func (h *Handler) minor(units float64) int64 {
	return int64(math.Round(units * math.Pow10(money.Scale(h.app.Settings.Shop.Currency))))
}

// loyaltyCouponSave makes a coupon: the shop's own code or a generated
// one, a percent or an amount off, a least order, a number of days and of
// uses. Errors come back on their fields.
func (h *Handler) loyaltyCouponSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	form := couponForm{Code: strings.TrimSpace(r.PostFormValue("code")), Kind: r.PostFormValue("kind"),
		Value: strings.TrimSpace(r.PostFormValue("value")), MinOrder: strings.TrimSpace(r.PostFormValue("min_order")),
		ValidDays: strings.TrimSpace(r.PostFormValue("valid_days")), MaxUses: strings.TrimSpace(r.PostFormValue("max_uses")),
		Reason: r.PostFormValue("reason")}
	req, errs := parseCoupon(form, money.Scale(h.app.Settings.Shop.Currency))
	ctx := r.Context()
	var c loyalty.Coupon
	err := errs.Err()
	if err == nil {
		c, _, err = h.loyalty.CouponCreate(ctx, req)
	}
	var list invalid.List
	var one *invalid.Error
	switch {
	case err == nil:
		h.log.InfoContext(r.Context(), "coupon made", "coupon", c.ID, "user", v.User.Email)
		http.Redirect(w, r, "/loyalty?"+url.Values{"created": {c.Display()}}.Encode()+"#coupons", http.StatusSeeOther)
		return
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = invalid.List{one}
	default:
		h.fail(w, r, err)
		return
	}
	p, err := h.loyaltyProgramData(ctx, v, "", "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Errors = map[string]string{}
	for _, e := range list {
		field := couponField(e.Field)
		if _, seen := form.Errors[field]; !seen {
			form.Errors[field] = couponErrorText(v.Lang, field, e)
		}
	}
	p.Form = form
	h.render(w, r, http.StatusUnprocessableEntity, "loyalty_program", p)
}

// parseCoupon reads the coupon form; amounts are decimals as people type
// them ("7,5", "1 000"), in the shop's currency of the given scale.
func parseCoupon(f couponForm, scale int) (loyalty.CouponRequest, invalid.List) {
	var errs invalid.List
	req := loyalty.CouponRequest{Code: f.Code, Reason: f.Reason, MaxUses: 1}
	decimal := func(field, s string, scale int) float64 {
		if s == "" {
			return 0
		}
		n, err := money.Parse(s, scale)
		if err != nil || n < 0 {
			errs.Add(field, "invalid", "%q is not a positive number", s)
			return 0
		}
		return float64(n) / math.Pow10(scale)
	}
	whole := func(field, s string, hi int64) int64 {
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > hi {
			errs.Add(field, "invalid", "%q is not a whole number from 0 to %d", s, hi)
		}
		return n
	}
	if strings.ContainsFunc(f.Reason, unicode.IsControl) {
		errs.Add("reason", "invalid", "the reason is one line of text")
	}
	switch f.Kind {
	case "percent":
		req.Spec.Percent = decimal("value", f.Value, 2)
	case "amount":
		req.Spec.Amount = decimal("value", f.Value, scale)
	default:
		errs.Add("kind", "invalid", "%q is not percent or amount", f.Kind)
	}
	req.Spec.MinOrder = decimal("min_order", f.MinOrder, scale)
	req.Spec.ValidFor = config.Duration(time.Duration(whole("valid_days", f.ValidDays, 3660)) * 24 * time.Hour)
	if f.MaxUses != "" {
		req.MaxUses = whole("max_uses", f.MaxUses, 1_000_000)
	}
	return req, errs
}

// couponField is the form's field of a coupon error: the program names
// them coupon.percent, coupon.valid_for…
func couponField(field string) string {
	field = strings.TrimPrefix(field, "coupon.")
	switch field {
	case "percent", "amount":
		return "value"
	case "valid_for":
		return "valid_days"
	}
	return field
}

// couponErrorText says in the viewer's language what is wrong with a
// field of the coupon form.
func couponErrorText(lang i18n.Lang, field string, e *invalid.Error) string {
	switch field {
	case "code":
		if e.Code == "taken" {
			return i18n.Text(lang, "loyalty_program.error.code_taken", nil)
		}
		return i18n.Text(lang, "loyalty_program.error.code", nil)
	case "value":
		return i18n.Text(lang, "loyalty_program.error.value", nil)
	case "min_order":
		return i18n.Text(lang, "loyalty_program.error.min_order", nil)
	case "valid_days":
		return i18n.Text(lang, "loyalty_program.error.valid_days", nil)
	case "max_uses":
		return i18n.Text(lang, "loyalty_program.error.max_uses", nil)
	case "kind":
		return i18n.Text(lang, "loyalty_program.error.kind", nil)
	case "reason":
		return i18n.Text(lang, "loyalty_program.error.reason", nil)
	}
	return e.Message
}
