// Package app wires shopcare together: the database, the job queue, the
// journal and the domain services, in the order they depend on each other.
// Commands and tests build the same App, so tests run what ships.
package app

import (
	"time"

	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/audit"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/backup"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/cluster"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/platforms"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/faq"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/inbox/telegramin"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/metrics"
	"github.com/shopcare/shopcare/internal/notice"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/packing"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/playbook"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/returns"
	"github.com/shopcare/shopcare/internal/review"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/survey"
	"github.com/shopcare/shopcare/internal/task"
	"github.com/shopcare/shopcare/internal/traffic"
	"github.com/shopcare/shopcare/internal/webhook"
)

// App is one running shopcare.
type App struct {
	DB         *store.DB
	Settings   config.Settings
	Clock      clock.Clock
	Log        *slog.Logger
	Queue      *jobs.Queue
	Journal    *journal.Journal
	Dispatcher *journal.Dispatcher
	Orders     *order.Service
	Promises   *promise.Service
	Webhooks   *webhook.Service
	Playbook   *playbook.Playbook
	Messages   *message.Sender
	Callbacks  *callback.Service
	// Analytics are the shop's figures, the early warning and the CLV
	// scoring.
	Analytics *analytics.Service
	Loyalty   *loyalty.Service
	Parcels   *parcel.Service
	// Inbox is the conversations' service: customers' messages from every
	// channel, threaded and answered.
	Inbox *inbox.Service
	// Notices are what the owner should see to in the shop's setup and
	// data (a setting that stops a class of messages, a stored row
	// skipped at start); the admin shows them above every owner's page.
	Notices *notice.Board
	// Connectors take the shop platforms' webhooks in and apply them to
	// orders.
	Connectors *connector.Service
	// TelegramIn is the shop's bot receiving customers' messages into
	// Inbox, nil when receiving is off.
	TelegramIn *telegramin.Bot
	// Accounts, Customers, Tasks, Packing and SettingsVersions serve the
	// HTTP surfaces, which hold no database.
	Accounts         *auth.Service
	Customers        *customer.Service
	Tasks            *task.Service
	Packing          *packing.Service
	SettingsVersions *config.Versions
	// Erasers blank a customer's personal data in the tables beside the
	// orders and the customer's row when the customer is erased, on
	// the API's request or their own: one list, so no surface forgets
	// one.
	Erasers []order.Eraser
	// SignIns let customers into their own page (/my) and hold their
	// sessions.
	SignIns *signin.Service
	// FAQ is the questions and answers of the customers' help page, and
	// what customers searched for there.
	FAQ *faq.Service
	// Returns takes the return requests customers make on their page.
	Returns *returns.Service

	// The customer's voice (issue 24), one service per domain noun.
	// Surveys asks NPS after a delivery and CSAT after a conversation and
	// sums the answers up.
	Surveys *survey.Service

	// Reviews asks for, collects, moderates and publishes product reviews.
	Reviews *review.Service

	// Experiences is the register of negative experiences.
	Experiences *experience.Service

	// Audit is the shop's own touch-point audit.
	Audit *audit.Service

	// Insiders is the "first to know" club.
	Insiders *insider.Service

	// Campaigns sends the shop's campaigns and reports what came of them
	// and of the marketing flows (issue 25).
	Campaigns *campaign.Service
	// Actions is the log of what people did to the shop's data
	// (issue 26): read by the owner's page and the API, pruned daily.
	Actions *actionlog.Service

	// Metrics are the process's Prometheus metrics; they outlive an
	// App rebuilt on a settings change.
	Metrics *metrics.Metrics

	// Backups makes, schedules and tests the database's backups, and
	// keeps SQLite's write-ahead log short (issue 26).
	Backups *backup.Service

	// Stock keeps the stock levels, what orders hold of them, and who
	// waits to be told an item is back (issue 27).
	Stock *stock.Service
	// Traffic counts the shop's visitors (issue 27).
	Traffic *traffic.Service

	// Reload, when the server sets it, rebuilds the app on the settings
	// the owner saved in the admin; without it they apply at the next
	// start.
	Reload func()

	// Changes wakes the live pages when another node changed what they
	// show (nil outside serve: they poll).
	Changes *cluster.Changes

	work bool
	// lead runs the in-process singletons on the one leading node
	// (app_leader.go); unlead stops it.
	unlead   context.CancelFunc
	leadDone chan struct{}
	// mailIn are the e-mail channels in (IMAP, the SMTP listener) Start
	// runs beside the jobs.
	mailIn    []Runner
	demo      bool
	started   bool
	retire    sync.Once
	retireErr error
	unwatch   context.CancelFunc
}

