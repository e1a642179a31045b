package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/requestid"
)

// authed admits requests bearing a valid API token with the scope of
// the route, records the token's use, and bounds the body.
func (h *Handler) authed(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(header, "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="shopcare"`)
			writeError(w, r, http.StatusUnauthorized, "unauthorized", "send an API token: Authorization: Bearer <token> (create one with shopcare token add NAME)", "")
			return
		}
		tok, err := h.accounts.TokenCheck(r.Context(), strings.TrimSpace(token))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="shopcare", error="invalid_token"`)
			h.fail(w, r, err)
			return
		}
		h.usage.touch(tok)
		if need, ok := allowed(tok, h.scopes, r.Pattern); !ok {
			w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="shopcare", error="insufficient_scope", scope=%q`, need))
			writeError(w, r, http.StatusForbidden, "insufficient_scope",
				fmt.Sprintf("the token %q may not %s %s: it needs the scope %s (it has %s)", tok.Name, r.Method, r.URL.Path, need, tok.ScopeNames()), "")
			return
		}
		limit := int64(MaxBodyBytes)
		if n := h.bodyLimits[r.Pattern]; n > 0 {
			limit = n
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		ctx := context.WithValue(r.Context(), tokenKey{}, tok.Name)
		// What the token changes is logged in its name (the services
		// decide which changes are admin actions: not an order's intake).
		ctx = actionlog.WithActor(ctx, actionlog.Actor{Kind: actionlog.ActorToken, Name: tok.Name, Addr: clientAddr(r),
			RequestID: requestid.From(r.Context()), ShopNow: h.app.Clock.Now})
		next(w, r.WithContext(ctx))
	})
}

// tokenKey keys the name of the request's token in its context.
type tokenKey struct{}

// tokenOf returns the name of the token the request came with: the
// source of what it records (a consent's proof).
func tokenOf(ctx context.Context) (string, bool) {
	name, ok := ctx.Value(tokenKey{}).(string)
	return name, ok && name != ""
}

// allowed tells whether the token may use the route of the pattern, and
// else names the scope it needs. scopes holds the scopes of each route
// (api_routes.go); a route without any needs a token without scopes: a
// new route is closed to limited tokens until it is given its scope.
func allowed(tok auth.Token, scopes map[string][]auth.Scope, pattern string) (string, bool) {
	if len(tok.Scopes) == 0 {
		return "", true
	}
	need, known := scopes[pattern]
	if !known {
		return "of a token without scopes (every scope)", false
	}
	if need == nil {
		return "", true
	}
	for _, s := range need {
		if tok.Allows(s) {
			return "", true
		}
	}
	return string(need[0]), false
}

// usageEvery is how often a token's last use is written at most: often
// enough for the owner's list, rarely enough to cost nothing.
const usageEvery = time.Minute

// usage records when each token was last used, at most once every
// usageEvery per token, in the background: a request never waits for
// the write. The time is the real clock's, like every time a person
// reads as "when did this happen".
type usage struct {
	h *Handler

	mu      sync.Mutex
	started map[int64]time.Time // when the last write of a token began
	writes  sync.WaitGroup
}

// touch notes that tok was used now. The stored time came with the token
// check, so a token used within the minute costs a comparison, no lock.
func (u *usage) touch(tok auth.Token) {
	now := u.h.human.Now()
	if now.Sub(tok.LastUsedAt) < usageEvery {
		return
	}
	u.mu.Lock()
	if at, ok := u.started[tok.ID]; ok && now.Sub(at) < usageEvery {
		u.mu.Unlock()
		return
	}
	if len(u.started) >= 1000 {
		for id, at := range u.started {
			if now.Sub(at) >= usageEvery {
				delete(u.started, id)
			}
		}
	}
	u.started[tok.ID] = now
	u.writes.Add(1)
	u.mu.Unlock()
	go func() {
		defer u.writes.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := u.h.accounts.TokenTouch(ctx, tok.ID, now); err != nil {
			u.h.log.Warn("record an API token's use", "token", tok.Name, "err", err)
		}
	}()
}

// recoverer turns a panic into a logged 500 instead of a dropped connection.
func (h *Handler) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				h.log.ErrorContext(r.Context(), "panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v)
				writeError(w, r, http.StatusInternalServerError, "internal", "something went wrong on our side; it has been logged", "")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	if err := h.database.Ping(r.Context()); err != nil {
		h.log.ErrorContext(r.Context(), "health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": h.database.Engine()})
}

// clientAddr is the address the request came from, as the connection
// says: the API has no list of trusted proxies.
func clientAddr(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
