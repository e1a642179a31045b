package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// actYear is one year of an act of government that moves days off, written
// as "MM-DD<MM-DD …": each pair makes the first day a day off in place of the
// second, both in the act's year. A second day that is a plain Saturday or
// Sunday becomes a working day; one that is a holiday stays off.
type actYear struct {
	year int
	// act names the act the moves come from, for people checking them.
	act   string
	moves string
	// law lists the moves the law makes by itself that year (Russia's
	// Labour Code art. 112), so that the year's table is complete; a test
	// checks them against the computed rule.
	law string
}

// transfer is one parsed pair: off becomes a day off in place of from.
type transfer struct{ off, from Day }

func parseTransfers(year int, s string) ([]transfer, error) {
	var out []transfer
	for _, f := range strings.Fields(s) {
		off, from, ok := strings.Cut(f, "<")
		if !ok {
			return nil, fmt.Errorf("transfer %q: want MM-DD<MM-DD", f)
		}
		a, err := parseMonthDay(year, off)
		if err != nil {
			return nil, fmt.Errorf("transfer %q: %w", f, err)
		}
		b, err := parseMonthDay(year, from)
		if err != nil {
			return nil, fmt.Errorf("transfer %q: %w", f, err)
		}
		out = append(out, transfer{off: a, from: b})
	}
	return out, nil
}

func parseMonthDay(year int, s string) (Day, error) {
	ms, ds, ok := strings.Cut(s, "-")
	m, err1 := strconv.Atoi(ms)
	d, err2 := strconv.Atoi(ds)
	if !ok || err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, fmt.Errorf("%q is not MM-DD", s)
	}
	day := Date(year, time.Month(m), d)
	if _, mm, dd := day.Date(); mm != time.Month(m) || dd != d {
		return 0, fmt.Errorf("%d-%s does not exist", year, s)
	}
	return day, nil
}

// applyActs marks the moves of acts. A malformed entry cannot reach a
// release: TestActTablesParse parses every table.
func (b *builder) applyActs(acts []actYear, authority, lawAuthority string) {
	for _, a := range acts {
		moves, err := parseTransfers(a.year, a.moves)
		if err != nil {
			continue
		}
		for _, t := range moves {
			b.move(t.off, t.from, authority)
		}
		law, err := parseTransfers(a.year, a.law)
		if err != nil {
			continue
		}
		for _, t := range law {
			b.move(t.off, t.from, lawAuthority)
		}
	}
}
