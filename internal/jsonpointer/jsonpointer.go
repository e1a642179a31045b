// Package jsonpointer reads JSON pointers (RFC 6901), such as
// "/order/lines/0/sku", and resolves them in a document decoded by
// encoding/json into any (objects as map[string]any, arrays as []any).
//
// It is a small file of its own rather than a dependency: the custom
// connector's mapping needs exactly RFC 6901 — the escapes ~0 and ~1,
// array indexes without leading zeros, "-" never resolving — and the
// settings need the same syntax check without importing the connector.
package jsonpointer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrSyntax reports text that is not a JSON pointer.
var ErrSyntax = errors.New("not a JSON pointer")

// ErrMissing reports a pointer that names nothing in the document: an
// object without the key, an index past the array's end, or a null on
// the way. Callers treat it as "the field is absent".
var ErrMissing = errors.New("nothing there")

// Pointer is a parsed JSON pointer: its reference tokens, unescaped.
// The zero Pointer ("") is the whole document.
type Pointer struct {
	text   string
	tokens []string
}

// Parse reads a JSON pointer: "" (the whole document) or "/"-separated
// reference tokens in which "~0" stands for "~" and "~1" for "/".
func Parse(s string) (Pointer, error) {
	if s == "" {
		return Pointer{}, nil
	}
	if s[0] != '/' {
		return Pointer{}, fmt.Errorf("%w: %q must start with /", ErrSyntax, s)
	}
	parts := strings.Split(s[1:], "/")
	for i, p := range parts {
		if !strings.Contains(p, "~") {
			continue
		}
		var b strings.Builder
		for j := 0; j < len(p); j++ {
			if p[j] != '~' {
				b.WriteByte(p[j])
				continue
			}
			if j+1 >= len(p) || (p[j+1] != '0' && p[j+1] != '1') {
				return Pointer{}, fmt.Errorf("%w: %q has a ~ not followed by 0 or 1", ErrSyntax, s)
			}
			if p[j+1] == '0' {
				b.WriteByte('~')
			} else {
				b.WriteByte('/')
			}
			j++
		}
		parts[i] = b.String()
	}
	return Pointer{text: s, tokens: parts}, nil
}

// String returns the pointer as written.
func (p Pointer) String() string { return p.text }

// Tokens returns the unescaped reference tokens.
func (p Pointer) Tokens() []string { return append([]string(nil), p.tokens...) }

// IsRoot reports whether p is "", the whole document.
func (p Pointer) IsRoot() bool { return len(p.tokens) == 0 }

// TypeError reports a pointer that goes on through a value that is
// neither an object nor an array ("/customer/email" where customer is
// a string), or an array token that is not an index.
type TypeError struct {
	// At is the part of the pointer that reached the value.
	At string
	// Kind names the value found there ("a string", "an array").
	Kind string
	// Token is the reference token that could not be followed.
	Token string
}

func (e *TypeError) Error() string {
	if e.Kind == "an array" {
		return fmt.Sprintf("%s is an array and %q is not an index of it", orRoot(e.At), e.Token)
	}
	return fmt.Sprintf("%s is %s, not an object or an array", orRoot(e.At), e.Kind)
}

func orRoot(at string) string {
	if at == "" {
		return "the document"
	}
	return at
}

// Resolve returns the value p names in doc. A missing key, an index past
// the end, "-" (the element after the last) and a null on the way are
// ErrMissing; a scalar on the way or a non-index token on an array is a
// *TypeError. A null at the end itself is returned as nil.
func (p Pointer) Resolve(doc any) (any, error) {
	cur := doc
	for i, tok := range p.tokens {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[tok]
			if !ok {
				return nil, fmt.Errorf("%w at %s", ErrMissing, p.text)
			}
			cur = next
		case []any:
			n, ok := index(tok)
			if !ok {
				if tok == "-" {
					return nil, fmt.Errorf("%w at %s", ErrMissing, p.text)
				}
				return nil, &TypeError{At: p.prefix(i), Kind: Kind(v), Token: tok}
			}
			if n >= len(v) {
				return nil, fmt.Errorf("%w at %s", ErrMissing, p.text)
			}
			cur = v[n]
		case nil:
			return nil, fmt.Errorf("%w at %s", ErrMissing, p.text)
		default:
			return nil, &TypeError{At: p.prefix(i), Kind: Kind(v), Token: tok}
		}
	}
	return cur, nil
}

// prefix returns the pointer's first n tokens as written, for messages.
func (p Pointer) prefix(n int) string {
	var b strings.Builder
	for _, tok := range p.tokens[:n] {
		b.WriteByte('/')
		b.WriteString(escape(tok))
	}
	return b.String()
}

// index reads an array index: "0" or digits without a leading zero.
func index(tok string) (int, bool) {
	if tok == "" || len(tok) > 9 || (len(tok) > 1 && tok[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(tok)
	return n, err == nil
}

// escape writes a token back: ~ as ~0, / as ~1.
func escape(tok string) string {
	if !strings.ContainsAny(tok, "~/") {
		return tok
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

// Kind names a decoded JSON value's type for people: "an object", "an
// array", "a string", "a number", "true or false", "null".
func Kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "true or false"
	case nil:
		return "null"
	default: // json.Number, float64
		return "a number"
	}
}
