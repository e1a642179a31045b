package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/task"
)

// taskResolve closes a find_parcel task as resolved: the operator found
// out where the parcel is, or sorted it out. A task closed meanwhile by
// someone else stays as they left it. It goes back to the page the
// button was on: the parcels desk (back=parcels) or the order.
func (h *Handler) taskResolve(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	orderID, err := h.tasks.Resolve(r.Context(), id, task.FindParcel, v.User.Email, h.app.Clock.Now())
	if err != nil && !errors.Is(err, task.ErrClosed) {
		h.fail(w, r, err)
		return
	}
	h.log.Info("find_parcel task resolved", "task", id, "order", orderID, "user", v.User.Email)
	back := "/orders/" + strconv.FormatInt(orderID, 10) + "?saved=task"
	if r.PostFormValue("back") == "parcels" {
		back = "/parcels?done=" + strconv.FormatInt(id, 10)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
