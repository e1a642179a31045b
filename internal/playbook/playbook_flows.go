package playbook

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/store"
)

// The marketing flows' rules, and the confirmation of a marketing
// consent (double opt-in).
const (
	WelcomeFirst  = "welcome_1"
	WelcomeSecond = "welcome_2"
	NotSeenRule   = "not_seen"
	BirthdayRule  = "birthday"
	// ConfirmRule sends the link that confirms a marketing e-mail
	// consent (campaigns.double_opt_in): a service message the customer
	// asked for, so transactional (no cap, no unsubscribe link), e-mail
	// only, at once.
	ConfirmRule = "marketing_confirm"
)

// flowRules are the automatic marketing flows: offers on the same
// machinery as campaigns — advertising (explicit marketing consent on the
// channel), under the frequency cap shared with campaigns, reported by
// rule like campaigns (campaign.FlowResults).
func flowRules() []Rule {
	yes := true
	return []Rule{
		// The welcome series, after a customer's first order: a day
		// after, what the shop is about; a week after, what to try next.
		{Name: WelcomeFirst, Event: journal.OrderCreated, If: firstOrder(&yes), After: 24 * time.Hour, Template: WelcomeFirst,
			OnCap: Postpone, Advertising: true, Unless: closed, Enabled: true},
		{Name: WelcomeSecond, Event: journal.OrderCreated, If: firstOrder(&yes), After: 7 * 24 * time.Hour, Template: WelcomeSecond,
			OnCap: Postpone, Advertising: true, Unless: closed, Enabled: true},
		// "We haven't seen you since…": the customer passed the shop's
		// return goal (analytics.return_every) and drifts.
		{Name: NotSeenRule, Event: journal.CustomerSegmentEntered, Template: NotSeenRule, OnCap: Postpone,
			Reasons: []string{"drifting"}, Advertising: true, Enabled: true},
		// A greeting on the customer's birthday (the shop's calendar),
		// set off by the daily pass (Birthdays); a greeting a day late is
		// none, so the cap drops it.
		{Name: BirthdayRule, Template: BirthdayRule, OnCap: Drop, Advertising: true, Enabled: true},
		{Name: ConfirmRule, Template: ConfirmRule, Transactional: true, Urgent: true, Channels: []string{"email"}, Enabled: true},
	}
}

// advertisable tells whether an advertising rule may plan a message for
// the customer (customer.Advertisable), remembered for the batch.
func (d *decider) advertisable(ctx context.Context, customerID int64) (bool, error) {
	if ok, seen := d.consent[customerID]; seen {
		return ok, nil
	}
	ok, err := customer.Advertisable(ctx, d.tx, customerID)
	if err != nil {
		return false, err
	}
	if d.consent == nil {
		d.consent = map[int64]bool{}
	}
	d.consent[customerID] = ok
	return ok, nil
}

// lastMarketing is when the customer last got, or is due to get, a
// marketing-type message or a campaign's; ok false when never.
func (d *decider) lastMarketing(ctx context.Context, customerID int64) (time.Time, bool, error) {
	last, ok, err := message.LastMarketing(ctx, d.tx, customerID)
	if err != nil || d.p.campaignSent == nil {
		return last, ok, err
	}
	sent, err := d.p.campaignSent(ctx, d.tx, customerID)
	if err != nil {
		return time.Time{}, false, err
	}
	if !sent.IsZero() && (!ok || sent.After(last)) {
		return sent, true, nil
	}
	return last, ok, nil
}

