package web

import "net/http"

// Placeholder: help, FAQ and contacts (issue 23).

func (h *Handler) myHelp(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) }

func (h *Handler) myQuestionSave(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) }
