package web

import "net/http"

// Placeholder: the customer's orders (issue 23).

func (h *Handler) myHome(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }

func (h *Handler) myOrderShow(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }
