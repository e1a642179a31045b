package woocommerce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Topics are the webhook topics shopcare registers.
var Topics = []string{"order.created", "order.updated"}

// ErrNoSecret refuses to register webhooks without a secret: WooCommerce
// would sign them with one of its own that shopcare does not know.
var ErrNoSecret = errors.New("woocommerce: the connector has no webhook_secret to sign the webhooks with")

// webhook is a webhook as the REST API lists it.
type webhook struct {
	ID          int64  `json:"id"`
	Status      string `json:"status"`
	Topic       string `json:"topic"`
	DeliveryURL string `json:"delivery_url"`
}

// Register makes sure a webhook for each topic delivers to address. One
// already there is left alone, except that a "disabled" one (WooCommerce
// disables a webhook after more than five failed deliveries in a row,
// and tells nobody) is made active again; one the shop "paused" stays
// paused. It returns the topics delivering to address.
func (a *Adapter) Register(ctx context.Context, address string) ([]string, error) {
	if a.opts.WebhookSecret == "" {
		return nil, ErrNoSecret
	}
	have := map[string]webhook{}
	for page := 1; ; page++ {
		var list []webhook
		r, err := a.rest.do(ctx, http.MethodGet, "/webhooks", url.Values{"per_page": {"100"}, "page": {strconv.Itoa(page)}}, nil, &list)
		if err != nil {
			return nil, fmt.Errorf("woocommerce: list webhooks: %w", err)
		}
		for _, w := range list {
			if w.DeliveryURL != address {
				continue
			}
			// Prefer an active one where there are several.
			if old, ok := have[w.Topic]; !ok || old.Status != "active" {
				have[w.Topic] = w
			}
		}
		if pages := total(r.header, "X-WP-TotalPages"); page >= pages || len(list) == 0 {
			break
		}
	}
	var topics []string
	for _, topic := range Topics {
		w, ok := have[topic]
		switch {
		case !ok:
			in := map[string]any{"name": "shopcare " + topic, "topic": topic, "delivery_url": address, "secret": a.opts.WebhookSecret, "status": "active"}
			if _, err := a.rest.do(ctx, http.MethodPost, "/webhooks", nil, in, nil); err != nil {
				return topics, fmt.Errorf("woocommerce: create the %s webhook: %w", topic, err)
			}
		case w.Status == "disabled":
			path := "/webhooks/" + strconv.FormatInt(w.ID, 10)
			if _, err := a.rest.do(ctx, http.MethodPut, path, nil, map[string]any{"status": "active"}, nil); err != nil {
				return topics, fmt.Errorf("woocommerce: re-enable the %s webhook %d: %w", topic, w.ID, err)
			}
		}
		topics = append(topics, topic)
	}
	return topics, nil
}
