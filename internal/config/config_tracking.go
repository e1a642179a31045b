package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
)

// TrackingAPIs are the carrier tracking APIs shopcare speaks.
var TrackingAPIs = []string{"russianpost", "cdek", "omniva", "dhl"}

// Tracking is how a carrier's parcels are followed: the tracking API
// shopcare polls, and the secret of the address the carrier pushes events
// to. Secrets may come from the environment: SHOPCARE_CARRIER_<CODE>_PASSWORD,
// _KEY, _SECRET and _WEBHOOK_SECRET, with the carrier's code in capitals.
type Tracking struct {
	// API is one of TrackingAPIs; empty when the carrier is not polled.
	API string `yaml:"api"`
	// URL replaces the API's production address (a sandbox).
	URL string `yaml:"url"`
	// Login is the tracking API's login (Russian Post).
	Login string `yaml:"login"`
	// Password is the tracking API's password (Russian Post), or env
	// SHOPCARE_CARRIER_<CODE>_PASSWORD.
	Password string `yaml:"password"`
	// Key is the tracking API's client id or key (CDEK, DHL, Omniva).
	Key string `yaml:"key"`
	// Secret is the tracking API's client secret (CDEK).
	Secret string `yaml:"secret"`
	// WebhookSecret, when set, opens
	// POST /api/v1/parcels/webhooks/{code}/{webhook_secret} to the
	// carrier's pushed events.
	WebhookSecret string `yaml:"webhook_secret"`
}

// Watch holds the promise-keeping checks' settings.
type Watch struct {
	// StuckAfterDays flags a parcel in transit with no carrier event for
	// this many days as stuck, for an operator to look into.
	StuckAfterDays int `yaml:"stuck_after_days"`
}

// trackingSecrets adds each carrier's secrets to the environment's map.
func (s *Settings) trackingSecrets(m map[string]*string) {
	for i := range s.Carriers {
		c := &s.Carriers[i]
		if c.Code == "" {
			continue
		}
		prefix := "SHOPCARE_CARRIER_" + strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(c.Code)) + "_"
		m[prefix+"PASSWORD"] = &c.Tracking.Password
		m[prefix+"KEY"] = &c.Tracking.Key
		m[prefix+"SECRET"] = &c.Tracking.Secret
		m[prefix+"WEBHOOK_SECRET"] = &c.Tracking.WebhookSecret
	}
}

func (s *Settings) validateTracking(errs *invalid.List) {
	for i, c := range s.Carriers {
		key := fmt.Sprintf("carriers[%d].tracking", i)
		t := c.Tracking
		if t.API != "" && !slices.Contains(TrackingAPIs, t.API) {
			errs.Add(key+".api", "invalid", "%q is not a tracking API shopcare speaks: %s", t.API, strings.Join(TrackingAPIs, ", "))
		}
		if t.URL != "" {
			u, err := url.Parse(t.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs.Add(key+".url", "invalid", "must be an http(s) address such as https://api.cdek.ru/v2")
			}
		}
		if w := t.WebhookSecret; w != "" && len(w) < 16 {
			errs.Add(key+".webhook_secret", "invalid", "must be at least 16 characters: it is all that guards the push address")
		}
	}
	if s.Watch.StuckAfterDays < 0 {
		errs.Add("watch.stuck_after_days", "invalid", "must not be negative (0 switches the check off)")
	}
}
