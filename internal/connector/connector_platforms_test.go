package connector_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// platformSettings connect a Shopify and a WooCommerce shop through the
// app's own wiring (platforms.New): the real adapters, not the test one.
const platformSettings = `
carriers:
  - {code: ups, name: UPS, transit_days: [2, 4]}
  - {code: dhl, name: DHL Express, transit_days: [1, 3]}
connectors:
  - name: johns
    platform: shopify
    url: https://johns-apparel.myshopify.com
    webhook_secret: shopify-app-secret-0123456789
  - name: wp
    platform: woocommerce
    url: https://shop.example.lv
    webhook_secret: woo-webhook-secret-0123456789
`

// TestPlatformsEndToEnd sends the platforms' documented webhook samples,
// signed as each platform signs them, through the app's /hooks handler,
// and finds the orders they describe: WooCommerce's order 727 created,
// then shipped with the tracking number its Shipment Tracking update
// carries; Shopify's sample order (cancelled by the customer) stored as
// cancelled. Sending each again changes nothing.
func TestPlatformsEndToEnd(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false, platformSettings)
			h := a.Connectors.Handler()
			send := func(path string, body []byte, header http.Header) {
				t.Helper()
				r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
				r.Header = header
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					t.Fatalf("POST %s: %d %s", path, w.Code, w.Body)
				}
				if _, err := a.Connectors.Drain(ctx); err != nil {
					t.Fatal(err)
				}
			}
			woo := func(file, topic string) {
				body := fixture(t, "woocommerce/testdata/"+file)
				hd := http.Header{"Content-Type": {"application/json"}}
				hd.Set("X-WC-Webhook-Topic", topic)
				hd.Set("X-WC-Webhook-Source", "https://shop.example.lv/")
				hd.Set("X-WC-Webhook-Signature", b64(sign("woo-webhook-secret-0123456789", body)))
				send("/hooks/wp", body, hd)
			}
			woo("order.json", "order.created")
			o, err := order.GetByExternalID(ctx, a.DB.Read(), "wp:727")
			if err != nil {
				recs, _ := a.Connectors.Deliveries(ctx, "wp", connector.Filter{Limit: 10})
				t.Fatalf("WooCommerce order 727 was not created: %v; deliveries: %+v", err, recs.Deliveries)
			}
			if o.Status == order.Shipped {
				t.Errorf("order 727 is shipped before its tracking came")
			}
			woo("order_tracking.json", "order.updated")
			woo("order_tracking.json", "order.updated") // a re-send
			if o, err = order.GetByExternalID(ctx, a.DB.Read(), "wp:727"); err != nil {
				t.Fatal(err)
			}
			if o.Status != order.Shipped {
				recs, _ := a.Connectors.Deliveries(ctx, "wp", connector.Filter{Limit: 10})
				t.Errorf("after its tracking update, order 727 is %s, want shipped; %+v", o.Status, recs.Deliveries)
			}
			ps, err := parcel.ByOrder(ctx, a.DB.Read(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 {
				t.Errorf("order 727 has %d parcels after two identical updates, want 1", len(ps))
			}

			body := fixture(t, "shopify/testdata/orders_create.json")
			hd := http.Header{"Content-Type": {"application/json"}}
			hd.Set("X-Shopify-Topic", "orders/create")
			hd.Set("X-Shopify-Shop-Domain", "johns-apparel.myshopify.com")
			hd.Set("X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5")
			hd.Set("X-Shopify-Hmac-Sha256", b64(sign("shopify-app-secret-0123456789", body)))
			send("/hooks/johns", body, hd)
			send("/hooks/johns", body, hd)
			s, err := order.GetByExternalID(ctx, a.DB.Read(), "johns:820982911946154508")
			if err != nil {
				t.Fatalf("Shopify's sample order was not created: %v", err)
			}
			if s.Status != order.Cancelled {
				t.Errorf("Shopify's sample order (cancelled_at set) is %s, want cancelled", s.Status)
			}
			recs, err := a.Connectors.Deliveries(ctx, "johns", connector.Filter{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs.Deliveries) != 1 {
				t.Errorf("Shopify's delivery sent twice is stored %d times, want once", len(recs.Deliveries))
			}
		})
	}
}

func fixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// BenchmarkHookIntakeShopify is BenchmarkHookIntake with the real
// Shopify adapter: Shopify's documented orders/create sample (7 KB),
// each delivery with its own event id, its HMAC checked and its body
// parsed before it is stored, as a flash sale on Shopify sends them.
func BenchmarkHookIntakeShopify(b *testing.B) {
	a, _ := apptest.New(b, store.SQLite, false, platformSettings)
	a.Connectors.Start(ctx, false)
	b.Cleanup(a.Connectors.Stop)
	h := a.Connectors.Handler()
	body, err := os.ReadFile("shopify/testdata/orders_create.json")
	if err != nil {
		b.Fatal(err)
	}
	sig := b64(sign("shopify-app-secret-0123456789", body))
	var seq atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			r := httptest.NewRequest(http.MethodPost, "/hooks/johns", bytes.NewReader(body))
			r.Header.Set("X-Shopify-Topic", "orders/create")
			r.Header.Set("X-Shopify-Shop-Domain", "johns-apparel.myshopify.com")
			r.Header.Set("X-Shopify-Event-Id", "bench-"+strconv.FormatInt(seq.Add(1), 10))
			r.Header.Set("X-Shopify-Hmac-Sha256", sig)
			w := httptest.NewRecorder()
			t0 := time.Now()
			h.ServeHTTP(w, r)
			mine = append(mine, time.Since(t0))
			if w.Code != http.StatusOK {
				b.Errorf("delivery: %d %s", w.Code, w.Body.String())
				return
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
