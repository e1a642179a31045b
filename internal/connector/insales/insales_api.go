package insales

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
)

// PerPage is the largest page InSales' order list gives.
const PerPage = 250

// API is an InSales shop's REST API.
type API struct {
	opts connector.Options
	base string
	http *wire.Client
}

// Check reads the shop's account: a cheap call that proves the app's
// identifier and password.
func (a *API) Check(ctx context.Context) (connector.Shop, error) {
	var acc struct {
		Title        string `json:"title"`
		Subdomain    string `json:"subdomain"`
		CurrencyCode string `json:"currency_code"`
	}
	if _, err := a.http.Get(ctx, a.base+"/admin/account.json", &acc); err != nil {
		return connector.Shop{}, fmt.Errorf("insales: check the credentials: %w", err)
	}
	name := acc.Title
	if name == "" {
		name = acc.Subdomain
	}
	return connector.Shop{Name: name, Currency: wire.Currency(acc.CurrencyCode)}, nil
}

// Orders returns a page of up to 250 orders changed since q.Since; the
// cursor is the next page's number. InSales does not say how many there
// are (Total -1); a short page is the last. An order changed while a
// backfill runs may move between pages; its webhook (orders/update)
// brings it anyway.
func (a *API) Orders(ctx context.Context, q connector.Query) (connector.Page, error) {
	page := 1
	if q.Cursor != "" {
		n, err := strconv.Atoi(q.Cursor)
		if err != nil || n < 1 {
			return connector.Page{}, fmt.Errorf("insales: cursor %q is not a page number", q.Cursor)
		}
		page = n
	}
	v := url.Values{}
	v.Set("per_page", strconv.Itoa(PerPage))
	v.Set("page", strconv.Itoa(page))
	if !q.Since.IsZero() {
		v.Set("updated_since", q.Since.Format(time.RFC3339))
	}
	var src []Order
	if _, err := a.http.Get(ctx, a.base+"/admin/orders.json?"+v.Encode(), &src); err != nil {
		return connector.Page{}, fmt.Errorf("insales: orders page %d: %w", page, err)
	}
	p := connector.Page{Total: -1}
	for i := range src {
		o, err := src[i].Map(a.opts.Statuses)
		if err != nil {
			return connector.Page{}, fmt.Errorf("insales: orders page %d, order %s: %w", page, src[i].ID, err)
		}
		p.Orders = append(p.Orders, *o)
	}
	if len(src) >= PerPage {
		p.Next = strconv.Itoa(page + 1)
	}
	return p, nil
}

// Order returns one order by InSales' id.
func (a *API) Order(ctx context.Context, id string) (*connector.Order, error) {
	var src Order
	if _, err := a.http.Get(ctx, a.base+"/admin/orders/"+url.PathEscape(id)+".json", &src); err != nil {
		return nil, fmt.Errorf("insales: order %s: %w", id, err)
	}
	o, err := src.Map(a.opts.Statuses)
	if err != nil {
		return nil, fmt.Errorf("insales: order %s: %w", id, err)
	}
	return o, nil
}

// Limit is InSales' budget: 500 calls in 5 minutes per app and shop.
const (
	Limit  = 500
	Window = 5 * time.Minute
)

// Pace reads API-Usage-Limit ("n/500", the calls used in the current
// window) and slows down near the end of the budget: past 90 % it waits
// the budget's own rate (a window over the limit, 0.6 s a call), and
// with 5 or fewer calls left a tenth of the window, so a long backfill
// never meets the 503.
func Pace(h http.Header) time.Duration {
	used, limit, ok := usage(h.Get("API-Usage-Limit"))
	if !ok {
		return 0
	}
	left := limit - used
	switch {
	case left <= 5:
		return Window / 10
	case used*10 >= limit*9:
		return Window / time.Duration(limit)
	}
	return 0
}

func usage(v string) (used, limit int, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(v), "/")
	if !found {
		return 0, 0, false
	}
	u, err1 := strconv.Atoi(strings.TrimSpace(a))
	l, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || l <= 0 || u < 0 {
		return 0, 0, false
	}
	return u, l, true
}
