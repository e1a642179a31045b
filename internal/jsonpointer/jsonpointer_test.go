package jsonpointer

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// rfcDocument is the example of RFC 6901 section 5.
const rfcDocument = `{
  "foo": ["bar", "baz"],
  "": 0,
  "a/b": 1,
  "c%d": 2,
  "e^f": 3,
  "g|h": 4,
  "i\\j": 5,
  "k\"l": 6,
  " ": 7,
  "m~n": 8
}`

func decode(t testing.TB, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRFC6901Examples resolves every pointer of RFC 6901 section 5.
func TestRFC6901Examples(t *testing.T) {
	t.Parallel()
	doc := decode(t, rfcDocument)
	tests := []struct {
		pointer string
		want    any
	}{
		{"/foo", []any{"bar", "baz"}},
		{"/foo/0", "bar"},
		{"/foo/1", "baz"},
		{"/", json.Number("0")},
		{"/a~1b", json.Number("1")},
		{"/c%d", json.Number("2")},
		{"/e^f", json.Number("3")},
		{"/g|h", json.Number("4")},
		{`/i\j`, json.Number("5")},
		{`/k"l`, json.Number("6")},
		{"/ ", json.Number("7")},
		{"/m~0n", json.Number("8")},
	}
	for _, tt := range tests {
		p, err := Parse(tt.pointer)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.pointer, err)
		}
		got, err := p.Resolve(doc)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Resolve(%q) = %v, %v; want %v", tt.pointer, got, err, tt.want)
		}
		if p.String() != tt.pointer {
			t.Errorf("String() = %q, want %q", p.String(), tt.pointer)
		}
	}
	root, _ := Parse("")
	if got, err := root.Resolve(doc); err != nil || !reflect.DeepEqual(got, doc) || !root.IsRoot() {
		t.Errorf(`"" resolves to %v, %v; want the whole document`, got, err)
	}
}

// TestEscapesApplyInOrder: "~01" is "~1" (the ~0 is read first), never "/".
func TestEscapesApplyInOrder(t *testing.T) {
	t.Parallel()
	p, err := Parse("/~01/a~1b~0")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Tokens(); !reflect.DeepEqual(got, []string{"~1", "a/b~"}) {
		t.Errorf("Tokens() = %q", got)
	}
	doc := decode(t, `{"~1": {"a/b~": "x"}, "/": "slash"}`)
	if v, err := p.Resolve(doc); err != nil || v != "x" {
		t.Errorf("Resolve = %v, %v", v, err)
	}
}

func TestSyntaxErrors(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"order/id", "#/order", "/a~", "/a~2", "/~x", " /a"} {
		if _, err := Parse(s); !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q) = %v, want ErrSyntax", s, err)
		}
	}
}

func TestResolveMissingAndTypes(t *testing.T) {
	t.Parallel()
	doc := decode(t, `{"a": [10, {"b": null}], "s": "text", "n": null, "z": {"01": 1}}`)
	tests := []struct {
		pointer string
		missing bool
		typeErr string
	}{
		{"/nope", true, ""},
		{"/a/2", true, ""},
		{"/a/-", true, ""},
		{"/a/1/b/c", true, ""}, // through a null
		{"/n/x", true, ""},
		{"/a/01", false, `/a is an array and "01" is not an index of it`},
		{"/a/x", false, `/a is an array and "x" is not an index of it`},
		{"/a/-1", false, "not an index"},
		{"/a/99999999999999999999", false, "not an index"},
		{"/s/x", false, "/s is a string, not an object or an array"},
		{"/a/0/x", false, "/a/0 is a number"},
	}
	for _, tt := range tests {
		p, err := Parse(tt.pointer)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Resolve(doc)
		var te *TypeError
		switch {
		case tt.missing && !errors.Is(err, ErrMissing):
			t.Errorf("Resolve(%q) = %v, want ErrMissing", tt.pointer, err)
		case !tt.missing && (!errors.As(err, &te) || !strings.Contains(err.Error(), tt.typeErr)):
			t.Errorf("Resolve(%q) = %v, want a TypeError saying %q", tt.pointer, err, tt.typeErr)
		}
	}
	// an object's key may look like an index with a leading zero
	if v, err := mustParse(t, "/z/01").Resolve(doc); err != nil || v != json.Number("1") {
		t.Errorf("/z/01 = %v, %v", v, err)
	}
	if v, err := mustParse(t, "/a/1/b").Resolve(doc); err != nil || v != nil {
		t.Errorf("a null at the end = %v, %v; want nil, nil", v, err)
	}
	if _, err := mustParse(t, "/x").Resolve("scalar"); err == nil || !strings.Contains(err.Error(), "the document is a string") {
		t.Errorf("a scalar document: %v", err)
	}
}

func mustParse(t *testing.T, s string) Pointer {
	t.Helper()
	p, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
