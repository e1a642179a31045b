package shopify

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
)

// PageSize is how many orders one page asks for: with their lines and
// shipments a page costs about 50 × 5 points, well inside the 1,000-point
// limit of one query and the bucket.
const PageSize = 50

// orderFields are the fields of an order shopcare reads.
const orderFields = `fragment O on Order {
  id legacyResourceId name email phone createdAt updatedAt cancelledAt
  displayFinancialStatus displayFulfillmentStatus currencyCode customerLocale note
  paymentGatewayNames
  totalPriceSet { shopMoney { amount currencyCode } }
  customer { legacyResourceId firstName lastName email phone emailMarketingConsent { marketingState } }
  shippingAddress { name address1 address2 city province zip country countryCodeV2 phone }
  shippingLine { title }
  lineItems(first: 100) { nodes { sku title quantity variant { legacyResourceId } originalUnitPriceSet { shopMoney { amount currencyCode } } } }
  fulfillments(first: 20) { id createdAt status trackingInfo(first: 1) { company number url } }
}`

const (
	shopQuery      = `query { shop { name currencyCode } }`
	orderQuery     = `query($id: ID!) { order(id: $id) { ...O } } ` + orderFields
	ordersQueryFmt = `query($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
    nodes { ...O }
    pageInfo { hasNextPage endCursor }
  }
  %s
} ` + orderFields
	// countField asks for the total once, on the first page: a count
	// without a limit is exact ("EXACT") where the shop can afford it.
	countField = `ordersCount(query: $query, limit: null) { count precision }`
)

// Estimated costs, for waiting on the bucket before a call.
const (
	costShop   = 1
	costOrder  = 10
	costOrders = PageSize * 5
)

// Check asks for the shop's name and currency, which tries the token.
func (a *Adapter) Check(ctx context.Context) (connector.Shop, error) {
	var out struct {
		Shop struct {
			Name         string `json:"name"`
			CurrencyCode string `json:"currencyCode"`
		} `json:"shop"`
	}
	if err := a.gql.do(ctx, shopQuery, nil, costShop, &out); err != nil {
		return connector.Shop{}, fmt.Errorf("shopify: check the shop: %w", err)
	}
	return connector.Shop{Name: out.Shop.Name, Currency: out.Shop.CurrencyCode}, nil
}

// Orders returns one page of the shop's orders, oldest first, created at
// or after q.Since. The first page also carries the total; later ones
// say -1. Orders older than 60 days need the read_all_orders scope.
func (a *Adapter) Orders(ctx context.Context, q connector.Query) (connector.Page, error) {
	vars := map[string]any{"first": PageSize}
	if q.Cursor != "" {
		vars["after"] = q.Cursor
	}
	filter := ""
	if !q.Since.IsZero() {
		filter = "created_at:>='" + q.Since.UTC().Format(time.RFC3339) + "'"
		vars["query"] = filter
	}
	count := ""
	if q.Cursor == "" {
		count = countField
	}
	var out struct {
		Orders struct {
			Nodes    []gqlOrder `json:"nodes"`
			PageInfo struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
		} `json:"orders"`
		OrdersCount *struct {
			Count     int    `json:"count"`
			Precision string `json:"precision"`
		} `json:"ordersCount"`
	}
	if err := a.gql.do(ctx, fmt.Sprintf(ordersQueryFmt, count), vars, costOrders, &out); err != nil {
		return connector.Page{}, fmt.Errorf("shopify: orders after %q: %w", q.Cursor, err)
	}
	page := connector.Page{Total: -1}
	if c := out.OrdersCount; c != nil && c.Precision == "EXACT" {
		page.Total = c.Count
	}
	for i := range out.Orders.Nodes {
		o, err := out.Orders.Nodes[i].order()
		if err != nil {
			return connector.Page{}, fmt.Errorf("shopify: orders[%d]: %w", i, err)
		}
		page.Orders = append(page.Orders, *o)
	}
	if out.Orders.PageInfo.HasNextPage {
		page.Next = out.Orders.PageInfo.EndCursor
	}
	return page, nil
}

// Order returns one order by its numeric id (or global id); a 404
// APIError when the shop has none such.
func (a *Adapter) Order(ctx context.Context, orderID string) (*connector.Order, error) {
	gid, err := orderGID(orderID)
	if err != nil {
		return nil, err
	}
	var out struct {
		Order *gqlOrder `json:"order"`
	}
	if err := a.gql.do(ctx, orderQuery, map[string]any{"id": gid}, costOrder, &out); err != nil {
		return nil, fmt.Errorf("shopify: order %s: %w", orderID, err)
	}
	if out.Order == nil {
		return nil, &connector.APIError{Status: http.StatusNotFound, Body: "the shop has no order " + orderID}
	}
	o, err := out.Order.order()
	if err != nil {
		return nil, fmt.Errorf("shopify: order %s: %w", orderID, err)
	}
	return o, nil
}

// orderGID is the GraphQL id of an order given by number or global id.
func orderGID(orderID string) (string, error) {
	s := strings.TrimSpace(orderID)
	s = strings.TrimPrefix(s, "gid://shopify/Order/")
	if s == "" || len(s) > 24 || strings.Trim(s, "0123456789") != "" {
		return "", invalid.Field("order_id", "invalid", "%q is not a Shopify order id", orderID)
	}
	return "gid://shopify/Order/" + s, nil
}

// gqlOrder is an order as the GraphQL Admin API gives it.
type gqlOrder struct {
	LegacyResourceID         id       `json:"legacyResourceId"`
	Name                     string   `json:"name"`
	Email                    string   `json:"email"`
	Phone                    string   `json:"phone"`
	CreatedAt                string   `json:"createdAt"`
	UpdatedAt                string   `json:"updatedAt"`
	CancelledAt              string   `json:"cancelledAt"`
	DisplayFinancialStatus   string   `json:"displayFinancialStatus"`
	DisplayFulfillmentStatus string   `json:"displayFulfillmentStatus"`
	CurrencyCode             string   `json:"currencyCode"`
	CustomerLocale           string   `json:"customerLocale"`
	Note                     string   `json:"note"`
	PaymentGatewayNames      []string `json:"paymentGatewayNames"`
	TotalPriceSet            moneySet `json:"totalPriceSet"`
	Customer                 *struct {
		LegacyResourceID      id     `json:"legacyResourceId"`
		FirstName             string `json:"firstName"`
		LastName              string `json:"lastName"`
		Email                 string `json:"email"`
		Phone                 string `json:"phone"`
		EmailMarketingConsent *struct {
			MarketingState string `json:"marketingState"`
		} `json:"emailMarketingConsent"`
	} `json:"customer"`
	ShippingAddress *struct {
		Name          string `json:"name"`
		Address1      string `json:"address1"`
		Address2      string `json:"address2"`
		City          string `json:"city"`
		Province      string `json:"province"`
		Zip           string `json:"zip"`
		Country       string `json:"country"`
		CountryCodeV2 string `json:"countryCodeV2"`
		Phone         string `json:"phone"`
	} `json:"shippingAddress"`
	ShippingLine *struct {
		Title string `json:"title"`
	} `json:"shippingLine"`
	LineItems struct {
		Nodes []struct {
			SKU      string `json:"sku"`
			Title    string `json:"title"`
			Quantity int64  `json:"quantity"`
			// Variant is null for a custom line or a deleted product.
			Variant *struct {
				LegacyResourceID id `json:"legacyResourceId"`
			} `json:"variant"`
			OriginalUnitPriceSet moneySet `json:"originalUnitPriceSet"`
		} `json:"nodes"`
	} `json:"lineItems"`
	Fulfillments []struct {
		ID           id     `json:"id"`
		CreatedAt    string `json:"createdAt"`
		Status       string `json:"status"`
		TrackingInfo []struct {
			Company string `json:"company"`
			Number  string `json:"number"`
			URL     string `json:"url"`
		} `json:"trackingInfo"`
	} `json:"fulfillments"`
}

// moneySet is a MoneyBag: the amount in the shop's currency.
type moneySet struct {
	ShopMoney struct {
		Amount       string `json:"amount"`
		CurrencyCode string `json:"currencyCode"`
	} `json:"shopMoney"`
}

// order maps the GraphQL order as the webhook's is mapped, so that both
// paths give the same connector order; the id is the numeric one that
// webhooks carry.
func (g *gqlOrder) order() (*connector.Order, error) {
	var errs invalid.List
	if g.LegacyResourceID == "" {
		errs.Add("legacyResourceId", "required", "the order has no id")
	}
	cur := strings.ToUpper(wire.FirstOf(g.TotalPriceSet.ShopMoney.CurrencyCode, g.CurrencyCode))
	o := &connector.Order{
		ID:       string(g.LegacyResourceID),
		Number:   strings.TrimSpace(g.Name),
		Currency: cur,
		Note:     strings.TrimSpace(g.Note),
	}
	o.PlacedAt = parseTime(&errs, "createdAt", g.CreatedAt, true)
	o.UpdatedAt = parseTime(&errs, "updatedAt", g.UpdatedAt, false)
	cancelled := parseTime(&errs, "cancelledAt", g.CancelledAt, false)
	fulfillment := map[string]string{"FULFILLED": "fulfilled", "PARTIALLY_FULFILLED": "partial"}[g.DisplayFulfillmentStatus]
	o.Status = status(!cancelled.IsZero(), g.DisplayFinancialStatus, fulfillment)
	o.Payment = payment(g.DisplayFinancialStatus, g.PaymentGatewayNames)
	o.TotalMinor = parseAmount(&errs, "totalPriceSet.shopMoney.amount", g.TotalPriceSet.ShopMoney.Amount, cur)

	c := customer.Input{Email: g.Email, Phone: g.Phone, Language: language(g.CustomerLocale)}
	if cu := g.Customer; cu != nil {
		c.ExternalID = string(cu.LegacyResourceID)
		c.Name = wire.JoinWith(" ", cu.FirstName, cu.LastName)
		c.Email = wire.FirstOf(c.Email, cu.Email)
		c.Phone = wire.FirstOf(c.Phone, cu.Phone)
		if m := cu.EmailMarketingConsent; m != nil {
			o.MarketingConsent = consent(&struct {
				State string `json:"state"`
			}{State: m.MarketingState}, nil)
		}
	}
	if a := g.ShippingAddress; a != nil {
		c.Name = wire.FirstOf(c.Name, a.Name)
		c.Phone = wire.FirstOf(c.Phone, a.Phone)
		c.Country, c.City = strings.ToUpper(strings.TrimSpace(a.CountryCodeV2)), strings.TrimSpace(a.City)
		o.Address = wire.JoinWith(", ", a.Address1, a.Address2, a.City, a.Province, a.Zip, a.Country)
	}
	o.Customer = c
	for i, li := range g.LineItems.Nodes {
		f := fmt.Sprintf("lineItems[%d]", i)
		it := order.Item{SKU: strings.TrimSpace(li.SKU), Name: strings.TrimSpace(li.Title), Qty: li.Quantity}
		if li.Variant != nil {
			it.VariantID = string(li.Variant.LegacyResourceID)
		}
		if li.Quantity < 1 {
			errs.Add(f+".quantity", "too_small", "must be at least 1")
		}
		it.PriceMinor = parseAmount(&errs, f+".originalUnitPriceSet.shopMoney.amount", li.OriginalUnitPriceSet.ShopMoney.Amount, cur)
		o.Items = append(o.Items, it)
	}
	if g.ShippingLine != nil {
		o.Shipping = strings.TrimSpace(g.ShippingLine.Title)
	}
	for i, f := range g.Fulfillments {
		if !shipped(f.Status) {
			continue
		}
		ff := connector.Fulfillment{ID: string(f.ID)}
		if len(f.TrackingInfo) > 0 {
			t := f.TrackingInfo[0]
			ff.Carrier, ff.TrackingNumber, ff.TrackingURL = strings.TrimSpace(t.Company), strings.TrimSpace(t.Number), strings.TrimSpace(t.URL)
		}
		ff.At = parseTime(&errs, fmt.Sprintf("fulfillments[%d].createdAt", i), f.CreatedAt, false)
		o.Fulfillments = append(o.Fulfillments, ff)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return o, nil
}
