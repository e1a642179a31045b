package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/alecthomas/kong"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/store"
)

// DemoCmd runs a demo shop: a year of history, new orders arriving on a
// simulated clock, the carriers delivering, the admin and the outbox.
//
// It never touches a shop's data by accident: the data directory is a
// fresh temporary one, and the database SQLite in it, unless --data or
// --database-url is given on its command line (SHOPCARE_DATA and
// SHOPCARE_DATABASE_URL are not read); the shop is a demo shop unless
// --config is given on its command line. SHOPCARE_SMTP_URL, when set,
// sends the demo's e-mail through a real mail server; the demo customers'
// addresses are under the reserved .example domain. It listens on --addr,
// else on SHOPCARE_ADDR as serve does.
type DemoCmd struct {
	Addr      string  `help:"Address to listen on; port 0 takes a free one (the real address is printed)." env:"SHOPCARE_ADDR" default:"127.0.0.1:8080"`
	Speed     float64 `help:"Shop seconds per real second: 3600 plays a shop hour a second, 1 is real time (at most 1000000)." default:"3600"`
	Seed      uint64  `help:"Seed of the generated shop; 0 picks one (printed, to make the same shop again)." default:"0"`
	Keep      bool    `help:"Keep the temporary data directory at exit (run again with --data DIR to carry on)."`
	Shop      string  `help:"Demo shop when --config is not given: lv (Latvian, EUR; lv, ru, en) or ru (Russian, RUB; ru, en)." default:"lv" enum:"lv,ru"`
	Customers int     `help:"Customers with a year of history." default:"1500"`

	ShutdownTimeout time.Duration `help:"How long to let requests and jobs in flight finish on shutdown." default:"30s"`
	// The metrics: without a token or an address of their own, the demo
	// makes a token and prints it.
	MetricsFlags `embed:""`
}

// maxSpeed is the fastest shop clock the demo plays: a shop day in under
// a tenth of a second is no longer a shop anyone can watch, and the live
// shop would only catch up in bounded leaps (maxCatchUp) anyway.
const maxSpeed = 1e6

// Validate refuses a shop clock that stands still, runs backwards or
// runs absurdly fast, before anything is set up; kong calls it after
// parsing.
func (c *DemoCmd) Validate() error {
	if !(c.Speed > 0) || c.Speed > maxSpeed {
		return fmt.Errorf("--speed %g: want shop seconds per real second above 0 and at most %g (1 is real time, 3600 a shop hour a second)", c.Speed, float64(maxSpeed))
	}
	return nil
}

// demoUser is the user whose presence marks a database as a demo's own.
const demoUser = "owner@demo.shop"

