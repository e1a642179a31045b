package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// BenchmarkOrderCreate posts orders to the API from 32 clients at once,
// as bench api does, through the real router, group commit and store:
// go test -run '^$' -bench OrderCreate -cpuprofile cpu.out ./internal/api/
func BenchmarkOrderCreate(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			benchOrderCreate(b, engine, false)
		})
		// With the workers of serve running (jobs, the journal's readers).
		b.Run(string(engine)+"/workers", func(b *testing.B) {
			benchOrderCreate(b, engine, true)
		})
	}
}

func benchOrderCreate(b *testing.B, engine store.Engine, work bool) {
	ctx := context.Background()
	a, clk := apptest.New(b, engine, work)
	if err := a.Start(ctx); err != nil {
		b.Fatal(err)
	}
	token, err := auth.TokenAdd(ctx, a.DB, "bench", nil, clk.Now())
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api.New(a))
	b.Cleanup(srv.Close)
	transport := &http.Transport{MaxIdleConnsPerHost: 64}
	b.Cleanup(transport.CloseIdleConnections)
	client := &http.Client{Transport: transport}
	var seq atomic.Int64
	b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			body := fmt.Sprintf(`{"external_id":"b-%d","customer":{"external_id":"c-%d","name":"Покупатель %d","email":"c%d@example.com","phone":"+7 916 555-%02d-%02d","language":"ru","country":"RU","city":"Москва"},`+
				`"items":[{"sku":"POT-20","name":"Кастрюля 20 см","qty":1,"price":"2490.00"},{"sku":"PAN-26","name":"Сковорода 26 см","qty":2,"price":"1899.00"}],`+
				`"total":"6288.00","currency":"RUB","carrier":"courier","payment":{"method":"prepaid","paid":true},"channel":"web"}`,
				n, n%5000, n%5000, n%5000, n%100, n%97)
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/orders", strings.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("POST /api/v1/orders: %s", resp.Status)
				return
			}
		}
	})
}