// Options say what to open and how.
type Options struct {
	Store    store.Options
	Settings config.Settings
	Clock    clock.Clock
	Log      *slog.Logger
	// Work runs jobs (serve); without it the app only enqueues them (import,
	// reports).
	Work bool
	// Changes, when the server sets it, wakes the live pages on changes
	// made by other nodes; it outlives the App across reloads.
	Changes *cluster.Changes
	// Demo marks the demo shop, whose customers are invented and whose
	// public address is this computer by design: that is not a notice.
	Demo bool
	// Metrics are the process's metrics; nil makes a registry of the
	// App's own (tests).
	Metrics *metrics.Metrics
}

// Open connects, migrates and wires an App. It does not start workers.
func Open(ctx context.Context, opts Options) (*App, error) {
	db, err := store.Open(ctx, opts.Store)
	if err != nil {
		return nil, err
	}
	if opts.Work && opts.Changes == nil {
		// One listener for the process: it outlives the Apps that
		// settings reloads swap in, and Stop (of the last) ends it.
		opts.Changes = cluster.NewChanges(db, loggerOf(opts))
		opts.Changes.Start(ctx)
	}
	var skipped *notice.Notice
	if opts.Settings, skipped, err = savedSettings(ctx, db, opts.Settings); err != nil {
		opts.Changes.Stop()
		db.Close()
		return nil, err
	}
	a, err := Wire(ctx, db, opts)
	if err != nil {
		opts.Changes.Stop()
		db.Close()
		return nil, err
	}
	if skipped != nil {
		a.Notices.Add(*skipped)
	}
	return a, nil
}

// Wire builds an App over an open, migrated store database (tests use it).
func Wire(ctx context.Context, db *store.DB, opts Options) (*App, error) {
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Metrics == nil {
		opts.Metrics = metrics.New(metrics.Options{})
	}
	return wire(ctx, db, opts)
}

