package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/review"
)

// reviewListPage is the admin's moderation of reviews: a tab per status
// with its count, the reviews of the tab and what can be done to each.
type reviewListPage struct {
	adminPage
	Status  string
	Tabs    []reviewTab
	Reviews []reviewShown
	Reasons []reviewReason
	Pages   reviewPages
	// Error is a problem of the last action, in the page's language.
	Error string
}

// reviewTab is one status tab.
type reviewTab struct {
	Status, Label string
	Count         int
	Current       bool
}

// reviewReason is one reason to reject, with its label.
type reviewReason struct{ Code, Label string }

// reviewAdminPageSize is how many reviews a page of /reviews shows.
const reviewAdminPageSize = 10

// reviewList serves GET /reviews?status=: pending first, as that is the
// work.
func (h *Handler) reviewList(w http.ResponseWriter, r *http.Request, v *visitor) {
	p, err := h.reviewListData(r, v, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "review_list", p)
}

func (h *Handler) reviewListData(r *http.Request, v *visitor, problem string) (*reviewListPage, error) {
	status := r.URL.Query().Get("status")
	if !slices.Contains(review.Statuses, status) {
		status = review.Pending
	}
	counts, err := h.app.Reviews.Counts(r.Context())
	if err != nil {
		return nil, err
	}
	pg := pageNumber(r)
	list, total, err := h.app.Reviews.List(r.Context(), review.Query{Status: status, Limit: reviewAdminPageSize,
		Offset: (pg - 1) * reviewAdminPageSize})
	if err != nil {
		return nil, err
	}
	p := &reviewListPage{adminPage: h.adminPage(v, auth.AreaCustomers), Status: status, Error: problem,
		Pages: reviewPagesOf(r.URL, pg, total, reviewAdminPageSize)}
	if r.URL.Query().Get("done") != "" {
		p.Flash = "admin.saved"
	}
	for _, st := range review.Statuses {
		p.Tabs = append(p.Tabs, reviewTab{Status: st, Label: label(v.Lang, "review_status", st), Count: counts[st], Current: st == status})
	}
	for _, code := range review.RejectReasons {
		p.Reasons = append(p.Reasons, reviewReason{Code: code, Label: label(v.Lang, "review_reject", code)})
	}
	for _, rv := range list {
		p.Reviews = append(p.Reviews, reviewShown{Review: rv, Glyphs: starGlyphs(rv.Rating)})
	}
	return p, nil
}

// reviewAct runs one moderation action on /reviews/{id}/… and goes back
// to the tab the form came from; a field problem comes back as a 422 page.
func (h *Handler) reviewAct(w http.ResponseWriter, r *http.Request, v *visitor, act func(id int64) error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	back := r.PostFormValue("status")
	if !slices.Contains(review.Statuses, back) {
		back = review.Pending
	}
	err = act(id)
	var bad *invalid.Error
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/reviews?status=%s&done=1#review-%d", url.QueryEscape(back), id), http.StatusSeeOther)
	case errors.Is(err, app.ErrNotFound):
		h.notFound(w, r)
	case errors.As(err, &bad):
		r.URL.RawQuery = url.Values{"status": {back}}.Encode()
		p, perr := h.reviewListData(r, v, reviewAdminProblem(v.Lang, bad))
		if perr != nil {
			h.fail(w, r, perr)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "review_list", p)
	default:
		h.fail(w, r, err)
	}
}

// reviewAdminProblem words a moderation problem: review_list.error.<field>.
func reviewAdminProblem(lang i18n.Lang, e *invalid.Error) string {
	return i18n.Text(lang, "review_list.error."+e.Field, map[string]any{"Max": review.MaxReply})
}

// reviewPublish serves POST /reviews/{id}/publish.
func (h *Handler) reviewPublish(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.reviewAct(w, r, v, func(id int64) error {
		_, err := h.app.Reviews.Publish(r.Context(), id, v.User.Email)
		return err
	})
}

// reviewReject serves POST /reviews/{id}/reject with a reason.
func (h *Handler) reviewReject(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.reviewAct(w, r, v, func(id int64) error {
		_, err := h.app.Reviews.Reject(r.Context(), id, r.PostFormValue("reason"), v.User.Email)
		return err
	})
}

// reviewReply serves POST /reviews/{id}/reply: the shop's answer.
func (h *Handler) reviewReply(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.reviewAct(w, r, v, func(id int64) error {
		_, err := h.app.Reviews.Reply(r.Context(), id, r.PostFormValue("reply"), v.User.Email)
		return err
	})
}
