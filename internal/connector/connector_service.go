package connector

import (
	"context"
	"log/slog"
	"sync"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// AdapterFunc builds the adapter of a connector from its settings
// (platforms.New in the app; a test's own adapter in tests).
type AdapterFunc func(c config.Connector) (Adapter, error)

// Params are the collaborators of a Service.
type Params struct {
	Orders  *order.Service
	Parcels *parcel.Service
	// Adapters builds each connector's adapter.
	Adapters AdapterFunc
	// Stock takes the levels of the platforms' product and inventory
	// webhooks (*stock.Service); without it they fail.
	Stock Stock
}

// Service takes the platforms' webhook deliveries in (Intake), stores
// each once and applies them to orders in the background (Drain), and
// tells the admin how each connector fares.
type Service struct {
	db       *store.DB
	orders   *order.Service
	parcels  *parcel.Service
	stock    Stock
	settings config.Settings
	clock    clock.Clock
	log      *slog.Logger
	conns    map[string]*conn
	names    []string // the connectors in the settings' order

	// intake stores concurrent deliveries in shared transactions.
	intake *store.Group[stored, struct{}]
	// kicks wakes the drain after deliveries were stored.
	kicks chan struct{}
	// draining lets one drain at a time run in this process, so the
	// kicked drain and the drain job never apply a delivery twice.
	draining sync.Mutex
	stop     context.CancelFunc
	done     chan struct{}
}

// conn is one configured connector and its adapter; err says why the
// adapter could not be built (a platform this build has no adapter for).
type conn struct {
	cfg     config.Connector
	adapter Adapter
	err     error
}

// maxGroup bounds the deliveries one intake transaction stores.
const maxGroup = 512

// New returns a Service over the connectors of d.Settings. A connector
// whose adapter cannot be built is kept, with the reason, so that the
// admin can show it; its deliveries are refused until it is fixed.
func New(d service.Deps, p Params) *Service {
	if d.Clock == nil {
		d.Clock = clock.System{}
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Service{db: d.DB, orders: p.Orders, parcels: p.Parcels, stock: p.Stock, settings: d.Settings, clock: d.Clock,
		log: d.Log, conns: map[string]*conn{}, kicks: make(chan struct{}, 1)}
	for _, c := range d.Settings.Connectors {
		cn := &conn{cfg: c}
		if p.Adapters == nil {
			cn.err = errNoAdapters
		} else if cn.adapter, cn.err = p.Adapters(c); cn.err == nil && cn.adapter.Webhook == nil {
			cn.err = errNoWebhook
		}
		if cn.err != nil {
			s.log.Warn("connector cannot take deliveries", "connector", c.Name, "platform", c.Platform, "error", cn.err)
		}
		s.conns[c.Name] = cn
		s.names = append(s.names, c.Name)
	}
	s.intake = store.NewGroup(d.DB, maxGroup, s.storeTx)
	return s
}

// Start batches concurrent deliveries into shared transactions and, with
// drain, applies what is stored whenever Intake stored something new
// (without it, the drain job of a working process does).
func (s *Service) Start(ctx context.Context, drain bool) {
	s.intake.Start()
	if !drain {
		return
	}
	ctx, s.stop = context.WithCancel(context.WithoutCancel(ctx))
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		s.run(ctx)
	}()
}

// Stop stores what the intake holds and stops the drain; deliveries not
// yet applied stay received for the drain job of the next start.
func (s *Service) Stop() {
	s.intake.Stop()
	if s.stop != nil {
		s.stop()
		<-s.done
	}
}

// kick wakes the drain (once per burst).
func (s *Service) kick() {
	select {
	case s.kicks <- struct{}{}:
	default:
	}
}

// run drains whenever kicked, until ctx ends. A failed drain is logged;
// the drain job retries it.
func (s *Service) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.kicks:
			if _, err := s.Drain(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("apply connector deliveries", "error", err)
			}
		}
	}
}

// Names lists the connectors in the settings' order.
func (s *Service) Names() []string { return s.names }

// Connector returns a connector's settings.
func (s *Service) Connector(name string) (config.Connector, bool) {
	cn, ok := s.conns[name]
	if !ok {
		return config.Connector{}, false
	}
	return cn.cfg, true
}
