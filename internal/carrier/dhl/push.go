package dhl

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/shopcare/shopcare/internal/carrier"
)

// pushMessage is what the Unified Push API posts to the hook.
type pushMessage struct {
	Scope     string     `json:"scope"`
	Self      string     `json:"self"`
	Shipments []shipment `json:"shipments"`
}

// scopePush is the scope of a message that carries shipment updates.
const scopePush = "subscription.push"

// Parse reads a push of DHL's Shipment Tracking - Unified - Push API into
// events, oldest first per parcel. Messages about the subscription itself
// (subscription.validate, subscription.ready, subscription.failure …)
// yield none. The caller has checked the hook's authentication header.
func (c *Client) Parse(r *http.Request) ([]carrier.Event, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("dhl: read push: %w", err)
	}
	return parsePush(body)
}

func parsePush(body []byte) ([]carrier.Event, error) {
	var m pushMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("dhl: push: %w: %w", errMalformed, err)
	}
	if m.Scope != "" && m.Scope != scopePush {
		return nil, nil
	}
	if m.Scope == "" && m.Shipments == nil {
		return nil, fmt.Errorf("dhl: push: %w: neither scope nor shipments", errMalformed)
	}
	return events("", m.Shipments), nil
}