// confirmations plans the confirmation e-mail of each pending marketing
// consent of the customers of events: an order placed with a consent, or
// a customer.changed that says one waits (customer.PendingField). Once
// per request: its time is in the dedupe key.
func (d *decider) confirmations(ctx context.Context, events []journal.Event, byOrder map[int64]*facts) error {
	r := d.p.rule(ConfirmRule)
	if r == nil || !r.Enabled {
		return nil
	}
	var ids []int64
	for _, e := range events {
		if e.History {
			continue
		}
		switch e.Kind {
		case journal.OrderCreated:
			if f := byOrder[e.OrderID]; f != nil {
				ids = append(ids, f.customerID)
			}
		case journal.CustomerChanged:
			var pl event.CustomerChangedPayload
			if err := e.Decode(&pl); err != nil {
				return err
			}
			if slices.Contains(pl.Fields, customer.PendingField) {
				ids = append(ids, e.CustomerID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	pending, err := customer.ListPendingMarketing(ctx, d.tx, slices.Compact(ids))
	if err != nil {
		return err
	}
	for _, p := range pending {
		if p.Channel != "email" {
			continue
		}
		d.messages = append(d.messages, message.Plan{CustomerID: p.CustomerID, Rule: r.Name, Template: r.Template,
			DedupeKey: fmt.Sprintf("c%d:%s:%d", p.CustomerID, r.Name, p.At.Unix()), Transactional: true,
			EventAt: p.At, ScheduledAt: later(p.At, d.now), About: aboutOptIn(p.At)})
	}
	return nil
}

// aboutOptIn writes what a confirmation is about: the request's time.
func aboutOptIn(at time.Time) string {
	return url.Values{"requested": {strconv.FormatInt(at.Unix(), 10)}}.Encode()
}

// optInURL is the confirmation link of message m, or why it must not go:
// the consent was confirmed or withdrawn meanwhile, or a newer request
// replaced it.
func (p *Playbook) optInURL(ctx context.Context, q store.Querier, m *message.Message) (link, suppress string, err error) {
	about, _ := url.ParseQuery(m.About)
	unix, ok := requestedAt(about.Get("requested"))
	if !ok || p.signer == nil {
		return "", "the confirmation cannot be signed", nil
	}
	o := customer.OptIn{CustomerID: m.CustomerID, Channel: "email", Requested: time.Unix(unix, 0).UTC()}
	pending, err := customer.GetPendingMarketing(ctx, q, m.CustomerID, o.Channel)
	if err != nil || pending.At.Unix() != unix {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", "", err
		}
		return "", "the marketing consent was confirmed, withdrawn or asked again meanwhile", nil
	}
	return p.settings.Shop.PublicURL + "/optin/" + customer.OptInToken(p.signer, o), "", nil
}

// requestedAt reads a confirmation's request time (Unix seconds).
func requestedAt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// BirthdayArgs is the daily pass of birthday greetings (Birthdays), run
// every BirthdayInterval; a second run the same day plans nothing new.
type BirthdayArgs struct{}

// Kind names the job.
func (BirthdayArgs) Kind() string { return "playbook_birthdays" }

// BirthdayInterval is how often the birthday pass runs: hourly, so a
// restart or a shop that opens late misses no day.
const BirthdayInterval = time.Hour

// birthdayBatch is how many greetings one transaction plans.
const birthdayBatch = 500

// Birthdays plans the birthday rule's greeting for every customer whose
// birthday is today in the shop's calendar (on 28 February of a common
// year, those of 29 February too) and who bought from the shop (a
// delivered order): once a year each, in the customer's contact hours,
// under the frequency cap. When the loyalty program gives a birthday
// bonus its message (points_credited) is the greeting: the rule stays
// quiet, one greeting a birthday. It returns how many it planned.
func (p *Playbook) Birthdays(ctx context.Context) (int, error) {
	r := p.rule(BirthdayRule)
	if r == nil || !r.Enabled || p.settings.Loyalty.Bonuses.Birthday > 0 {
		return 0, nil
	}
	now := p.clock.Now()
	today := now.In(p.settings.Shop.Location())
	days := []string{today.Format("01-02")}
	if today.Month() == time.February && today.Day() == 28 && today.AddDate(0, 0, 1).Day() == 1 {
		days = append(days, "02-29")
	}
	var ids []int64
	err := customer.EachBirthdayBuyer(ctx, p.db.Read(), days, func(id int64) error {
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("playbook: birthdays: %w", err)
	}
	planned := 0
	for start := 0; start < len(ids); start += birthdayBatch {
		chunk := ids[start:min(start+birthdayBatch, len(ids))]
		err := p.db.InTx(ctx, func(tx *store.Tx) error {
			d := decider{p: p, tx: tx, now: now, capped: map[int64]time.Time{}}
			err := customer.EachLocale(ctx, tx, chunk, func(l customer.Locale) error {
				ok, err := d.advertisable(ctx, l.ID)
				if err != nil || !ok {
					return err
				}
				loc := notify.Location(l.Timezone, p.settings.Shop.Location())
				plan := message.Plan{CustomerID: l.ID, Rule: r.Name, Template: r.Template, Language: l.Language,
					DedupeKey: fmt.Sprintf("c%d:%s:%d", l.ID, r.Name, today.Year()), EventAt: now,
					ScheduledAt: notify.NextContact(now, loc, p.settings.Shop.ContactHours)}
				if err := d.cap(ctx, &plan, r, l.ID, loc); err != nil {
					return err
				}
				d.messages = append(d.messages, plan)
				return nil
			})
			if err != nil {
				return err
			}
			n, err := message.Schedule(ctx, tx, p.jobs, d.messages, now)
			planned += n
			return err
		})
		if err != nil {
			return planned, fmt.Errorf("playbook: birthdays: %w", err)
		}
	}
	return planned, nil
}

// firstOrder is the condition "the customer's first order".
func firstOrder(b *bool) config.Condition { return config.Condition{FirstOrder: b} }

// lastOrderOn is the day (in the shop's calendar) of the customer's last
// order, for "we haven't seen you since…"; zero when unknown.
func (p *Playbook) lastOrderOn(ctx context.Context, q store.Querier, customerID int64) (time.Time, error) {
	c, err := customer.Get(ctx, q, customerID)
	if err != nil {
		return time.Time{}, err
	}
	if c.LastOrderAt == nil {
		return time.Time{}, nil
	}
	return *c.LastOrderAt, nil
}

// AdvertisingRules names the enabled rules whose messages are
// advertising: the marketing flows whose figures the campaigns' page
// shows beside the campaigns.
func (p *Playbook) AdvertisingRules() []string {
	var out []string
	for _, r := range p.rules {
		if r.Advertising && r.Enabled {
			out = append(out, r.Name)
		}
	}
	return out
}
