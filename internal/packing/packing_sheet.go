package packing

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Build returns the packing sheet of an order at now: its items and
// customer, the shop's checklist, and the inserts by the shop's rules,
// judged on the day the parcel ships. cal is the shop's business calendar
// (promise.Service.Engine().Calendar()); nil gives no holiday cards. An
// order that does not exist is store.ErrNotFound.
func Build(ctx context.Context, q store.Querier, s config.Settings, cal *calendar.Calendar, orderID int64, now time.Time) (*Sheet, error) {
	o, err := order.Get(ctx, q, orderID)
	if err != nil {
		return nil, fmt.Errorf("packing sheet: %w", err)
	}
	sh := &Sheet{
		Shop: s.Shop.Name, ShopLanguage: shopLanguage(s), Order: o, GiftWrap: o.GiftWrap,
		At: now, Location: s.Shop.Location(),
	}
	sh.Address, sh.PackedAt, err = order.GetAddressPacked(ctx, q, orderID)
	if err != nil {
		return nil, fmt.Errorf("packing sheet of order %d: %w", orderID, err)
	}
	sh.Language = sh.ShopLanguage
	if o.Customer != nil {
		sh.Language = i18n.Pick(o.Customer.Language, sh.ShopLanguage)
	}
	sh.ShipDay = ShipDay(o, now, s.Shop.Location())
	first, err := order.FirstOpenID(ctx, q, o.CustomerID)
	if err != nil {
		return nil, fmt.Errorf("first order of customer %d: %w", o.CustomerID, err)
	}
	sh.FirstOrder = first == o.ID
	if sh.Tier, err = loyalty.TierOf(ctx, q, o.CustomerID); err != nil {
		return nil, fmt.Errorf("packing sheet of order %d: %w", orderID, err)
	}
	sh.ApplyRules(s, cal)
	return sh, nil
}

// ApplyRules sets the sheet's inserts and checklist from its facts (ship
// day, first order, tier, gift wrap) by the shop's packing rules and the
// perks of the loyalty tiers in cfg; cal is the shop's business calendar.
// Build applies them; a caller that changes a fact applies them again.
func (s *Sheet) ApplyRules(cfg config.Settings, cal *calendar.Calendar) {
	card, _ := cfg.Loyalty.Tier(s.Tier)
	s.Inserts = Inserts(cfg.Packing, cal, Facts{ShipDay: s.ShipDay, FirstOrder: s.FirstOrder, Tier: s.Tier, Card: card})
	s.Checklist = checklist(cfg.Packing, s.GiftWrap, card, s.Inserts)
}

// ShipDay returns the day an order's parcel ships if it is packed at now:
// today in the shop's time zone loc, or the order's promised ship date
// when that is later.
func ShipDay(o *order.Order, now time.Time, loc *time.Location) calendar.Day {
	day := calendar.DayOf(now.In(loc))
	if o.ShipDate != "" {
		if d, err := calendar.ParseDay(o.ShipDate); err == nil && d > day {
			return d
		}
	}
	return day
}

// checklist lists the lines to tick: the shop's checks, gift wrap when
// asked (free when the customer's tier card gives it), the inserts.
func checklist(p config.Packing, giftWrap bool, card config.Tier, inserts []Insert) []CheckItem {
	out := make([]CheckItem, 0, len(p.Checklist)+1+len(inserts))
	for _, c := range p.Checklist {
		out = append(out, CheckItem{ID: c, Kind: CheckShop, Text: c})
	}
	if giftWrap {
		wrap := CheckItem{ID: "gift_wrap", Kind: CheckGiftWrap}
		if card.HasPerk("free_gift_wrap") {
			wrap.FreeFor = card
		}
		out = append(out, wrap)
	}
	for i := range inserts {
		out = append(out, CheckItem{ID: inserts[i].CheckID(), Kind: CheckInsert, Insert: &inserts[i]})
	}
	return out
}

// shopLanguage is the shop's first language when shopcare writes it, else
// English.
func shopLanguage(s config.Settings) i18n.Lang {
	if len(s.Shop.Languages) > 0 {
		return i18n.Pick(s.Shop.Languages[0], i18n.EN)
	}
	return i18n.EN
}
