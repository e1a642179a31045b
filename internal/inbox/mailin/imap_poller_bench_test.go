package mailin

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// BenchmarkPoller takes b.N messages (a real client's message, the
// Gmail fixture, each with its own Message-ID) from the in-process IMAP
// server into a Receiver that keeps them, storing the UID on SQLite after
// each: the IMAP half of "inbound e-mails parsed, threaded and stored per
// second", without the threading and storing of the conversations.
func BenchmarkPoller(b *testing.B) {
	db, _ := storetest.OpenTest(b, store.SQLite)
	srv := startIMAP(b, TLSNone, nil)
	raw := string(fixture(b, "gmail_ru_reply.eml"))
	for i := range b.N {
		srv.deliver(b, "Message-ID: <bench-"+fmt.Sprint(i)+"@example.lv>\r\n"+raw)
	}
	done := make(chan struct{})
	taken := 0
	p, err := NewPoller(PollerConfig{
		Addr: srv.addr, Username: imapUser, Password: imapPassword, TLS: TLSNone, MarkSeen: true, PollInterval: time.Hour,
		DB: db, Receiver: newRecorder(), Wait: instant, Log: slog.New(slog.DiscardHandler),
		Taken: func(inbox.Inbound, uint32) {
			if taken++; taken == b.N {
				close(done)
			}
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ResetTimer()
	go func() { _ = p.Run(ctx) }()
	<-done
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
