package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/notice"
	"github.com/shopcare/shopcare/internal/requestid"
)

// sessionCookie holds the admin session's token.
const sessionCookie = "shopcare_session"

// adminCSP lets the admin pages run this origin's own scripts (htmx and
// app.js) and nothing else: no inline script, no eval, no other origin.
const adminCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// visitor is the signed-in person a request comes from.
type visitor struct {
	User    auth.User
	Session auth.Session
	Lang    i18n.Lang
}

// adminHandler serves one admin route for a signed-in visitor allowed in
// its area.
type adminHandler func(w http.ResponseWriter, r *http.Request, v *visitor)

// adminRoute is one route of the admin app and the area it belongs to;
// routes.go lists them all, and the roles test walks the list.
type adminRoute struct {
	pattern string
	area    auth.Area
	handle  adminHandler
}

type visitorKey struct{}

// signedIn wraps an admin route: it finds the session (else sends a page
// request to /login and refuses anything else), checks the role may use
// the area (else 403), and checks the CSRF token of every form.
func (h *Handler) signedIn(rt adminRoute) http.Handler {
	return h.crossOrigin.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", adminCSP)
		v, err := h.visitor(r)
		if err != nil {
			if errors.Is(err, auth.ErrNoSession) {
				h.toLogin(w, r)
				return
			}
			h.fail(w, r, err)
			return
		}
		if !v.User.Role.Can(rt.area) {
			h.forbidden(w, r, v)
			return
		}
		if !safeMethod(r.Method) && !h.csrfOK(r, v) {
			h.forbidden(w, r, v)
			return
		}
		ctx := actionlog.WithActor(context.WithValue(r.Context(), visitorKey{}, v), h.actorOf(r, v))
		rt.handle(w, r.WithContext(ctx), v)
	}))
}

// actorOf is who acts in a signed-in request, for the log of admin
// actions: the user with their e-mail as it is now, from the client's
// address (past a trusted proxy), with the request's id when a proxy or
// the request-id middleware gave one.
func (h *Handler) actorOf(r *http.Request, v *visitor) actionlog.Actor {
	return actionlog.Actor{Kind: actionlog.ActorUser, UserID: v.User.ID, Name: v.User.Email, Addr: h.clientIP(r),
		RequestID: requestid.From(r.Context()), ShopNow: h.app.Clock.Now}
}

// visitor loads the session of the request's cookie.
func (h *Handler) visitor(r *http.Request) (*visitor, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, auth.ErrNoSession
	}
	u, s, err := h.accounts.SessionGet(r.Context(), c.Value, h.human.Now())
	if err != nil {
		return nil, err
	}
	return &visitor{User: u, Session: s, Lang: i18n.Pick(u.Language, h.shopLanguage())}, nil
}

// toLogin sends a page request to the login page, coming back after it;
// a request that is not a page (a form post, htmx, SSE) gets 401.
func (h *Handler) toLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || r.Header.Get("HX-Request") != "" || r.Header.Get("Accept") == "text/event-stream" {
		w.Header().Set("HX-Redirect", "/login")
		http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
		return
	}
	next := r.URL.RequestURI()
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// forbidden is the page of a signed-in person who may not do this.
func (h *Handler) forbidden(w http.ResponseWriter, r *http.Request, v *visitor) {
	h.render(w, r, http.StatusForbidden, "forbidden", h.adminPage(v, ""))
}

// csrfOK checks the form's token (or htmx's X-CSRF-Token header) against
// the session's, in constant time. CrossOriginProtection already refused
// cross-site browser requests; the token also covers old browsers and
// same-site subdomains.
func (h *Handler) csrfOK(r *http.Request, v *visitor) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(v.Session.CSRF)) == 1
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// secureCookies tells whether cookies must be Secure: when this request
// came over TLS, through a TLS proxy, or the shop's public address is
// https.
func (h *Handler) secureCookies(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" ||
		strings.HasPrefix(h.app.Settings.Shop.PublicURL, "https://")
}

