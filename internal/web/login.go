package web

import (
	"errors"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
)

// maxLoginBody bounds the sign-in form: an e-mail and a password are
// well under a kilobyte, and nothing bigger is read, kept or spooled to
// disk (a 200 MB multipart upload once was).
const maxLoginBody = 4 << 10

// loginPage is the sign-in form.
type loginPage struct {
	adminPage
	Email string
	Next  string
	Error string // text id
	Wait  int    // seconds to wait, for the throttled text
}

// loginShow shows the sign-in form, or sends a signed-in person on.
func (h *Handler) loginShow(w http.ResponseWriter, r *http.Request) {
	if _, err := h.visitor(r); err == nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	w.Header().Set("Content-Security-Policy", adminCSP)
	h.render(w, r, http.StatusOK, "login", loginPage{adminPage: adminPage{page: h.page(h.visitorLanguage(r))},
		Next: safeNext(r.URL.Query().Get("next"))})
}

// loginSave checks the e-mail and password, within the throttle and the
// hashing slots, and opens a session. The form needs no CSRF token of its
// own: there is no session to ride yet, CrossOriginProtection refuses
// cross-site posts, and a login forced on someone would only sign them in
// as the attacker, which SameSite cookies and the Origin check already
// stop. Its times are the real clock's: a person waits real seconds.
func (h *Handler) loginSave(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", adminCSP)
	if err := parseLoginForm(w, r); err != nil {
		status := formStatus(err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	p := loginPage{adminPage: adminPage{page: h.page(h.visitorLanguage(r))}, Email: email, Next: safeNext(r.PostFormValue("next"))}
	ip := h.clientIP(r)
	if wait, ok := h.logins.Attempt(r.Context(), ip, email, h.human.Now()); !ok {
		h.log.InfoContext(r.Context(), "login throttled", "email", email, "ip", ip, "wait", wait)
		h.tooMany(w, r, p, "login.wait", wait)
		return
	}
	u, err := h.accounts.Login(r.Context(), email, r.PostFormValue("password"))
	switch {
	case errors.Is(err, auth.ErrBadLogin):
		h.log.InfoContext(r.Context(), "login refused", "email", email, "ip", ip)
		p.Error = "login.wrong"
		h.render(w, r, http.StatusUnauthorized, "login", p)
		return
	case errors.Is(err, auth.ErrBusy):
		h.log.WarnContext(r.Context(), "login refused: every password-hashing slot is busy", "ip", ip)
		h.tooMany(w, r, p, "login.busy", 2*time.Second)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	h.logins.Succeeded(r.Context(), ip, email)
	s, err := h.accounts.SessionCreate(r.Context(), u.ID, h.human.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "signed in", "user", u.Email, "role", u.Role)
	h.setSession(w, r, s)
	http.Redirect(w, r, p.Next, http.StatusSeeOther)
}

// tooMany answers 429 with the form again, saying how long to wait.
func (h *Handler) tooMany(w http.ResponseWriter, r *http.Request, p loginPage, text string, wait time.Duration) {
	secs := max(int((wait+time.Second-1)/time.Second), 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	p.Error, p.Wait = text, secs
	h.render(w, r, http.StatusTooManyRequests, "login", p)
}

// parseLoginForm reads the form within maxLoginBody, as URL-encoded or
// multipart data; a multipart form's files are refused, not stored.
func parseLoginForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(maxLoginBody); err != nil {
			return err
		}
		if r.MultipartForm != nil && len(r.MultipartForm.File) > 0 {
			_ = r.MultipartForm.RemoveAll()
			return errors.New("a sign-in form has no files")
		}
		return nil
	}
	return r.ParseForm()
}

// logout ends the session.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request, v *visitor) {
	if err := h.accounts.SessionDelete(r.Context(), v.Session.Token); err != nil {
		h.fail(w, r, err)
		return
	}
	h.clearSession(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps the page to return to after login on this site: a path
// of this origin, as the browser will read it, or "/". Browsers drop tabs
// and newlines from a URL and read a backslash as a slash, so
// "/\t/evil.example" and "/\evil.example" lead off-site as surely as
// "//evil.example" or "https://evil.example"; each of them, encoded or
// not, ends at "/".
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || !strings.HasPrefix(next, "/") {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' || c == '\u00a0' || c == '\u2028' || c == '\u2029' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	// The decoded path, too: "/%2F%2Fevil.example" is harmless to a
	// browser but not to every proxy on the way.
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.ContainsAny(u.Path, "\\\t\r\n") {
		return "/"
	}
	out := u.EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	if strings.HasPrefix(out, "//") || strings.HasPrefix(out, "/\\") {
		return "/"
	}
	return out
}

// clientIP is the address the request came from: the connection's, or,
// when the connection comes from one of the settings' trusted_proxies,
// the nearest address in X-Forwarded-For that is not a trusted proxy
// itself. An address from anyone else's X-Forwarded-For is never
// believed: anyone can send it, and limits keyed on it would be escaped.
func (h *Handler) clientIP(r *http.Request) string {
	return clientIP(r, h.proxies)
}

func clientIP(r *http.Request, proxies []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if !trusted(peer, proxies) {
		return peer.String()
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	addr := peer
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled hop: the last good one is all we know
		}
		addr = hop.Unmap()
		if !trusted(addr, proxies) {
			break
		}
	}
	return addr.String()
}

func trusted(a netip.Addr, proxies []netip.Prefix) bool {
	for _, p := range proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
