package store

import (
	"time"
)

// LenientTime scans a stored time that may not be readable: a row written
// with a year SQLite's text format cannot hold (10000), or text in no
// layout shopcare writes. Such a value leaves *T zero and sets *Bad instead
// of failing the whole query, so a list can show the other rows and flag
// this one. NULL leaves *T zero and *Bad false.
type LenientTime struct {
	T   *time.Time
	Bad *bool
}

// lenientLayouts are the layouts a time is stored in: modernc's
// "_time_format=sqlite" and what SQLite's own functions write.
var lenientLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999",
	time.DateOnly}

// Scan implements sql.Scanner.
func (l LenientTime) Scan(src any) error {
	*l.T, *l.Bad = time.Time{}, false
	var s string
	switch v := src.(type) {
	case nil:
		return nil
	case time.Time:
		*l.T = v
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		*l.Bad = true
		return nil
	}
	for _, layout := range lenientLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			*l.T = t
			return nil
		}
	}
	*l.Bad = true
	return nil
}
