package inbox

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// ownID reads one of shopcare's own Message-IDs: "m12@shopcare" (a
// playbook message, kind 'm') or "c34@shopcare" (a conversation's
// outgoing message, kind 'c').
func ownID(id string) (kind byte, n int64, ok bool) {
	id = strings.Trim(strings.TrimSpace(id), "<>")
	local, found := strings.CutSuffix(strings.ToLower(id), "@shopcare")
	if !found || len(local) < 2 || (local[0] != 'm' && local[0] != 'c') {
		return 0, 0, false
	}
	n, err := strconv.ParseInt(local[1:], 10, 64)
	if err != nil || n <= 0 {
		return 0, 0, false
	}
	return local[0], n, true
}

// threadRefs returns the ids a message answers, the most recent first:
// In-Reply-To, then References from the last.
func threadRefs(in *Inbound) []string {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		id = strings.Trim(strings.TrimSpace(id), "<>")
		if id != "" && !seen[id] && len(out) < 50 {
			seen[id] = true
			out = append(out, id)
		}
	}
	add(in.InReplyTo)
	for i := len(in.References) - 1; i >= 0; i-- {
		add(in.References[i])
	}
	return out
}

// orderNumberRe finds an order number where a customer writes one: after
// "#", "№", "No.", "Nr.", "order", "заказ", "pasūtījums" and their forms.
var orderNumberRe = regexp.MustCompile(`(?i)(?:#|№|\bno\.?|\bnr\.?|\border|заказ[а-я]*|pasūtījum[a-zāēīū]*)\s*(?:no\.?|nr\.?|number|номер|№|#)?\s*:?\s*([A-Za-z0-9][A-Za-z0-9_-]{1,40})`)

// orderNumbers returns the order numbers quoted in the subject, then the
// visible text (never the quoted history: an old order quoted below a new
// question is not what it is about), at most five.
func orderNumbers(in *Inbound) []string {
	var out []string
	body := in.Visible
	if body == "" {
		body = in.Text
	}
	if len(body) > 4000 {
		body = body[:4000]
	}
	for _, text := range []string{in.Subject, body} {
		for _, m := range orderNumberRe.FindAllStringSubmatch(text, 5) {
			n := m[1]
			if !strings.ContainsAny(n, "0123456789") { // "order status" is no number
				continue
			}
			if len(out) < 5 {
				out = append(out, n)
			}
		}
	}
	return out
}

// addressKind is the kind of customer address a channel's sender address
// is.
func addressKind(channel, addr string) string {
	switch {
	case channel == ChannelTelegram:
		return customer.AddressTelegram
	case strings.Contains(addr, "@"):
		return customer.AddressEmail
	default:
		return customer.AddressPhone
	}
}

// sender returns the customer who wrote, or nil when the address is
// nobody's: the channel's own knowledge first (the tracking page's form).
func (s *Service) sender(ctx context.Context, q store.Querier, in *Inbound) (*customer.Customer, error) {
	if in.CustomerID != 0 {
		c, err := customer.Get(ctx, q, in.CustomerID)
		if err == nil || !isNotFound(err) {
			return c, err
		}
	}
	c, err := customer.FindByAddress(ctx, q, addressKind(in.Channel, in.From), in.From, s.settings.Shop.Country)
	if isNotFound(err) {
		return nil, nil
	}
	return c, err
}

// threading is where a message belongs: an existing conversation, or the
// customer and order a new one is opened for.
type threading struct {
	conv       *Conversation
	customerID int64
	orderID    int64
	// rule is how it was threaded, for the logs and tests: reference,
	// order_reference, order_number, sender or new.
	rule string
}

// thread finds the conversation a message belongs to: by its references
// to shopcare's own messages or to the conversation's messages; then by
// an order number it quotes; then the sender's open conversation on the
// channel; else a new one. A reference or an order number counts only for
// the conversation's (or order's) own customer or address, so that
// quoting a number cannot put a stranger's message into someone's thread.
func (s *Service) thread(ctx context.Context, q store.Querier, in *Inbound, who *customer.Customer) (threading, error) {
	whoID := int64(0)
	if who != nil {
		whoID = who.ID
	}
	t := threading{customerID: whoID, orderID: in.OrderID, rule: "new"}
	mine := func(c *Conversation) bool {
		return (whoID != 0 && c.CustomerID == whoID) || (c.Channel == in.Channel && c.Address == in.From)
	}
	for _, ref := range threadRefs(in) {
		kind, n, own := ownID(ref)
		switch {
		case own && kind == 'c':
			m, err := messageGet(ctx, q, n)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return t, err
			}
			c, err := conversationGet(ctx, q, m.ConversationID)
			if err != nil {
				return t, err
			}
			if mine(c) {
				t.conv, t.rule = c, "reference"
				return t, nil
			}
		case own && kind == 'm':
			m, err := message.Get(ctx, q, n)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return t, err
			}
			if whoID != 0 && m.CustomerID != whoID {
				continue // someone else's message
			}
			if whoID == 0 {
				// A reply to the customer's message from an address of
				// theirs the shop does not know yet: about their order,
				// but linked to them only by an operator.
				t.orderID, t.rule = m.OrderID, "order_reference"
				c, err := conversationFind(ctx, q, `channel = $1 AND address = $2 AND status <> 'closed'`, in.Channel, in.From)
				t.conv = c
				return t, err
			}
			t.customerID, t.orderID, t.rule = m.CustomerID, m.OrderID, "order_reference"
			c, err := s.customerConversation(ctx, q, m.CustomerID, m.OrderID)
			t.conv = c
			return t, err
		default:
			c, err := conversationFind(ctx, q, `id = (SELECT conversation_id FROM conversation_messages
				WHERE channel = $1 AND message_id = $2)`, in.Channel, ref)
			if err != nil {
				return t, err
			}
			if c != nil && mine(c) {
				t.conv, t.rule = c, "reference"
				return t, nil
			}
		}
	}
	if whoID != 0 {
		var connectors []string
		for _, c := range s.settings.Connectors {
			connectors = append(connectors, c.Name)
		}
		for _, number := range orderNumbers(in) {
			id, owner, err := order.FindByNumber(ctx, q, number, connectors)
			if isNotFound(err) || (err == nil && owner != whoID) {
				continue
			}
			if err != nil {
				return t, err
			}
			t.orderID, t.rule = id, "order_number"
			c, err := s.customerConversation(ctx, q, whoID, id)
			t.conv = c
			return t, err
		}
	}
	var c *Conversation
	var err error
	if whoID != 0 {
		c, err = conversationFind(ctx, q, `customer_id = $1 AND channel = $2 AND status <> 'closed'`, whoID, in.Channel)
	} else {
		c, err = conversationFind(ctx, q, `channel = $1 AND address = $2 AND status <> 'closed'`, in.Channel, in.From)
	}
	if err != nil {
		return t, err
	}
	if c != nil && (t.orderID == 0 || c.OrderID == 0 || c.OrderID == t.orderID) {
		t.conv, t.rule = c, "sender"
	}
	return t, nil
}

// customerConversation returns the customer's open conversation about the
// order (or about no order in particular), or nil.
func (s *Service) customerConversation(ctx context.Context, q store.Querier, customerID, orderID int64) (*Conversation, error) {
	return conversationFind(ctx, q, `customer_id = $1 AND status <> 'closed' AND (order_id = $2 OR order_id IS NULL)`,
		customerID, orderID)
}
