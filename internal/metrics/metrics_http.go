package metrics

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// Middleware times every request next serves, labelled by the route
// pattern the mux matched (r.Pattern, never the raw path, so the label
// has as many values as there are routes), the method and the status
// class. A request no route matched is labelled "unmatched".
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		m.inflight.Inc()
		rec := &statusRecorder{ResponseWriter: w}
		// The muxes below set Pattern on their own copy of the request;
		// the pattern box carries it back up.
		box := &patternBox{}
		defer func() {
			m.inflight.Dec()
			code := rec.status
			if code == 0 {
				code = http.StatusOK
			}
			m.requests.WithLabelValues(routeLabel(box.pattern), method(r.Method), statusClass(code)).
				Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(rec, r.WithContext(withPatternBox(r.Context(), box)))
	})
}

// method is the request's method, or "other" for one outside the
// standard set (a method is a client's free text).
func method(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// routeLabel is the pattern without its method ("GET /orders/{id}" →
// "/orders/{id}"), or "unmatched".
func routeLabel(p string) string {
	if p == "" {
		return "unmatched"
	}
	if i := strings.IndexByte(p, ' '); i >= 0 {
		p = p[i+1:]
	}
	return p
}

// statusRecorder notes the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer below (flushes,
// deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Flush passes a flush on (server-sent events, streamed CSVs).
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Protect serves h only to a request bearing token as a bearer token,
// compared in constant time; any other gets 401. An empty token refuses
// everyone with 404: without a token the metrics are not on the public
// address at all.
func Protect(h http.Handler, token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token == "" {
			http.NotFound(w, r)
			return
		}
		if !TokenMatches(r.Header.Get("Authorization"), token) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="shopcare metrics"`)
			http.Error(w, "send the metrics token: Authorization: Bearer <SHOPCARE_METRICS_TOKEN>", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// TokenMatches tells whether an Authorization header carries token as a
// bearer token ("Bearer" in any case, one or more spaces), comparing the
// tokens in constant time.
func TokenMatches(header, token string) bool {
	scheme, given, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return false
	}
	given = strings.TrimSpace(given)
	return subtle.ConstantTimeCompare([]byte(given), []byte(token)) == 1
}
