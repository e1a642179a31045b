package web

import (
	"context"
	"io"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/stock"
)

// stockArea is where the stock pages belong: the owner's and the
// operators', who answer for the orders waiting on stock and take the
// deliveries in. Packers pack what the orders hold and see it on the
// packing sheet.
const stockArea = auth.AreaOrders

// stockDesk is what the stock pages use of the stock service.
type stockDesk interface {
	Items(ctx context.Context, f stock.ItemFilter) ([]stock.Item, bool, error)
	Item(ctx context.Context, sku string) (stock.Item, error)
	Shortages(ctx context.Context, limit int) ([]stock.Shortage, error)
	WaitingOrders(ctx context.Context, f stock.WaitingFilter) ([]stock.WaitingOrder, bool, error)
	Holders(ctx context.Context, f stock.HolderFilter) ([]stock.Holder, bool, error)
	Put(ctx context.Context, source string, levels []stock.Level) (stock.PutResult, error)
	ImportCSV(ctx context.Context, source string, r io.Reader, rejected io.Writer) (stock.ImportResult, error)
}

// stockAdminRoutes are the stock pages: the day's picture and the list
// of SKUs, one SKU with its form, and the CSV upload.
func (h *Handler) stockAdminRoutes() []adminRoute {
	return []adminRoute{
		{"GET /stock", stockArea, h.stockList},
		{"POST /stock/import", stockArea, h.stockImport},
		{"GET /stock/{sku}", stockArea, h.stockItem},
		{"POST /stock/{sku}", stockArea, h.stockItemSave},
	}
}

// stockDesk is the stock service the pages call.
func (h *Handler) stockDesk() stockDesk { return h.app.Stock }
