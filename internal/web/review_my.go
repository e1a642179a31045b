package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/shopcare/shopcare/internal/review"
)

// myReviewPage is the review page of one order on the customer's own
// page.
type myReviewPage struct {
	myPage
	reviewForm
	OrderID int64
}

// myReviewShow serves GET /my/orders/{id}/review.
func (h *Handler) myReviewShow(w http.ResponseWriter, r *http.Request, v *myVisit) {
	o, err := h.myOrder(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := h.app.Reviews.Form(r.Context(), v.Customer.ID, o.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := myReviewPage{myPage: h.myPageOf(r, v, v.Lang, "orders"), reviewForm: h.reviewBuild(v.Lang, f, nil, nil), OrderID: o.ID}
	p.Action, p.CSRFField, p.Sent = fmt.Sprintf("/my/orders/%d/review", o.ID), v.Session.CSRF, r.URL.Query().Get("sent") != ""
	h.render(w, r, http.StatusOK, "review_my", p)
}

// myReviewSave takes the review form of the customer's own page.
func (h *Handler) myReviewSave(w http.ResponseWriter, r *http.Request, v *myVisit) {
	o, err := h.myOrder(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := h.app.Reviews.Form(r.Context(), v.Customer.ID, o.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// myOnly read the form already, for its token; a form that was no
	// multipart one has no photos.
	if r.MultipartForm == nil {
		if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			h.reviewTooBig(w, r, err)
			return
		}
	}
	in, problems := parseReviewForm(r, len(f.Lines))
	in.OrderID, in.CustomerID, in.Source, in.Language = o.ID, v.Customer.ID, review.SourceMy, string(v.Lang)
	status := http.StatusUnprocessableEntity
	if problems == nil {
		_, err = h.app.Reviews.Submit(r.Context(), in)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/my/orders/%d/review?sent=1", o.ID), http.StatusSeeOther)
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
	p := myReviewPage{myPage: h.myPageOf(r, v, v.Lang, "orders"), reviewForm: h.reviewBuild(v.Lang, f, &in, problems), OrderID: o.ID}
	p.Action, p.CSRFField = fmt.Sprintf("/my/orders/%d/review", o.ID), v.Session.CSRF
	h.render(w, r, status, "review_my", p)
}
