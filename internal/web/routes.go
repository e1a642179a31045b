package web

import (
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/shopcare/shopcare/internal/cluster"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/metrics"
)

// Handler serves the web pages of one App.
type Handler struct {
	services    // what the handlers call; app keeps the settings, clock and the rest
	app         *app.App
	log         *slog.Logger
	logins      *auth.Throttle
	myLogins    *auth.Throttle // the customers' sign-in forms, per address (my_signin.go)
	contacts    *contactDesk   // the contact form's and widget's limits and inbox
	proxies     []netip.Prefix // may tell the client's address
	crossOrigin *http.CrossOriginProtection
	queueWatch  *watcher[queueSignature]
	inboxWatch  *watcher[string]
	faqCounts   *auth.Throttle // the help page's searches counted per client address (my_help.go)
	// human is the real clock of what people live through: sessions
	// and login limits. The shop's business runs on app.Clock, which
	// the demo speeds up; a session must not end after seconds there.
	human clock.Clock
	// brand is the shop's logo and colours every customer's page carries.
	brand myBrand
}

// Option changes how New builds the web surface.
type Option func(*Handler)

// WithHumanClock sets the clock of sessions and login limits (the wall
// clock by default); tests move it by hand.
func WithHumanClock(c clock.Clock) Option {
	return func(h *Handler) { h.human = c }
}

// New returns the web surface's routes under one mux: the customer's
// tracking and unsubscribe pages, the personal referral links, the
// shop's admin app behind its login, and the static assets; any other
// path gets the plain 404 page. The templates were parsed when the
// package was initialised.
func New(a *app.App, opts ...Option) http.Handler {
	h := newHandler(a, opts...)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /t/{token}", h.trackingShow)
	mux.HandleFunc("GET /u/{token}", h.unsubscribeShow)
	mux.HandleFunc("POST /u/{token}", h.unsubscribeSave)
	mux.HandleFunc("GET /r/{code}", h.referralOrRating)
	mux.HandleFunc("POST /r/{code}", h.ratingComment)
	mux.Handle("POST /t/{token}", h.crossOrigin.Handler(http.HandlerFunc(h.contactSave)))
	mux.HandleFunc("GET /widget.js", h.widgetScript)
	mux.HandleFunc("GET /delivery.js", h.deliveryScript)
	mux.HandleFunc("GET /count.js", h.countScript) // the page-view counter (collect.go)
	mux.HandleFunc("OPTIONS /collect", h.collectPreflight)
	mux.HandleFunc("POST /collect", h.collectPost)
	h.handleStock(mux)
	mux.HandleFunc("GET /brand.css", h.brandStyle)
	h.handleMy(mux)
	h.handleVoice(mux)
	h.handleCampaigns(mux)
	mux.HandleFunc("OPTIONS /contact", h.contactPreflight)
	mux.HandleFunc("POST /contact", h.contactPost)
	mux.HandleFunc("POST /hooks/telegram", h.telegramHook)
	mux.HandleFunc("GET /static/{file}", staticGet)
	mux.Handle("GET /login", h.crossOrigin.Handler(http.HandlerFunc(h.loginShow)))
	mux.Handle("POST /login", h.crossOrigin.Handler(http.HandlerFunc(h.loginSave)))
	for _, rt := range h.allAdminRoutes() {
		mux.Handle(rt.pattern, h.signedIn(rt))
	}
	mux.HandleFunc("/", h.notFound)
	return h.recoverer(secureHeaders(h.brandPolicy(metrics.Routed(mux))))
}

func newHandler(a *app.App, opts ...Option) *Handler {
	h := &Handler{services: servicesOf(a), app: a, log: a.Log.With("component", "web"), logins: a.Accounts.Throttle("login", auth.AddrRule, auth.PairRule),
		contacts:    &contactDesk{limits: newContactLimits(a.Accounts)},
		proxies:     a.Settings.TrustedProxies.Prefixes(),
		crossOrigin: http.NewCrossOriginProtection(), queueWatch: newWatcher(queueSignatureOf(a.Tasks, a.Orders), topic(a.Changes, cluster.TopicCallbacks)), human: clock.System{}, brand: brandOf(a.Settings.Shop)}
	h.inboxWatch = newWatcher(a.Inbox.Signature, topic(a.Changes, cluster.TopicInbox))
	h.faq = a.FAQ
	h.faqCounts = a.Accounts.Throttle("faq-count", faqCountRule, faqCountRule)
	h.myLogins = newMyLogins(a.Accounts)
	for _, o := range opts {
		o(h)
	}
	return h
}

// allAdminRoutes lists every route of the admin app: its own, the
// customer page's and the customer's voice's.
func (h *Handler) allAdminRoutes() []adminRoute {
	routes := append(h.adminRoutes(), h.myAdminRoutes()...)
	routes = append(routes, h.voiceAdminRoutes()...)
	routes = append(routes, h.backupAdminRoutes()...)
	routes = append(routes, h.stockAdminRoutes()...)
	return append(routes, h.campaignAdminRoutes()...)
}

