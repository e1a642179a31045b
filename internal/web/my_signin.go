package web

import "net/http"

// Placeholder: the sign-in pages are built in this file (issue 23).

func (h *Handler) myLoginShow(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) }

func (h *Handler) myLoginSave(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) }

func (h *Handler) myCodeSave(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) }

func (h *Handler) myEnterShow(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) }

func (h *Handler) myEnterSave(w http.ResponseWriter, r *http.Request) { h.notFound(w, r) }

func (h *Handler) myLogout(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }
