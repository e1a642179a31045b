package api

import (
	"net/http"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/promise"
)

// route is one endpoint of the API under /api/v1: what it serves and who
// may call it, and what it reads and answers. The one table of routes
// both registers them on the mux and generates the OpenAPI document
// (openapi.go), so the two cannot drift.
type route struct {
	Method, Path string
	// Summary is the one line of the document; Description says more.
	Summary, Description string
	// Tag groups the route in the document: orders, customers…
	Tag string
	// Scopes are the token scopes that may call it (any one of them); nil
	// behind a token means a token without scopes (every scope). Public
	// routes need no token at all.
	Scopes []auth.Scope
	Public bool
	// BodyLimit raises the bound of the request body above MaxBodyBytes
	// for a route that takes batches (0: MaxBodyBytes).
	BodyLimit int64
	// Query lists the query parameters.
	Query []param
	// Request is a zero value of the body's type, nil for no body;
	// Response the answer's, nil for none (204).
	Request, Response any
	// Status is the answer's status on success.
	Status int
	// Errors are the error statuses it may answer, beyond 401/403 of a
	// token and 500.
	Errors []int
	handle http.HandlerFunc
}

// param is a query parameter.
type param struct {
	Name, Description string
	// Type is its JSON Schema type: string (default), integer, boolean.
	Type string
	// Enum lists its values when they are few.
	Enum []string
	// Format is the JSON Schema format: date, date-time.
	Format string
}

// pattern is the route's ServeMux pattern.
func (rt route) pattern() string { return rt.Method + " " + rt.Path }

// Error statuses, named for the table.
const (
	s400 = http.StatusBadRequest
	s404 = http.StatusNotFound
	s409 = http.StatusConflict
	s413 = http.StatusRequestEntityTooLarge
	s415 = http.StatusUnsupportedMediaType
	s422 = http.StatusUnprocessableEntity
)

// bodyErrors are the answers of every route that reads a JSON body.
var bodyErrors = []int{s413, s415, s422}

// pageQuery are the parameters of a cursor-paged list.
var pageQuery = []param{
	{Name: "cursor", Description: "Where the page starts: the next_cursor of the page before. Leave it out for the first page."},
	{Name: "limit", Type: "integer", Description: "Rows per page, 1 to 200 (default 50)."},
}

// routes is the API, in the order the document lists it.
func (h *Handler) routes() []route {
	read, write := []auth.Scope{auth.ScopeRead}, []auth.Scope{auth.ScopeOrdersWrite}
	loyal := []auth.Scope{auth.ScopeLoyalty}
	shop := []auth.Scope{auth.ScopeShop}
	return []route{
		{Method: "GET", Path: "/api/v1/openapi.json", Tag: "meta", Public: true, handle: h.openapiGet,
			Summary:     "This document",
			Description: "The OpenAPI 3.1 document of the API, generated from the handlers' own types. It needs no token.",
			Response:    map[string]any{}, Status: 200},

		{Method: "GET", Path: "/api/v1/orders", Tag: "orders", Scopes: read, handle: h.orderList,
			Summary: "List orders",
			Description: "Orders, newest placed first, in pages cut by a cursor (never an offset, so deep pages cost what the " +
				"first does). To keep a copy in sync, note the time before the first page and pass it as updated_since next time.",
			Query: append([]param{
				{Name: "status", Description: "Only orders in this status.", Enum: statusNames()},
				{Name: "updated_since", Format: "date-time", Description: "Only orders changed at or after this time (RFC 3339)."},
				{Name: "customer", Description: "Only this customer's orders: shopcare's customer id or the shop's external id."},
				{Name: "promise_state", Description: "Only orders standing so against their promise.",
					Enum: []string{"on_track", "at_risk", "late", "kept", "broken"}},
			}, pageQuery...),
			Response: orderListJSON{}, Status: 200, Errors: []int{s422}},
		{Method: "POST", Path: "/api/v1/orders", Tag: "orders", Scopes: write, handle: h.orderCreate,
			Summary: "Hand in an order",
			Description: "Idempotent by external_id: a retry gets the same order and 201 again, marked Idempotent-Replayed; " +
				"the same external_id with other content is 409.",
			Request: orderRequest{}, Response: orderJSON{}, Status: 201, Errors: append([]int{s409}, bodyErrors...)},
		{Method: "GET", Path: "/api/v1/orders/{id}", Tag: "orders", Scopes: read, handle: h.orderGet,
			Summary:     "Get an order",
			Description: "The order as POST answers it, with its tasks and what it holds of the shop's stock.",
			Response:    orderGetJSON{}, Status: 200, Errors: []int{s404}},
		{Method: "PATCH", Path: "/api/v1/orders/{id}", Tag: "orders", Scopes: write, handle: h.orderPatch,
			Summary: "Change an order",
			Description: "JSON merge patch: only the fields present change (null clears delivery_address and carrier). " +
				"Everything is checked before anything is written; a 422 names the field. A new carrier or items that take " +
				"longer re-promise the order. Items, address and carrier of an order that left the shop are final (422 frozen). " +
				"Answers the order as GET does.",
			Request: orderPatchRequest{}, Response: orderJSON{}, Status: 200, Errors: append([]int{s404}, bodyErrors...)},
		{Method: "POST", Path: "/api/v1/orders/{id}/status", Tag: "orders", Scopes: write, handle: h.orderStatusSave,
			Summary: "Move an order to a status", Description: "Posting the status the order has already changes nothing.",
			Request: statusRequest{}, Response: orderJSON{}, Status: 200, Errors: append([]int{s404, s409}, bodyErrors...)},
		{Method: "GET", Path: "/api/v1/orders/{id}/messages", Tag: "orders", Scopes: read, handle: h.orderMessages,
			Summary:  "The messages about an order",
			Response: messagesJSON{}, Status: 200, Errors: []int{s404}},
		{Method: "POST", Path: "/api/v1/orders/{id}/stock/resolve", Tag: "orders", Scopes: write, handle: h.stockResolve,
			Summary: "Settle an order's items not in stock",
			Description: "What an operator agreed with the customer about the order's short lines: alternative (names the item " +
				"offered instead), split (what is on hand ships now, the rest when it comes), refund (an amount in the order's " +
				"currency, at most its total) or wait. The short lines record it (a refund or an alternative gives back what they " +
				"held), the stock_short task closes with it as its outcome, and the customer is told in their language, at their " +
				"hours. An order that waits for no stock is 409; a 422 names the field and writes nothing.",
			Request: stockResolveRequest{}, Response: stockResolveAnswer{}, Status: 200, Errors: append([]int{s404, s409}, bodyErrors...)},
		{Method: "POST", Path: "/api/v1/orders/{id}/parcels", Tag: "parcels", Scopes: write, handle: h.parcelAdd,
			Summary: "Add a parcel to a shipped order",
			Request: parcelRequest{}, Response: parcelJSON{}, Status: 201, Errors: append([]int{s404, s409}, bodyErrors...)},

		{Method: "POST", Path: "/api/v1/parcels/events", Tag: "parcels", Scopes: write, handle: h.parcelEvents,
			Summary:     "Report carrier events",
			Description: `One event, or {"events": [...]} up to 1000; a malformed event refuses the batch whole.`,
			Request:     parcelEventRequest{}, Response: parcelEventsAnswer{}, Status: 200, Errors: append([]int{s404}, bodyErrors...)},
		{Method: "GET", Path: "/api/v1/parcels/{tracking_number}", Tag: "parcels", Scopes: read, handle: h.parcelGet,
			Summary:  "Get a parcel and its events",
			Response: parcelJSON{}, Status: 200, Errors: []int{s404}},
		{Method: "POST", Path: "/api/v1/parcels/webhooks/{carrier}/{secret}", Tag: "parcels", Public: true, handle: h.parcelWebhook,
			Summary:     "A carrier's pushed events",
			Description: "For carriers, which cannot send a token: the address holds the shop's secret. A wrong carrier or secret is 404.",
			Response:    webhookPushJSON{}, Status: 200, Errors: []int{s400, s404}},

		{Method: "GET", Path: "/api/v1/customers", Tag: "customers", Scopes: read, handle: h.customerList,
			Summary:     "List and search customers",
			Description: "Customers with orders, the most recent buyers first. q finds them by words of the name, the e-mail or the phone, each by its beginning.",
			Query:       append([]param{{Name: "q", Description: "Words of a name, an e-mail or a phone number."}}, pageQuery...),
			Response:    customerListJSON{}, Status: 200, Errors: []int{s422}},
		{Method: "GET", Path: "/api/v1/customers/{id}", Tag: "customers", Scopes: read, handle: h.customerGet,
			Summary:  "Get a customer",
			Response: customerView{}, Status: 200, Errors: []int{s404}},
		{Method: "PATCH", Path: "/api/v1/customers/{id}", Tag: "customers", Scopes: write, handle: h.customerPatch,
			Summary: "Change a customer's contacts, language and consents",
			Description: "JSON merge patch: only the fields present change (null clears email, phone and telegram_chat_id). " +
				"consent sets, per channel, the transactional consent (order news; false stops every message on the channel) and " +
				"the marketing consent (opt-in; consent_source is required with a grant and kept with its time as proof; a grant " +
				"lifts the customer's marketing unsubscribe for that channel). Answers the customer as GET does.",
			Request: customerPatchRequest{}, Response: customerView{}, Status: 200, Errors: append([]int{s404}, bodyErrors...)},
		{Method: "DELETE", Path: "/api/v1/customers/{id}", Tag: "customers", Scopes: []auth.Scope{auth.ScopeCustomersErase}, handle: h.customerErase,
			Summary: "Erase a customer's personal data",
			Description: "On the customer's request (GDPR art. 17, 152-FZ art. 21): their name, contacts, Telegram chat, birthday, " +
				"the addresses and notes of their orders, the texts of the messages to them and their search entries are erased; " +
				"the order figures (totals, dates, statuses, items) stay, anonymous, so the shop's analytics stay right. " +
				"Erasing again changes nothing. A customer with orders still on their way is 409 unless force=true.",
			Query:    []param{{Name: "force", Type: "boolean", Description: "Erase even while orders are on their way (their addresses go too)."}},
			Response: eraseJSON{}, Status: 200, Errors: []int{s404, s409, s422}},
		{Method: "GET", Path: "/api/v1/customers/{id}/export", Tag: "customers", Scopes: read, handle: h.customerExport,
			Summary: "Everything shopcare holds about a customer",
			Description: "For the customer's right of access and portability (GDPR art. 15 and 20): the profile, channels and consents, orders with their items, messages and the loyalty ledger, " +
				"survey answers, reviews (whether each has a photo, not the photo), negative experiences and the club's memberships with their consents.",
			Response: exportJSON{}, Status: 200, Errors: []int{s404}},
		{Method: "GET", Path: "/api/v1/customers/{id}/ledger", Tag: "loyalty", Scopes: []auth.Scope{auth.ScopeLoyalty, auth.ScopeRead},
			handle: h.customerLedger, Summary: "A customer's points ledger",
			Query: []param{{Name: "before", Type: "integer", Description: "Entries before this transaction id."},
				{Name: "limit", Type: "integer", Description: "Entries per page (default 50, at most 500)."}},
			Response: ledgerJSON{}, Status: 200, Errors: []int{s404, s422}},

		{Method: "POST", Path: "/api/v1/loyalty/redeem", Tag: "loyalty", Scopes: loyal, handle: h.loyaltyRedeem,
			Summary: "Spend points on an order",
			Request: redeemRequest{}, Response: redeemResponse{}, Status: 201, Errors: append([]int{s404, s409}, bodyErrors...)},
		{Method: "POST", Path: "/api/v1/loyalty/grants", Tag: "loyalty", Scopes: loyal, handle: h.loyaltyGrant,
			Summary: "Give points or a coupon with a reason",
			Request: grantRequest{}, Response: grantResponse{}, Status: 201, Errors: append([]int{s404, s409}, bodyErrors...)},
		{Method: "POST", Path: "/api/v1/loyalty/reviews", Tag: "loyalty", Scopes: loyal, handle: h.loyaltyReview,
			Summary: "Credit points for a review",
			Request: reviewRequest{}, Response: reviewJSON{}, Status: 201, Errors: append([]int{s404}, bodyErrors...)},
		{Method: "POST", Path: "/api/v1/coupons", Tag: "loyalty", Scopes: loyal, handle: h.couponCreate,
			Summary: "Create a coupon",
			Request: couponCreateRequest{}, Response: couponJSON{}, Status: 201, Errors: append([]int{s409}, bodyErrors...)},
		{Method: "POST", Path: "/api/v1/coupons/validate", Tag: "loyalty", Scopes: loyal, handle: h.couponValidate,
			Summary: "Check a coupon against a cart",
			Request: couponValidateRequest{}, Response: couponValidateResponse{}, Status: 200, Errors: append([]int{s404}, bodyErrors...)},
		{Method: "POST", Path: "/api/v1/coupons/redeem", Tag: "loyalty", Scopes: loyal, handle: h.couponRedeem,
			Summary: "Use a coupon on an order",
			Request: couponRedeemRequest{}, Response: couponRedeemJSON{}, Status: 201, Errors: append([]int{s404, s409}, bodyErrors...)},

		{Method: "GET", Path: "/api/v1/metrics", Tag: "analytics", Scopes: read, handle: h.metricsGet,
			Summary: "The shop's figures for a window",
			Query: []param{{Name: "from", Format: "date", Description: "First day (YYYY-MM-DD)."},
				{Name: "to", Format: "date", Description: "Last day (YYYY-MM-DD)."}},
			Response: analytics.Metrics{}, Status: 200, Errors: []int{s422}},
		{Method: "POST", Path: "/api/v1/visits", Tag: "analytics", Scopes: shop, handle: h.visitsPush,
			Summary: "Record the shop's own visits per day and source",
			Description: "Each day and source replaces what was pushed for it before; a pushed day stands in for the " +
				"counter's figures of the same day. Every row is checked before any is written.",
			Request: visitsRequest{}, Response: visitsResponse{}, Status: 200, Errors: bodyErrors},
		{Method: "GET", Path: "/api/v1/spend", Tag: "analytics", Scopes: read, handle: h.spendList,
			Summary:  "Marketing spend entered",
			Response: spendListJSON{}, Status: 200},
		{Method: "POST", Path: "/api/v1/spend", Tag: "analytics", Scopes: shop, handle: h.spendSave,
			Summary: "Record a month's marketing spend of a channel",
			Request: spendRequest{}, Response: analytics.Spend{}, Status: 200, Errors: bodyErrors},

		{Method: "GET", Path: "/api/v1/promise/quote", Tag: "promise", Public: true, handle: h.promiseQuote,
			Summary:     "The promise a cart would get",
			Description: "For the shop's product and checkout pages: no token, open to any origin.",
			Query: []param{{Name: "country", Description: "Destination, ISO 3166 alpha-2."},
				{Name: "carrier", Description: "One of the shop's carriers."},
				{Name: "items", Description: "The cart's lines: sku or sku:production_days, comma-separated."},
				{Name: "at", Format: "date-time", Description: "When the order would be placed (default now)."},
				{Name: "lang", Description: "Language of the explanation.", Enum: []string{"ru", "lv", "en"}}},
			Response: quoteJSON{}, Status: 200, Errors: []int{s422}},
		{Method: "GET", Path: "/api/v1/shop/days", Tag: "promise", Scopes: read, handle: h.shopDaysList,
			Summary:  "The shop's days off and extra working days",
			Response: shopDaysListJSON{}, Status: 200},
		{Method: "POST", Path: "/api/v1/shop/days", Tag: "promise", Scopes: shop, handle: h.shopDaysAdd,
			Summary:     "Add days off (or working days)",
			Description: "The promises of open orders the days move are re-computed in the background, and their customers told.",
			Request:     shopDaysRequest{}, Response: promise.ShopDays{}, Status: 201, Errors: append([]int{s409}, bodyErrors...)},
		{Method: "DELETE", Path: "/api/v1/shop/days/{id}", Tag: "promise", Scopes: shop, handle: h.shopDaysRemove,
			Summary: "Remove a span of shop days", Status: 204, Errors: []int{s404}},

		{Method: "GET", Path: "/api/v1/webhooks/deliveries", Tag: "webhooks", Scopes: read, handle: h.webhookDeliveriesList,
			Summary: "The newest webhook deliveries and their attempts",
			Query: []param{{Name: "status", Enum: []string{"pending", "delivered", "failed"}, Description: "Only deliveries in this state."},
				{Name: "limit", Type: "integer", Description: "How many."}},
			Response: deliveriesJSON{}, Status: 200, Errors: []int{s422}},

		{Method: "GET", Path: "/api/v1/conversations", Tag: "conversations", Scopes: read, handle: h.conversationList,
			Summary:     "Support conversations, the most recently active first",
			Description: "Every customer message (e-mail, Telegram, the web form) belongs to a conversation; first_response_due says by when the shop owes an answer.",
			Query: append([]param{
				{Name: "status", Enum: []string{"open", "pending", "snoozed", "closed"}, Description: "Only conversations in this state."},
				{Name: "customer_id", Description: "Only this customer's: shopcare's id or the shop's."},
				{Name: "language", Description: "Only conversations in this language (ru, lv, en)."},
				{Name: "overdue", Type: "boolean", Description: "Only those past (true) or within (false) their response target."},
			}, pageQuery...),
			Response: conversationListJSON{}, Status: 200, Errors: []int{s422}},
		{Method: "GET", Path: "/api/v1/conversations/{id}/messages", Tag: "conversations", Scopes: read, handle: h.conversationMessages,
			Summary:  "A conversation with its messages, oldest first",
			Response: conversationMessagesJSON{}, Status: 200, Errors: []int{s404}},
		// Answering a customer speaks for the shop.
		{Method: "POST", Path: "/api/v1/conversations/{id}/messages", Tag: "conversations", Scopes: shop, handle: h.conversationReply,
			Summary: "Answer the customer, as the token's name",
			Request: conversationReplyJSON{}, Response: conversationReplyAnswer{}, Status: 202,
			Errors: append([]int{s404}, bodyErrors...)},
	}
}

// register puts the routes on mux: each behind a token with its scopes,
// but the public ones.
func (h *Handler) register(mux *http.ServeMux, routes []route) {
	h.scopes = make(map[string][]auth.Scope, len(routes))
	h.bodyLimits = map[string]int64{}
	for _, rt := range routes {
		h.patterns = append(h.patterns, rt.pattern())
		if rt.Public {
			mux.HandleFunc(rt.pattern(), rt.handle)
			continue
		}
		if len(rt.Scopes) > 0 {
			h.scopes[rt.pattern()] = rt.Scopes
		}
		if rt.BodyLimit > 0 {
			h.bodyLimits[rt.pattern()] = rt.BodyLimit
		}
		mux.Handle(rt.pattern(), h.authed(rt.handle))
	}
}

// statusNames lists the order statuses for the document.
func statusNames() []string {
	names := make([]string, len(order.Statuses))
	for i, s := range order.Statuses {
		names[i] = string(s)
	}
	return names
}
