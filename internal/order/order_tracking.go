package order

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/store"
)

// ErrNoSuchToken is returned for a tracking token no order has.
var ErrNoSuchToken = errors.New("no order has this tracking token")

// TrackingToken returns the order's tracking token, making one first when
// the order has none (orders imported as history, or older than tokens).
func TrackingToken(ctx context.Context, q store.Querier, id int64) (string, error) {
	fresh := secret.Token()
	var token string
	err := q.QueryRow(ctx, `UPDATE orders SET tracking_token = COALESCE(tracking_token, $1) WHERE id = $2 RETURNING tracking_token`,
		fresh, id).Scan(&token)
	if err != nil {
		return "", fmt.Errorf("tracking token of order %d: %w", id, err)
	}
	return token, nil
}

// TrackingTokens is TrackingToken for several orders in one transaction
// (a sweep's batch of imported orders): the orders' tokens by id.
func TrackingTokens(ctx context.Context, tx *store.Tx, ids []int64) (map[int64]string, error) {
	ids = slices.Sorted(slices.Values(ids)) // the order any batch locks orders in
	out := make(map[int64]string, len(ids))
	for _, id := range slices.Compact(ids) {
		token, err := TrackingToken(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		out[id] = token
	}
	return out, nil
}

// GetByTrackingToken returns the order whose tracking page token is token,
// with its items, status history and customer.
func GetByTrackingToken(ctx context.Context, q store.Querier, token string) (*Order, error) {
	if !secret.Plausible(token) {
		return nil, ErrNoSuchToken
	}
	o, err := scanOrder(q.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE tracking_token = $1`, token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSuchToken
	}
	if err != nil {
		return nil, fmt.Errorf("load order by tracking token: %w", err)
	}
	return o, loadDetails(ctx, q, o)
}
