package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/signin"
)

// maxMyLoginBody bounds the sign-in forms: a contact, a code and the page
// to return to are well under a kilobyte.
const maxMyLoginBody = 4 << 10

// myLoginAddrRule limits the sign-in forms per client address: twenty
// tries an hour go without a wait (a family or an office behind one
// address), then waits from three minutes doubling up to an hour. The
// limit per contact (five codes an hour) is the database's, so that
// several nodes agree on it.
var myLoginAddrRule = auth.ThrottleRule{Free: 20, Base: 3 * time.Minute, Max: time.Hour, Forget: time.Hour}

// newMyLogins returns the throttle of the sign-in forms, keyed by address
// alone, counted in the database so that every node counts the same.
func newMyLogins(accounts *auth.Service) *auth.Throttle {
	return accounts.Throttle("my-signin", myLoginAddrRule, myLoginAddrRule)
}

// myLoginPage is the sign-in page: the contact step, or the code step
// once a code was asked for.
type myLoginPage struct {
	myPage
	Contact string // as typed, or normalised once a code was asked for
	Next    string // the page to return to, a local path
	Code    bool   // the code step
	Field   string // the field Error is about: contact or code
	Error   string // in the page's language
}

// myLoginShow shows the sign-in form, or sends a signed-in customer on.
func (h *Handler) myLoginShow(w http.ResponseWriter, r *http.Request) {
	next := myNext(r.URL.Query().Get("next"))
	if v := h.myVisitorOf(r); v != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	lang := h.visitorLanguage(r)
	h.render(w, r, http.StatusOK, "my_login", myLoginPage{myPage: h.myPageOf(r, nil, lang, ""), Next: next})
}

