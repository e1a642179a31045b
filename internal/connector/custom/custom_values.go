package custom

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/jsonpointer"
	"github.com/shopcare/shopcare/internal/money"
)

// maxProblems bounds the problems one delivery reports: enough to fix a
// mapping, never a list as long as a payload of ten thousand lines.
const maxProblems = 20

// reader resolves a mapping's pointers in one document and collects the
// problems, each naming the mapping's key (items[2].qty) and the pointer.
type reader struct {
	doc  any
	errs invalid.List
}

func (r *reader) add(field, code, format string, args ...any) {
	if len(r.errs) < maxProblems {
		r.errs.Add(field, code, format, args...)
	}
}

// lookup returns the value at ptr in doc; false when ptr is unset, names
// nothing or null, or cannot be followed (a problem then).
func (r *reader) lookup(field, ptr string, doc any) (any, bool) {
	if ptr == "" {
		return nil, false
	}
	p, err := jsonpointer.Parse(ptr)
	if err != nil {
		r.add(field, "invalid", "the mapping's %q is not a JSON pointer", ptr)
		return nil, false
	}
	v, err := p.Resolve(doc)
	var te *jsonpointer.TypeError
	switch {
	case errors.Is(err, jsonpointer.ErrMissing):
		return nil, false
	case errors.As(err, &te):
		r.add(field, "invalid", "cannot follow %s: %v", ptr, te)
		return nil, false
	case err != nil:
		r.add(field, "invalid", "cannot follow %s: %v", ptr, err)
		return nil, false
	}
	return v, v != nil
}

// text reads a string or a number as text; "" when absent. The text is
// checked like any text a shop hands in (length, control characters).
func (r *reader) text(field, ptr string, doc any) string {
	v, ok := r.lookup(field, ptr, doc)
	if !ok {
		return ""
	}
	var s string
	switch v := v.(type) {
	case string:
		s = strings.TrimSpace(v)
	case json.Number:
		s = v.String()
	default:
		r.add(field, "invalid", "%s is %s, want text or a number", ptr, jsonpointer.Kind(v))
		return ""
	}
	if e := invalid.Text(field, s); e != nil {
		r.add(field, e.Code, "%s: %s", ptr, e.Message)
		return ""
	}
	return s
}

// texts joins the texts of several pointers with sep, skipping empty ones.
func (r *reader) texts(field string, ptrs []string, sep string, doc any) string {
	var parts []string
	for _, p := range ptrs {
		if s := r.text(field, p, doc); s != "" {
			parts = append(parts, s)
		}
	}
	s := strings.Join(parts, sep)
	if len(ptrs) > 1 {
		if e := invalid.Text(field, s); e != nil {
			r.add(field, e.Code, "%s", e.Message)
			return ""
		}
	}
	return s
}

// numeral reads a JSON number or a string of digits as the number's text;
// false when absent or not a number (a problem then).
func (r *reader) numeral(field, ptr string, doc any) (string, bool) {
	v, ok := r.lookup(field, ptr, doc)
	if !ok {
		return "", false
	}
	switch v := v.(type) {
	case json.Number:
		return v.String(), true
	case string:
		if s := strings.TrimSpace(v); s != "" {
			return s, true
		}
		return "", false
	default:
		r.add(field, "invalid", "%s is %s, want a number", ptr, jsonpointer.Kind(v))
		return "", false
	}
}

// amount reads money: a decimal in the currency's units (major) or whole
// minor units (minor), as a JSON number or a numeric string; never
// negative.
func (r *reader) amount(field, ptr string, minor bool, scale int, doc any) (int64, bool) {
	s, ok := r.numeral(field, ptr, doc)
	if !ok {
		return 0, false
	}
	if minor {
		scale = 0
	}
	v, err := money.Parse(s, scale)
	switch {
	case errors.Is(err, money.ErrPrecision) && minor:
		r.add(field, "invalid", "%q at %s is not a whole number of minor units (the mapping says money: minor)", s, ptr)
		return 0, false
	case errors.Is(err, money.ErrPrecision):
		r.add(field, "invalid", "%q at %s has more than %d decimal places", s, ptr, scale)
		return 0, false
	case err != nil:
		r.add(field, "invalid", "%q at %s is not an amount: %v", s, ptr, err)
		return 0, false
	case v < 0:
		r.add(field, "invalid", "%q at %s is negative", s, ptr)
		return 0, false
	}
	return v, true
}

// whole reads a whole number, as a JSON number or a numeric string.
func (r *reader) whole(field, ptr string, doc any) (int64, bool) {
	s, ok := r.numeral(field, ptr, doc)
	if !ok {
		return 0, false
	}
	v, err := money.Parse(s, 0) // "2" and "2.0", not "2.5"
	if err != nil {
		r.add(field, "invalid", "%q at %s is not a whole number", s, ptr)
		return 0, false
	}
	return v, true
}

// boolean reads true/false, 1/0 or the text true, false, yes, no, on,
// off, 1, 0 (any case).
func (r *reader) boolean(field, ptr string, doc any) (bool, bool) {
	v, ok := r.lookup(field, ptr, doc)
	if !ok {
		return false, false
	}
	switch v := v.(type) {
	case bool:
		return v, true
	case json.Number, string:
		switch strings.ToLower(strings.TrimSpace(fmt.Sprint(v))) {
		case "true", "yes", "on", "1", "y":
			return true, true
		case "false", "no", "off", "0", "n", "":
			return false, true
		}
		r.add(field, "invalid", "%q at %s is not true or false", v, ptr)
	default:
		r.add(field, "invalid", "%s is %s, want true or false", ptr, jsonpointer.Kind(v))
	}
	return false, false
}

// when reads a time in the mapping's format: rfc3339 (an offset, or
// none and the mapping's zone), unix or unix_ms (a number or digits), or
// a Go layout read in the mapping's zone. MySQL's zero date
// "0000-00-00 00:00:00" and the unix time 0 are absent times.
func (r *reader) when(field, ptr, format string, loc *time.Location, doc any) time.Time {
	switch format {
	case "unix", "unix_ms":
		s, ok := r.numeral(field, ptr, doc)
		if !ok {
			return time.Time{}
		}
		scale := 6 // read to the microsecond
		if format == "unix_ms" {
			scale = 3
		}
		v, err := money.Parse(s, scale)
		if err != nil || v < 0 {
			r.add(field, "invalid", "%q at %s is not a time in %s", s, ptr, unixName(format))
			return time.Time{}
		}
		if v == 0 {
			return time.Time{}
		}
		return time.UnixMicro(v).UTC()
	}
	s := r.text(field, ptr, doc)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}
	}
	if format == "" || format == "rfc3339" {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t
		}
		if t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, loc); err == nil {
			return t
		}
		r.add(field, "invalid", "%q at %s is not an RFC 3339 time such as 2025-03-01T14:05:00+02:00 (set the mapping's time_format)", s, ptr)
		return time.Time{}
	}
	t, err := time.ParseInLocation(format, s, loc)
	if err != nil {
		r.add(field, "invalid", "%q at %s is not a time written as %q", s, ptr, format)
		return time.Time{}
	}
	return t
}

func unixName(format string) string {
	if format == "unix_ms" {
		return "milliseconds since 1970"
	}
	return "seconds since 1970"
}
