package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/signin"
)

// myCookie holds the customer's session token on their own page (/my).
// It is a cookie of its own, apart from the admin's: a shop's operator
// signed in to the admin is not a customer.
const myCookie = "shopcare_my"

// myVisit is the signed-in customer a request to /my comes from.
type myVisit struct {
	Session  signin.Session
	Customer *customer.Customer
	Lang     i18n.Lang
}

// myHandler serves one route of the customer's page for a signed-in
// customer.
type myHandler func(w http.ResponseWriter, r *http.Request, v *myVisit)

// myRoute is one route of the customer's page; my_routes.go lists them.
// public routes are served to anyone (the sign-in pages, the help);
// the others need a customer's session.
type myRoute struct {
	pattern string
	public  bool
	handle  http.HandlerFunc // public routes
	mine    myHandler        // routes of a signed-in customer
}

type myVisitKey struct{}

// myOnly wraps a customer's route: it finds the session of the cookie
// (else sends a page request to /my/login and refuses anything else
// with 403), and checks the CSRF token of every form. CrossOriginProtection
// already refused cross-site browser requests.
func (h *Handler) myOnly(fn myHandler) http.Handler {
	return h.crossOrigin.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := h.myVisitor(r)
		if err != nil {
			if errors.Is(err, signin.ErrNoSession) {
				h.myToLogin(w, r)
				return
			}
			h.fail(w, r, err)
			return
		}
		if !safeMethod(r.Method) && !myCSRFOK(r, v) {
			h.myForbidden(w, r, v.Lang)
			return
		}
		fn(w, r.WithContext(context.WithValue(r.Context(), myVisitKey{}, v)), v)
	}))
}

// myVisitor loads the customer of the request's session cookie;
// signin.ErrNoSession when there is none, it expired, or its customer
// was erased.
func (h *Handler) myVisitor(r *http.Request) (*myVisit, error) {
	c, err := r.Cookie(myCookie)
	if err != nil {
		return nil, signin.ErrNoSession
	}
	s, err := h.signins.SessionGet(r.Context(), c.Value, h.human.Now())
	if err != nil {
		return nil, err
	}
	cu, err := h.customers.Get(r.Context(), s.CustomerID)
	if errors.Is(err, app.ErrNotFound) {
		return nil, signin.ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	return &myVisit{Session: s, Customer: cu, Lang: h.customerLanguage(r, cu.Language)}, nil
}

// myVisitorOf returns the signed-in customer of a public route's request,
// or nil: the help page greets a customer it knows.
func (h *Handler) myVisitorOf(r *http.Request) *myVisit {
	v, err := h.myVisitor(r)
	if err != nil {
		return nil
	}
	return v
}

// myCSRFOK checks the form's token against the session's, in constant
// time.
func myCSRFOK(r *http.Request, v *myVisit) bool {
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(v.Session.CSRF)) == 1
}

// myToLogin sends a page request to the sign-in page, coming back after
// it; a form post without a session gets 403.
func (h *Handler) myToLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.myForbidden(w, r, h.visitorLanguage(r))
		return
	}
	http.Redirect(w, r, "/my/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

// myForbidden is the page of a request the customer may not make: a
// form without its token, or without a session.
func (h *Handler) myForbidden(w http.ResponseWriter, r *http.Request, lang i18n.Lang) {
	h.render(w, r, http.StatusForbidden, "my_forbidden", h.myPageOf(r, nil, lang, ""))
}

// setMyCookie gives the browser the customer's session cookie:
// HTTP-only, SameSite=Lax, Secure on https, for the session's lifetime
// counted by the browser (Max-Age).
func (h *Handler) setMyCookie(w http.ResponseWriter, r *http.Request, s signin.Session) {
	http.SetCookie(w, &http.Cookie{Name: myCookie, Value: s.Token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.secureCookies(r), MaxAge: int(signin.SessionTTL.Seconds())})
}

// clearMyCookie removes the customer's session cookie.
func (h *Handler) clearMyCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: myCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.secureCookies(r), MaxAge: -1})
}

// myOrder returns the order of the path's {id} when it is the signed-in
// customer's own, else app.ErrNotFound: another customer's order is the
// same plain 404 as one that does not exist.
func (h *Handler) myOrder(r *http.Request, v *myVisit) (*order.Order, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, app.ErrNotFound
	}
	o, err := h.orders.Get(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if o.CustomerID != v.Customer.ID {
		return nil, app.ErrNotFound
	}
	return o, nil
}

// myPage is what every page of the customer's own page gets: the
// language, the shop with its brand, the customer (nil on the public
// pages when nobody is signed in), the form token and the section of the
// navigation it belongs to.
type myPage struct {
	page
	Brand    myBrand
	Customer *customer.Customer
	CSRF     string
	Section  string // orders, points, help, data; "" for none
}

// myPageOf builds the page data of a customer's page.
func (h *Handler) myPageOf(r *http.Request, v *myVisit, lang i18n.Lang, section string) myPage {
	p := myPage{page: h.page(lang), Brand: h.brand, Section: section}
	if v != nil {
		p.Customer, p.CSRF = v.Customer, v.Session.CSRF
	}
	return p
}

// myFirstName is the customer's first name for a greeting or a form,
// "" when not known: the tracking page, its contact form and /my.
func myFirstName(c *customer.Customer) string {
	if c == nil {
		return ""
	}
	if f := strings.Fields(c.Name); len(f) > 0 {
		return f[0]
	}
	return ""
}
