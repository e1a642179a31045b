package web

import (
	"strings"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
)

// AdminRoute is an admin route as the tests see it.
type AdminRoute struct {
	Method, Path string // Path with {name} wildcards
	Area         auth.Area
}

// AdminRoutes lists the admin app's routes, for the test that walks them
// with every role.
func AdminRoutes(a *app.App) []AdminRoute {
	var out []AdminRoute
	for _, rt := range newHandler(a).allAdminRoutes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		out = append(out, AdminRoute{Method: method, Path: path, Area: rt.area})
	}
	return out
}

// SafeNext is safeNext, for its table test.
var SafeNext = safeNext

// ClientIP is clientIP, for its table test.
var ClientIP = clientIP

// MyRoute is a route of the customer's own page (/my) as the tests see
// it.
type MyRoute struct {
	Method, Path string // Path with {name} wildcards
	Public       bool
}

// MyRoutes lists the customer's page's routes, for the test that walks
// them with another customer's session.
func MyRoutes(a *app.App) []MyRoute {
	var out []MyRoute
	for _, rt := range newHandler(a).myRoutes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		out = append(out, MyRoute{Method: method, Path: path, Public: rt.public})
	}
	return out
}

// HelpAnswer is helpAnswer, for its fuzz test.
var HelpAnswer = helpAnswer

// MyReorderKey is myReorderKey, the nonce the order page's "Order again"
// form carries.
var MyReorderKey = myReorderKey

// MyPercent is myPercent, for its table test.
var MyPercent = myPercent
