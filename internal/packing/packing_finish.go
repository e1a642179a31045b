package packing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// NoteKind is the kind of the order_notes row Finish writes.
const NoteKind = "packed"

// Finished is the outcome of Finish.
type Finished struct {
	// Recorded is true when this call recorded the packing; false when an
	// earlier one had (a double click, a retried request).
	Recorded bool
	// Moved is true when this call moved the order to ready_to_ship.
	Moved bool
	// PackedAt is when the order was packed, by this call or an earlier
	// one.
	PackedAt time.Time
}

// Finish closes the packing of the sheet's order at now: it checks that
// every line of the sheet's checklist is among checked (the ids of the
// ticked lines), records the packing — orders.packed_at and an
// order_notes row of kind "packed" by author, naming the inserts and gift
// wrap in the shop's language — and moves the order to ready_to_ship
// through orders.ChangeStatus, so the customer's message and the webhooks
// follow.
//
// An unticked line is an invalid.List naming field "checklist" and the
// line, and nothing is written. An order that is not processing is a
// *StatusError (errors.Is ErrNotProcessing), unless it was packed
// already: finishing twice records nothing twice and returns the first
// packing's time, leaving the order's status alone (it may have shipped
// since). An order whose packing was recorded but which is still
// processing (a Finish cut short between its two steps) is moved on.
func Finish(ctx context.Context, db *store.DB, orders *order.Service, sheet *Sheet, checked []string, author string, now time.Time) (Finished, error) {
	id := sheet.Order.ID
	if err := missing(sheet, checked); err != nil {
		return Finished{}, err
	}
	res := Finished{PackedAt: now}
	body := noteBody(sheet)
	move := false
	err := db.InTx(ctx, func(tx *store.Tx) error {
		packed, err := order.SetPacked(ctx, tx, id, now)
		if err != nil {
			return fmt.Errorf("record packing of order %d: %w", id, err)
		}
		if !packed {
			// Packed before, or not processing, or not there at all.
			status, packedAt, err := order.GetPacked(ctx, tx, id)
			if err != nil {
				return fmt.Errorf("finish packing order %d: %w", id, err)
			}
			if packedAt == nil {
				return &StatusError{OrderID: id, Status: status}
			}
			res.PackedAt, move = *packedAt, status == order.Processing
			return nil
		}
		res.Recorded, move = true, true
		return order.NoteAdd(ctx, tx, order.Note{OrderID: id, Kind: NoteKind, Body: body, Author: author, CreatedAt: now})
	})
	if err != nil {
		return Finished{}, err
	}
	if !move {
		return res, nil
	}
	res.Moved, err = orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.ReadyToShip, At: now, Source: order.SourceAdmin})
	if err != nil {
		return res, fmt.Errorf("finish packing order %d: %w", id, err)
	}
	return res, nil
}

// missing returns the checklist lines not among checked as one invalid
// error each, all naming field "checklist".
func missing(sheet *Sheet, checked []string) error {
	var errs invalid.List
	for _, c := range sheet.Unticked(checked) {
		errs.Add("checklist", "unchecked", "%q is not ticked", c.Label(i18n.EN))
	}
	if len(errs) > 0 {
		return fmt.Errorf("finish packing order %d: %w", sheet.Order.ID, errs)
	}
	return nil
}

// Unticked returns the checklist lines whose ids are not among checked,
// for Finish to refuse and for a page to show them again in the packer's
// language.
func (s *Sheet) Unticked(checked []string) []CheckItem {
	ticked := make(map[string]bool, len(checked))
	for _, c := range checked {
		ticked[strings.TrimSpace(c)] = true
	}
	var out []CheckItem
	for _, c := range s.Checklist {
		if !ticked[c.ID] {
			out = append(out, c)
		}
	}
	return out
}

// noteBody is the order log's line about the packing, in the shop's
// language: "Packed. Inserts: Thank-you note; Souvenir. Gift-wrapped."
func noteBody(sheet *Sheet) string {
	lang := sheet.ShopLanguage
	parts := []string{i18n.Text(lang, "packing.log.packed", nil)}
	if len(sheet.Inserts) > 0 {
		labels := make([]string, len(sheet.Inserts))
		for i, in := range sheet.Inserts {
			labels[i] = in.Label(lang)
		}
		parts = append(parts, i18n.Text(lang, "packing.log.inserts", map[string]any{"List": strings.Join(labels, "; ")}))
	}
	if sheet.GiftWrap {
		parts = append(parts, i18n.Text(lang, "packing.log.gift_wrap", nil))
	}
	return strings.Join(parts, " ")
}
