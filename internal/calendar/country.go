package calendar

import (
	"strings"
	"sync"

	"github.com/shopcare/shopcare/internal/invalid"
)

// country is one supported country: how to mark its days, and its compiled
// calendar once somebody asked for it.
type country struct {
	code  string
	build func(b *builder)
	// lastDecreed is the last year whose moved days come from an act we
	// ship; later years are provisional. 0 for a country whose calendar
	// does not depend on yearly decrees.
	lastDecreed int

	once  sync.Once
	table *compiled
}

// compiled returns the country's calendar, building it on first use.
func (c *country) compiled() *compiled {
	c.once.Do(func() {
		b := newBuilder()
		c.build(b)
		c.table = b.compile()
	})
	return c.table
}

// countries lists the supported countries, sorted by code.
var countries = []*country{
	{code: "DE", build: buildDE},
	{code: "EE", build: buildEE},
	{code: "GB", build: buildGB},
	{code: "LT", build: buildLT},
	{code: "LV", build: buildLV},
	{code: "RU", build: buildRU, lastDecreed: ruLastDecreed},
	{code: "US", build: buildUS},
}

// Countries returns the ISO 3166 alpha-2 codes of the supported countries,
// sorted.
func Countries() []string {
	codes := make([]string, len(countries))
	for i, c := range countries {
		codes[i] = c.code
	}
	return codes
}

func lookupCountry(code string) (*country, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, c := range countries {
		if c.code == code {
			return c, nil
		}
	}
	return nil, invalid.Field("country", "unsupported",
		"no business calendar for country %q; supported: %s", code, strings.Join(Countries(), ", "))
}

// Supported tells whether shopcare has the business calendar of a country.
func Supported(code string) bool {
	_, err := lookupCountry(code)
	return err == nil
}

// Plain returns a calendar of Saturday and Sunday weekends and the shop's
// overrides, for a country whose holidays shopcare does not know: the shop
// lists its public holidays as overrides.
func Plain(code string, overrides []Override) (*Calendar, error) {
	co := &country{code: strings.ToUpper(strings.TrimSpace(code)), build: func(*builder) {}}
	return newCalendar(co, overrides)
}
