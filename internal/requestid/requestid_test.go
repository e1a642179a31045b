package requestid_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/requestid"
)

// TestMiddleware: a sane incoming id is kept, an insane one (too long,
// a newline, a quote) is replaced by a fresh one; the id is on the
// response and in the handler's context, and every line logged with that
// context carries it; a line without a request is as it was.
func TestMiddleware(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	log := slog.New(requestid.NewHandler(slog.NewTextHandler(&logs, nil))).With("component", "api")
	h := requestid.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.InfoContext(r.Context(), "served", "path", r.URL.Path)
	}))
	for _, tc := range []struct {
		in   string
		keep bool
	}{
		{"f47ac10b-58cc-4372-a567-0e02b2c3d479", true},
		{"Root=1-67891233-abcdef012345678912345678", true},
		{"", false},
		{"bad id", false},
		{"line\nbreak", false},
		{`"quoted"`, false},
		{strings.Repeat("a", requestid.MaxLen+1), false},
	} {
		logs.Reset()
		r := httptest.NewRequest("GET", "/x", nil)
		if tc.in != "" {
			r.Header[requestid.Header] = []string{tc.in}
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		got := w.Header().Get(requestid.Header)
		if tc.keep && got != tc.in {
			t.Errorf("incoming %q: answered %q, want it kept", tc.in, got)
		}
		if !tc.keep && (got == tc.in || len(got) != 32) {
			t.Errorf("incoming %q: answered %q, want a fresh id", tc.in, got)
		}
		if line := logs.String(); !strings.Contains(line, "request_id="+got) && !strings.Contains(line, `request_id="`+got+`"`) ||
			!strings.Contains(line, "component=api") {
			t.Errorf("incoming %q: logged %q, want request_id=%s", tc.in, logs.String(), got)
		}
	}
	logs.Reset()
	log.Info("no request")
	log.InfoContext(context.Background(), "no request either")
	if strings.Contains(logs.String(), "request_id") {
		t.Errorf("a line without a request got an id: %q", logs.String())
	}
}

// FuzzSane: whatever a proxy sends, a kept id is short and holds nothing
// that could break a log line or a header.
func FuzzSane(f *testing.F) {
	for _, s := range []string{"abc", "", "a b", "a\nb", "Root=1-abc", strings.Repeat("x", 65), "ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if !requestid.Sane(id) {
			return
		}
		if len(id) > requestid.MaxLen || strings.ContainsAny(id, " \t\r\n\"'\\<>") {
			t.Fatalf("Sane(%q) kept an unsafe id", id)
		}
		for _, r := range id {
			if r > 0x7e || r < 0x21 {
				t.Fatalf("Sane(%q) kept a character %q", id, r)
			}
		}
	})
}
