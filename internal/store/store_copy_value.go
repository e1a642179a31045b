package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// toPostgres converts a value read from SQLite to what pgx writes into a
// PostgreSQL column of type raw (information_schema's data_type). These
// are the conversions a generic loader gets wrong: SQLite keeps times as
// text (or, written by other tools, as Unix seconds or milliseconds),
// booleans as 0/1, JSON as text; NULL stays NULL.
func toPostgres(v any, raw string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typeFamily(raw) {
	case TypeInteger:
		return toInt(v)
	case TypeReal:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		case string:
			return parseFloat(x)
		case []byte:
			return parseFloat(string(x))
		}
	case TypeText:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		case time.Time:
			return x.UTC().Format("2006-01-02 15:04:05.999999999-07:00"), nil
		}
	case TypeBoolean:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
			return nil, fmt.Errorf("%d is not a boolean (0 or 1)", x)
		case string, []byte:
			switch s := strings.ToLower(strings.TrimSpace(fmt.Sprint(textOf(x)))); s {
			case "1", "t", "true":
				return true, nil
			case "0", "f", "false":
				return false, nil
			default:
				return nil, fmt.Errorf("%q is not a boolean", s)
			}
		}
	case TypeTimestamp:
		return toTime(v)
	case TypeDate:
		t, err := toTime(v)
		if err != nil {
			return nil, err
		}
		y, m, d := t.(time.Time).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	case TypeJSON:
		b := []byte(textOf(v))
		if !json.Valid(b) {
			return nil, fmt.Errorf("%.40q is not valid JSON", b)
		}
		return b, nil
	case TypeBlob:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	default:
		return nil, fmt.Errorf("no conversion to PostgreSQL type %s", raw)
	}
	return nil, fmt.Errorf("a %T value cannot go into a PostgreSQL %s column", v, raw)
}

// textOf is the text of a string or byte slice value, "" for others.
func textOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

func toInt(v any) (any, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x), nil
		}
		return nil, fmt.Errorf("%g is not a whole number", x)
	case string, []byte:
		n, err := strconv.ParseInt(strings.TrimSpace(textOf(x)), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%.40q is not a whole number", textOf(x))
		}
		return n, nil
	}
	return nil, fmt.Errorf("a %T value is not a whole number", v)
}

func parseFloat(s string) (any, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return nil, fmt.Errorf("%.40q is not a number", s)
	}
	return f, nil
}

// epochMillisFrom is where a number stored as a time is taken for
// milliseconds rather than seconds: 10^11 seconds is the year 5138,
// 10^11 milliseconds March 1973.
const epochMillisFrom = 1e11

// toTime reads a stored time: a time the driver parsed, text in one of
// the layouts shopcare and SQLite write (or RFC 3339), or a Unix time in
// seconds or milliseconds. The result is in UTC.
func toTime(v any) (any, error) {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case int64:
		t = epochTime(float64(x))
	case float64:
		t = epochTime(x)
	case string, []byte:
		s := strings.TrimSpace(textOf(x))
		var ok bool
		for _, layout := range append(lenientLayouts, time.RFC3339Nano) {
			if p, err := time.Parse(layout, s); err == nil {
				t, ok = p, true
				break
			}
		}
		if !ok {
			if n, err := strconv.ParseFloat(s, 64); err == nil {
				t, ok = epochTime(n), true
			}
		}
		if !ok {
			return nil, fmt.Errorf("%.40q is not a time", s)
		}
	default:
		return nil, fmt.Errorf("a %T value is not a time", v)
	}
	return t.UTC(), nil
}

func epochTime(n float64) time.Time {
	if math.Abs(n) >= epochMillisFrom {
		return time.UnixMilli(int64(n)).UTC()
	}
	sec, frac := math.Modf(n)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

// appendCanonical appends the canonical form of v, a value bound for (or
// read from) a PostgreSQL column of type raw, to buf: the same bytes
// whichever side it comes from when the value survived the copy. Times
// are UTC to the microsecond (what PostgreSQL keeps), reals at the
// column's precision, JSON with its keys sorted and no spaces.
func appendCanonical(buf []byte, v any, raw string) ([]byte, error) {
	if v == nil {
		return append(buf, 'N'), nil
	}
	var s string
	switch x := v.(type) {
	case int64:
		s = strconv.FormatInt(x, 10)
	case int32:
		s = strconv.FormatInt(int64(x), 10)
	case int16:
		s = strconv.FormatInt(int64(x), 10)
	case float64:
		if strings.EqualFold(raw, "real") {
			s = strconv.FormatFloat(float64(float32(x)), 'g', -1, 32)
		} else {
			s = strconv.FormatFloat(x, 'g', -1, 64)
		}
	case float32:
		s = strconv.FormatFloat(float64(x), 'g', -1, 32)
	case bool:
		s = strconv.FormatBool(x)
	case time.Time:
		if typeFamily(raw) == TypeDate {
			s = x.Format(time.DateOnly)
		} else {
			s = x.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
		}
	case string:
		s = x
		if typeFamily(raw) == TypeJSON {
			var err error
			if s, err = canonicalJSON([]byte(x)); err != nil {
				return nil, err
			}
		}
	case []byte:
		s = string(x)
		if typeFamily(raw) == TypeJSON {
			var err error
			if s, err = canonicalJSON(x); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("no canonical form for a %T value", v)
	}
	buf = append(buf, 'V')
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...), nil
}

// canonicalJSON re-encodes a JSON document with sorted keys and numbers
// as written, as PostgreSQL's jsonb reorders and respaces it.
func canonicalJSON(b []byte) (string, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return "", fmt.Errorf("read JSON: %w", err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("write JSON: %w", err)
	}
	return string(out), nil
}
