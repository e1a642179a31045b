package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// testMail is a small message with the given Message-ID.
func testMail(id string) string {
	return fmt.Sprintf("From: Anna <anna@example.lv>\r\nTo: hello@shop.lv\r\nSubject: Order %s\r\nMessage-ID: <%s>\r\n"+
		"Date: Tue, 1 Dec 2026 10:00:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSveiki! Kur ir mans pasūtījums?\r\n", id, id)
}

// poller runs a Poller on srv until the test ends; it returns a
// function that stops it and waits for Run to return.
func runPoller(t *testing.T, db *store.DB, srv *imapServer, mode string, clientTLS *tls.Config, r *recorder, markSeen bool) (stop func()) {
	t.Helper()
	p, err := NewPoller(PollerConfig{
		Addr: srv.addr, Username: imapUser, Password: imapPassword, TLS: mode, TLSConfig: clientTLS,
		MarkSeen: markSeen, PollInterval: time.Hour, // only IDLE brings new mail in these tests
		DB: db, Receiver: r, Wait: instant, Log: slog.New(slog.DiscardHandler),
		Taken: func(in inbox.Inbound, _ uint32) { r.done(in.MessageID) },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	var stopped bool
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(stop)
	return stop
}

// TestPollerTLSModes reads a mailbox over implicit TLS, STARTTLS and
// plain IMAP, each message once, marking it \Seen or leaving it unread
// as configured.
func TestPollerTLSModes(t *testing.T) {
	t.Parallel()
	serverTLS, clientTLS := testCert(t)
	for _, mode := range []string{TLSImplicit, TLSStartTLS, TLSNone} {
		for _, engine := range storetest.Engines(t) {
			t.Run(mode+"/"+string(engine), func(t *testing.T) {
				t.Parallel()
				db, _ := storetest.OpenTest(t, engine)
				srv := startIMAP(t, mode, serverTLS)
				srv.deliver(t, testMail("a@example.lv"))
				srv.deliver(t, testMail("b@example.lv"))
				r := newRecorder()
				markSeen := mode != TLSNone
				runPoller(t, db, srv, mode, clientTLS, r, markSeen)
				r.await(t, "a@example.lv")
				r.await(t, "b@example.lv")
				srv.deliver(t, testMail("c@example.lv")) // comes while the poller idles
				r.await(t, "c@example.lv")
				if got := r.ids(); !slices.Equal(got, []string{"a@example.lv", "b@example.lv", "c@example.lv"}) {
					t.Errorf("stored %v", got)
				}
				for _, id := range r.ids() {
					if n := r.callsOf(id); n != 1 {
						t.Errorf("%s received %d times", id, n)
					}
				}
				in := r.all()[0]
				if in.From != "anna@example.lv" || in.Subject != "Order a@example.lv" || in.Visible != "Sveiki! Kur ir mans pasūtījums?" {
					t.Errorf("first message %+v", in)
				}
				want := []bool{markSeen, markSeen, markSeen}
				if got := srv.seen(); !slices.Equal(got, want) {
					t.Errorf("\\Seen flags %v, want %v", got, want)
				}
			})
		}
	}
}

// TestPollerReconnect: the server drops the connection; the poller
// connects again and takes the next message, and nothing twice.
func TestPollerReconnect(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, _ := storetest.OpenTest(t, engine)
			srv := startIMAP(t, TLSNone, nil)
			srv.deliver(t, testMail("1@example.lv"))
			r := newRecorder()
			runPoller(t, db, srv, TLSNone, nil, r, true)
			r.await(t, "1@example.lv")
			srv.dropConnections(t)
			srv.deliver(t, testMail("2@example.lv"))
			r.await(t, "2@example.lv")
			srv.dropConnections(t)
			srv.deliver(t, testMail("3@example.lv"))
			r.await(t, "3@example.lv")
			for _, id := range []string{"1@example.lv", "2@example.lv", "3@example.lv"} {
				if n := r.callsOf(id); n != 1 {
					t.Errorf("%s received %d times across reconnects", id, n)
				}
			}
		})
	}
}

// TestPollerReceiverFails: a Receiver that fails does not lose the
// message: the poller reconnects, fetches it again, and the messages
// after it wait their turn.
func TestPollerReceiverFails(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, _ := storetest.OpenTest(t, engine)
			srv := startIMAP(t, TLSNone, nil)
			for _, id := range []string{"1@example.lv", "2@example.lv", "3@example.lv"} {
				srv.deliver(t, testMail(id))
			}
			r := newRecorder()
			r.fail = func(_ context.Context, in inbox.Inbound, call int) error {
				if in.MessageID == "2@example.lv" && call <= 2 {
					return errors.New("database is locked")
				}
				return nil
			}
			runPoller(t, db, srv, TLSNone, nil, r, true)
			r.await(t, "1@example.lv")
			r.await(t, "2@example.lv")
			r.await(t, "3@example.lv")
			if n := r.callsOf("2@example.lv"); n != 3 {
				t.Errorf("the failing message was tried %d times, want 3", n)
			}
			if n := r.callsOf("1@example.lv") + r.callsOf("3@example.lv"); n != 2 {
				t.Errorf("the other messages were received %d times, want once each", n)
			}
			if got := srv.seen(); !slices.Equal(got, []bool{true, true, true}) {
				t.Errorf("\\Seen flags %v", got)
			}
		})
	}
}

// TestPollerCrash: the process dies while the Receiver has a message in
// hand (fetched, not yet stored). The next poller on the same database
// fetches it again and it is stored once.
func TestPollerCrash(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, _ := storetest.OpenTest(t, engine)
			srv := startIMAP(t, TLSNone, nil)
			srv.deliver(t, testMail("1@example.lv"))
			srv.deliver(t, testMail("2@example.lv"))
			first := newRecorder()
			inHand := make(chan struct{})
			first.fail = func(ctx context.Context, in inbox.Inbound, _ int) error {
				if in.MessageID != "2@example.lv" {
					return nil
				}
				close(inHand)
				<-ctx.Done() // the crash: Receive never finishes
				return ctx.Err()
			}
			stop := runPoller(t, db, srv, TLSNone, nil, first, false)
			first.await(t, "1@example.lv")
			<-inHand
			stop()

			second := newRecorder()
			for _, in := range first.all() { // the same conversations' store
				second.stored, second.storedID[in.MessageID] = append(second.stored, in), true
			}
			runPoller(t, db, srv, TLSNone, nil, second, false)
			second.await(t, "2@example.lv")
			srv.deliver(t, testMail("3@example.lv"))
			second.await(t, "3@example.lv")
			if n := second.callsOf("1@example.lv"); n != 0 {
				t.Errorf("message 1, stored before the crash, was fetched again %d times", n)
			}
			if got := second.ids(); !slices.Equal(got, []string{"1@example.lv", "2@example.lv", "3@example.lv"}) {
				t.Errorf("stored %v", got)
			}
		})
	}
}

// TestPollerUIDValidity: the server renumbers the folder; the poller
// reads the recent mail again (stored once, by Message-ID) and goes on
// with the new UIDs.
func TestPollerUIDValidity(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, _ := storetest.OpenTest(t, engine)
			srv := startIMAP(t, TLSNone, nil)
			srv.deliver(t, testMail("1@example.lv"))
			srv.deliver(t, testMail("2@example.lv"))
			r := newRecorder()
			runPoller(t, db, srv, TLSNone, nil, r, true)
			r.await(t, "1@example.lv")
			r.await(t, "2@example.lv")
			srv.renumber(t, 7)
			srv.deliver(t, testMail("3@example.lv"))
			r.await(t, "3@example.lv")
			if got := r.ids(); !slices.Equal(got, []string{"1@example.lv", "2@example.lv", "3@example.lv"}) {
				t.Errorf("stored %v", got)
			}
			if n := r.callsOf("1@example.lv"); n != 2 {
				t.Errorf("after the renumbering message 1 was received %d times in all, want 2 (read again, stored once)", n)
			}
			c, found, err := mailboxGet(context.Background(), db.Read(), imapUser+"@"+srv.addr+"/INBOX")
			if err != nil || !found || c.UIDValidity != 7 || c.LastUID != 1002 {
				t.Errorf("cursor %+v found %v err %v, want validity 7 at uid 1002", c, found, err)
			}
		})
	}
}

// TestPollerFirstReading: a mailbox read for the first time is read from
// FirstDays back, not from the beginning of time; an empty result starts
// after what is there.
func TestPollerFirstReading(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTest(t, store.SQLite)
	srv := startIMAP(t, TLSNone, nil)
	srv.mu.Lock()
	if err := srv.inbox().CreateMessage(nil, time.Now().AddDate(-1, 0, 0), newLiteral(testMail("old@example.lv"))); err != nil {
		t.Fatal(err)
	}
	srv.mu.Unlock()
	r := newRecorder()
	runPoller(t, db, srv, TLSNone, nil, r, true)
	srv.deliver(t, testMail("new@example.lv"))
	r.await(t, "new@example.lv")
	if n := r.callsOf("old@example.lv"); n != 0 {
		t.Errorf("a year-old message was taken as new")
	}
}

func TestNewPollerChecks(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTest(t, store.SQLite)
	ok := PollerConfig{Addr: "imap.example.lv:993", Username: "u", DB: db, Receiver: newRecorder()}
	for name, change := range map[string]func(*PollerConfig){
		"no address":   func(c *PollerConfig) { c.Addr = "" },
		"no port":      func(c *PollerConfig) { c.Addr = "imap.example.lv" },
		"no username":  func(c *PollerConfig) { c.Username = "" },
		"no receiver":  func(c *PollerConfig) { c.Receiver = nil },
		"bad tls mode": func(c *PollerConfig) { c.TLS = "ssl" },
	} {
		cfg := ok
		change(&cfg)
		if _, err := NewPoller(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := NewPoller(ok); err != nil {
		t.Error(err)
	}
}

// TestPollerBackoff: a server that refuses the login (or is not there)
// is tried again after 1 s, 2 s, 4 s … up to 5 minutes, through Wait.
func TestPollerBackoff(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTest(t, store.SQLite)
	srv := startIMAP(t, TLSNone, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waits []time.Duration
	p, err := NewPoller(PollerConfig{
		Addr: srv.addr, Username: imapUser, Password: "wrong", TLS: TLSNone, DB: db, Receiver: newRecorder(),
		Log: slog.New(slog.DiscardHandler),
		Wait: func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			if len(waits) == 11 {
				cancel()
			}
			return ctx.Err()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second,
		64 * time.Second, 128 * time.Second, 256 * time.Second, 5 * time.Minute, 5 * time.Minute}
	if !slices.Equal(waits, want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
}

// TestPollerSkipsWhatIsNotMail: a message that does not read as e-mail
// is skipped, not retried for ever; the next one comes through.
func TestPollerSkipsWhatIsNotMail(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTest(t, store.SQLite)
	srv := startIMAP(t, TLSNone, nil)
	srv.deliver(t, "\r\n\r\nno headers at all\r\n")
	srv.deliver(t, testMail("after@example.lv"))
	r := newRecorder()
	runPoller(t, db, srv, TLSNone, nil, r, true)
	r.await(t, "after@example.lv")
	if got := srv.seen(); !slices.Equal(got, []bool{false, true}) {
		t.Errorf("\\Seen %v: the skipped message is left for a person to see", got)
	}
}

// TestPollerOtherFolder reads the folder the settings name (a filter's
// "Support"), not INBOX.
func TestPollerOtherFolder(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTest(t, store.SQLite)
	srv := startIMAP(t, TLSNone, nil)
	srv.deliver(t, testMail("inbox@example.lv"))
	srv.deliverTo(t, "Support", testMail("support-1@example.lv"))
	r := newRecorder()
	p, err := NewPoller(PollerConfig{
		Addr: srv.addr, Username: imapUser, Password: imapPassword, TLS: TLSNone, Mailbox: "Support", PollInterval: time.Hour,
		DB: db, Receiver: r, Wait: instant, Log: slog.New(slog.DiscardHandler),
		Taken: func(in inbox.Inbound, _ uint32) { r.done(in.MessageID) },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	defer func() { cancel(); <-done }()
	r.await(t, "support-1@example.lv")
	srv.deliverTo(t, "Support", testMail("support-2@example.lv"))
	r.await(t, "support-2@example.lv")
	if n := r.callsOf("inbox@example.lv"); n != 0 {
		t.Error("a message of INBOX was read")
	}
}
