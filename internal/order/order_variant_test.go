package order_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// withVariant is sample with the platform's id on its line.
func withVariant(ext, variant string) order.NewOrder {
	n := sample(ext, "cv-1", "variant@example.com")
	n.Items[0].VariantID = variant
	return n
}

// TestVariantIDRoundTrip: a line's platform id is written by every path
// that writes order lines — one order, a batch (the import's), the group
// commit's CreateRead, a change of items — read back with the order, and
// kept by Reorder, on both engines.
func TestVariantIDRoundTrip(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := newApp(t, engine, false)
			if err := a.Start(ctx); err != nil { // the group commit
				t.Fatal(err)
			}
			variant := func(id int64) string {
				t.Helper()
				o, err := a.Orders.Get(ctx, id)
				if err != nil || len(o.Items) != 1 {
					t.Fatalf("get %d: %+v, %v", id, o, err)
				}
				return o.Items[0].VariantID
			}

			one, err := a.Orders.Create(ctx, mustNormalize(t, a, withVariant("V-1", " 44102623193251 ")))
			if err != nil {
				t.Fatal(err)
			}
			if got := variant(one.ID); got != "44102623193251" {
				t.Errorf("Create: variant id %q, want the trimmed 44102623193251", got)
			}
			_, read, err := a.Orders.CreateRead(ctx, mustNormalize(t, a, withVariant("V-2", "gid-7")))
			if err != nil || read == nil || len(read.Items) != 1 || read.Items[0].VariantID != "gid-7" {
				t.Fatalf("CreateRead answered %+v, %v; want the line's variant id gid-7", read, err)
			}
			var batch []order.Result
			err = a.DB.InTx(ctx, func(tx *store.Tx) error {
				var err error
				batch, err = a.Orders.CreateBatch(ctx, tx, []order.NewOrder{
					mustNormalize(t, a, withVariant("V-3", "8031")), mustNormalize(t, a, withVariant("V-4", "")),
				}, order.SourceImport)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got3, got4 := variant(batch[0].ID), variant(batch[1].ID); got3 != "8031" || got4 != "" {
				t.Errorf("CreateBatch: variant ids %q, %q; want 8031 and none", got3, got4)
			}

			// A change of the variant id alone is a change of the items.
			items := []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 2, PriceMinor: 150000, VariantID: "55"}}
			up, err := a.Orders.Update(ctx, one.ID, order.Change{Items: &items, Source: order.SourceAPI})
			if err != nil || len(up.Changed) != 1 || up.Changed[0] != "items" {
				t.Fatalf("update: %+v, %v; want items changed", up, err)
			}
			if got := variant(one.ID); got != "55" {
				t.Errorf("Update: variant id %q, want 55", got)
			}

			src := loadFull(t, a, one.ID)
			_, again, err := a.Orders.Reorder(ctx, src, "abcdef12")
			if err != nil || again == nil || len(again.Items) != 1 || again.Items[0].VariantID != "55" {
				t.Fatalf("reorder: %+v, %v; want the line's variant id kept", again, err)
			}
			shopify := config.Reorder{Platform: config.ReorderShopify, CartURL: "https://shop.example.com"}
			if link, ok := shopify.CartLink(again.CartLines()); !ok || link != "https://shop.example.com/cart/55:2" {
				t.Errorf("the reorder's cart link %q, %v", link, ok)
			}
		})
	}
}

// TestVariantIDKeepsDigests: a line without a variant id fingerprints as
// before the field existed, so a retry of an order stored earlier is not
// taken for another order reusing its external id.
func TestVariantIDKeepsDigests(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(order.Item{SKU: "POT-1", Qty: 1})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "VariantID") {
		t.Errorf("an item without a variant id marshals as %s", b)
	}
}

// TestVariantIDRefused: an id that cannot go in a cart link is refused
// naming the line's field, with the other lines' ids left alone.
func TestVariantIDRefused(t *testing.T) {
	t.Parallel()
	a, _ := newApp(t, store.SQLite, false)
	for _, c := range []struct{ name, id string }{
		{"a space", "4410 2623"},
		{"too long", strings.Repeat("7", order.MaxVariantID+1)},
		{"a control character", "44\x0102"},
		{"a tab", "44\t02"},
		{"not UTF-8", "44\xff"},
	} {
		n := sample("X-1", "c-1", "")
		n.Items = append(n.Items, order.Item{SKU: "LID", Qty: 1, PriceMinor: 10, VariantID: c.id})
		err := order.Normalize(&n, a.Settings, order.APIFields)
		e, ok := invalid.First(err)
		if !ok || e.Field != "items[1].variant_id" {
			t.Errorf("%s: %v, want an error naming items[1].variant_id", c.name, err)
		}
	}
	n := sample("X-2", "c-1", "")
	n.Items[0].VariantID = strings.Repeat("7", order.MaxVariantID)
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Errorf("a 64-character id: %v", err)
	}
}

// FuzzCheckVariantID: whatever the id, what CheckVariantID accepts fits
// the column and a cart link: at most 64 bytes, printable, no spaces.
func FuzzCheckVariantID(f *testing.F) {
	for _, s := range []string{"", "44102623193251", "gid://shopify/ProductVariant/1", "a b", "ключ", "\x00", "\u00a0", strings.Repeat("9", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if order.CheckVariantID(s) != "" {
			return
		}
		if len(s) > order.MaxVariantID || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) {
			t.Fatalf("accepted %q", s)
		}
	})
}
