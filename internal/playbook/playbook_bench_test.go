package playbook_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/notify/email"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/playbook"
	"github.com/shopcare/shopcare/internal/storetest"
)

// BenchmarkStatusToSMTP measures the time from a status change (its
// transaction committed) to its message being handed to the SMTP server,
// under a steady 500 status changes a second for 10 seconds, through the
// whole path: journal, playbook, River, rendering, SMTP. It runs the
// scenario once (SHOPCARE_BENCH_RATE=250 for another rate):
//
//	go test ./internal/playbook -run '^$' -bench StatusToSMTP -benchtime 1x
func BenchmarkStatusToSMTP(b *testing.B) {
	rate, seconds := 500, 10
	if r, err := strconv.Atoi(os.Getenv("SHOPCARE_BENCH_RATE")); err == nil && r > 0 {
		rate = r // a lower load, to find what is sustained
	}
	total := rate * seconds
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			a, _, srv := shop(b, engine, true, "playbook:", "  rules:", "    order_ack: {enabled: false}")
			// Orders first, without messages (their acknowledgement is off).
			ids := make([]int64, total)
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := w; i < total; i += 8 {
						ids[i] = place(b, a, "L-"+strconv.Itoa(i), customer.Input{ExternalID: "c" + strconv.Itoa(i),
							Email: "c" + strconv.Itoa(i) + "@example.com", Name: "Покупатель"})
					}
				}()
			}
			wg.Wait()
			if _, err := a.Dispatcher.Drain(ctx); err != nil {
				b.Fatal(err)
			}
			if err := a.Start(ctx); err != nil {
				b.Fatal(err)
			}
			var mu sync.Mutex
			changed := make(map[string]time.Time, total)
			latencies := make([]time.Duration, 0, total)
			srv.OnMail = func(m smtptest.Mail) {
				mu.Lock()
				defer mu.Unlock()
				if at, ok := changed[m.To[0]]; ok {
					latencies = append(latencies, m.At.Sub(at))
				}
			}
			b.ResetTimer()
			tick := time.NewTicker(time.Second / time.Duration(rate))
			defer tick.Stop()
			start := time.Now()
			sem := make(chan struct{}, 64)
			for i := range total {
				<-tick.C
				sem <- struct{}{}
				wg.Add(1)
				go func() {
					defer func() { <-sem; wg.Done() }()
					if _, err := a.Orders.ChangeStatus(ctx, ids[i], order.StatusUpdate{Status: order.Processing}); err != nil {
						b.Error(err)
						return
					}
					mu.Lock()
					changed["c"+strconv.Itoa(i)+"@example.com"] = time.Now()
					mu.Unlock()
				}()
			}
			wg.Wait()
			offered := time.Since(start)
			srv.Wait(b, total, 5*time.Minute)
			b.StopTimer()
			mu.Lock()
			defer mu.Unlock()
			slices.Sort(latencies)
			q := func(p float64) time.Duration { return latencies[int(p*float64(len(latencies)-1))] }
			b.ReportMetric(float64(total)/offered.Seconds(), "changes/s")
			b.ReportMetric(float64(q(0.50).Milliseconds()), "p50-ms")
			b.ReportMetric(float64(q(0.99).Milliseconds()), "p99-ms")
			b.ReportMetric(float64(latencies[len(latencies)-1].Milliseconds()), "max-ms")
		})
	}
}

// BenchmarkStatusToSMTPBurst measures the send path alone at full speed:
// 3,000 status changes are made and their messages scheduled while the
// queue is stopped, then the queue starts and the time until the SMTP
// server has taken every message is measured (SHOPCARE_BENCH_BURST for
// another count). It reports messages a second and the process's CPU
// time (user+sys, the SMTP server included) a message:
//
//	go test ./internal/playbook -run '^$' -bench StatusToSMTPBurst -benchtime 1x
func BenchmarkStatusToSMTPBurst(b *testing.B) {
	total := 3000
	if n, err := strconv.Atoi(os.Getenv("SHOPCARE_BENCH_BURST")); err == nil && n > 0 {
		total = n
	}
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			a, _, srv := shop(b, engine, true, "playbook:", "  rules:", "    order_ack: {enabled: false}")
			srv.Keep = false
			ids := make([]int64, total)
			var wg sync.WaitGroup
			for w := range 8 {
				wg.Go(func() {
					for i := w; i < total; i += 8 {
						ids[i] = place(b, a, "B-"+strconv.Itoa(i), customer.Input{ExternalID: "b" + strconv.Itoa(i),
							Email: "b" + strconv.Itoa(i) + "@example.com", Name: "Покупатель"})
					}
				})
			}
			wg.Wait()
			for w := range 8 {
				wg.Go(func() {
					for i := w; i < total; i += 8 {
						if _, err := a.Orders.ChangeStatus(ctx, ids[i], order.StatusUpdate{Status: order.Processing}); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			if _, err := a.Dispatcher.Drain(ctx); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu := cpuTime()
			start := time.Now()
			if err := a.Start(ctx); err != nil {
				b.Fatal(err)
			}
			srv.Wait(b, total, 5*time.Minute)
			took := time.Since(start)
			used := cpuTime() - cpu
			b.StopTimer()
			b.ReportMetric(float64(total)/took.Seconds(), "msgs/s")
			b.ReportMetric(float64(used.Microseconds())/float64(total), "cpu-µs/msg")
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRenderAndSend measures messages rendered from a template and
// handed to a local SMTP server per second over 4 connections.
func BenchmarkRenderAndSend(b *testing.B) {
	srv := smtptest.Start(b)
	srv.Keep = false
	client, err := email.New(email.Config{URL: srv.URL(), From: "Shop <shop@example.com>", Connections: 4})
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	tm, err := playbook.LoadTemplates(nil)
	if err != nil {
		b.Fatal(err)
	}
	data := playbook.SampleData()
	var n sync.Mutex
	seq := 0
	b.SetParallelism(2) // 2 × GOMAXPROCS goroutines share the 4 connections
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			out, err := tm.Render(i18n.RU, "status_shipped", data)
			if err != nil {
				b.Error(err)
				return
			}
			n.Lock()
			seq++
			id := seq
			n.Unlock()
			err = client.Send(context.Background(), notify.Message{ID: fmt.Sprintf("b%d", id), To: "c@example.com",
				Subject: out.Subject, Text: out.Text, HTML: out.HTML, Transactional: true})
			if err != nil && !strings.Contains(err.Error(), "closed") {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}
