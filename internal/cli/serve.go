package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/web"
)

// ServeCmd serves HTTP and runs the jobs until SIGINT or SIGTERM.
type ServeCmd struct {
	Addr            string        `help:"Address to listen on." env:"SHOPCARE_ADDR" default:"127.0.0.1:8080"`
	ShutdownTimeout time.Duration `help:"How long to let requests and jobs in flight finish on shutdown." default:"30s"`
}

// Run serves until a signal, then shuts down in order: HTTP, workers, database.
func (c *ServeCmd) Run(g *Globals) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := g.logger()
	a, err := g.open(ctx, log, true)
	if err != nil {
		return err
	}
	if err := a.Start(ctx); err != nil {
		_ = a.Stop(context.Background())
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		_ = a.Stop(context.Background())
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	log.Info("shopcare serving", "addr", "http://"+ln.Addr().String(), "database", a.DB.Engine(), "data", g.Data)
	return runServer(ctx, log, a, ln, c.ShutdownTimeout)
}

// runServer serves the App's HTTP handler on ln until ctx ends or the
// server fails, then shuts down in order: HTTP, then stopWork (work of the
// command's own that uses the App, such as the demo's live shop), then
// the App's workers and database. serve and demo share it.
func runServer(ctx context.Context, log *slog.Logger, a *app.App, ln net.Listener, timeout time.Duration, stopWork ...func()) error {
	srv := &http.Server{
		Handler:           serveHandler(a),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	log.Info("shopcare stopping")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	errs := []error{err}
	if err := srv.Shutdown(shutdownCtx); err != nil {
		errs = append(errs, fmt.Errorf("stop HTTP: %w", err))
	}
	for _, stop := range stopWork {
		stop()
	}
	if err := a.Stop(shutdownCtx); err != nil {
		errs = append(errs, fmt.Errorf("stop jobs: %w", err))
	}
	if err := errors.Join(errs...); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("shopcare stopped")
	return nil
}

// serveHandler routes the API and /healthz to the API's handler and every other
// path (tracking pages, static assets, later the admin) to the web pages.
func serveHandler(a *app.App) http.Handler {
	apiHandler := api.New(a)
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", apiHandler)
	mux.Handle("/healthz", apiHandler)
	mux.Handle("/", web.New(a))
	return mux
}
