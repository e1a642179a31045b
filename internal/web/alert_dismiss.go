package web

import (
	"net/http"
	"strconv"
)

// alertDismiss takes an alert off the banner and goes back to the page
// it was dismissed on. An alert unknown or dismissed already is a 404.
func (h *Handler) alertDismiss(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	if err := h.app.Analytics.DismissAlert(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	// The dashboard's figures carry the alert too.
	h.app.Analytics.Forget()
	h.log.InfoContext(r.Context(), "alert dismissed", "alert", id, "user", v.User.Email)
	http.Redirect(w, r, safeNext(r.PostFormValue("back")), http.StatusSeeOther)
}
