package config

import "github.com/shopcare/shopcare/internal/invalid"

// Bounds of the stock settings.
const (
	defaultRestockDays = 5
	maxRestockDays     = 250
)

// Stock is how the shop's stock is kept and promised.
type Stock struct {
	// RestockDays is the shop's estimate, in working days of its
	// calendar, of how long an item out of stock with no delivery on its
	// way takes to come back: the date a short order line is promised
	// for when no incoming delivery covers it. Default 5.
	RestockDays int `yaml:"restock_days"`
}

// defaultStock is the stock setup of a shop that has not set its own.
func defaultStock() Stock { return Stock{RestockDays: defaultRestockDays} }

// validateStock checks the stock settings.
func (s *Settings) validateStock(errs *invalid.List) {
	if s.Stock.RestockDays < 1 || s.Stock.RestockDays > maxRestockDays {
		errs.Add("stock.restock_days", "invalid", "must be between 1 and %d working days", maxRestockDays)
	}
}
