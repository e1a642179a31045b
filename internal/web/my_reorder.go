package web

import "net/http"

// Placeholder: reorder (issue 23).

func (h *Handler) myReorder(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }
