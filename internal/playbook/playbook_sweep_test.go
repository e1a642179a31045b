package playbook_test

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// sweep runs a message sweep now, as River would (a send job without a
// message id).
func sweep(t *testing.T, a *app.App) error {
	t.Helper()
	return a.Messages.Work(context.Background(), &river.Job[message.SendArgs]{
		JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: message.MaxAttempts}, Args: message.SendArgs{}})
}

// exec changes messages as a crash or another process would have left
// them.
func exec(t *testing.T, a *app.App, query string, args ...any) {
	t.Helper()
	err := a.DB.InTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(context.Background(), query, args...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSweepSendsDueMessagesTogether: a message due when it is scheduled
// has no send job of its own but is batched; one sweep sends every such
// message, each once, and a second sweep sends nothing again.
func TestSweepSendsDueMessagesTogether(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _, srv := shop(t, engine, false)
			var ids []int64
			for i := range 5 {
				n := strconv.Itoa(i)
				ids = append(ids, place(t, a, "S-"+n, customer.Input{ExternalID: "c-s" + n, Email: "s" + n + "@example.com", Name: "Анна"}))
			}
			drain(t, a)
			for _, id := range ids {
				if m := byRule(t, a, id, "order_ack"); m.Status != message.Scheduled || !m.Batched {
					t.Fatalf("acknowledgement of order %d: %s, batched %v; want scheduled and batched", id, m.Status, m.Batched)
				}
			}
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			if srv.Count() != len(ids) {
				t.Fatalf("SMTP server took %d messages, want %d", srv.Count(), len(ids))
			}
			for _, id := range ids {
				m := byRule(t, a, id, "order_ack")
				if m.Status != message.Sent || m.Batched || m.HandoffAt != nil || m.Attempts != 1 || m.Subject == "" {
					t.Fatalf("after the sweep: %+v; want sent once, not batched, hand-off cleared", m)
				}
				attempts, err := message.Attempts(ctx, a.DB.Read(), m.ID)
				if err != nil || len(attempts) != 1 || attempts[0].Outcome != message.OutcomeSent {
					t.Fatalf("attempts = %+v, %v; want one, sent", attempts, err)
				}
			}
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			if srv.Count() != len(ids) {
				t.Fatalf("a second sweep sent again: %d messages, want %d", srv.Count(), len(ids))
			}
		})
	}
}

// TestSweepLeaseKeepsOthersOff: a batched message held by a live sweep's
// lease is not sent by another sweep nor by a job of its own (which waits
// for the lease); once the lease has run out, a sweep sends it.
func TestSweepLeaseKeepsOthersOff(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _, srv := shop(t, engine, false)
			id := place(t, a, "L-1", customer.Input{ExternalID: "c-l", Email: "l@example.com", Name: "Лев"})
			drain(t, a)
			m := byRule(t, a, id, "order_ack")
			exec(t, a, `UPDATE messages SET claimed_until = $2 WHERE id = $1`, m.ID, time.Now().Add(time.Hour).UnixMilli())
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			var snooze *rivertype.JobSnoozeError
			if err := send(t, a, m.ID); !errors.As(err, &snooze) {
				t.Fatalf("its own job under a live lease = %v, want a snooze", err)
			}
			if srv.Count() != 0 || byRule(t, a, id, "order_ack").Status != message.Scheduled {
				t.Fatalf("a message under another sweep's lease went: %d mails", srv.Count())
			}
			exec(t, a, `UPDATE messages SET claimed_until = $2 WHERE id = $1`, m.ID, time.Now().Add(-time.Second).UnixMilli())
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			if srv.Count() != 1 || byRule(t, a, id, "order_ack").Status != message.Sent {
				t.Fatalf("after the lease ran out: %d mails, %s; want 1, sent", srv.Count(), byRule(t, a, id, "order_ack").Status)
			}
		})
	}
}

// TestSweepInterruptedGoesToItsJob: a batched message whose hand-off was
// under way when its process died (and whose lease has run out) is not
// sent by the sweep but handed to a job of its own, which records the
// interruption and sends it again, once.
func TestSweepInterruptedGoesToItsJob(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false)
			id := place(t, a, "I-1", customer.Input{ExternalID: "c-i", Email: "i@example.com", Name: "Ира"})
			drain(t, a)
			m := byRule(t, a, id, "order_ack")
			exec(t, a, `UPDATE messages SET handoff_at = $2, handoff_channel = 'email', claimed_until = $3 WHERE id = $1`,
				m.ID, clk.Now(), time.Now().Add(-time.Second).UnixMilli())
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			if m = byRule(t, a, id, "order_ack"); srv.Count() != 0 || m.Batched || m.Status != message.Scheduled {
				t.Fatalf("after the sweep: %d mails, batched %v, %s; want none, its own job's, scheduled", srv.Count(), m.Batched, m.Status)
			}
			if err := send(t, a, m.ID); err != nil {
				t.Fatal(err)
			}
			attempts, err := message.Attempts(ctx, a.DB.Read(), m.ID)
			if err != nil || len(attempts) != 2 || attempts[0].Outcome != message.OutcomeInterrupted || attempts[1].Outcome != message.OutcomeSent {
				t.Fatalf("attempts = %+v, %v; want interrupted, sent", attempts, err)
			}
			if srv.Count() != 1 {
				t.Fatalf("SMTP server took %d messages, want 1", srv.Count())
			}
		})
	}
}

