package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/returns"
	"github.com/shopcare/shopcare/internal/secret"
)

// myReturnPage is the customer's return page of one order: the window,
// the requests made, and the form while returns are open.
type myReturnPage struct {
	myPage
	OrderID int64
	Number  string
	Window  returns.Window
	// DeliveredText and UntilText are the delivery day and the window's
	// last day in words.
	DeliveredText, UntilText string
	// Form is shown: the order is delivered, the window open and some
	// unit left to return.
	Form     bool
	Lines    []myReturnLine
	Reasons  []myReturnReason
	Comment  string
	FormID   string
	Requests []returns.Request
	// Problems are what to correct, in the customer's language, each
	// with the field it is about (for the summary's links).
	Problems []myReturnProblem
	// Refused is why the request was refused as a whole (the window
	// closed meanwhile), "" otherwise.
	Refused    string
	Sent       bool
	MaxComment int
}

// myReturnLine is one line of the order on the form.
type myReturnLine struct {
	Line          int
	Name, SKU     string
	Ordered, Left int64
	Value         string // what the customer typed, on a form sent back
	Problem       string
}

// myReturnReason is one reason to choose from.
type myReturnReason struct {
	Code, Label string
	Selected    bool
}

// myReturnProblem is one thing to correct on the form.
type myReturnProblem struct {
	Field, Text string
}

// myReturnShow shows the return page of one of the customer's orders.
func (h *Handler) myReturnShow(w http.ResponseWriter, r *http.Request, v *myVisit) {
	o, err := h.myOrder(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.myReturnData(r, v, o, nil, returns.Input{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Sent = r.URL.Query().Get("sent") != ""
	h.render(w, r, http.StatusOK, "my_return", p)
}

// myReturnSave takes the return form: the order's lines and quantities,
// a reason and a comment. A form to correct comes back with its problems
// in the customer's language; a taken one sends the customer to the page
// showing the request.
func (h *Handler) myReturnSave(w http.ResponseWriter, r *http.Request, v *myVisit) {
	o, err := h.myOrder(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil { // myOnly read the form already, for its token
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	in, problems := parseReturnForm(r.PostForm, len(o.Items))
	in.OrderID, in.CustomerID = o.ID, v.Customer.ID
	if problems == nil {
		_, err = h.returns.Create(r.Context(), in)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/my/orders/%d/return?sent=1#requests", o.ID), http.StatusSeeOther)
			return
		}
		var list invalid.List
		var closed *returns.ClosedError
		switch {
		case errors.As(err, &list):
			problems = list
		case errors.Is(err, returns.ErrNotDelivered), errors.As(err, &closed):
		default:
			h.fail(w, r, err)
			return
		}
	}
	p, perr := h.myReturnData(r, v, o, problems, in)
	if perr != nil {
		h.fail(w, r, perr)
		return
	}
	status := http.StatusUnprocessableEntity
	if problems == nil { // refused whole: not delivered, or the window closed
		status = http.StatusConflict
		p.Refused = myReturnRefusal(v.Lang, p)
	}
	h.render(w, r, status, "my_return", p)
}

// parseReturnForm reads the form's quantities (qty_<line> for each of the
// order's lines; empty is 0), reason, comment and form id. A quantity
// that is no whole number is a problem here; the rest is checked by the
// returns service against the order.
func parseReturnForm(form url.Values, lines int) (returns.Input, invalid.List) {
	in := returns.Input{Qty: map[int]int64{}, Reason: form.Get("reason"), Comment: form.Get("comment"),
		FormID: form.Get("form_id")}
	if !secret.Plausible(in.FormID) {
		in.FormID = "" // not the page's own: the service makes one
	}
	var problems invalid.List
	for line := 1; line <= lines; line++ {
		field := fmt.Sprintf("qty_%d", line)
		s := strings.TrimSpace(form.Get(field))
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			problems.Add(field, "number", "must be a whole number")
			continue
		}
		in.Qty[line] = n
	}
	return in, problems
}

// myReturnData builds the return page of order o, with the form sent
// back (in) and its problems when there are any.
func (h *Handler) myReturnData(r *http.Request, v *myVisit, o *order.Order, problems invalid.List, in returns.Input) (*myReturnPage, error) {
	f, err := h.returns.Form(r.Context(), o)
	if err != nil {
		return nil, err
	}
	p := &myReturnPage{myPage: h.myPageOf(r, v, v.Lang, "orders"), OrderID: o.ID, Number: order.Number(o.ExternalID),
		Window: f.Window, Requests: f.Requests, Comment: in.Comment, FormID: in.FormID, MaxComment: returns.MaxComment}
	if p.FormID == "" {
		p.FormID = secret.Token()
	}
	p.DeliveredText, p.UntilText = longDay(v.Lang, f.Window.DeliveredOn), longDay(v.Lang, f.Window.Until)
	p.Form = f.Window.Open && f.Any()
	byField := map[string]string{}
	for _, e := range problems {
		text := myReturnProblemText(v.Lang, e, f.Lines)
		byField[e.Field] = text
		p.Problems = append(p.Problems, myReturnProblem{Field: e.Field, Text: text})
	}
	for _, l := range f.Lines {
		line := myReturnLine{Line: l.Line, Name: l.Name, SKU: l.SKU, Ordered: l.Ordered, Left: l.Left(),
			Problem: byField[fmt.Sprintf("qty_%d", l.Line)]}
		if q, ok := in.Qty[l.Line]; ok {
			line.Value = strconv.FormatInt(q, 10)
		}
		p.Lines = append(p.Lines, line)
	}
	for _, code := range f.Reasons {
		p.Reasons = append(p.Reasons, myReturnReason{Code: code, Label: label(v.Lang, "return_reason", code), Selected: code == in.Reason})
	}
	return p, nil
}

// longDay is a stored day in words, "" for none: without the weekday,
// whose case a sentence would have to bend ("до 15 декабря").
func longDay(lang i18n.Lang, day string) string {
	d, err := calendar.ParseDay(day)
	if err != nil {
		return ""
	}
	return i18n.FormatDayShort(lang, d)
}

// myReturnProblemText words one problem of the form for the customer:
// my.return.error.<field>.<code>, the line's field named qty.
func myReturnProblemText(lang i18n.Lang, e *invalid.Error, lines []returns.Returnable) string {
	field, data := e.Field, map[string]any{"Max": returns.MaxComment}
	if n, ok := strings.CutPrefix(e.Field, "qty_"); ok {
		field = "qty"
		if line, err := strconv.Atoi(n); err == nil && line >= 1 && line <= len(lines) {
			data["Max"] = lines[line-1].Left()
		}
	}
	id := "my.return.error." + field + "." + e.Code
	if s := i18n.Text(lang, id, data); s != "["+id+"]" {
		return s
	}
	return i18n.Text(lang, "my.return.error.other", nil)
}

// myReturnRefusal says why a whole request was refused.
func myReturnRefusal(lang i18n.Lang, p *myReturnPage) string {
	switch {
	case p.Window.Returned:
		return i18n.Text(lang, "my.return.returned", nil)
	case !p.Window.Delivered:
		return i18n.Text(lang, "my.return.not_delivered", nil)
	case p.Window.Until == "":
		return i18n.Text(lang, "my.return.off", nil)
	}
	return i18n.Text(lang, "my.return.closed", map[string]any{"Until": p.UntilText})
}
