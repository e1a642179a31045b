package campaign

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/store"
)

// planned is one recipient as Start makes them.
type planned struct {
	id      int64
	variant string
	status  string
}

// insertRecipients plans the audience's ids of campaign c (variants,
// due times) and inserts them; it returns the earliest due time of a
// message to send (now when there is none).
func (s *Service) insertRecipients(ctx context.Context, tx *store.Tx, c *Campaign, ids []int64, now time.Time) (time.Time, error) {
	plan := assignVariants(c, ids)
	zones := map[int64]string{}
	if err := customer.EachLocale(ctx, tx, ids, func(l customer.Locale) error {
		zones[l.ID] = l.Timezone
		return nil
	}); err != nil {
		return now, fmt.Errorf("customers' time zones: %w", err)
	}
	hours := s.deps.Settings.Shop.ContactHours
	shop := s.deps.Settings.Shop.Location()
	from := now
	if c.Schedule == At && c.SendAt != nil && c.SendAt.After(now) {
		from = *c.SendAt
	}
	first := time.Time{}
	rows := make([][]any, len(plan))
	for i, p := range plan {
		loc := notify.Location(zones[p.id], shop)
		due := notify.NextContact(from, loc, hours)
		if c.Schedule == CustomerMorning {
			due = morning(now, loc, hours)
			if c.Window > 0 && len(plan) > 1 {
				due = notify.NextContact(due.Add(c.Window*time.Duration(i)/time.Duration(len(plan))), loc, hours)
			}
		}
		if p.status == RecipientPending && (first.IsZero() || due.Before(first)) {
			first = due
		}
		rows[i] = []any{c.ID, p.id, p.variant, p.status, c.Channel, due}
	}
	if first.IsZero() {
		first = now
	}
	err := store.InsertMany(ctx, tx, "campaign_recipients", []string{"campaign_id", "customer_id", "variant", "status",
		"channel", "due_at"}, rows, "", nil)
	if err != nil {
		return now, fmt.Errorf("insert the recipients of campaign %d: %w", c.ID, err)
	}
	return first, nil
}

// morning is the customer's next first contact hour at or after now in
// loc.
func morning(now time.Time, loc *time.Location, hours config.TimeRange) time.Time {
	h, m := int(hours.From)/60, int(hours.From)%60
	local := now.In(loc)
	y, mo, d := local.Date()
	open := time.Date(y, mo, d, h, m, 0, 0, loc)
	if open.Before(now) {
		open = time.Date(y, mo, d+1, h, m, 0, 0, loc)
	}
	return open
}

// assignVariants orders ids in a shuffle fixed by the campaign's id and
// gives each their variant and first status: the holdout's share held,
// the test's share A or B alternately, the rest waiting for the winner
// (or, without a test, all A and pending).
func assignVariants(c *Campaign, ids []int64) []planned {
	plan := make([]planned, len(ids))
	for i, id := range ids {
		plan[i] = planned{id: id}
	}
	keys := make(map[int64]uint64, len(ids))
	for _, id := range ids {
		keys[id] = shuffleKey(c.ID, id)
	}
	slices.SortFunc(plan, func(a, b planned) int {
		ka, kb := keys[a.id], keys[b.id]
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return int(a.id - b.id)
	})
	n := len(plan)
	held := n * c.Holdout / 100
	test := 0
	if c.Test.Share > 0 && len(c.VariantB) > 0 {
		test = (n - held) * c.Test.Share / 100
	}
	for i := range plan {
		switch {
		case i < held:
			plan[i].variant, plan[i].status = VariantHoldout, RecipientHeld
		case c.Test.Share > 0 && len(c.VariantB) > 0 && i < held+test:
			plan[i].variant, plan[i].status = VariantA, RecipientPending
			if (i-held)%2 == 1 {
				plan[i].variant = VariantB
			}
		case c.Test.Share > 0 && len(c.VariantB) > 0:
			plan[i].variant, plan[i].status = VariantRest, RecipientWaiting
		default:
			plan[i].variant, plan[i].status = VariantA, RecipientPending
		}
	}
	return plan
}

func shuffleKey(campaign, customer int64) uint64 {
	h := fnv.New64a()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], uint64(campaign))
	binary.LittleEndian.PutUint64(b[8:], uint64(customer))
	_, _ = h.Write(b[:])
	return h.Sum64()
}
