package playbook

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
)

// BackInStockRule is the rule that tells a customer an item they asked
// about is back (stock.back_in_stock).
const BackInStockRule = "back_in_stock"

// backInStockRules are the rules of the back-in-stock requests. The
// message is one the customer asked for: their request is their consent
// to it, so it is not marketing (no frequency cap, no unsubscribe link,
// an unsubscribe from marketing does not hold it back), but it waits for
// the customer's hours on every channel, e-mail too, as it is no news
// about an order they placed. A channel the customer opted out of, or
// that bounced or was complained about, is never used (the sender's
// check of every message); an erased customer has no request left.
func backInStockRules() []Rule {
	return []Rule{{Name: BackInStockRule, Event: journal.StockBack, Template: BackInStockRule, Transactional: true,
		Daytime: true, Enabled: true}}
}

// ItemData is the item a back-in-stock message is about.
type ItemData struct {
	SKU  string
	Name string // the item's name as the shop keeps its stock; the SKU when it has none
	// URL is the product's page (where the customer asked, when known),
	// else the shop's site.
	URL string
	// CancelURL stops the request: the customer no longer wants to hear.
	CancelURL string
}

// backInStockEvent reads a stock.back_in_stock event: the detail of its
// dedupe key (one message per request, ever), what the message is about
// (Message.About) and the language the customer asked in.
func backInStockEvent(e journal.Event) (detail, about, lang string, err error) {
	var pl event.StockBackPayload
	if err := e.Decode(&pl); err != nil {
		return "", "", "", err
	}
	id := strconv.FormatInt(pl.RequestID, 10)
	about = url.Values{"request": {id}, "sku": {pl.SKU}, "name": {pl.Name}}.Encode()
	return "r" + id, about, pl.Language, nil
}

// backInStockData fills d.Item for a back-in-stock message from the
// request it is about, or says why the message must not go after all
// (the customer cancelled the request meanwhile, or was erased), and
// returns the channels the customer asked on.
func (p *Playbook) backInStockData(ctx context.Context, q store.Querier, m *message.Message, d *Data) (why string, channels []string, err error) {
	about, _ := url.ParseQuery(m.About)
	id, _ := strconv.ParseInt(about.Get("request"), 10, 64)
	r, err := stock.RequestGet(ctx, q, id)
	if errors.Is(err, store.ErrNotFound) {
		return "the request is gone: its customer was erased", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("back in stock: %w", err)
	}
	if r.CancelledAt != nil {
		return "the customer cancelled the request", nil, nil
	}
	d.Item = ItemData{SKU: r.SKU, Name: about.Get("name"), URL: r.PageURL}
	if d.Item.Name == "" {
		d.Item.Name = r.SKU
	}
	if d.Item.URL == "" {
		d.Item.URL = p.shopSite()
	}
	if t := stock.CancelToken(p.signer, r.ID); t != "" {
		d.Item.CancelURL = p.settings.Shop.PublicURL + "/stock/cancel/" + t
	}
	return "", r.Channels(), nil
}

// shopSite is the shop's own site: the first site its widgets are on,
// else the customer's page of this shopcare.
func (p *Playbook) shopSite() string {
	if o := p.settings.Channels.Web.WidgetOrigins; len(o) > 0 {
		return o[0]
	}
	return p.settings.Shop.PublicURL + "/my"
}
