package web

import "net/http"

// Placeholder: the admin's list of customers' sign-ins (issue 23).

func (h *Handler) signinList(w http.ResponseWriter, r *http.Request, _ *visitor) { h.notFound(w, r) }
