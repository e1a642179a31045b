package customer

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/store"
)

// The kinds of address FindByAddress looks customers up by.
const (
	AddressEmail    = "email"
	AddressPhone    = "phone"
	AddressTelegram = "telegram"
)

// FindByAddress returns the customer reached at addr: an e-mail address
// (any case), a phone number (any writing; region is the shop's country
// for numbers without a country code) or a Telegram chat id. Several
// customers with one address give the one who has bought most recently.
// It is how the support inbox knows who wrote; store.ErrNotFound when no
// customer has the address.
func FindByAddress(ctx context.Context, q store.Querier, kind, addr, region string) (*Customer, error) {
	addr = strings.TrimSpace(addr)
	var column string
	switch kind {
	case AddressEmail:
		column, addr = "email", strings.ToLower(addr)
	case AddressPhone:
		p := phones.normalize(addr, region)
		if p.err != nil {
			return nil, fmt.Errorf("find customer by phone: %w", store.ErrNotFound)
		}
		column, addr = "phone", p.e164
	case AddressTelegram:
		column = "telegram_chat_id"
	default:
		return nil, fmt.Errorf("find customer by %q: no such kind of address", kind)
	}
	if addr == "" {
		return nil, fmt.Errorf("find customer by empty %s: %w", kind, store.ErrNotFound)
	}
	c, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM customers WHERE `+column+` = $1
		ORDER BY last_order_at DESC, id DESC LIMIT 1`, addr))
	if err != nil {
		return nil, fmt.Errorf("find customer by %s: %w", kind, err)
	}
	return c, nil
}
