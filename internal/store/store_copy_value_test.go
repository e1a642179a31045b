package store

import (
	"testing"
	"time"
)

// TestToPostgres: each value SQLite can hold arrives as its PostgreSQL
// column's type, and what cannot be converted fails with a reason.
func TestToPostgres(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 12, 0, 0, 123000000, time.UTC)
	tests := []struct {
		name string
		in   any
		typ  string
		want any
		bad  bool
	}{
		{"NULL stays NULL", nil, "timestamp with time zone", nil, false},
		{"driver's time", at.In(time.FixedZone("MSK", 3*3600)), "timestamp with time zone", at, false},
		{"sqlite text with offset", "2026-11-23 15:00:00.123+03:00", "timestamp with time zone", at, false},
		{"sqlite text without zone is UTC", "2026-11-23 12:00:00.123", "timestamp with time zone", at, false},
		{"RFC 3339", "2026-11-23T12:00:00.123Z", "timestamp with time zone", at, false},
		{"epoch milliseconds", at.UnixMilli(), "timestamp with time zone", at, false},
		{"epoch seconds", int64(1795435200), "timestamp with time zone", time.Unix(1795435200, 0).UTC(), false},
		{"epoch milliseconds as text", "1795435200123", "timestamp with time zone", time.UnixMilli(1795435200123).UTC(), false},
		{"not a time", "next Tuesday", "timestamp with time zone", nil, true},
		{"date", "2026-11-23", "date", time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), false},
		{"0 is false", int64(0), "boolean", false, false},
		{"1 is true", int64(1), "boolean", true, false},
		{"2 is no boolean", int64(2), "boolean", nil, true},
		{"JSON text", `{"b":1}`, "jsonb", []byte(`{"b":1}`), false},
		{"broken JSON", `{"b":`, "json", nil, true},
		{"blob", []byte{0, 1, 2}, "bytea", []byte{0, 1, 2}, false},
		{"text as blob", "abc", "bytea", []byte("abc"), false},
		{"whole float to bigint", float64(42), "bigint", int64(42), false},
		{"fraction to bigint", 4.2, "bigint", nil, true},
		{"integer text", " 7 ", "integer", int64(7), false},
		{"integer to real", int64(3), "double precision", float64(3), false},
		{"number in a text column", int64(12), "text", "12", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toPostgres(tt.in, tt.typ)
			if tt.bad {
				if err == nil {
					t.Fatalf("toPostgres(%v, %s) = %v, want an error", tt.in, tt.typ, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch w := tt.want.(type) {
			case time.Time:
				if g, ok := got.(time.Time); !ok || !g.Equal(w) || g.Location() != time.UTC {
					t.Errorf("toPostgres(%v, %s) = %v, want %v in UTC", tt.in, tt.typ, got, w)
				}
			case []byte:
				if g, ok := got.([]byte); !ok || string(g) != string(w) {
					t.Errorf("toPostgres(%v, %s) = %v, want %v", tt.in, tt.typ, got, w)
				}
			default:
				if got != tt.want {
					t.Errorf("toPostgres(%v, %s) = %#v, want %#v", tt.in, tt.typ, got, tt.want)
				}
			}
		})
	}
}

// TestCanonicalMatchesAcrossEngines: the values as SQLite's side has them
// and as PostgreSQL gives them back have one canonical form, so equal
// tables have equal checksums; a changed value changes the checksum, and
// the order of the rows does not.
func TestCanonicalMatchesAcrossEngines(t *testing.T) {
	t.Parallel()
	pairs := []struct {
		typ       string
		src, back any
	}{
		{"timestamp with time zone", time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC), time.Date(2026, 1, 2, 6, 4, 5, 123456000, time.FixedZone("MSK", 3*3600))},
		{"jsonb", []byte(`{"b": 1, "a": [1.50, "x"]}`), `{"a": [1.50, "x"], "b": 1}`},
		{"real", 0.1, float32(0.1)},
		{"integer", int64(7), int32(7)},
		{"date", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
	}
	for _, p := range pairs {
		a, err := appendCanonical(nil, p.src, p.typ)
		if err != nil {
			t.Fatal(err)
		}
		b, err := appendCanonical(nil, p.back, p.typ)
		if err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Errorf("%s: %q from SQLite, %q from PostgreSQL", p.typ, a, b)
		}
	}
	var x, y, z checksum
	x.add([]byte("row 1"))
	x.add([]byte("row 2"))
	y.add([]byte("row 2"))
	y.add([]byte("row 1"))
	z.add([]byte("row 1"))
	z.add([]byte("row 3"))
	if x != y {
		t.Errorf("the rows' order changed the checksum: %s, %s", x, y)
	}
	if x == z {
		t.Errorf("a changed row kept the checksum %s", x)
	}
}
