package customer

import (
	"sync"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// phone is a number as the phone-number library reads it.
type phone struct {
	e164    string
	country string // ISO region of the number
	zone    string // the one IANA zone of the number, or ""
	err     error
}

// phoneCache remembers parsed numbers: parsing is the dearest step of taking
// an order in, and a customer's number comes back with every order. It is
// bounded (emptied when full), so a long import runs in constant memory.
type phoneCache struct {
	mu sync.Mutex
	m  map[[2]string]phone
}

const phoneCacheSize = 50_000

var phones = &phoneCache{m: map[[2]string]phone{}}

func (c *phoneCache) normalize(raw, region string) phone {
	key := [2]string{raw, region}
	c.mu.Lock()
	p, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return p
	}
	p = parsePhone(raw, region)
	c.mu.Lock()
	if len(c.m) >= phoneCacheSize {
		clear(c.m)
	}
	c.m[key] = p
	c.mu.Unlock()
	return p
}

func parsePhone(raw, region string) phone {
	num, err := phonenumbers.Parse(raw, region)
	if err != nil {
		return phone{err: err}
	}
	if !phonenumbers.IsValidNumber(num) {
		return phone{err: phonenumbers.ErrNotANumber}
	}
	p := phone{e164: phonenumbers.Format(num, phonenumbers.E164), country: phonenumbers.GetRegionCodeForNumber(num)}
	if zones, err := phonenumbers.GetTimezonesForNumber(num); err == nil && len(zones) == 1 && knownZone(zones[0]) {
		p.zone = zones[0]
	}
	return p
}

// zones remembers which zone names load: time.LoadLocation reads and
// parses the zone's file on every call.
var zones sync.Map // name → bool

func knownZone(name string) bool {
	if name == "" || name == "Etc/Unknown" {
		return false
	}
	if ok, seen := zones.Load(name); seen {
		return ok.(bool)
	}
	_, err := time.LoadLocation(name)
	if err == nil { // only real zones, so junk input cannot grow the map
		zones.Store(name, true)
	}
	return err == nil
}
