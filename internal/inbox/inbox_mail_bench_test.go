package inbox_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/inbox/mailin"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/store"
)

// BenchmarkInboundMail measures issue 20's "inbound e-mails parsed,
// threaded and stored per second" end to end on a SQLite file: each
// iteration parses one real raw e-mail (the mailin fixtures: Gmail,
// Outlook, Apple Mail, Yandex, Mail.ru in their own charsets, bounces and
// auto-replies) with mailin.Parse and hands it to Service.Receive. The
// Message-ID is made unique per iteration after parsing, so every message
// is stored rather than dropped as a duplicate; the same senders write
// again, so threading by sender is exercised. Reported as msgs/s.
func BenchmarkInboundMail(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("mailin", "testdata", "*.eml"))
	if err != nil || len(files) == 0 {
		b.Fatal("no mailin fixtures", err)
	}
	raws := make([][]byte, 0, len(files))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, raw)
	}
	ctx := context.Background()
	a, _, _ := shop(b, store.SQLite)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in, err := mailin.Parse(raws[i%len(raws)])
		if err != nil {
			b.Fatalf("%s: %v", files[i%len(raws)], err)
		}
		in.MessageID = fmt.Sprintf("%d.%s", i, in.MessageID)
		if err := a.Inbox.Receive(ctx, in); err != nil {
			b.Fatalf("%s: %v", files[i%len(raws)], err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkReply measures issue 20's "a reply from an operator to the
// SMTP hand-off": with the App's job queue working on a SQLite file, each
// iteration calls Service.Reply and waits until the real SMTP server in
// this process (smtptest) has taken that reply, delivered by the
// inbox_send job. The latency of each is from the call to the server's
// end of DATA; p50 and p99 are reported in ms.
func BenchmarkReply(b *testing.B) {
	ctx := context.Background()
	a, _, srv := shopWorking(b, store.SQLite, true)
	arrived := make(chan smtptest.Mail, 1024)
	got := make(chan string, 1024)
	srv.Keep = true // the Message-ID header is needed to match the reply
	srv.OnMail = func(m smtptest.Mail) {
		arrived <- m
	}
	go func() {
		for m := range arrived {
			got <- strings.Trim(m.Header("Message-ID"), "<>") + " " + m.At.Format(time.RFC3339Nano)
		}
	}()
	b.Cleanup(func() { close(arrived) })
	if err := a.Start(ctx); err != nil {
		b.Fatal(err)
	}
	const conversations = 20
	ids := make([]int64, conversations)
	for i := range conversations {
		receive(b, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: fmt.Sprintf("r%d@example.com", i), Subject: "Вопрос",
			Text: "Здравствуйте, где мой заказ?", MessageID: fmt.Sprintf("r%d@mail.example", i)})
		ids[i] = convOf(b, a, fmt.Sprintf("r%d@mail.example", i)).ID
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		m, err := a.Inbox.Reply(ctx, ids[i%conversations], inbox.Author{Name: "Оператор"}, "Уже в пути, будет завтра.")
		if err != nil {
			b.Fatal(err)
		}
		want := m.EmailID()
		for {
			var line string
			select {
			case line = <-got:
			case <-time.After(30 * time.Second): // a safety net only
				b.Fatalf("reply %s never reached the SMTP server", want)
			}
			id, at, _ := strings.Cut(line, " ")
			if id != want {
				continue // an acknowledgement of the seeding messages
			}
			t, err := time.Parse(time.RFC3339Nano, at)
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, t.Sub(start))
			break
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(ms(pct(lat, 0.50)), "p50-ms")
	b.ReportMetric(ms(pct(lat, 0.99)), "p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
}

// pct is the p-th quantile (nearest rank) of sorted durations.
func pct(sorted []time.Duration, p float64) time.Duration {
	k := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(k, 0)]
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
