package metrics

import (
	"context"
	"net/http"
)

// patternBox carries the route pattern a mux below matched back to the
// middleware: http.ServeMux sets Pattern on the request it is given,
// and the middleware above only ever sees its own copy.
type patternBox struct{ pattern string }

type patternKey struct{}

func withPatternBox(ctx context.Context, b *patternBox) context.Context {
	return context.WithValue(ctx, patternKey{}, b)
}

// Routed wraps a mux so that the pattern it matched reaches the metrics
// middleware above it. Muxes nest (the server's, the API's, the admin's);
// the innermost returns first, so its pattern — the most specific — is
// the one kept.
func Routed(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if b, ok := r.Context().Value(patternKey{}).(*patternBox); ok && b.pattern == "" && r.Pattern != "" {
				b.pattern = r.Pattern
			}
		}()
		mux.ServeHTTP(w, r)
	})
}