func wire(ctx context.Context, db *store.DB, opts Options) (*App, error) {
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		return nil, err
	}
	if _, err := customer.BackfillSearch(ctx, db); err != nil {
		return nil, err
	}
	if _, err := analytics.Backfill(ctx, db, opts.Settings.Shop.Location(), opts.Settings.Shop.Currency, opts.Clock.Now()); err != nil {
		return nil, err
	}
	a := &App{DB: db, Settings: opts.Settings, Clock: opts.Clock, Log: opts.Log, work: opts.Work, demo: opts.Demo, Changes: opts.Changes,
		Notices: notice.NewBoard(opts.Log.With("component", "notices")), Metrics: opts.Metrics}
	a.Metrics.UseSource(metrics.SourceFunc(a.Gauges))
	deps := a.Deps()
	a.Queue = jobs.New(deps)
	a.Journal = journal.New(a.Clock)
	a.Journal.Project(analytics.NewRollup(deps))
	webhooks, err := webhook.NewService(deps, webhook.Params{Jobs: a.Queue})
	if err != nil {
		return nil, err
	}
	a.Webhooks = webhooks
	promises, err := promise.NewService(ctx, deps, promise.Params{Jobs: a.Queue, Notices: a.Notices})
	if err != nil {
		return nil, err
	}
	a.Promises = promises
	a.Loyalty = loyalty.New(deps.Component("loyalty"), loyalty.Params{Journal: a.Journal})
	channels, err := Channels(a.Settings, a.Clock)
	if err != nil {
		return nil, err
	}
	channels = observeChannels(a.Metrics, channels)
	if a.SignIns, err = signin.New(ctx, deps.Component("signin"), signin.Params{Channels: channels}); err != nil {
		return nil, err
	}
	// Surveys before the playbook, which signs their links in the
	// delivery follow-up; the survey reaches the playbook (due times) and
	// the reviews (the invitation) when an answer comes, after wiring.
	a.Surveys = survey.New(deps.Component("surveys"), survey.Params{Journal: a.Journal, Signer: a.SignIns,
		Due:       func(at time.Time, loc *time.Location) time.Time { return a.Playbook.CallbackDue(at, loc) },
		ReviewURL: func(c, o int64, now time.Time) string { return a.Reviews.WriteURL(c, o, now) },
		Rated:     inbox.RecordRating})
	a.Playbook, err = playbook.New(deps, playbook.Params{Jobs: a.Queue, Promises: a.Promises, Loyalty: a.Loyalty, MyLinks: a.SignIns,
		Surveys: a.Surveys, CampaignSent: campaign.LastSent, Signer: a.SignIns})
	if err != nil {
		return nil, err
	}
	a.Messages = message.NewSender(deps.Component("messages"), message.SenderParams{Composer: a.Playbook, Channels: channels, Jobs: a.Queue, Journal: a.Journal,
		Finished: messageFinished(a.Metrics)})
	message.RaiseNotices(a.Notices, a.Settings, channels, opts.Demo)
	a.Stock = stock.New(deps.Component("stock"), stock.Params{Journal: a.Journal, Orders: stockOrders{},
		Calendar: func() *calendar.Calendar { return a.Promises.Engine().Calendar() }})
	a.Traffic = traffic.New(deps.Component("traffic"))
	a.Traffic.OnCount(a.Metrics.Beacon) // the counter's outcomes, and its roll-up job
	a.Traffic.Register(a.Queue)
	a.Orders = order.NewService(deps, order.Params{Journal: a.Journal, Jobs: a.Queue, Promises: a.Promises,
		Stock: a.Stock, StockDue: a.Playbook.CallbackDue})
	if a.Parcels, err = parcel.New(deps.Component("parcels"), parcel.Params{Journal: a.Journal, Orders: a.Orders}); err != nil {
		return nil, err
	}
	adapters := func(c config.Connector) (connector.Adapter, error) {
		return platforms.New(c, platforms.Deps{Clock: a.Clock})
	}
	writeBacks := connector.NewWriteBacks(deps.Component("connectors"), connector.WriteBackParams{Jobs: a.Queue, Adapters: adapters})
	writeBacks.Register(a.Queue.Workers())
	a.Experiences = experience.New(deps.Component("experiences"), experience.Params{Journal: a.Journal})
	a.Dispatcher = journal.NewDispatcher(deps, customer.Projection{}, a.Parcels, a.Loyalty, a.Webhooks, a.Playbook, writeBacks, a.Experiences, a.Stock)
	a.Connectors = connector.New(deps.Component("connectors"), connector.Params{Orders: a.Orders, Parcels: a.Parcels, Adapters: adapters,
		Stock: a.Stock})
	a.Callbacks = callback.New(deps.Component("callbacks"), callback.Params{Orders: a.Orders, Playbook: a.Playbook, Journal: a.Journal})
	var mail notify.Sender
	for _, ch := range channels {
		if ch.Channel() == "email" {
			mail = ch
		}
	}
	a.Analytics = analytics.New(deps, analytics.Params{Journal: a.Journal, Callbacks: a.Callbacks, Mail: mail, Traffic: a.Traffic})
	a.Inbox = inbox.New(deps.Component("inbox"), inbox.Params{Journal: a.Journal, Jobs: a.Queue,
		IsWorkday: func(d calendar.Day) bool { return a.Promises.Engine().Calendar().IsWorkday(d) },
		Channels:  channels, Surveys: a.Surveys})
	a.Analytics.UseInbox(a.Inbox)
	a.Experiences.UseScores(a.Analytics)
	a.Accounts, a.Customers, a.Tasks = auth.NewService(db), customer.NewService(db, a.Journal), task.NewService(db)
	a.FAQ = faq.New(deps.Component("faq"))
	a.Returns = returns.New(deps.Component("returns"), returns.Params{Journal: a.Journal})
	a.Erasers = []order.Eraser{message.ErasePersonal, returns.ErasePersonal, signin.EraseSessions, experience.ErasePersonal,
		review.ErasePersonal, insider.ErasePersonal, survey.ErasePersonal, inbox.ErasePersonal, task.ErasePersonal,
		journal.ErasePersonal}

	a.Reviews = review.New(deps.Component("reviews"), review.Params{Journal: a.Journal, Signer: a.SignIns, Bonus: a.Loyalty,
		Jobs: a.Queue, Writers: review.WritersOf(a.Settings.Connectors, adapters)})
	a.Playbook.UseReviews(a.Reviews)

	a.Audit = audit.New(deps.Component("audit"), audit.Params{Journal: a.Journal, Callbacks: a.Callbacks, Inbox: a.Inbox,
		Deliveries: a.Analytics, Surveys: a.Surveys, Pickups: a.Parcels})

	a.Insiders = insider.New(deps.Component("insiders"), insider.Params{Journal: a.Journal, Signer: a.SignIns})

	a.Campaigns = campaign.New(deps.Component("campaigns"), campaign.Params{Journal: a.Journal, Jobs: a.Queue,
		Channels: channels, Signer: a.SignIns})
	a.Campaigns.Register(a.Queue)
	a.Inbox.UseCampaigns(a.Campaigns)                     // bounces and complaints of campaigns' messages
	a.Campaigns.UseFlows(a.Playbook.AdvertisingRules())   // the marketing flows' figures
	a.Erasers = append(a.Erasers, campaign.ErasePersonal) // the links customers clicked

	a.Backups = backup.New(deps.Component("backup"), backup.Params{DataDir: opts.Store.DataDir, URL: opts.Store.URL})
	a.Backups.Register(a.Queue)

	a.Packing, a.SettingsVersions = packing.NewService(db, a.Orders), config.NewVersions(db)
	if a.mailIn, err = MailIn(deps.Component("inbox"), a.Inbox); err != nil {
		return nil, fmt.Errorf("customers' e-mail in: %w", err)
	}
	if a.TelegramIn, err = telegramin.FromSettings(deps); err != nil {
		return nil, fmt.Errorf("customers' Telegram in: %w", err)
	}

	river.AddWorker(a.Queue.Workers(), &journal.DrainWorker{Dispatcher: a.Dispatcher})
	river.AddWorker(a.Queue.Workers(), &order.PromiseDueWorker{Service: a.Orders})
	river.AddWorker(a.Queue.Workers(), &connector.DrainWorker{Service: a.Connectors})
	river.AddWorker(a.Queue.Workers(), &order.RecomputeWorker{Service: a.Orders})
	river.AddWorker(a.Queue.Workers(), &webhook.DeliverWorker{Service: a.Webhooks})
	river.AddWorker(a.Queue.Workers(), a.Messages)
	river.AddWorker(a.Queue.Workers(), &loyalty.SweepWorker{Service: a.Loyalty})
	river.AddWorker(a.Queue.Workers(), &jobs.Pass[order.WatchArgs]{Run: func(ctx context.Context) error {
		_, err := a.Orders.Watch(ctx)
		return err
	}})
	river.AddWorker(a.Queue.Workers(), &jobs.Pass[parcel.WatchArgs]{Run: func(ctx context.Context) error {
		_, err := a.Parcels.Watch(ctx)
		return err
	}})
	river.AddWorker(a.Queue.Workers(), &jobs.Pass[analytics.WatchArgs]{Run: func(ctx context.Context) error {
		_, err := a.Analytics.Watch(ctx)
		return err
	}})
	river.AddWorker(a.Queue.Workers(), &jobs.Pass[analytics.ScoreArgs]{Run: func(ctx context.Context) error {
		_, err := a.Analytics.Score(ctx)
		return err
	}})
	river.AddWorker(a.Queue.Workers(), &jobs.Pass[parcel.PollArgs]{Limit: parcel.PollLimit, Run: func(ctx context.Context) error {
		_, err := a.Parcels.Poll(ctx)
		return err
	}})
	river.AddWorker(a.Queue.Workers(), &inbox.SendWorker{Service: a.Inbox})
	river.AddWorker(a.Queue.Workers(), &review.WriteWorker{Service: a.Reviews})
	river.AddWorker(a.Queue.Workers(), &jobs.Pass[inbox.WatchArgs]{Run: func(ctx context.Context) error {
		_, err := a.Inbox.Watch(ctx)
		return err
	}})
	a.Queue.AddPeriodic(inbox.WatchInterval, inbox.WatchArgs{})
	a.Queue.AddPeriodic(journal.SweepInterval, journal.DrainArgs{})
	a.Queue.AddPeriodic(message.SweepInterval, message.SendArgs{})
	a.Queue.AddPeriodic(loyalty.SweepInterval, loyalty.SweepArgs{})
	a.Queue.AddPeriodic(connector.SweepInterval, connector.DrainArgs{})
	a.Queue.AddPeriodic(order.WatchInterval, order.WatchArgs{})
	a.Queue.AddPeriodic(parcel.WatchInterval, parcel.WatchArgs{})
	a.Queue.AddPeriodic(parcel.PollInterval, parcel.PollArgs{})
	a.Queue.AddPeriodic(analytics.WatchInterval, analytics.WatchArgs{})
	a.Queue.AddPeriodic(analytics.ScoreInterval, analytics.ScoreArgs{})
	river.AddWorker(a.Queue.Workers(), &jobs.Pass[playbook.BirthdayArgs]{Run: func(ctx context.Context) error {
		_, err := a.Playbook.Birthdays(ctx)
		return err
	}})
	a.Queue.AddPeriodic(playbook.BirthdayInterval, playbook.BirthdayArgs{})
	a.Actions = actionlog.New(db)
	river.AddWorker(a.Queue.Workers(), &jobs.Pass[actionlog.PruneArgs]{Run: func(ctx context.Context) error {
		_, err := a.Actions.Prune(ctx, time.Now())
		return err
	}})
	a.Queue.AddPeriodic(actionlog.PruneInterval, actionlog.PruneArgs{})

	if err := a.Queue.Open(jobs.Options{Work: opts.Work}); err != nil {
		return nil, err
	}
	if err := a.Promises.SyncSettings(ctx); err != nil {
		return nil, fmt.Errorf("shop days from settings: %w", err)
	}
	return a, nil
}

