package config

import "github.com/shopcare/shopcare/internal/invalid"

// Traffic is the shop's visitor counter.
type Traffic struct{}

// defaultTraffic is the counter of a shop that has not set its own.
func defaultTraffic() Traffic { return Traffic{} }

// validateTraffic checks the counter's settings.
func (s *Settings) validateTraffic(errs *invalid.List) {}
