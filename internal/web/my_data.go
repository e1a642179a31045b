package web

import "net/http"

// Placeholder: the customer's data (issue 23).

func (h *Handler) myDataShow(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }

func (h *Handler) myDataSave(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }

func (h *Handler) myConsentSave(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }

func (h *Handler) myDataExport(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }

func (h *Handler) myDataDelete(w http.ResponseWriter, r *http.Request, _ *myVisit) { h.notFound(w, r) }
