package web

import (
	"log/slog"
	"net/http"

	"github.com/shopcare/shopcare/internal/app"
)

// Handler serves the web pages of one App.
type Handler struct {
	app *app.App
	log *slog.Logger
}

// New returns the web surface's routes under one mux: the customer's
// tracking pages and the static assets; any other path gets the plain 404
// page. The templates were parsed when the package was initialised.
func New(a *app.App) http.Handler {
	h := &Handler{app: a, log: a.Log.With("component", "web")}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /t/{token}", h.trackingShow)
	mux.HandleFunc("GET /u/{token}", h.unsubscribeShow)
	mux.HandleFunc("POST /u/{token}", h.unsubscribeSave)
	mux.HandleFunc("GET /static/{file}", staticGet)
	mux.HandleFunc("/", h.notFound)
	return h.recoverer(secureHeaders(mux))
}
