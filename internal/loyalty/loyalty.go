package loyalty

import (
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Kind is what a ledger transaction did.
type Kind string

// The kinds of ledger transaction.
const (
	Accrual      Kind = "accrual"      // points for a delivered order
	Redemption   Kind = "redemption"   // points spent on an order
	Refund       Kind = "refund"       // points spent on an order that was cancelled or returned, given back
	Reversal     Kind = "reversal"     // points of a returned order taken back
	Expiry       Kind = "expiry"       // points that lapsed
	Adjustment   Kind = "adjustment"   // an operator's correction, either way
	Compensation Kind = "compensation" // amends for a broken promise
	Referral     Kind = "referral"     // for bringing a friend, or being brought
	Bonus        Kind = "bonus"        // first order, birthday, review
)

// Kinds lists every kind, for filters and figures.
var Kinds = []Kind{Accrual, Redemption, Refund, Reversal, Expiry, Adjustment, Compensation, Referral, Bonus}

// Source is where a transaction came from.
type Source string

// The sources of a transaction.
const (
	FromOrder        Source = "order"
	FromCompensation Source = "compensation"
	FromReferral     Source = "referral"
	FromOperator     Source = "operator"
	FromProgram      Source = "program" // the program's own rules: expiry, birthdays
)

// The program's own accounts, created by the migration with these ids.
const (
	accountIssued   int64 = 1
	accountRedeemed int64 = 2
	accountExpired  int64 = 3
)

// counterpart is the program account on the other side of a kind.
func counterpart(k Kind) int64 {
	switch k {
	case Redemption, Refund:
		return accountRedeemed
	case Expiry:
		return accountExpired
	}
	return accountIssued
}

// Transaction is one entry of a customer's ledger, as the customer's
// account sees it: the posting that made it (Points signed, credits
// positive) and what the ledger added.
type Transaction struct {
	Posting
	ID int64
	// ExpiresAt is when what is left of a credit lapses; nil for debits
	// and when points never lapse.
	ExpiresAt *time.Time
	CreatedAt time.Time
	// Balance is the customer's balance after it, when listed.
	Balance int64
}

// InsufficientError says the balance does not cover a debit.
type InsufficientError struct {
	CustomerID int64
	Balance    int64
	Wanted     int64
}

func (e *InsufficientError) Error() string {
	return fmt.Sprintf("customer %d has %d points, %d asked for", e.CustomerID, e.Balance, e.Wanted)
}

// ConflictError says a request collides with what the ledger holds
// already under its idempotency key (the same order redeemed for another
// number of points).
type ConflictError struct{ Message string }

func (e *ConflictError) Error() string { return e.Message }

// Service runs the loyalty program of one shop.
type Service struct {
	db       *store.DB
	journal  *journal.Journal
	clock    clock.Clock
	settings config.Settings
	log      *slog.Logger
}

// Params are the collaborators of the loyalty Service.
type Params struct {
	// Journal records the points earned and spent.
	Journal *journal.Journal
}

// New returns the loyalty program over d.DB.
func New(d service.Deps, p Params) *Service {
	return &Service{db: d.DB, journal: p.Journal, clock: d.Clock, settings: d.Settings, log: d.Log}
}

// Settings returns the program's rules.
func (s *Service) Settings() config.Loyalty { return s.settings.Loyalty }

// scale is the shop currency's minor units per unit (100 for RUB, EUR).
func (s *Service) scale() float64 { return math.Pow10(money.Scale(s.settings.Shop.Currency)) }

// PointsValueMinor is what points are worth, in the shop currency's minor
// units.
func (s *Service) PointsValueMinor(points int64) int64 {
	return int64(math.Round(float64(points) * s.settings.Loyalty.PointValue * s.scale()))
}

// earned is the points an order paying paidMinor in money earns.
func (s *Service) earned(paidMinor int64) int64 {
	if paidMinor <= 0 {
		return 0
	}
	// Points per 100 currency units: a 1 250.00 order at 5 % earns 62.
	return int64(math.Floor(float64(paidMinor)/s.scale()*s.settings.Loyalty.EarnPercent/100 + 1e-9))
}

// minor converts a settings amount in currency units to minor units.
func (s *Service) minor(units float64) int64 { return int64(math.Round(units * s.scale())) }

// expiresAt is when a credit made at now lapses; nil when points never do.
func (s *Service) expiresAt(now time.Time) *time.Time {
	if s.settings.Loyalty.ExpireAfter <= 0 {
		return nil
	}
	t := now.Add(time.Duration(s.settings.Loyalty.ExpireAfter))
	return &t
}
