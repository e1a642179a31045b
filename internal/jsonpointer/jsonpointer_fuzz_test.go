package jsonpointer

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzResolve parses any pointer and resolves it in any JSON document:
// it must never panic, a parsed pointer prints back as written, and a
// failure is ErrMissing or a *TypeError.
func FuzzResolve(f *testing.F) {
	f.Add("/foo/0", rfcDocument)
	f.Add("/m~0n", rfcDocument)
	f.Add("/a~1b", rfcDocument)
	f.Add("/a/1/b/c", `{"a": [10, {"b": null}]}`)
	f.Add("/~", `{}`)
	f.Add("/0/-", `[[1]]`)
	f.Fuzz(func(t *testing.T, pointer, document string) {
		p, err := Parse(pointer)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("Parse(%q) = %v, want ErrSyntax", pointer, err)
			}
			return
		}
		if p.String() != pointer || len(p.Tokens()) != strings.Count(pointer, "/") {
			t.Fatalf("Parse(%q) = %q with %d tokens", pointer, p.String(), len(p.Tokens()))
		}
		d := json.NewDecoder(strings.NewReader(document))
		d.UseNumber()
		var doc any
		if d.Decode(&doc) != nil {
			return
		}
		_, err = p.Resolve(doc)
		var te *TypeError
		if err != nil && !errors.Is(err, ErrMissing) && !errors.As(err, &te) {
			t.Fatalf("Resolve(%q) = %v", pointer, err)
		}
	})
}
