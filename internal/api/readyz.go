package api

import (
	"net/http"
)

// readyz answers 200 when the app is ready for traffic — the database
// answers, every migration is applied, the journal keeps up — and 503
// naming what is not, with each check's detail. Like /healthz it needs
// no token: a load balancer asks it.
func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	checks := h.database.Ready(r.Context())
	body := map[string]any{"status": "ready", "checks": checks}
	var not []string
	for _, c := range checks {
		if !c.OK {
			not = append(not, c.Name)
		}
	}
	if len(not) > 0 {
		body["status"], body["not_ready"] = "not_ready", not
		h.log.WarnContext(r.Context(), "not ready", "not_ready", not)
		writeJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	writeJSON(w, http.StatusOK, body)
}
