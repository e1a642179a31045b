package ecwid

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/shopcare/shopcare/internal/connector"
)

// The promise's block in the private admin notes is between these lines;
// a later write replaces it and leaves the rest of the notes alone.
const (
	notesBegin = "--- shopcare ---"
	notesEnd   = "--- /shopcare ---"
)

// WriteBack puts the promise in the order's private admin notes (seen by
// the store's staff in the Ecwid admin): it reads the order, replaces
// shopcare's block of the notes or adds one, and updates the order.
func (a *API) WriteBack(ctx context.Context, orderID string, p connector.Promise) error {
	src, err := a.order(ctx, orderID)
	if err != nil {
		return fmt.Errorf("ecwid: write back: %w", err)
	}
	notes := Notes(src.PrivateAdminNotes, PromiseText(p))
	if notes == src.PrivateAdminNotes {
		return nil
	}
	body := map[string]string{"privateAdminNotes": notes}
	if _, err := a.http.Do(ctx, http.MethodPut, a.store+"/orders/"+url.PathEscape(strings.TrimSpace(orderID)), body, nil); err != nil {
		return fmt.Errorf("ecwid: write back to order %s: %w", orderID, err)
	}
	return nil
}

// PromiseText is what the notes say: the promise's own text in the shop's
// language when it has one, else its dates, and the tracking page.
func PromiseText(p connector.Promise) string {
	var lines []string
	if t := strings.TrimSpace(p.Text); t != "" {
		lines = append(lines, t)
	} else {
		if p.ProductionDate != "" {
			lines = append(lines, "Made: "+p.ProductionDate)
		}
		if p.ShipDate != "" {
			lines = append(lines, "Ships: "+p.ShipDate)
		}
		switch {
		case p.DeliveryFrom != "" && p.DeliveryTo != "" && p.DeliveryFrom != p.DeliveryTo:
			lines = append(lines, "Arrives: "+p.DeliveryFrom+" – "+p.DeliveryTo)
		case p.DeliveryTo != "":
			lines = append(lines, "Arrives: "+p.DeliveryTo)
		case p.DeliveryFrom != "":
			lines = append(lines, "Arrives: "+p.DeliveryFrom)
		}
	}
	if u := strings.TrimSpace(p.TrackingURL); u != "" && !strings.Contains(strings.Join(lines, "\n"), u) {
		lines = append(lines, u)
	}
	return strings.Join(lines, "\n")
}

// Notes is the private admin notes with shopcare's block set to text
// (removed when text is empty), the owner's own lines kept as they were.
func Notes(notes, text string) string {
	before, after := notes, ""
	if i := strings.Index(notes, notesBegin); i >= 0 {
		before = notes[:i]
		if j := strings.Index(notes[i:], notesEnd); j >= 0 {
			after = notes[i+j+len(notesEnd):]
		}
	}
	own := strings.TrimRight(before, "\n") + strings.TrimLeft(after, "\n")
	if strings.TrimSpace(before) != "" && strings.TrimSpace(after) != "" {
		own = strings.TrimRight(before, "\n") + "\n" + strings.TrimLeft(after, "\n")
	}
	if text == "" {
		return own
	}
	block := notesBegin + "\n" + text + "\n" + notesEnd
	if strings.TrimSpace(own) == "" {
		return block
	}
	return strings.TrimRight(own, "\n") + "\n\n" + block
}
