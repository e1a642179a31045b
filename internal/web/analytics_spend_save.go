package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// analyticsSpendSave records a month's marketing spend on a channel, the
// CAC's other half, and goes back to the dashboard of the window the form
// was sent from. Errors come back on their fields.
func (h *Handler) analyticsSpendSave(w http.ResponseWriter, r *http.Request, v *visitor) {
	form := spendForm{Month: strings.TrimSpace(r.PostFormValue("month")), Channel: strings.TrimSpace(r.PostFormValue("channel")),
		Amount: strings.TrimSpace(r.PostFormValue("amount"))}
	from, to := r.PostFormValue("from"), r.PostFormValue("to")
	ctx := r.Context()
	sp, err := h.app.Analytics.SpendSet(ctx, form.Month, form.Channel, form.Amount)
	var bad *invalid.Error
	switch {
	case err == nil:
		h.app.Analytics.Forget()
		h.log.InfoContext(r.Context(), "marketing spend saved", "month", sp.Month, "channel", sp.Channel, "amount", sp.Amount, "user", v.User.Email)
		q := url.Values{"saved": {"spend"}}
		if _, werr := analytics.ParseWindow(from, to); werr == nil {
			for k, val := range map[string]string{"from": from, "to": to} {
				if val != "" {
					q.Set(k, val)
				}
			}
		}
		http.Redirect(w, r, "/analytics?"+q.Encode()+"#channels", http.StatusSeeOther)
		return
	case errors.As(err, &bad):
	default:
		h.fail(w, r, err)
		return
	}
	p, err := h.analyticsData(ctx, v, from, to)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	form.Errors = map[string]string{bad.Field: spendErrorText(v.Lang, h.app.Settings.Shop.Currency, bad)}
	p.Spend = form
	h.render(w, r, http.StatusUnprocessableEntity, "analytics", p)
}

// spendErrorText says in the viewer's language what is wrong with a
// field of the spend form.
func spendErrorText(lang i18n.Lang, currency string, e *invalid.Error) string {
	switch e.Field {
	case "month":
		return i18n.Text(lang, "analytics.spend.error.month", nil)
	case "channel":
		return i18n.Text(lang, "analytics.spend.error.channel", nil)
	case "amount":
		return i18n.Text(lang, "analytics.spend.error.amount", map[string]any{"Currency": currency})
	}
	return e.Message
}
