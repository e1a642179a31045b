package web

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/shopcare/shopcare/internal/auth"
)

// loginPage is the sign-in form.
type loginPage struct {
	adminPage
	Email string
	Next  string
	Error string // text id
}

// loginShow shows the sign-in form, or sends a signed-in person on.
func (h *Handler) loginShow(w http.ResponseWriter, r *http.Request) {
	if _, err := h.visitor(r); err == nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	w.Header().Set("Content-Security-Policy", adminCSP)
	h.render(w, r, http.StatusOK, "login", loginPage{adminPage: adminPage{page: h.page(h.visitorLanguage(r))}, Next: r.URL.Query().Get("next")})
}

// loginSave checks the e-mail and password, within the rate limits, and
// opens a session. The form needs no CSRF token of its own: there is no
// session to ride yet, CrossOriginProtection refuses cross-site posts, and
// a login forced on someone would only sign them in as the attacker, which
// SameSite cookies and the Origin check already stop.
func (h *Handler) loginSave(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", adminCSP)
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	p := loginPage{adminPage: adminPage{page: h.page(h.visitorLanguage(r))}, Email: email, Next: r.PostFormValue("next")}
	now := h.app.Clock.Now()
	if !h.logins.allow(clientIP(r), email, now) {
		p.Error = "login.too_many"
		w.Header().Set("Retry-After", "60")
		h.render(w, r, http.StatusTooManyRequests, "login", p)
		return
	}
	u, err := auth.Login(r.Context(), h.app.DB.Read(), email, r.PostFormValue("password"))
	if errors.Is(err, auth.ErrBadLogin) {
		h.log.Info("login refused", "email", email, "ip", clientIP(r))
		p.Error = "login.wrong"
		h.render(w, r, http.StatusUnauthorized, "login", p)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := auth.SessionCreate(r.Context(), h.app.DB, u.ID, now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.Info("signed in", "user", u.Email, "role", u.Role)
	h.setSession(w, r, s)
	http.Redirect(w, r, safeNext(p.Next), http.StatusSeeOther)
}

// logout ends the session.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request, v *visitor) {
	if err := auth.SessionDelete(r.Context(), h.app.DB, v.Session.Token); err != nil {
		h.fail(w, r, err)
		return
	}
	h.clearSession(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps the page to return to after login on this site: a path,
// never another origin ("//evil.example" or "https://…").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// clientIP is the address the request came from. X-Forwarded-For is not
// trusted: anyone can send it, and rate limits keyed on it would be
// trivially escaped.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// loginLimits slow down password guessing: per address and per e-mail,
// five tries at once and then one every 12 seconds, on the app's clock.
type loginLimits struct {
	mu      sync.Mutex
	byKey   map[string]*rate.Limiter
	every   time.Duration
	burst   int
	maxKeys int
}

func newLoginLimits() *loginLimits {
	return &loginLimits{byKey: map[string]*rate.Limiter{}, every: 12 * time.Second, burst: 5, maxKeys: 100_000}
}

// allow takes one try from both the address's and the e-mail's budget;
// both must have one left.
func (l *loginLimits) allow(ip, email string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.byKey) > l.maxKeys {
		// A flood of addresses: start over rather than grow without
		// bound; the limit still holds within each window.
		clear(l.byKey)
	}
	a, b := l.limiter("ip:"+ip), l.limiter("email:"+email)
	okA, okB := a.AllowN(now, 1), b.AllowN(now, 1)
	return okA && okB
}

func (l *loginLimits) limiter(key string) *rate.Limiter {
	lim, ok := l.byKey[key]
	if !ok {
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.byKey[key] = lim
	}
	return lim
}