// TestSweepFailuresGoTheSingleWay: a hand-off of a batch that fails goes
// the way of a single send: a refused address fails the message when no
// other channel can carry it (and is recorded on the customer); the rest
// of the batch goes.
func TestSweepFailuresGoTheSingleWay(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _, srv := shop(t, engine, false)
			srv.Refuse("gone@example.com", 550, "No such mailbox")
			gone := place(t, a, "F-1", customer.Input{ExternalID: "c-f", Email: "gone@example.com", Name: "Олег"})
			fine := place(t, a, "F-2", customer.Input{ExternalID: "c-g", Email: "fine@example.com", Name: "Вера"})
			drain(t, a)
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			m := byRule(t, a, gone, "order_ack")
			if m.Status != message.Failed || m.Batched || m.Channel != "email" {
				t.Fatalf("refused: %s on %q, batched %v (%s); want failed on email", m.Status, m.Channel, m.Batched, m.Reason)
			}
			attempts, err := message.Attempts(ctx, a.DB.Read(), m.ID)
			if err != nil || len(attempts) != 1 || attempts[0].Outcome != message.OutcomePermanent {
				t.Fatalf("attempts = %+v, %v; want one, permanent", attempts, err)
			}
			c, err := message.LoadContact(ctx, a.DB.Read(), m.CustomerID)
			if err != nil {
				t.Fatal(err)
			}
			if _, why := c.Address("email"); !strings.Contains(why, "failed for good") {
				t.Errorf("e-mail standing after the refusal: %q", why)
			}
			// Order news that reached the customer on no channel is a
			// negative experience, for the register.
			var negatives int
			err = a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE kind = 'experience.negative' AND order_id = $1
				AND payload LIKE '%"cause":"unreachable"%'`, gone).Scan(&negatives)
			if err != nil || negatives != 1 {
				t.Errorf("%d experience.negative events of the unreachable customer, want 1 (%v)", negatives, err)
			}
			if m := byRule(t, a, fine, "order_ack"); m.Status != message.Sent || srv.Count() != 1 {
				t.Fatalf("the rest of the batch: %s, %d mails; want sent, 1", m.Status, srv.Count())
			}

		})
	}
}

// TestSweepThrottledGoesToItsJob: a throttled hand-off of a batch goes
// back to a job of its own, scheduled after the wait, without counting an
// attempt.
func TestSweepThrottledGoesToItsJob(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk, srv := shop(t, engine, false)
			srv.Throttle(1)
			id := place(t, a, "T-1", customer.Input{ExternalID: "c-t", Email: "slow@example.com", Name: "Глеб"})
			drain(t, a)
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			m := byRule(t, a, id, "order_ack")
			if m.Status != message.Scheduled || m.Batched || m.Attempts != 0 || !m.ScheduledAt.After(clk.Now()) || srv.Count() != 0 {
				t.Fatalf("throttled: %s, batched %v, %d attempts, due %s (now %s), %d mails; want scheduled later by its own job, 0 attempts",
					m.Status, m.Batched, m.Attempts, m.ScheduledAt, clk.Now(), srv.Count())
			}
			clk.Set(m.ScheduledAt)
			if err := send(t, a, m.ID); err != nil {
				t.Fatal(err)
			}
			if m := byRule(t, a, id, "order_ack"); m.Status != message.Sent || srv.Count() != 1 {
				t.Fatalf("after the wait: %s, %d mails; want sent, 1", m.Status, srv.Count())
			}
		})
	}
}

// TestSweepFinishesMessagesNoChannelCarries: a batched message whose
// customer no set-up channel reaches is finished by the sweep itself,
// suppressed with the channels' reasons, as its own job would finish it,
// and not handed back to a job of its own.
func TestSweepFinishesMessagesNoChannelCarries(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _, srv := shop(t, engine, false)
			id := place(t, a, "NC-1", customer.Input{ExternalID: "c-nc", Name: "Нина"})
			drain(t, a)
			if m := byRule(t, a, id, "order_ack"); m.Status != message.Scheduled || !m.Batched {
				t.Fatalf("acknowledgement: %s, batched %v; want scheduled and batched", m.Status, m.Batched)
			}
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			m := byRule(t, a, id, "order_ack")
			if m.Status != message.Suppressed || m.Batched || !strings.HasPrefix(m.Reason, "no channel can reach the customer: ") {
				t.Fatalf("after the sweep: %s, batched %v, reason %q; want suppressed by the sweep, no channel", m.Status, m.Batched, m.Reason)
			}
			if srv.Count() != 0 {
				t.Fatalf("SMTP server took %d messages, want none", srv.Count())
			}
		})
	}
}

// TestSweepRecordsAsItsOwnJob: a batch's hand-offs and outcomes are
// recorded together (on PostgreSQL a statement for the whole batch), and
// each message comes out as its own send job leaves it: the same status,
// channel, attempts, text, times and attempt rows.
func TestSweepRecordsAsItsOwnJob(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _, srv := shop(t, engine, false)
			const n = 6
			var orders []int64
			for i := range n {
				s := strconv.Itoa(i)
				orders = append(orders, place(t, a, "W-"+s, customer.Input{ExternalID: "c-w" + s, Email: "w" + s + "@example.com", Name: "Анна"}))
			}
			drain(t, a)
			// The first half goes by their own jobs, the rest by one sweep.
			for _, id := range orders[:n/2] {
				if err := send(t, a, byRule(t, a, id, "order_ack").ID); err != nil {
					t.Fatal(err)
				}
			}
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			if srv.Count() != n {
				t.Fatalf("SMTP server took %d messages, want %d", srv.Count(), n)
			}
			// The texts differ by the order's number and the links of
			// the customer's own.
			links := regexp.MustCompile(`https://\S+`)
			number := func(m message.Message, i int) message.Message {
				m.Subject = strings.ReplaceAll(m.Subject, "W-"+strconv.Itoa(i), "W-?")
				m.Body = links.ReplaceAllString(strings.ReplaceAll(m.Body, "W-"+strconv.Itoa(i), "W-?"), "https://…")
				return m
			}
			for i := n / 2; i < n; i++ {
				own := number(byRule(t, a, orders[i-n/2], "order_ack"), i-n/2)
				swept := number(byRule(t, a, orders[i], "order_ack"), i)
				if swept.Status != message.Sent || swept.Channel != own.Channel || swept.Reason != own.Reason ||
					swept.Attempts != own.Attempts || swept.Batched || swept.HandoffAt != nil || swept.Subject != own.Subject ||
					swept.Body != own.Body || swept.SentAt == nil || own.SentAt == nil || !swept.SentAt.Equal(*own.SentAt) {
					t.Errorf("swept message %d:\n%+v\nits own job's:\n%+v", swept.ID, swept, own)
				}
				ownAttempts, err := message.Attempts(ctx, a.DB.Read(), own.ID)
				if err != nil {
					t.Fatal(err)
				}
				sweptAttempts, err := message.Attempts(ctx, a.DB.Read(), swept.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(sweptAttempts) != 1 || len(ownAttempts) != 1 || sweptAttempts[0].Channel != ownAttempts[0].Channel ||
					sweptAttempts[0].Outcome != ownAttempts[0].Outcome || sweptAttempts[0].Detail != ownAttempts[0].Detail ||
					!sweptAttempts[0].At.Equal(ownAttempts[0].At) {
					t.Errorf("attempts of swept message %d: %+v; its own job's: %+v", swept.ID, sweptAttempts, ownAttempts)
				}
			}
		})
	}
}