// Start runs the job workers and the intake's group commit.
func (a *App) Start(ctx context.Context) error {
	if a.work {
		if err := a.Queue.Start(ctx); err != nil {
			return fmt.Errorf("start jobs: %w", err)
		}
	}
	a.Orders.Start()
	a.Parcels.Start()
	a.Traffic.Start()
	if a.TelegramIn != nil && a.work && a.TelegramIn.Webhook() {
		// Deliveries come to whichever node the proxy picks: every
		// node takes them (registering the webhook is idempotent).
		if err := a.TelegramIn.Start(ctx, a.Inbox); err != nil {
			return err
		}
	}
	watch, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.unwatch = cancel
	go a.Promises.Watch(watch)
	go a.Stock.Watch(watch)
	if a.work {
		go a.Dispatcher.Run(watch, a.Journal.Kicks())
		go a.DB.KeepStatistics(watch, a.Log)
	}
	a.Connectors.Start(watch, a.work)
	if a.work {
		a.startLeading(watch)
	}
	a.started = true
	return nil
}

// Retire stops the app's work as Stop does but leaves the database open
// for the app that takes its place (settings reloaded in the admin).
// It runs once: a later call (Stop after a reload retired the app)
// returns the first one's error.
func (a *App) Retire(ctx context.Context) error {
	a.retire.Do(func() {
		if !a.started {
			return
		}
		a.unwatch()
		a.stopLeading()
		if a.TelegramIn != nil {
			a.TelegramIn.Stop()
		}
		a.Connectors.Stop()
		a.Orders.Stop()
		a.Parcels.Stop()
		a.Traffic.Stop()
		a.SignIns.Wait()
		if a.work {
			a.retireErr = a.Queue.Stop(ctx)
		}
	})
	return a.retireErr
}

