package web

import "net/http"

// Placeholder: the delivery-date widget script (issue 23).

func (h *Handler) deliveryScript(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) }