// TestSweepWaitsForTheConfirmation: a batch reads the confirmations its
// status news waits for together; news whose order's confirmation is
// still to go is handed back to a job of its own, the rest of the batch
// goes.
func TestSweepWaitsForTheConfirmation(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, srv := shop(t, engine, false)
			waits := place(t, a, "WF-1", customer.Input{ExternalID: "c-wf1", Email: "wf1@example.com", Name: "Фая"})
			goes := place(t, a, "WF-2", customer.Input{ExternalID: "c-wf2", Email: "wf2@example.com", Name: "Юля"})
			drain(t, a)
			// The first order's confirmation is put off (its own job's, for
			// later): the sweep sends the second's alone.
			exec(t, a, `UPDATE messages SET batched = FALSE, scheduled_at = $2 WHERE id = $1`,
				byRule(t, a, waits, "order_ack").ID, clk.Now().Add(time.Hour))
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			for _, id := range []int64{waits, goes} {
				if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: order.Processing}); err != nil {
					t.Fatal(err)
				}
			}
			drain(t, a)
			for _, id := range []int64{waits, goes} {
				if m := byRule(t, a, id, "status_processing"); m.Status != message.Scheduled || !m.Batched {
					t.Fatalf("status news of order %d: %s, batched %v; want scheduled and batched", id, m.Status, m.Batched)
				}
			}
			if err := sweep(t, a); err != nil {
				t.Fatal(err)
			}
			if m := byRule(t, a, waits, "status_processing"); m.Status != message.Scheduled || m.Batched {
				t.Errorf("news before its confirmation: %s, batched %v; want scheduled by its own job", m.Status, m.Batched)
			}
			if m := byRule(t, a, goes, "status_processing"); m.Status != message.Sent {
				t.Errorf("news after its confirmation: %s; want sent", m.Status)
			}
			if srv.Count() != 2 {
				t.Errorf("SMTP server took %d messages, want 2 (a confirmation, then its news)", srv.Count())
			}
		})
	}
}
