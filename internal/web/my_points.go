package web

import "net/http"

// Placeholder: points and club (issue 23).

func (h *Handler) myPoints(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }
