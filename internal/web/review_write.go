package web

import (
	"errors"
	"net/http"

	"github.com/shopcare/shopcare/internal/review"
)

// reviewWritePage is the verified buyer's review page of one order,
// opened by the order's signed link without signing in.
type reviewWritePage struct {
	page
	reviewForm
}

// reviewWriteShow serves GET /rv/{token}: the order's products, each with
// stars, a text box and a photo, in the customer's language. A forged or
// expired link is the 404 page. Opening it records nothing: a mail
// scanner following the link changes nothing.
func (h *Handler) reviewWriteShow(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	customerID, orderID, err := h.app.Reviews.Verify(token, h.human.Now())
	if err != nil {
		h.notFound(w, r)
		return
	}
	f, err := h.app.Reviews.Form(r.Context(), customerID, orderID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lang := h.customerLanguage(r, f.Language)
	p := reviewWritePage{page: h.page(lang), reviewForm: h.reviewBuild(lang, f, nil, nil)}
	p.Action, p.Sent = "/rv/"+token, r.URL.Query().Get("sent") != ""
	h.render(w, r, http.StatusOK, "review_write", p)
}

// reviewWriteSave takes the form of /rv/{token}: a form to correct comes
// back with its problems (422, nothing stored); a taken one sends the
// customer back to the page with a thank-you.
func (h *Handler) reviewWriteSave(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	customerID, orderID, err := h.app.Reviews.Verify(token, h.human.Now())
	if err != nil {
		h.notFound(w, r)
		return
	}
	f, err := h.app.Reviews.Form(r.Context(), customerID, orderID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.reviewBodyLimit(len(f.Lines)))
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		h.reviewTooBig(w, r, err)
		return
	}
	lang := h.customerLanguage(r, f.Language)
	in, problems := parseReviewForm(r, len(f.Lines))
	in.OrderID, in.CustomerID, in.Source, in.Language = orderID, customerID, review.SourceLink, string(lang)
	status := http.StatusUnprocessableEntity
	if problems == nil {
		_, err = h.app.Reviews.Submit(r.Context(), in)
		if err == nil {
			http.Redirect(w, r, "/rv/"+token+"?sent=1", http.StatusSeeOther)
			return
		}
		var ok bool
		if problems, ok = reviewSubmitProblems(err); !ok {
			if !errors.Is(err, review.ErrNotDelivered) {
				h.fail(w, r, err)
				return
			}
			status = http.StatusConflict
		}
	}
	p := reviewWritePage{page: h.page(lang), reviewForm: h.reviewBuild(lang, f, &in, problems)}
	p.Action = "/rv/" + token
	h.render(w, r, status, "review_write", p)
}

// reviewTooBig answers a form over the body cap (413) or unreadable (400).
func (h *Handler) reviewTooBig(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
		return
	}
	http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
}
