package parcel

import (
	"fmt"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/carrier/cdek"
	"github.com/shopcare/shopcare/internal/carrier/dhl"
	"github.com/shopcare/shopcare/internal/carrier/omniva"
	"github.com/shopcare/shopcare/internal/carrier/russianpost"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
)

// adapter returns the tracking API client the settings name.
func adapter(t config.Tracking, clk clock.Clock) (carrier.Tracker, error) {
	opts := carrier.Options{URL: t.URL, Login: t.Login, Password: t.Password, Key: t.Key, Secret: t.Secret, Clock: clk}
	switch t.API {
	case "russianpost":
		return russianpost.New(opts), nil
	case "cdek":
		return cdek.New(opts), nil
	case "omniva":
		return omniva.New(opts), nil
	case "dhl":
		return dhl.New(opts), nil
	}
	return nil, fmt.Errorf("no tracking API %q", t.API)
}
