package config

import "github.com/shopcare/shopcare/internal/invalid"

// Stock is how the shop's stock is kept and promised.
type Stock struct{}

// defaultStock is the stock setup of a shop that has not set its own.
func defaultStock() Stock { return Stock{} }

// validateStock checks the stock settings.
func (s *Settings) validateStock(errs *invalid.List) {}
