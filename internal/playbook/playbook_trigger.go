package playbook

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Trigger plans the message of a rule that no journal event sets off —
// the call-back's outcomes, callback_missed and callback_wrong_number —
// about an order, inside tx, the transaction that recorded the outcome.
// Like every message it exists once per order and rule (its dedupe key),
// goes in the customer's contact hours unless the rule is urgent, and is
// written when due in the customer's language. A rule the shop switched
// off, whose conditions do not hold, or that no longer makes sense for the
// order's status plans nothing. It reports whether a message was newly
// scheduled.
func (p *Playbook) Trigger(ctx context.Context, tx *store.Tx, rule string, orderID int64) (bool, error) {
	r := p.rule(rule)
	if r == nil {
		return false, fmt.Errorf("trigger %s for order %d: there is no such rule", rule, orderID)
	}
	if !r.Enabled || r.Template == "" {
		return false, nil
	}
	o, err := order.GetPlaybookFacts(ctx, tx, orderID)
	if err != nil {
		return false, fmt.Errorf("trigger %s: load order %d: %w", rule, orderID, err)
	}
	f := playbookFacts(o)
	if !p.holds(r, &f) || slices.Contains(r.Unless, f.status) {
		return false, nil
	}
	now := p.clock.Now()
	loc := notify.Location(f.timezone, p.settings.Shop.Location())
	plan := message.Plan{OrderID: orderID, CustomerID: f.customerID, Rule: r.Name, Template: r.Template,
		DedupeKey: fmt.Sprintf("o%d:%s", orderID, r.Name), Language: f.language, Transactional: r.Transactional,
		EventAt: now, ScheduledAt: now.Add(r.After)}
	if !r.Urgent {
		plan.ScheduledAt = notify.NextContact(plan.ScheduledAt, loc, p.settings.Shop.ContactHours)
	}
	if !r.Transactional {
		d := decider{p: p, tx: tx, now: now, capped: map[int64]time.Time{}}
		if err := d.cap(ctx, &plan, r, f.customerID, loc); err != nil {
			return false, err
		}
	}
	n, err := message.Schedule(ctx, tx, p.jobs, []message.Plan{plan}, now)
	if err != nil {
		return false, fmt.Errorf("trigger %s for order %d: %w", rule, orderID, err)
	}
	return n > 0, nil
}