// myLoginSave takes a contact and asks the sign-in service for a code.
// The answer is the same page whether or not a customer has the contact:
// the service records both alike and sends nothing to an unknown one,
// after the commit and off this request, so neither the page nor its
// time tells who is a customer. The form needs no CSRF token: there is
// no session yet, and CrossOriginProtection refuses cross-site posts.
func (h *Handler) myLoginSave(w http.ResponseWriter, r *http.Request) {
	lang := h.visitorLanguage(r)
	if !h.myLoginForm(w, r) {
		return
	}
	p := myLoginPage{myPage: h.myPageOf(r, nil, lang, ""), Contact: strings.TrimSpace(r.PostFormValue("contact")),
		Next: myNext(r.PostFormValue("next"))}
	c, err := signin.ParseContact(p.Contact, h.app.Settings.Shop.Country)
	if err != nil {
		p.Field, p.Error = "contact", i18n.Text(lang, "signin.error.contact", nil)
		h.render(w, r, http.StatusUnprocessableEntity, "my_login", p)
		return
	}
	if !h.myLoginAllowed(w, r, &p, lang) {
		return
	}
	err = h.signins.Request(r.Context(), c, h.human.Now())
	if limit := (*signin.LimitError)(nil); errors.As(err, &limit) {
		h.myLoginWait(w, r, p, lang, limit.RetryAfter)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Contact, p.Code = c.Value, true
	h.render(w, r, http.StatusOK, "my_login", p)
}

// myCodeSave takes the contact and the code typed, and opens the page.
func (h *Handler) myCodeSave(w http.ResponseWriter, r *http.Request) {
	lang := h.visitorLanguage(r)
	if !h.myLoginForm(w, r) {
		return
	}
	p := myLoginPage{myPage: h.myPageOf(r, nil, lang, ""), Contact: strings.TrimSpace(r.PostFormValue("contact")),
		Next: myNext(r.PostFormValue("next")), Code: true}
	c, err := signin.ParseContact(p.Contact, h.app.Settings.Shop.Country)
	if err != nil {
		p.Code, p.Field, p.Error = false, "contact", i18n.Text(lang, "signin.error.contact", nil)
		h.render(w, r, http.StatusUnprocessableEntity, "my_login", p)
		return
	}
	p.Contact = c.Value
	code := signin.NormalizeCode(r.PostFormValue("code"))
	if !signin.ValidCode(code) {
		p.Field, p.Error = "code", i18n.Text(lang, "signin.error.code_shape", nil)
		h.render(w, r, http.StatusUnprocessableEntity, "my_login", p)
		return
	}
	if !h.myLoginAllowed(w, r, &p, lang) {
		return
	}
	s, err := h.signins.CodeSpend(r.Context(), c, code, h.human.Now())
	if errors.Is(err, signin.ErrCode) {
		p.Field, p.Error = "code", i18n.Text(lang, "signin.error.code", nil)
		h.render(w, r, http.StatusUnprocessableEntity, "my_login", p)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.myLoginDone(w, r, s, p.Next)
}

// myEnterPage is the page of a sign-in link: a Continue button, or what
// to do when the link no longer opens anything.
type myEnterPage struct {
	myPage
	Token string
	OK    bool
}

// myEnterShow shows a link's Continue button without spending the link:
// mail scanners follow links with GET, and the customer's click must
// still find it.
func (h *Handler) myEnterShow(w http.ResponseWriter, r *http.Request) {
	lang := h.visitorLanguage(r)
	token := r.PathValue("token")
	p := myEnterPage{myPage: h.myPageOf(r, nil, lang, ""), Token: token, OK: true}
	err := h.signins.LinkCheck(r.Context(), token, h.human.Now())
	status := http.StatusOK
	switch {
	case errors.Is(err, signin.ErrCode):
		p.OK, p.Token, status = false, "", http.StatusGone
	case err != nil:
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	h.render(w, r, status, "my_enter", p)
}

// myEnterSave spends a one-time link (a signed link is not spent) and
// opens the customer's page.
func (h *Handler) myEnterSave(w http.ResponseWriter, r *http.Request) {
	lang := h.visitorLanguage(r)
	s, err := h.signins.Enter(r.Context(), r.PathValue("token"), h.human.Now())
	if errors.Is(err, signin.ErrCode) {
		h.render(w, r, http.StatusGone, "my_enter", myEnterPage{myPage: h.myPageOf(r, nil, lang, "")})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.myLoginDone(w, r, s, "/my")
}

// myLogout ends the customer's session.
func (h *Handler) myLogout(w http.ResponseWriter, r *http.Request, v *myVisit) {
	if err := h.signins.SessionDelete(r.Context(), v.Session.Token); err != nil {
		h.fail(w, r, err)
		return
	}
	h.clearMyCookie(w, r)
	http.Redirect(w, r, "/my/login", http.StatusSeeOther)
}

// myLoginForm reads a sign-in form within maxMyLoginBody; false when it
// answered already.
func (h *Handler) myLoginForm(w http.ResponseWriter, r *http.Request) bool {
	return readForm(w, r, maxMyLoginBody)
}

// myLoginAllowed counts a sign-in form against its client address; false
// when it answered 429.
func (h *Handler) myLoginAllowed(w http.ResponseWriter, r *http.Request, p *myLoginPage, lang i18n.Lang) bool {
	wait, ok := h.myLogins.Attempt(r.Context(), h.clientIP(r), "", h.human.Now())
	if !ok {
		h.log.InfoContext(r.Context(), "customer sign-in throttled", "ip", h.clientIP(r), "wait", wait)
		h.myLoginWait(w, r, *p, lang, wait)
	}
	return ok
}

// myLoginWait answers 429 with the form again, saying how long to wait.
func (h *Handler) myLoginWait(w http.ResponseWriter, r *http.Request, p myLoginPage, lang i18n.Lang, wait time.Duration) {
	w.Header().Set("Retry-After", retryAfterSeconds(wait))
	p.Field, p.Error = "", i18n.Text(lang, "signin.error.wait", map[string]any{"Wait": i18n.Duration(lang, wait)})
	h.render(w, r, http.StatusTooManyRequests, "my_login", p)
}

// myLoginDone gives the browser its session and sends it on.
func (h *Handler) myLoginDone(w http.ResponseWriter, r *http.Request, s signin.Session, next string) {
	h.setMyCookie(w, r, s)
	h.log.InfoContext(r.Context(), "customer signed in", "customer", s.CustomerID, "via", s.Via)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// myNext is the page of the customer's site to go to after signing in:
// a local path (safeNext's rules), /my when none.
func myNext(next string) string {
	n := safeNext(next)
	if n == "/" {
		return "/my"
	}
	return n
}
