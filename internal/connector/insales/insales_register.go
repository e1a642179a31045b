package insales

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// webhook is a registration as /admin/webhooks.json lists it.
type webhook struct {
	ID         int64  `json:"id,omitempty"`
	Address    string `json:"address"`
	Topic      string `json:"topic"`
	FormatType string `json:"format_type,omitempty"`
}

// Register subscribes shopcare's address to orders/create and
// orders/update, in JSON, each with its topic in the address (?topic=…)
// and the connector's secret as the address's last segment; it returns
// the topics it added and leaves registrations already there alone.
func (a *API) Register(ctx context.Context, address string) ([]string, error) {
	if a.opts.WebhookSecret == "" {
		return nil, fmt.Errorf("insales: register webhooks: the connector has no webhook_secret, and InSales signs nothing")
	}
	base, err := withSecret(address, a.opts.WebhookSecret)
	if err != nil {
		return nil, fmt.Errorf("insales: register webhooks: %w", err)
	}
	var have []webhook
	if _, err := a.http.Get(ctx, a.base+"/admin/webhooks.json", &have); err != nil {
		return nil, fmt.Errorf("insales: list webhooks: %w", err)
	}
	var added []string
	for _, topic := range Topics {
		addr := base + "?topic=" + url.QueryEscape(topic)
		there := false
		for _, h := range have {
			// A registration of this topic at shopcare's address, with
			// or without the topic in it (pasted by hand), is there.
			if h.Topic == topic && (h.Address == addr || h.Address == base) {
				there = true
				break
			}
		}
		if there {
			continue
		}
		req := struct {
			Webhook webhook `json:"webhook"`
		}{webhook{Address: addr, Topic: topic, FormatType: "json"}}
		if _, err := a.http.Do(ctx, http.MethodPost, a.base+"/admin/webhooks.json", req, nil); err != nil {
			return added, fmt.Errorf("insales: register %s: %w", topic, err)
		}
		added = append(added, topic)
	}
	return added, nil
}

// withSecret is shopcare's address with the secret as its last path
// segment (POST /hooks/{name}/{secret}), unless it has it already.
func withSecret(address, secret string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(address))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("address %q is not an absolute URL", address)
	}
	u.RawQuery, u.Fragment = "", ""
	esc := url.PathEscape(secret)
	if !strings.HasSuffix(u.EscapedPath(), "/"+esc) {
		u = u.JoinPath(secret)
	}
	return u.String(), nil
}
