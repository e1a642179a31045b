package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/store"
)

// TestServeRoutesHooks: the server sends POST /hooks/… to the
// connectors, without a bearer token, and an unknown name is a 404 like
// any wrong address; GET there is not a delivery.
func TestServeRoutesHooks(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, store.SQLite, false)
	h := serveHandler(a)
	for _, tc := range []struct {
		method, path string
		code         int
	}{
		{http.MethodPost, "/hooks/nobody", http.StatusNotFound},
		{http.MethodPost, "/hooks/nobody/0123456789abcdef0123", http.StatusNotFound},
		{http.MethodGet, "/hooks/nobody", http.StatusMethodNotAllowed},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, strings.NewReader(`{"id":1}`)))
		if w.Code != tc.code {
			t.Errorf("%s %s: %d %q, want %d", tc.method, tc.path, w.Code, w.Body.String(), tc.code)
		}
	}
}
