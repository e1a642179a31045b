package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/shopcare/shopcare/internal/auth"
)

// authed admits requests bearing a valid API token and bounds their body.
func (h *Handler) authed(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(header, "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="shopcare"`)
			writeError(w, r, http.StatusUnauthorized, "unauthorized", "send an API token: Authorization: Bearer <token> (create one with shopcare token add NAME)", "")
			return
		}
		if _, err := auth.TokenCheck(r.Context(), h.app.DB.Read(), strings.TrimSpace(token)); err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="shopcare", error="invalid_token"`)
			h.fail(w, r, err)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next(w, r)
	})
}

// recoverer turns a panic into a logged 500 instead of a dropped connection.
func (h *Handler) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				h.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v)
				writeError(w, r, http.StatusInternalServerError, "internal", "something went wrong on our side; it has been logged", "")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	var one int
	if err := h.app.DB.Read().QueryRow(r.Context(), `SELECT 1`).Scan(&one); err != nil {
		h.log.Error("health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": string(h.app.DB.Engine())})
}
