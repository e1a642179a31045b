package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/cluster"
	"github.com/shopcare/shopcare/internal/metrics"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// ServeCmd serves HTTP and runs the jobs until SIGINT or SIGTERM.
type ServeCmd struct {
	Addr            string        `help:"Address to listen on." env:"SHOPCARE_ADDR" default:"127.0.0.1:8080"`
	ShutdownTimeout time.Duration `help:"How long to let requests and jobs in flight finish on shutdown." default:"30s"`
	MetricsFlags    `embed:""`
}

// Run serves until a signal, then shuts down in order: HTTP, workers, database.
func (c *ServeCmd) Run(g *Globals) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := g.logger()
	// Listen first: a busy port is told before any work starts.
	ln, err := listen(c.Addr)
	if err != nil {
		return err
	}
	mln, err := listenMetrics(c.MetricsAddr)
	if err != nil {
		_ = ln.Close()
		return err
	}
	// unlisten closes both addresses when serve gives up before serving.
	unlisten := func() {
		_ = ln.Close()
		if mln != nil {
			_ = mln.Close()
		}
	}
	// On SQLite the data directory is this process's alone: a second serve,
	// or migrate-to copying the shop away, must not write beside it.
	if strings.TrimSpace(g.DatabaseURL) == "" {
		release, err := store.LockDir(g.Data)
		if err == nil {
			defer release()
			err = store.CheckNotMoved(g.Data)
		}
		if err != nil {
			unlisten()
			return err
		}
	}
	a, err := g.open(ctx, log, true)
	if err != nil {
		unlisten()
		return err
	}
	if err := a.Start(ctx); err != nil {
		unlisten()
		_ = a.Stop(context.Background())
		return err
	}
	log.Info("shopcare serving", "addr", "http://"+ln.Addr().String(), "database", a.DB.Engine(), "data", g.Data)
	live := newLiveApp(a)
	live.reloadable(ctx, log, c.ShutdownTimeout)
	live.metricsToken, live.metricsServer = c.MetricsToken, serveMetrics(log, mln, a.Metrics)
	return runServer(ctx, log, live, ln, c.ShutdownTimeout)
}

// listen opens the HTTP address of serve and demo. An address already in
// use says what to change, since the default port is a common one.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%s is in use: set SHOPCARE_ADDR or --addr to another address (port 0 takes a free one): %w", addr, err)
	}
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// liveApp is the App being served and its HTTP handler; settings saved
// in the admin swap both for new ones while the server keeps listening.
type liveApp struct {
	mu      sync.Mutex
	app     *app.App
	version int64 // the newest saved settings version when app was built
	handler atomic.Pointer[http.Handler]
	// beside adds routes of the command's own around each App's
	// handler (the demo's shop window); nil for none.
	beside func(*app.App, http.Handler) http.Handler
	// metricsToken opens /internal/metrics on the public address;
	// metricsServer serves them on their own address (nil for none).
	metricsToken  string
	metricsServer *metricsServer
}

func newLiveApp(a *app.App, beside ...func(*app.App, http.Handler) http.Handler) *liveApp {
	l := &liveApp{app: a}
	if len(beside) > 0 {
		l.beside = beside[0]
	}
	h := l.handlerOf(a)
	l.handler.Store(&h)
	return l
}

// handlerOf is what serves a's requests: shopcare's routes, and the
// command's own beside them.
func (l *liveApp) handlerOf(a *app.App) http.Handler {
	h := serveHandler(a)
	if l.beside != nil {
		h = l.beside(a, h)
	}
	return h
}

func (l *liveApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*l.handler.Load()).ServeHTTP(w, r)
}

func (l *liveApp) current() *app.App {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.app
}

// reloadable lets the admin's settings page apply what it saved: a new
// App is built and started over the same database, takes the requests,
// and the old one retires (its running jobs finish). The page's own
// request completes on the old App.
//
// Another node's save reaches this one too: followSettings reloads when
// a newer version is saved.
func (l *liveApp) reloadable(ctx context.Context, log *slog.Logger, timeout time.Duration) {
	l.version, _ = settingsVersion(ctx, l.app)
	var reload func()
	reload = func() { l.apply(ctx, log, timeout, false, reload) }
	l.app.Reload = reload
	go l.followSettings(ctx, log, timeout, reload)
}

// settingsVersion returns the id of the newest saved settings version
// (0 for none).
func settingsVersion(ctx context.Context, a *app.App) (int64, error) {
	list, err := a.SettingsVersions.List(ctx, 1)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	return list[0].ID, nil
}

// settingsPoll is how often a node looks for settings another node
// saved, when no notification told it (SQLite has none, and a
// PostgreSQL listener may be reconnecting).
const settingsPoll = 3 * time.Second

// followSettings reloads the App when a settings version newer than the
// one it runs on is saved, by any node: at a notification (PostgreSQL)
// or at the latest after settingsPoll.
func (l *liveApp) followSettings(ctx context.Context, log *slog.Logger, timeout time.Duration, reload func()) {
	woken, unsubscribe := l.current().Changes.Subscribe(cluster.TopicSettings)
	defer unsubscribe()
	t := time.NewTicker(settingsPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-woken:
		}
		l.apply(ctx, log, timeout, true, reload)
	}
}

// apply builds and starts the App of the saved settings; onlyNewer
// leaves the App as it is unless a newer version was saved since it was
// built.
func (l *liveApp) apply(ctx context.Context, log *slog.Logger, timeout time.Duration, onlyNewer bool, reload func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ctx.Err() != nil {
		return
	}
	version, err := settingsVersion(ctx, l.app)
	if err != nil {
		if ctx.Err() == nil {
			log.Warn("look for saved settings", "err", err)
		}
		return
	}
	if onlyNewer && version <= l.version {
		return
	}
	next, err := l.app.Reopen(ctx)
	if err != nil {
		l.version = version // tried: the next newer version is tried again
		log.Error("apply saved settings", "err", err)
		return
	}
	next.Reload = reload
	h := l.handlerOf(next)
	old := l.app
	l.app = next
	l.handler.Store(&h)
	go func() {
		retireCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		if err := old.Retire(retireCtx); err != nil {
			log.Error("retire the app of the old settings", "err", err)
		}
	}()
	l.version = version
	log.Info("settings applied", "version", version)
}

// runServer serves the App's HTTP handler on ln until ctx ends or the
// server fails, then shuts down in order: HTTP, then stopWork (work of the
// command's own that uses the App, such as the demo's live shop), then
// the App's workers and database. serve and demo share it.
func runServer(ctx context.Context, log *slog.Logger, live *liveApp, ln net.Listener, timeout time.Duration, stopWork ...func()) error {
	srv := &http.Server{
		Handler:           front(live, live.current().Metrics, live.metricsToken),
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
	if err := live.metricsServer.stop(shutdownCtx); err != nil {
		errs = append(errs, err)
	}
	for _, stop := range stopWork {
		stop()
	}
	if err := live.current().Stop(shutdownCtx); err != nil {
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
	mux.Handle("/readyz", apiHandler)
	mux.Handle("/hooks/", a.Connectors.Handler())
	pages := web.New(a)
	mux.Handle("/hooks/telegram", pages) // the shop's bot's webhook, not a connector
	mux.Handle("/", pages)
	return metrics.Routed(mux)
}
