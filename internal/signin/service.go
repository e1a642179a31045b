package signin

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/secret"

	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Service is the customers' way into their own page, for the web
// surface: it holds the database so the handlers do not.
type Service struct {
	db       *store.DB
	deps     service.Deps
	key      []byte // HMAC key of signed links and of the stored hashes (signin_keys)
	channels []notify.Sender
	sending  chan struct{} // a slot per code being sent, maxSending in all
	inFlight sync.WaitGroup
}

// Params are the sign-in service's collaborators.
type Params struct {
	// Channels send the codes: e-mail, SMS, Telegram, as the settings
	// set them up.
	Channels []notify.Sender
}

// New returns the sign-in service over deps' database, with the shop's
// sign-in key, made at the first start.
func New(ctx context.Context, deps service.Deps, p Params) (*Service, error) {
	now := time.Now()
	if deps.Clock != nil {
		now = deps.Clock.Now()
	}
	key, err := keyLoad(ctx, deps.DB, now)
	if err != nil {
		return nil, err
	}
	return &Service{db: deps.DB, deps: deps, key: key, channels: p.Channels, sending: make(chan struct{}, maxSending)}, nil
}

// log is the service's logger, a silent one when deps had none.
func (s *Service) log() *slog.Logger {
	if s.deps.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.deps.Log
}

// SessionCreate opens a session for a customer who proved they are
// themselves by way of via (ViaCode, ViaLink…). now is real time.
func (s *Service) SessionCreate(ctx context.Context, customerID int64, via string, now time.Time) (Session, error) {
	var out Session
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = sessionCreate(ctx, tx, customerID, via, now)
		return err
	})
	return out, err
}

// SessionGet returns the live session of a cookie's token, or
// ErrNoSession.
func (s *Service) SessionGet(ctx context.Context, token string, now time.Time) (Session, error) {
	return sessionGet(ctx, s.db.Read(), token, now)
}

// SessionDelete ends one session (signing out). The row stays, its
// expiry set to its start, for SessionTTL more: the admin's list of
// sign-ins shows it, ended.
func (s *Service) SessionDelete(ctx context.Context, token string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE customer_sessions SET expires_at = created_at WHERE token_hash = $1`,
			secret.Hash(token)); err != nil {
			return fmt.Errorf("end customer session: %w", err)
		}
		return nil
	})
}

// SessionsEnd ends every session of a customer, inside the caller's
// transaction: their account was deleted, or they asked to sign out
// everywhere. The codes and one-time links they were sent go too, so
// none still in the post opens a page afterwards.
func SessionsEnd(ctx context.Context, tx *store.Tx, customerID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM customer_sessions WHERE customer_id = $1`, customerID); err != nil {
		return fmt.Errorf("end sessions of customer %d: %w", customerID, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM signin_codes WHERE customer_id = $1`, customerID); err != nil {
		return fmt.Errorf("drop sign-in codes of customer %d: %w", customerID, err)
	}
	return nil
}
