package stock

import (
	"context"
	"errors"
)

// PutResult says what a Put changed.
type PutResult struct {
	// Created and Updated count the SKUs new to the shop and those whose
	// level changed; Unchanged those handed in as they were.
	Created, Updated, Unchanged int
}

// Put sets the levels handed in (on hand and the incoming deliveries;
// Reserved, Available and Waiting are ignored) from source (api, csv,
// admin or a connector's name), validating every level before writing
// any. Stock that comes in serves the orders waiting for it first, then
// the customers waiting to be told.
func (s *Service) Put(ctx context.Context, source string, levels []Level) (PutResult, error) {
	return PutResult{}, errors.New("stock: Put is not built yet")
}

// Get returns one SKU's level; store.ErrNotFound when it is not tracked.
func (s *Service) Get(ctx context.Context, sku string) (Level, error) {
	return Level{}, errors.New("stock: Get is not built yet")
}
