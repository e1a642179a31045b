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
	for _, rt := range newHandler(a).adminRoutes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		out = append(out, AdminRoute{Method: method, Path: path, Area: rt.area})
	}
	return out
}

// SafeNext is safeNext, for its table test.
var SafeNext = safeNext

// ClientIP is clientIP, for its table test.
var ClientIP = clientIP

// MyReorderKey is myReorderKey, the nonce the order page's "Order again"
// form carries.
var MyReorderKey = myReorderKey

// MyPercent is myPercent, for its table test.
var MyPercent = myPercent
