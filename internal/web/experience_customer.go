package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// experienceSection is the customer page's section of the register: the
// customer's negative experiences, each with its kind in words, its order
// and whether it was put right, and the form that resolves an open one.
type experienceSection struct {
	Rows []experienceRow
	Open int
	// Form is the resolve form sent back with its errors (Form.ID names
	// the row it was for).
	Form experienceForm
}

// experienceRow is one negative experience, for the page.
type experienceRow struct {
	experience.Experience
	What        string // the kind in words
	Detail      string // what the detail says, in words ("2 days late")
	OrderNumber string
}

// experienceForm is the resolve form as typed.
type experienceForm struct {
	ID           int64
	Note         string
	Compensation string
	Errors       map[string]string
}

// experienceSectionData reads the customer's register for their page.
func (h *Handler) experienceSectionData(ctx context.Context, lang i18n.Lang, customerID int64, orders []order.ListItem) (*experienceSection, error) {
	list, err := h.app.Experiences.ListByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	numbers := make(map[int64]string, len(orders))
	for _, o := range orders {
		numbers[o.ID] = o.ExternalID
	}
	s := &experienceSection{Form: experienceForm{Errors: map[string]string{}}}
	for _, x := range list {
		if x.Open() {
			s.Open++
		}
		s.Rows = append(s.Rows, experienceRow{Experience: x, What: experienceKindText(lang, x.Kind),
			Detail: experienceDetailText(lang, x), OrderNumber: numbers[x.OrderID]})
	}
	return s, nil
}

// experienceKindText names a kind of negative experience in lang.
func experienceKindText(lang i18n.Lang, k experience.Kind) string {
	return i18n.Text(lang, "experience.kind."+string(k), nil)
}

// experienceDetailText says what a row's detail tells, in lang: how many
// days late, the first and the new promised day, who cancelled.
func experienceDetailText(lang i18n.Lang, x experience.Experience) string {
	d := map[string]string{}
	for part := range strings.SplitSeq(x.Detail, ";") {
		if k, v, ok := strings.Cut(part, "="); ok {
			d[k] = v
		}
	}
	switch x.Kind {
	case experience.LateDelivery:
		if n, err := strconv.Atoi(d["days_late"]); err == nil && n > 0 {
			return i18n.Text(lang, "experience.detail.days_late", map[string]any{"Days": i18n.Days(lang, n)})
		}
	case experience.BrokenPromise:
		first, err1 := calendar.ParseDay(d["promised_to"])
		now, err2 := calendar.ParseDay(d["now"])
		if err1 == nil && err2 == nil {
			return i18n.Text(lang, "experience.detail.repromised", map[string]any{"First": i18n.FormatDay(lang, first), "Now": i18n.FormatDay(lang, now)})
		}
	case experience.MissedCallback:
		if x.Detail == experience.CauseWrongNumber {
			return i18n.Text(lang, "experience.detail.wrong_number", nil)
		}
		return i18n.Text(lang, "experience.detail.no_answer", nil)
	}
	return ""
}

// customerExperienceResolve marks one of the customer's negative
// experiences resolved with the operator's note and what the customer
// was given; errors come back on their fields, nothing written.
func (h *Handler) customerExperienceResolve(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	xid, err2 := strconv.ParseInt(r.PathValue("xid"), 10, 64)
	if err1 != nil || err2 != nil {
		h.notFound(w, r)
		return
	}
	form := experienceForm{ID: xid, Note: r.PostFormValue("note"), Compensation: strings.TrimSpace(r.PostFormValue("compensation")),
		Errors: map[string]string{}}
	res := experience.Resolution{Note: form.Note, By: v.User.Email}
	if form.Compensation != "" {
		n, err := money.Parse(form.Compensation, money.Scale(h.app.Settings.Shop.Currency))
		if err != nil || n < 0 {
			form.Errors["compensation"] = i18n.Text(v.Lang, "experience.error.compensation", nil)
		}
		res.CompensationMinor = n
	}
	back := "/customers/" + strconv.FormatInt(id, 10)
	var err error
	if len(form.Errors) == 0 {
		_, err = h.app.Experiences.Resolve(r.Context(), id, xid, res)
	}
	var list invalid.List
	var one *invalid.Error
	switch {
	case len(form.Errors) > 0:
	case err == nil:
		http.Redirect(w, r, back+"?saved=1#experiences", http.StatusSeeOther)
		return
	case errors.Is(err, experience.ErrResolved):
		http.Redirect(w, r, back+"#experiences", http.StatusSeeOther)
		return
	case errors.Is(err, app.ErrNotFound):
		h.notFound(w, r)
		return
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = invalid.List{one}
	default:
		h.fail(w, r, err)
		return
	}
	for _, e := range list {
		if _, seen := form.Errors[e.Field]; !seen {
			form.Errors[e.Field] = experienceErrorText(v.Lang, e)
		}
	}
	p, err := h.customerShowData(r, v, id, 0)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Experiences.Form = form
	h.render(w, r, http.StatusUnprocessableEntity, "customer_show", p)
}

// experienceErrorText says in lang what is wrong with a field of the
// resolve form.
func experienceErrorText(lang i18n.Lang, e *invalid.Error) string {
	switch e.Field + "." + e.Code {
	case "note.required":
		return i18n.Text(lang, "experience.error.note_required", nil)
	case "note.too_long":
		return i18n.Text(lang, "experience.error.note_too_long", nil)
	case "note.control_character", "note.invalid_utf8":
		return i18n.Text(lang, "experience.error.note_invalid", nil)
	case "compensation.range", "cost.range":
		return i18n.Text(lang, "experience.error.compensation", nil)
	}
	return e.Message
}