// Run plays the demo shop until SIGINT or SIGTERM, then shuts down in
// order: HTTP, the live shop, workers, database; and removes the
// temporary data directory unless --keep.
func (c *DemoCmd) Run(g *Globals, k *kong.Context) (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := g.logger()

	settings, err := c.settings(g, k)
	if err != nil {
		return err
	}
	storeOpts := store.Options{DataDir: g.Data}
	if given(k, "database-url") {
		storeOpts.URL = strings.TrimSpace(g.DatabaseURL)
	}
	temp := !given(k, "data") && storeOpts.URL == ""
	if temp {
		if storeOpts.DataDir, err = os.MkdirTemp("", "shopcare-demo-"); err != nil {
			return fmt.Errorf("demo data directory: %w", err)
		}
		if !c.Keep {
			defer func() {
				if rerr := os.RemoveAll(storeOpts.DataDir); rerr != nil {
					err = errors.Join(err, fmt.Errorf("remove demo data directory: %w", rerr))
				}
			}()
		}
	}

	if storeOpts.URL == "" {
		release, err := store.LockDir(storeOpts.DataDir)
		if err != nil {
			return err
		}
		defer release()
	}

	// Listen first: the links in the messages need the real address.
	ln, err := listen(c.Addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	if settings.Shop.PublicURL == config.Default().Shop.PublicURL {
		settings.Shop.PublicURL = base
	}
	mailTo := settings.Channels.Email.SMTPURL
	if mailTo == "" {
		sink, err := demo.StartMailSink(log.With("component", "demo-mail"))
		if err != nil {
			_ = ln.Close()
			return err
		}
		defer sink.Close()
		demo.Channels(&settings, sink.URL())
	} else {
		demo.Channels(&settings, "")
	}

	a, clk, resumed, err := c.open(ctx, log, storeOpts, settings)
	if err != nil {
		_ = ln.Close()
		return err
	}
	// The server swaps the App for a new one when settings are saved in
	// the admin; the live shop follows it.
	served := newLiveApp(a, demo.WithShopWindow)
	served.reloadable(ctx, log, c.ShutdownTimeout)
	live, banner, err := c.prepare(ctx, a, resumed, served.current)
	if err != nil {
		_ = ln.Close()
		_ = a.Stop(context.Background())
		return err
	}
	mln, err := listenMetrics(c.MetricsAddr)
	if err != nil {
		_ = ln.Close()
		_ = a.Stop(context.Background())
		return err
	}
	served.metricsToken, served.metricsServer = demoMetricsToken(c.MetricsFlags), serveMetrics(log, mln, a.Metrics)
	// The shop clock stood still while the shop was set up; it runs from
	// here, so the live orders follow on from the seeded ones.
	clk.SetSpeed(c.Speed)
	liveCtx, stopLive := context.WithCancel(ctx)
	liveDone := make(chan struct{})
	go func() {
		defer close(liveDone)
		live.Run(liveCtx)
	}()

	banner.base, banner.mail, banner.speed = base, mailTo, c.Speed
	banner.data, banner.temp, banner.keep = storeOpts.DataDir, temp, c.Keep
	if storeOpts.URL != "" {
		banner.data = "PostgreSQL"
	}
	if banner.my, banner.myName, err = demoMyPage(ctx, a, base); err != nil {
		log.Warn("the banner goes without a customer's page", "err", err)
	}
	banner.observe = func(w io.Writer) { printDemoMetrics(w, base, served.metricsToken, mln) }
	banner.print(g.stdout, a)
	log.Info("shopcare demo serving", "addr", base, "database", a.DB.Engine())
	return runServer(ctx, log, served, ln, c.ShutdownTimeout, func() {
		stopLive()
		<-liveDone
	})
}

// given tells whether a flag was given on the command line (not taken
// from the environment or its default).
func given(k *kong.Context, name string) bool {
	for _, p := range k.Path {
		if p.Flag != nil && p.Flag.Name == name && !p.Resolved {
			return true
		}
	}
	return false
}

// settings are the --config file's when given on the command line, else
// the demo shop's.
func (c *DemoCmd) settings(g *Globals, k *kong.Context) (config.Settings, error) {
	if given(k, "config") {
		return g.settings()
	}
	return demo.ShopSettings(c.Shop)
}

// open opens the store and wires the App on a shop clock, standing still
// until the caller sets its speed. A store that holds a demo already
// (--data of a kept demo) is carried on from where its shop time stood;
// one that holds another shop's orders is refused.
func (c *DemoCmd) open(ctx context.Context, log *slog.Logger, opts store.Options, settings config.Settings) (*app.App, *clock.Scaled, bool, error) {
	db, err := store.Open(ctx, opts)
	if err != nil {
		return nil, nil, false, err
	}
	start, resumed, err := c.resume(ctx, db, opts.DataDir)
	if err != nil {
		db.Close()
		return nil, nil, false, err
	}
	clk := clock.NewScaled(start, 0)
	a, err := app.Wire(ctx, db, app.Options{Settings: settings, Clock: clk, Log: log, Work: true, Demo: true, Store: opts})
	if err != nil {
		db.Close()
		return nil, nil, false, err
	}
	if err := a.Start(ctx); err != nil {
		_ = a.Stop(context.Background())
		return nil, nil, false, err
	}
	return a, clk, resumed, nil
}

// resume says where the shop clock starts: now, or for a kept demo the
// last moment its shop saw, whichever is later.
func (c *DemoCmd) resume(ctx context.Context, db *store.DB, dir string) (time.Time, bool, error) {
	start := time.Now().Truncate(time.Second)
	if err := db.Migrate(ctx); err != nil {
		return start, false, err
	}
	q := db.Read()
	last, err := order.LastUpdatedAt(ctx, q)
	if errors.Is(err, store.ErrNotFound) {
		return start, false, nil
	}
	if err != nil {
		return start, false, fmt.Errorf("demo: look at the database: %w", err)
	}
	n, err := auth.CountUsersByEmail(ctx, q, demoUser)
	if err != nil {
		return start, false, fmt.Errorf("demo: look at the database: %w", err)
	}
	if n == 0 {
		return start, false, fmt.Errorf("the database (data directory %s) holds a shop's orders, not a demo's: "+
			"the demo will not write there; leave out --data and --database-url for a fresh one", dir)
	}
	if last.After(start) {
		start = last
	}
	return start, true, nil
}

// prepare seeds a new demo's history (not a resumed one's), gives the
// shop's people fresh passwords and readies the live shop.
func (c *DemoCmd) prepare(ctx context.Context, a *app.App, resumed bool, current func() *app.App) (*demo.Live, demoBanner, error) {
	b := demoBanner{seed: c.Seed, resumed: resumed}
	if b.seed == 0 {
		b.seed = rand.Uint64()
	}
	seedRnd := rand.New(rand.NewPCG(b.seed, 1))
	liveRnd := rand.New(rand.NewPCG(b.seed, 2))
	if !resumed {
		began := time.Now()
		sum, err := demo.Seed(ctx, a, seedRnd, a.Clock.Now(), demo.Options{Customers: c.Customers})
		if err != nil {
			return nil, b, err
		}
		b.summary = sum
		if b.analytics, err = demo.Analytics(ctx, a, seedRnd); err != nil {
			return nil, b, err
		}
		if err := demo.Actions(ctx, a); err != nil { // the owner's actions in /actions
			return nil, b, err
		}
		a.Log.Info("demo shop seeded", "customers", sum.Customers, "orders", sum.Orders, "open", sum.Recent,
			"loyalty_members", sum.Loyalty.Members, "points", sum.Loyalty.Points, "cards", sum.Loyalty.Cards,
			"took", time.Since(began).Round(time.Millisecond))
	}
	logins, err := demo.Users(actionlog.WithActor(ctx, actionlog.Actor{Kind: actionlog.ActorSystem}), a)
	if err != nil {
		return nil, b, err
	}
	b.logins = logins
	seeded := time.Now()
	go func() { // the first backup of the seeded shop, beside the live shop
		if err := demo.Backup(context.WithoutCancel(ctx), a, seeded); err != nil {
			a.Log.Warn("the demo's backup failed", "err", err)
		}
	}()
	live, err := demo.NewLive(ctx, a, liveRnd, demo.LiveOptions{Log: a.Log.With("component", "demo"), App: current,
		OnStep: func(now time.Time, rep demo.StepReport) {
			if rep != (demo.StepReport{}) {
				a.Log.Debug("demo shop", "at", now, "placed", rep.Placed, "moved_on", rep.Advanced,
					"shipped", rep.Shipped, "at_pickup", rep.AtPickup, "delivered", rep.Delivered, "late", rep.Late,
					"compensated", rep.Compensated, "pickup_reminders", rep.Reminded, "stuck", rep.Stuck,
					"calls_reached", rep.Reached, "calls_unanswered", rep.NoAnswer, "wrong_numbers", rep.WrongNumber, "packed", rep.Packed)
			}
		}})
	return live, b, err
}

// demoBanner is what the demo prints at start.
type demoBanner struct {
	base, mail string
	speed      float64
	data       string
	temp, keep bool
	seed       uint64
	resumed    bool
	summary    demo.Summary
	analytics  demo.AnalyticsSummary
	logins     []demo.Login
	// my is a customer's own page through a signed link, and whose.
	my, myName string
	// observe prints where the metrics, readiness and system page are.
	observe func(io.Writer)
}

func (b demoBanner) print(w io.Writer, a *app.App) {
	s := a.Settings.Shop
	fmt.Fprintf(w, "shopcare demo: %s (%s, %s; %s)\n", s.Name, s.Country, s.Currency, strings.Join(s.Languages, ", "))
	if b.resumed {
		fmt.Fprintln(w, "  carrying on with the shop in the data directory")
	} else {
		fmt.Fprintf(w, "  %d customers, %d past orders (%d customers came back), %d open orders\n",
			b.summary.Customers, b.summary.Orders, b.summary.RepeatCustomers, b.summary.Recent)
		op := b.summary.Loyalty
		fmt.Fprintf(w, "  loyalty program opened on that history: %d members hold %d points, %d of them a tier card\n",
			op.Members, op.Points, op.Cards)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  admin:\t%s/\n", b.base)
	mail := "e-mail goes to a mail server inside the demo"
	if b.mail != "" {
		mail = "e-mail goes to the SMTP server of the settings"
	}
	fmt.Fprintf(tw, "  outbox:\t%s/outbox\t(%s)\n", b.base, mail)
	if b.my != "" {
		fmt.Fprintf(tw, "  my page:\t%s\t(%s's own page, signed in by this link for 30 days; anyone signs in at %s/my/login)\n", b.my, b.myName, b.base)
	}
	fmt.Fprintf(tw, "  shop window:\t%s%s\t(the shop's own product page with shopcare's delivery-date and stock lines, \"write to us\" button and visitor counter)\n", b.base, demo.ShopWindowPath)
	fmt.Fprintf(tw, "  loyalty:\t%s/loyalty\t(the program's figures and coupons; a customer's page shows their points ledger and card)\n", b.base)
	fmt.Fprintf(tw, "  stock:\t%s/stock\t(levels, orders waiting for a delivery and what the operator offered, customers waiting to be told it is back)\n", b.base)
	fmt.Fprintf(tw, "  parcels:\t%s/parcels\t(carrier events, pickup reminders, late orders apologised for and compensated, stuck parcels, on-time rate by carrier)\n", b.base)
	fmt.Fprintf(tw, "  analytics:\t%s/analytics\t(%s)\n", b.base, b.analyticsLine())
	fmt.Fprintf(tw, "  shop clock:\t%s\t(%s)\n", a.Clock.Now().In(s.Location()).Format("Mon 2 Jan 2006 15:04 MST"), pace(b.speed))
	data := b.data
	switch {
	case b.temp && b.keep:
		data += " (kept at exit: --data " + b.data + " carries on)"
	case b.temp:
		data += " (removed at exit; --keep keeps it)"
	}
	fmt.Fprintf(tw, "  data:\t%s\n", data)
	fmt.Fprintf(tw, "  seed:\t%d\n", b.seed)
	_ = tw.Flush()
	fmt.Fprintln(w, "  logins:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, l := range b.logins {
		fmt.Fprintf(tw, "    %s\t%s\t%s\n", l.Role, l.Email, l.Password)
	}
	_ = tw.Flush()
	if b.observe != nil {
		b.observe(w)
	}
	fmt.Fprintln(w, "Stop with Ctrl-C.")
}

// analyticsLine sums up the analytics the demo starts with.
func (b demoBanner) analyticsLine() string {
	if b.resumed || b.analytics.Report == nil {
		return "repeat rate, return goal, cohorts and LTV, CAC per channel, CLV segments, early warning"
	}
	r := b.analytics.Report
	line := fmt.Sprintf("%d customers scored", r.Customers)
	switch {
	case r.Params != nil && r.Reliable:
		line += fmt.Sprintf(" by BG/NBD (r %.2f, α %.1f days, a %.2f, b %.2f)", r.Params.R, r.Params.Alpha, r.Params.A, r.Params.B)
	case r.Params != nil:
		line += fmt.Sprintf(" by BG/NBD, not reliable (r %.2f, α %.1f days, a %.2f, b %.2f; report clv says why)", r.Params.R, r.Params.Alpha, r.Params.A, r.Params.B)
	default:
		// A fit at the edge of its range is no result to print.
		line += " on their history (the purchase model gave no fit to rely on; report clv says why)"
	}
	seg := b.analytics.Segments
	line += fmt.Sprintf(": %d champions, %d loyal, %d at risk, %d drifting, %d likely lost; spend entered for %d channel-months",
		seg["champions"], seg["loyal"], seg["at_risk"], seg["drifting"], seg["likely_lost"], b.analytics.SpendMonths)
	if a := b.analytics.Alert; a != nil {
		line += fmt.Sprintf("; ALERT: %.0f orders on %s, about %.0f expected", a.Actual, a.Day, a.Expected)
	}
	return line + "; the live shop is scored again every shop week, and win-back messages follow"
}

// pace says how fast the shop clock runs.
func pace(speed float64) string {
	switch {
	case speed == 0:
		return "stopped"
	case speed == 1:
		return "real time"
	case speed == 3600:
		return "3600× real time: a shop hour a second"
	case speed >= 60:
		return fmt.Sprintf("%g× real time: a shop day in %s", speed, (time.Duration(float64(24*time.Hour) / speed)).Round(time.Second))
	}
	return fmt.Sprintf("%g× real time", speed)
}

// demoMyPage returns the signed link to the own page of the customer who
// ordered last, under base (the demo's address, whatever public_url
// says), and the customer's name; "" when the shop has no customer.
func demoMyPage(ctx context.Context, a *app.App, base string) (link, name string, err error) {
	list, _, err := a.Customers.List(ctx, customer.ListFilter{Limit: 1})
	if err != nil {
		return "", "", fmt.Errorf("the demo's customer page: %w", err)
	}
	if len(list) == 0 {
		return "", "", nil
	}
	c := list[0]
	return base + "/my/in/" + a.SignIns.Link(c.ID, signin.ViaMessage, time.Now().Add(signin.LinkTTL)), c.Name, nil
}
