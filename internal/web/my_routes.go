package web

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/auth"
)

// myRoutes lists every route of the customer's own page (/my): signing
// in, the orders with their reorder and returns, points, help and the
// customer's data. The cross-customer test walks this list with another
// customer's session.
func (h *Handler) myRoutes() []myRoute {
	routes := []myRoute{
		// Signing in (my_signin*.go).
		{pattern: "GET /my/login", public: true, handle: h.myLoginShow},
		{pattern: "POST /my/login", public: true, handle: h.myLoginSave},
		{pattern: "POST /my/login/code", public: true, handle: h.myCodeSave},
		{pattern: "GET /my/in/{token}", public: true, handle: h.myEnterShow},
		{pattern: "POST /my/in/{token}", public: true, handle: h.myEnterSave},
		{pattern: "POST /my/logout", mine: h.myLogout},

		// Orders (my_orders.go, my_order_show.go).
		{pattern: "GET /my", mine: h.myHome},
		{pattern: "GET /my/orders/{id}", mine: h.myOrderShow},

		// Reorder (my_reorder.go) and points (my_points.go).
		{pattern: "POST /my/orders/{id}/reorder", mine: h.myReorder},
		{pattern: "GET /my/points", mine: h.myPoints},

		// Returns (my_return.go).
		{pattern: "GET /my/orders/{id}/return", mine: h.myReturnShow},
		{pattern: "POST /my/orders/{id}/return", mine: h.myReturnSave},

		// Help: FAQ, terms, contacts, a question (my_help.go).
		{pattern: "GET /my/help", public: true, handle: h.myHelp},
		{pattern: "POST /my/help/question", public: true, handle: h.myQuestionSave},

		// The customer's data and messages (my_data.go).
		{pattern: "GET /my/data", mine: h.myDataShow},
		{pattern: "POST /my/data", mine: h.myDataSave},
		{pattern: "POST /my/data/consent", mine: h.myConsentSave},
		{pattern: "GET /my/data/export", mine: h.myDataExport},
		{pattern: "POST /my/data/delete", mine: h.myDataDelete},
	}
	routes = append(routes, h.myStockRoutes()...)
	return append(routes, h.voiceMyRoutes()...)
}

// myAdminRoutes are the admin's pages about the customer's page: who
// signed in, and the FAQ the shop writes.
func (h *Handler) myAdminRoutes() []adminRoute {
	return []adminRoute{
		{"GET /signins", auth.AreaCustomers, h.signinList},
		{"GET /faq", auth.AreaSettings, h.faqList},
		{"POST /faq", auth.AreaSettings, h.faqSave},
		{"POST /faq/{id}/delete", auth.AreaSettings, h.faqDelete},
	}
}

// handleMy registers the customer's page on mux.
func (h *Handler) handleMy(mux *http.ServeMux) {
	for _, rt := range h.myRoutes() {
		if rt.public {
			mux.Handle(rt.pattern, h.crossOrigin.Handler(rt.handle))
			continue
		}
		mux.Handle(rt.pattern, h.myOnly(rt.mine))
	}
}
