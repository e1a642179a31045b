package ecwid

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/wire"
)

// Limit is the most orders one page of Ecwid's search gives.
const Limit = 100

// API is an Ecwid store's REST API.
type API struct {
	opts  connector.Options
	store string // {base}/{storeId}
	http  *wire.Client

	mu       sync.Mutex
	currency string // the store's, read once from its profile
}

// profile is the part of /profile shopcare reads.
type profile struct {
	GeneralInfo struct {
		StoreURL string `json:"storeUrl"`
	} `json:"generalInfo"`
	Account struct {
		AccountName string `json:"accountName"`
	} `json:"account"`
	Settings struct {
		StoreName string `json:"storeName"`
	} `json:"settings"`
	FormatsAndUnits struct {
		Currency string `json:"currency"`
	} `json:"formatsAndUnits"`
}

// Check reads the store's profile: a cheap call that proves the token.
func (a *API) Check(ctx context.Context) (connector.Shop, error) {
	var p profile
	if _, err := a.http.Get(ctx, a.store+"/profile", &p); err != nil {
		return connector.Shop{}, fmt.Errorf("ecwid: check the token: %w", err)
	}
	name := p.Settings.StoreName
	if name == "" {
		name = p.Account.AccountName
	}
	if name == "" {
		name = p.GeneralInfo.StoreURL
	}
	cur := wire.Currency(p.FormatsAndUnits.Currency)
	a.mu.Lock()
	a.currency = cur
	a.mu.Unlock()
	return connector.Shop{Name: name, Currency: cur}, nil
}

// storeCurrency is the store's currency, which Ecwid's orders do not
// repeat: read from the profile on first need.
func (a *API) storeCurrency(ctx context.Context) (string, error) {
	a.mu.Lock()
	cur := a.currency
	a.mu.Unlock()
	if cur != "" {
		return cur, nil
	}
	shop, err := a.Check(ctx)
	if err != nil {
		return "", err
	}
	return shop.Currency, nil
}

// Orders returns a page of up to 100 orders placed since q.Since; the
// cursor is the next page's offset, Total the store's count. Orders
// placed while a backfill runs shift the offsets, which can show an order
// twice (stored once by its id) but never skip one.
func (a *API) Orders(ctx context.Context, q connector.Query) (connector.Page, error) {
	offset := 0
	if q.Cursor != "" {
		n, err := strconv.Atoi(q.Cursor)
		if err != nil || n < 0 {
			return connector.Page{}, fmt.Errorf("ecwid: cursor %q is not an offset", q.Cursor)
		}
		offset = n
	}
	cur, err := a.storeCurrency(ctx)
	if err != nil {
		return connector.Page{}, err
	}
	v := url.Values{}
	v.Set("offset", strconv.Itoa(offset))
	v.Set("limit", strconv.Itoa(Limit))
	if !q.Since.IsZero() {
		v.Set("createdFrom", unix(q.Since))
	}
	var res struct {
		Total  int     `json:"total"`
		Count  int     `json:"count"`
		Offset int     `json:"offset"`
		Items  []Order `json:"items"`
	}
	if _, err := a.http.Get(ctx, a.store+"/orders?"+v.Encode(), &res); err != nil {
		return connector.Page{}, fmt.Errorf("ecwid: orders from %d: %w", offset, err)
	}
	p := connector.Page{Total: res.Total}
	for i := range res.Items {
		o, err := res.Items[i].Map(cur, a.opts.Statuses)
		if err != nil {
			return connector.Page{}, fmt.Errorf("ecwid: orders from %d, order %s: %w", offset, res.Items[i].ID, err)
		}
		p.Orders = append(p.Orders, *o)
	}
	if next := offset + len(res.Items); len(res.Items) > 0 && next < res.Total {
		p.Next = strconv.Itoa(next)
	}
	return p, nil
}

// Order returns one order by its id (K8XTQ, or the number on older
// stores).
func (a *API) Order(ctx context.Context, id string) (*connector.Order, error) {
	src, err := a.order(ctx, id)
	if err != nil {
		return nil, err
	}
	cur, err := a.storeCurrency(ctx)
	if err != nil {
		return nil, err
	}
	o, err := src.Map(cur, a.opts.Statuses)
	if err != nil {
		return nil, fmt.Errorf("ecwid: order %s: %w", id, err)
	}
	return o, nil
}

func (a *API) order(ctx context.Context, id string) (*Order, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, fmt.Errorf("ecwid: order: no id")
	}
	var src Order
	if _, err := a.http.Get(ctx, a.store+"/orders/"+url.PathEscape(id), &src); err != nil {
		return nil, fmt.Errorf("ecwid: order %s: %w", id, err)
	}
	return &src, nil
}
