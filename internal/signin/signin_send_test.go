package signin_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// channel is a notify.Sender that keeps what it is given.
type channel struct {
	name string
	mu   sync.Mutex
	sent []notify.Message
}

func (c *channel) Channel() string { return c.name }

func (c *channel) Send(_ context.Context, m notify.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, m)
	return nil
}

func (c *channel) messages() []notify.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]notify.Message(nil), c.sent...)
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// TestCodeByPhone: a phone gets its code by SMS, or by Telegram once the
// customer has a chat with the shop's bot, in the customer's language,
// and the code then opens a session once.
func TestCodeByPhone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := storetest.OpenTest(t, store.SQLite)
	now := time.Now()
	var ids []int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		ids, err = customer.Resolve(ctx, tx, []customer.Input{{ExternalID: "c-1", Name: "Līga Ozola", Phone: "+37120000001", Language: "lv"}}, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sms, tg := &channel{name: "sms"}, &channel{name: "telegram"}
	settings := config.Settings{Shop: config.Shop{Name: "Podi", Country: "LV", Languages: []string{"lv"}, PublicURL: "https://care.example.com"}}
	s, err := signin.New(ctx, service.Deps{DB: db, Settings: settings}, signin.Params{Channels: []notify.Sender{sms, tg}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := signin.ParseContact("2000 0001", "LV")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Request(ctx, c, now); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	got := sms.messages()
	if len(got) != 1 || got[0].To != "+37120000001" || !strings.Contains(got[0].Text, "pieteikšanās kods") || len(tg.messages()) != 0 {
		t.Fatalf("by SMS: %+v; by Telegram: %+v", got, tg.messages())
	}
	code := sixDigits.FindString(got[0].Text)
	if _, err := s.CodeSpend(ctx, c, code, now); err != nil {
		t.Fatalf("the SMS's code: %v", err)
	}
	if _, err := s.CodeSpend(ctx, c, code, now); err == nil {
		t.Fatal("the code opened a second session")
	}

	if err := customer.LinkTelegram(ctx, db, ids[0], 777, now); err != nil {
		t.Fatal(err)
	}
	if err := s.Request(ctx, c, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	if m := tg.messages(); len(m) != 1 || m[0].To != "777" || !sixDigits.MatchString(m[0].Text) || len(sms.messages()) != 1 {
		t.Fatalf("by Telegram: %+v; by SMS: %d", m, len(sms.messages()))
	}
}

// TestSessionsEndTakesTheCodes: a customer whose sessions end (account
// deleted) cannot come back by a code still in the post.
func TestSessionsEndTakesTheCodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := storetest.OpenTest(t, store.SQLite)
	now := time.Now()
	var ids []int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		ids, err = customer.Resolve(ctx, tx, []customer.Input{{ExternalID: "c-1", Phone: "+37120000001"}}, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sms := &channel{name: "sms"}
	s, err := signin.New(ctx, service.Deps{DB: db, Settings: config.Settings{Shop: config.Shop{Country: "LV"}}},
		signin.Params{Channels: []notify.Sender{sms}})
	if err != nil {
		t.Fatal(err)
	}
	c := signin.Contact{Kind: signin.ContactPhone, Value: "+37120000001"}
	if err := s.Request(ctx, c, now); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	code := sixDigits.FindString(sms.messages()[0].Text)
	if err := db.InTx(ctx, func(tx *store.Tx) error { return signin.SessionsEnd(ctx, tx, ids[0]) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CodeSpend(ctx, c, code, now); err == nil {
		t.Fatal("a code sent before the sessions ended opened one")
	}
}

// TestSignInListPages: the list pages through every sign-in of the last
// 30 days, newest first, each once, and leaves older ones out.
func TestSignInListPages(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			var ids []int64
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				ids, err = customer.Resolve(ctx, tx, []customer.Input{{ExternalID: "c-1"}, {ExternalID: "c-2"}}, time.Now())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			s, err := signin.New(ctx, service.Deps{DB: db}, signin.Params{})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
			for i := range 7 {
				// Two at the same moment: the cursor must tell them apart.
				at := start.Add(time.Duration(i/2) * time.Hour)
				if _, err := s.SessionCreate(ctx, ids[i%2], signin.ViaCode, at); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.SessionCreate(ctx, ids[0], signin.ViaLink, start.Add(-signin.SessionTTL-time.Hour)); err != nil {
				t.Fatal(err)
			}
			now := start.Add(5 * time.Hour)
			var seen []time.Time
			after := ""
			for pages := 0; ; pages++ {
				list, more, err := s.SignInList(ctx, signin.ListPage{After: after, Limit: 3}, now)
				if err != nil || pages > 5 {
					t.Fatalf("page %d: %v", pages, err)
				}
				for _, in := range list {
					seen = append(seen, in.At)
					after = in.Cursor
				}
				if !more {
					break
				}
			}
			if len(seen) != 7 {
				t.Fatalf("%d sign-ins listed, want the 7 of the last 30 days: %v", len(seen), seen)
			}
			for i := 1; i < len(seen); i++ {
				if seen[i].After(seen[i-1]) {
					t.Fatalf("not newest first: %v", seen)
				}
			}
		})
	}
}