// Reopen builds and starts a new App over the same database with the
// settings saved in the admin; the caller retires this one.
func (a *App) Reopen(ctx context.Context) (*App, error) {
	s, skipped, err := savedSettings(ctx, a.DB, a.Settings)
	if err != nil {
		return nil, err
	}
	next, err := Wire(ctx, a.DB, Options{Settings: s, Clock: a.Clock, Log: a.Log, Work: a.work, Demo: a.demo, Metrics: a.Metrics, Changes: a.Changes,
		Store: a.Backups.Where()})
	if err != nil {
		return nil, err
	}
	if skipped != nil {
		next.Notices.Add(*skipped)
	}
	if err := next.Start(ctx); err != nil {
		return nil, err
	}
	return next, nil
}

// Stop finishes intake in flight, then lets running jobs finish (or cancels
// them when ctx ends, so River runs them again after a restart), then closes
// the database. HTTP must be stopped before.
func (a *App) Stop(ctx context.Context) error {
	err := a.Retire(ctx)
	a.Changes.Stop()
	a.DB.Close()
	return err
}

// savedSettings returns the settings the owner saved in the admin, which
// replace the file's, or file when there are none. Saved settings that no
// longer validate (a newer rule, a time zone gone from the system) never
// stop the start: the newest earlier version that does is used, else the
// file's, and the returned notice tells the owner which.
func savedSettings(ctx context.Context, db *store.DB, file config.Settings) (config.Settings, *notice.Notice, error) {
	if err := db.Migrate(ctx); err != nil {
		return file, nil, err
	}
	doc, ok, err := config.Saved(ctx, db.Read())
	if err != nil || !ok {
		return file, nil, err
	}
	s, perr := config.Parse(doc)
	if perr == nil {
		return s, nil, nil
	}
	n := &notice.Notice{Key: "settings.saved_invalid", Message: "app.notice.settings_invalid",
		Args: map[string]any{"Error": perr.Error()}}
	versions, err := config.VersionList(ctx, db.Read(), 50)
	if err != nil {
		return file, nil, err
	}
	for _, v := range versions {
		if string(v.Doc) == string(doc) {
			continue
		}
		if s, err := config.Parse(v.Doc); err == nil {
			n.Message, n.Args["Version"] = "app.notice.settings_invalid_version", v.ID
			return s, n, nil
		}
	}
	return file, n, nil
}

func loggerOf(opts Options) *slog.Logger {
	if opts.Log == nil {
		return slog.Default()
	}
	return opts.Log
}
