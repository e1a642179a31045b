package web

import "net/http"

// Placeholder: returns (issue 23).

func (h *Handler) myReturnShow(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }

func (h *Handler) myReturnSave(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }
