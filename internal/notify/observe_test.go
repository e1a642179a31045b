package notify_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shopcare/shopcare/internal/notify"
)

type failing struct{ err error }

func (failing) Channel() string                              { return "sms" }
func (f failing) Send(context.Context, notify.Message) error { return f.err }

type pooled struct{ failing }

func (pooled) Connections() int { return 7 }

// TestObserve: each failed send is reported with its channel and kind; a
// success or a cancelled send is not; a channel's Connections survives.
func TestObserve(t *testing.T) {
	t.Parallel()
	var got []string
	report := func(ch, kind string) { got = append(got, ch+"/"+kind) }
	for _, err := range []error{
		&notify.ThrottledError{Err: errors.New("429")},
		&notify.PermanentError{Err: errors.New("bad number")},
		errors.New("connection reset"),
		nil,
	} {
		_ = notify.Observe(failing{err}, report).Send(context.Background(), notify.Message{})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = notify.Observe(failing{context.Canceled}, report).Send(ctx, notify.Message{})
	want := []string{"sms/throttled", "sms/permanent", "sms/temporary"}
	if len(got) != len(want) {
		t.Fatalf("reported %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("reported %v, want %v", got, want)
		}
	}
	c, ok := notify.Observe(pooled{}, report).(interface{ Connections() int })
	if !ok || c.Connections() != 7 {
		t.Fatal("the observed channel lost its Connections")
	}
}
