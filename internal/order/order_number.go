package order

import (
	"context"
	"fmt"
	"regexp"

	"github.com/shopcare/shopcare/internal/store"
)

// FindByNumber returns the id and customer of the order a customer knows by
// number: the shop's external id as given, or a connector's order
// ("{connector}:{number}") for each of the connectors named. It is how the
// support inbox threads a message that quotes its order; store.ErrNotFound
// when no order has the number.
func FindByNumber(ctx context.Context, q store.Querier, number string, connectors []string) (id, customerID int64, err error) {
	if number == "" {
		return 0, 0, fmt.Errorf("find order by empty number: %w", store.ErrNotFound)
	}
	keys := make([]string, 0, 1+len(connectors))
	keys = append(keys, number)
	for _, c := range connectors {
		keys = append(keys, c+":"+number)
	}
	found := false
	err = store.QueryIn(ctx, q, `SELECT id, customer_id FROM orders WHERE external_id IN (IN_LIST) ORDER BY placed_at DESC, id DESC`,
		nil, keys, func(r store.Rows) error {
			if found {
				return nil
			}
			found = true
			return r.Scan(&id, &customerID)
		})
	if err != nil {
		return 0, 0, fmt.Errorf("find order %q: %w", number, err)
	}
	if !found {
		return 0, 0, fmt.Errorf("find order %q: %w", number, store.ErrNotFound)
	}
	return id, customerID, nil
}

// connectorPrefix is the "{connector name}:" a shop platform's order's
// external id starts with (config.Connector names).
var connectorPrefix = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}:`)

// Number is the order's number as the customer and the shop's people
// know it: its external id, without the connector's name of an order that
// came from a shop platform ("site:100493" is 100493 to the customer).
func Number(externalID string) string {
	if loc := connectorPrefix.FindStringIndex(externalID); loc != nil && loc[1] < len(externalID) {
		return externalID[loc[1]:]
	}
	return externalID
}
