package web

import "net/http"

// Placeholder: the admin's FAQ editor (issue 23).

func (h *Handler) faqList(w http.ResponseWriter, r *http.Request, _ *visitor) { h.notFound(w, r) }

func (h *Handler) faqSave(w http.ResponseWriter, r *http.Request, _ *visitor) { h.notFound(w, r) }

func (h *Handler) faqDelete(w http.ResponseWriter, r *http.Request, _ *visitor) { h.notFound(w, r) }
