package connector_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/platforms"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// BenchmarkBackfillStock100k reads 100,000 products from a local Ecwid
// API (1,000 pages of 100) and hands their levels to a recording stock
// service: the connector's share of a stock backfill of 100,000 SKUs
// (the HTTP pages, decoding, the per-SKU read of what orders hold),
// without the stock service's own write.
func BenchmarkBackfillStock100k(b *testing.B) {
	const n = 100_000
	pages := map[int][]byte{}
	for offset := 0; offset < n; offset += 100 {
		items := make([]map[string]any, 0, 100)
		for i := offset; i < offset+100; i++ {
			items = append(items, map[string]any{"id": i + 1, "sku": "SKU-" + strconv.Itoa(i), "name": "Product " + strconv.Itoa(i),
				"quantity": i % 17, "unlimited": false})
		}
		pages[offset], _ = json.Marshal(map[string]any{"total": n, "count": 100, "offset": offset, "limit": 100, "items": items})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		_, _ = w.Write(pages[offset])
	}))
	b.Cleanup(srv.Close)
	a, clk := apptest.New(b, store.SQLite, false, fmt.Sprintf(`
connectors:
  - name: ec
    platform: ecwid
    url: %s/api/v3
    store_id: "1003"
    access_token: secret_ab12cd
    api_secret: ecwid-client-secret-0123
`, srv.URL))
	book := newStockBook()
	svc := connector.New(service.Deps{DB: a.DB, Settings: a.Settings, Clock: clk, Log: slog.New(slog.DiscardHandler)},
		connector.Params{Orders: a.Orders, Stock: book, Adapters: func(c config.Connector) (connector.Adapter, error) {
			return platforms.New(c, platforms.Deps{Clock: clk})
		}})
	b.ResetTimer()
	for b.Loop() {
		res, err := svc.BackfillStock(ctx, "ec", nil)
		if err != nil || res.Levels != n {
			b.Fatalf("%+v %v", res, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "skus/s")
}

// BenchmarkStockDelivery is one Shopify products/update (two variants)
// through /hooks/{name}: HMAC checked, parsed, stored, then drained into
// a recording stock service.
func BenchmarkStockDelivery(b *testing.B) {
	a, clk := apptest.New(b, store.SQLite, false, platformSettings)
	book := newStockBook()
	svc := connector.New(service.Deps{DB: a.DB, Settings: a.Settings, Clock: clk, Log: slog.New(slog.DiscardHandler)},
		connector.Params{Orders: a.Orders, Stock: book, Adapters: func(c config.Connector) (connector.Adapter, error) {
			return platforms.New(c, platforms.Deps{Clock: clk})
		}})
	svc.Start(ctx, false)
	b.Cleanup(svc.Stop)
	h := svc.Handler()
	body := readFixture(b, "shopify/testdata/products_update.json")
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		hd := shopifyHeaders("products/update", "bench-"+strconv.Itoa(i), body)
		r := httptest.NewRequest(http.MethodPost, "/hooks/johns", bytes.NewReader(body))
		r.Header = hd
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
		if _, err := svc.Drain(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}

func readFixture(b *testing.B, path string) []byte {
	b.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return body
}