// setSession gives the browser its session cookie: HTTP-only (no script
// reads it), SameSite=Lax (no cross-site form carries it), Secure on
// https. Its lifetime is Max-Age, relative: the browser's wall clock need
// not agree with shopcare's (a simulated clock in the demo and tests); the
// server ends the session at ExpiresAt by its own clock either way.
func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, s auth.Session) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: s.Token, Path: "/", MaxAge: int(auth.SessionTTL / time.Second),
		HttpOnly: true, Secure: h.secureCookies(r), SameSite: http.SameSiteLaxMode,
	})
}

func (h *Handler) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.secureCookies(r), SameSite: http.SameSiteLaxMode,
	})
}

// adminPage is what every admin page's template gets.
type adminPage struct {
	page
	User  auth.User
	CSRF  string
	Nav   []navItem
	Area  auth.Area
	Flash string // a text id shown once above the content
	// Notices are what the owner should see to in the shop's setup and
	// data, above every page of the owner's.
	Notices []notice.Notice
	// CarrierNames are the names the settings give carriers, by code:
	// {{carrier .Lang .CarrierNames .Carrier}}.
	CarrierNames map[string]string
}

// navItem is one entry of the admin menu: an area's page, or (with a
// Name, which the layout's "page" template says in words) another page of
// the area. Current marks the
// page on show.
type navItem struct {
	Area    auth.Area
	Path    string
	Name    string
	Current bool
}

// menu is the admin menu in its order; each person sees their areas.
var menu = []navItem{
	{Area: auth.AreaOrders, Path: "/orders"},
	{Area: auth.AreaOrders, Path: "/parcels", Name: "parcels"},
	{Area: inboxArea, Path: "/inbox", Name: "inbox"},
	{Area: auth.AreaCallbacks, Path: "/callbacks"},
	{Area: auth.AreaPacking, Path: "/packing"},
	{Area: stockArea, Path: "/stock", Name: "stock"},
	{Area: auth.AreaCustomers, Path: "/customers"},
	{Area: auth.AreaCustomers, Path: "/reviews", Name: "reviews"},
	{Area: auth.AreaCustomers, Path: "/insiders", Name: "insiders"},
	{Area: auth.AreaLoyalty, Path: "/loyalty"},
	{Area: auth.AreaCampaigns, Path: "/campaigns", Name: "campaigns"},
	{Area: auth.AreaOutbox, Path: "/outbox"},
	{Area: auth.AreaSettings, Path: "/surveys", Name: "surveys"},
	{Area: auth.AreaSettings, Path: "/settings"},
	{Area: auth.AreaSettings, Path: "/connectors", Name: "connectors"},
	{Area: auditArea, Path: "/audit", Name: "audit"},
	{Area: auth.AreaUsers, Path: "/users"},
	{Area: actionsArea, Path: "/actions", Name: "actions"},
	{Area: systemArea, Path: "/system", Name: "system"},
}

func (h *Handler) adminPage(v *visitor, area auth.Area) adminPage {
	p := adminPage{page: h.page(v.Lang), User: v.User, CSRF: v.Session.CSRF, Area: area, CarrierNames: map[string]string{}}
	for _, c := range h.app.Settings.Carriers {
		if c.Name != "" {
			p.CarrierNames[c.Code] = c.Name
		}
	}
	if v.User.Role.Can(auth.AreaSettings) {
		p.Notices = h.app.Notices.List()
	}
	for _, n := range menu {
		if v.User.Role.Can(n.Area) {
			n.Current = n.Area == area && n.Name == ""
			p.Nav = append(p.Nav, n)
		}
	}
	return p
}

// current marks the menu's entry of path as the page on show, for a page
// that is not its area's first.
func (p *adminPage) current(path string) {
	for i := range p.Nav {
		p.Nav[i].Current = p.Nav[i].Path == path
	}
}

// home sends each person to their first area: packers to packing,
// operators to the call-backs, the owner to the orders.
func (h *Handler) home(w http.ResponseWriter, r *http.Request, v *visitor) {
	dest := "/account"
	for _, a := range []auth.Area{auth.AreaCallbacks, auth.AreaPacking} {
		if v.User.Role.Can(a) {
			dest = "/" + string(a)
			break
		}
	}
	if v.User.Role == auth.Owner {
		dest = "/orders"
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
}
