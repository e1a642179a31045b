package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/task"
)

// taskResolve closes a find_parcel task as resolved: the operator found
// out where the parcel is, or sorted it out; or, with kind=return_request,
// a return the operator arranged with the customer (whose page then reads
// it as handled). A task closed meanwhile by
// someone else stays as they left it. It goes back to the page the
// button was on: the parcels desk (back=parcels) or the order.
func (h *Handler) taskResolve(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	kind := task.FindParcel
	if r.PostFormValue("kind") == string(task.ReturnRequest) {
		kind = task.ReturnRequest
	}
	orderID, err := h.tasks.Resolve(r.Context(), id, kind, v.User.Email, h.app.Clock.Now())
	if err != nil && !errors.Is(err, task.ErrClosed) {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "task resolved", "kind", kind, "task", id, "order", orderID, "user", v.User.Email)
	back := "/orders/" + strconv.FormatInt(orderID, 10) + "?saved=task"
	if r.PostFormValue("back") == "parcels" {
		back = "/parcels?done=" + strconv.FormatInt(id, 10)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
