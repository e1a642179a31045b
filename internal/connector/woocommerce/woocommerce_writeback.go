package woocommerce

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
)

// WriteBack adds a private order note (customer_note false: WooCommerce
// would e-mail the customer a customer note, and shopcare sends its own
// messages) with the promise's text and the tracking page's link, for the
// shop's staff in the order screen.
func (a *Adapter) WriteBack(ctx context.Context, orderID string, p connector.Promise) error {
	if err := checkID(orderID); err != nil {
		return err
	}
	note := noteText(p)
	if note == "" {
		return nil
	}
	in := map[string]any{"note": note, "customer_note": false}
	if _, err := a.rest.do(ctx, http.MethodPost, "/orders/"+orderID+"/notes", nil, in, nil); err != nil {
		return fmt.Errorf("woocommerce: write the promise on order %s: %w", orderID, err)
	}
	return nil
}

// noteText is the note: the promise's own text, or its dates, and the
// tracking link unless the text has it already.
func noteText(p connector.Promise) string {
	text := strings.TrimSpace(p.Text)
	if text == "" {
		var parts []string
		if p.ShipDate != "" {
			parts = append(parts, "ships "+p.ShipDate)
		}
		switch {
		case p.DeliveryFrom != "" && p.DeliveryTo != "" && p.DeliveryFrom != p.DeliveryTo:
			parts = append(parts, "arrives "+p.DeliveryFrom+" – "+p.DeliveryTo)
		case p.DeliveryTo != "":
			parts = append(parts, "arrives "+p.DeliveryTo)
		}
		if len(parts) > 0 {
			text = "shopcare: " + strings.Join(parts, ", ")
		}
	}
	if u := strings.TrimSpace(p.TrackingURL); u != "" && !strings.Contains(text, u) {
		text = strings.TrimSpace(text + "\n" + u)
	}
	return text
}
