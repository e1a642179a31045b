package web

import (
	"net/http"
	"time"
)

// settingsExport downloads the settings in force as a YAML file, the
// shape `--config` reads.
func (h *Handler) settingsExport(w http.ResponseWriter, r *http.Request, _ *visitor) {
	doc, err := h.settingsDoc(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="shopcare-settings-`+
		h.app.Clock.Now().Format(time.DateOnly)+`.yaml"`)
	_, _ = w.Write(doc)
}