// adminRoutes lists every route of the admin app with the area it
// belongs to; signedIn enforces the role's grant on each.
func (h *Handler) adminRoutes() []adminRoute {
	return []adminRoute{
		{"GET /{$}", auth.AreaAccount, h.home},
		{"POST /logout", auth.AreaAccount, h.logout},
		{"GET /account", auth.AreaAccount, h.accountShow},
		{"POST /account/password", auth.AreaAccount, h.accountPasswordSave},
		{"POST /account/language", auth.AreaAccount, h.accountLanguageSave},
		{"POST /account/profile", auth.AreaAccount, h.accountProfileSave},

		{"GET /orders", auth.AreaOrders, h.orderList},
		{"GET /orders/{id}", auth.AreaOrders, h.orderShow},
		{"POST /orders/{id}/status", auth.AreaOrders, h.orderStatusSave},
		{"POST /orders/{id}/parcels", auth.AreaOrders, h.orderParcelSave},
		{"POST /orders/{id}/parcels/{parcel}/events", auth.AreaOrders, h.parcelEventSave},
		{"GET /parcels", auth.AreaOrders, h.parcelDesk},
		{"POST /tasks/{id}/resolve", auth.AreaOrders, h.taskResolve},
		{"POST /orders/{id}/stock/resolve", auth.AreaOrders, h.stockResolve},
		{"GET /customers", auth.AreaCustomers, h.customerList},
		{"GET /customers/{id}", auth.AreaCustomers, h.customerShow},
		{"POST /customers/{id}/loyalty", auth.AreaCustomers, h.customerLoyaltySave},
		{"POST /customers/{id}/referral-code", auth.AreaCustomers, h.customerReferralSave},
		{"GET /inbox", inboxArea, h.inboxList},
		{"GET /inbox/badge", inboxArea, h.inboxBadge},
		{"GET /inbox/events", inboxArea, h.inboxEvents},
		{"GET /inbox/{id}", inboxArea, h.inboxShow},
		{"POST /inbox/{id}/reply", inboxArea, h.inboxReply},
		{"POST /inbox/{id}/note", inboxArea, h.inboxNote},
		{"POST /inbox/{id}/assign", inboxArea, h.inboxAssign},
		{"POST /inbox/{id}/close", inboxArea, h.inboxClose},
		{"POST /inbox/{id}/reopen", inboxArea, h.inboxReopen},
		{"POST /inbox/{id}/snooze", inboxArea, h.inboxSnooze},
		{"POST /inbox/{id}/link", inboxArea, h.inboxLink},
		{"POST /inbox/{id}/task", inboxArea, h.inboxTask},
		{"POST /inbox/{id}/canned", inboxArea, h.inboxCanned},
		{"GET /inbox/attachments/{id}", inboxArea, h.inboxAttachment},
		{"GET /callbacks", auth.AreaCallbacks, h.callbackQueue},
		{"GET /callbacks/events", auth.AreaCallbacks, h.callbackEvents},
		{"GET /callbacks/{id}", auth.AreaCallbacks, h.callbackShow},
		{"POST /callbacks/{id}/{outcome}", auth.AreaCallbacks, h.callbackOutcomeSave},
		{"GET /packing", auth.AreaPacking, h.packingQueue},
		{"GET /packing/{id}", auth.AreaPacking, h.packingShow},
		{"POST /packing/{id}/finish", auth.AreaPacking, h.packingFinish},
		{"GET /packing/{id}/{doc}", auth.AreaPacking, h.packingPDF},
		{"GET /outbox", auth.AreaOutbox, h.outboxList},
		{"GET /outbox/{id}", auth.AreaOutbox, h.outboxShow},

		{"GET /loyalty", auth.AreaLoyalty, h.loyaltyProgram},
		{"POST /loyalty/coupons", auth.AreaLoyalty, h.loyaltyCouponSave},

		{"GET /analytics", analyticsArea, h.analyticsShow},
		{"POST /analytics/spend", analyticsArea, h.analyticsSpendSave},
		{"GET /analytics/segments/{segment}", analyticsArea, h.analyticsSegmentShow},
		{"GET /alerts/banner", analyticsArea, h.alertBanner},
		{"POST /alerts/{id}/dismiss", analyticsArea, h.alertDismiss},

		{"GET /settings", auth.AreaSettings, h.settingsShow},
		{"POST /settings", auth.AreaSettings, h.settingsSave},
		{"GET /settings/export", auth.AreaSettings, h.settingsExport},
		{"POST /settings/yaml", auth.AreaSettings, h.settingsYAMLSave},
		{"POST /settings/history/{id}/restore", auth.AreaSettings, h.settingsRestore},
		{"GET /connectors", auth.AreaSettings, h.connectorList},
		{"GET /system", systemArea, h.systemShow},
		{"POST /connectors/deliveries/{id}/replay", auth.AreaSettings, h.connectorReplay},
		{"GET /users", auth.AreaUsers, h.userList},
		{"POST /users", auth.AreaUsers, h.userSave},
		{"POST /users/{id}/delete", auth.AreaUsers, h.userDelete},
		{"GET /tokens", auth.AreaUsers, h.tokenList},
		{"POST /tokens", auth.AreaUsers, h.tokenSave},
		{"POST /tokens/{id}/revoke", auth.AreaUsers, h.tokenRevoke},
	}
}

// topic subscribes a watcher to the other nodes' changes of a topic.
func topic(c *cluster.Changes, name string) func() (<-chan struct{}, func()) {
	return func() (<-chan struct{}, func()) { return c.Subscribe(name) }
}
