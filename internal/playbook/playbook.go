// Package playbook turns the shop's events into care: rules of the form
// when (an event, or a time after it) / if (conditions on the order and
// customer) / then (send a template, create a task). The default rules
// reproduce the journey of docs/journey.md; the shop switches them off,
// re-times, re-routes and re-words them in its settings, and adds rules of
// its own.
//
// The playbook decides inside the journal's transaction, so a message or
// task exists exactly when the event that caused it was handled, once per
// order and step. When a message is due, the playbook writes it for its
// customer (Compose), in their language, with the order as it is then.
package playbook

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/task"
)

// OnCap values: what a message held back by the frequency cap does.
const (
	Postpone = "postpone" // goes once the cap allows
	Drop     = "drop"     // is recorded as suppressed and never sent
)

// Rule is one step of the journey.
type Rule struct {
	Name string
	// When: the event, the status it moved to (order.status_changed), and
	// the delay after it. No event: another package sets the rule off
	// through Playbook.Trigger (the call-back's outcomes).
	Event  journal.Kind
	Status order.Status
	After  time.Duration
	// If: conditions on the order and customer when the event is handled.
	If config.Condition
	// Then: a message from Template, and/or a Task.
	Template string
	Task     task.Kind
	// Transactional messages are order news: no frequency cap, no
	// unsubscribe link. The others are marketing-type.
	Transactional bool
	// Advertising marks a marketing-type rule that offers (the marketing
	// flows: welcome, win-back, not seen, birthday): its messages go only
	// on channels where the customer gave their explicit marketing
	// consent, and none is planned for a customer who never gave one.
	// The other marketing-type rules (a survey, a review request) keep
	// the soft opt-in of customers who bought.
	Advertising bool
	// Urgent e-mail goes at once even outside contact hours; SMS and
	// Telegram still wait for the customer's morning.
	Urgent bool
	// Daytime makes a transactional message wait for the customer's
	// contact hours on every channel, e-mail too (back_in_stock: no
	// news about an order, so no reason to arrive at night).
	Daytime bool
	OnCap   string
	// Channels replace the customer's channel order for this rule.
	Channels []string
	// Unless lists order statuses in which the message no longer makes
	// sense when it is due (it is suppressed, with the reason).
	Unless []order.Status
	// Supersede suppresses a status message that waited (the customer's
	// night) while the order moved on to a newer status with its own.
	Supersede bool
	// Reasons limit order.promise_changed rules to changes for these
	// reasons (the others come with a status message that names the new
	// dates already), loyalty.tier_changed rules to "up" or "down", and
	// loyalty.points_credited rules to credits of these kinds (bonus,
	// referral, compensation, adjustment), and parcel.status_changed rules
	// to parcels moving to these statuses.
	Reasons []string
	// AtLeast limits experience.recorded rules to a customer's
	// AtLeast-th negative experience within experience.Window and later
	// ones (the service_recovery rule: the second in 90 days).
	AtLeast int
	// Grant gives the customer points and/or a coupon when the rule
	// fires, once per order and reason (loyalty).
	Grant   *config.Grant
	Enabled bool
}

var closed = []order.Status{order.Cancelled, order.Returned}

// LateReason is the reason of the compensation for a late order, in the
// loyalty ledger.
const LateReason = "late_delivery"

// Defaults returns the journey of docs/journey.md.
func Defaults() []Rule {
	status := func(s order.Status, tmpl string) Rule {
		return Rule{Name: tmpl, Event: journal.OrderStatusChanged, Status: s, Template: tmpl, Transactional: true,
			Supersede: true, Enabled: true}
	}
	rules := []Rule{
		{Name: "order_ack", Event: journal.OrderCreated, Template: "order_ack", Transactional: true,
			Unless: []order.Status{order.Cancelled}, Enabled: true},
		{Name: "order_callback", Event: journal.OrderCreated, Task: task.Callback,
			Unless: []order.Status{order.Cancelled}, Enabled: true},
		status(order.Processing, "status_processing"),
		status(order.ReadyToShip, "status_ready_to_ship"),
		status(order.Shipped, "status_shipped"),
		status(order.ReadyForPickup, "status_ready_for_pickup"),
		status(order.Delivered, "status_delivered"),
		status(order.Cancelled, "status_cancelled"),
		status(order.Returned, "status_returned"),
		{Name: "promise_due", Event: journal.OrderPromiseDue, Template: "promise_due", Transactional: true,
			Unless: []order.Status{order.ReadyForPickup, order.Delivered, order.Cancelled, order.Returned}, Enabled: true},
		// Promise-keeping: a parcel waiting at the pickup point, an order
		// past its day and the grace (apology, compensation, a task to find
		// the parcel), a parcel the carrier went silent about or sends back.
		{Name: "pickup_reminder", Event: journal.ParcelWaiting, Template: "pickup_reminder", Transactional: true,
			Unless: append([]order.Status{order.Delivered}, closed...), Enabled: true},
		{Name: "late_apology", Event: journal.OrderLate, Template: "late_apology", Task: task.FindParcel, Transactional: true,
			Unless: closed, Enabled: true},
		{Name: "parcel_stuck", Event: journal.ParcelStuck, Task: task.FindParcel, Unless: closed, Enabled: true},
		{Name: "parcel_returning", Event: journal.ParcelStatusChanged, Task: task.FindParcel,
			Reasons: []string{"returning", "lost"}, Unless: closed, Enabled: true},
		{Name: "promise_changed", Event: journal.OrderPromiseChanged, Template: "promise_changed", Transactional: true,
			Reasons: []string{"day_off"}, Unless: append([]order.Status{order.Delivered}, closed...), Enabled: true},
		// The loyalty program's news: a tier reached, points given other
		// than for a purchase, points about to lapse. About the
		// customer, not an order.
		{Name: "tier_up", Event: journal.LoyaltyTierChanged, Template: "tier_up", Transactional: true,
			Reasons: []string{"up"}, Enabled: true},
		{Name: "points_credited", Event: journal.LoyaltyPointsCredited, Template: "points_credited", Transactional: true,
			Reasons: []string{"bonus", "referral", "compensation", "adjustment"}, Enabled: true},
		{Name: "points_expiring", Event: journal.LoyaltyPointsExpiring, Template: "points_expiring", Transactional: true,
			Enabled: true},
		// Win-back: the CLV scoring found a customer at risk or likely
		// lost (analytics.WinBackSegments); one drifting past the return
		// goal hears "we haven't seen you since…" (not_seen). Both are
		// marketing flows (flows.go).
		{Name: "win_back", Event: journal.CustomerSegmentEntered, Template: "win_back", OnCap: Postpone,
			Reasons: []string{"at_risk", "likely_lost"}, Advertising: true, Enabled: true},
		{Name: "delivered_followup", Event: journal.OrderStatusChanged, Status: order.Delivered, After: 3 * 24 * time.Hour,
			Template: "delivered_followup", OnCap: Postpone, Unless: []order.Status{order.Returned}, Enabled: true},
		// Ask every delivered order for a review (reviews.after_delivery):
		// marketing-type, under the frequency cap; never gated by the
		// customer's satisfaction.
		{Name: "review_request", Event: journal.OrderStatusChanged, Status: order.Delivered, After: 7 * 24 * time.Hour,
			Template: "review_request", OnCap: Postpone, Unless: closed, Enabled: true},
		// The call-back's outcomes, set off by package callback: e-mail
		// only, as the phone is what did not work.
		{Name: "callback_missed", Template: "callback_missed", Transactional: true, Channels: []string{"email"},
			Unless: closed, Enabled: true},
		{Name: "callback_wrong_number", Template: "callback_wrong_number", Transactional: true, Channels: []string{"email"},
			Unless: closed, Enabled: true},
		// The customer's voice: an apology for a low survey score (the
		// service-recovery task is opened by the survey itself); the shop
		// switches it on.
		{Name: LowScoreRule, Event: journal.SurveyAnswered, Template: LowScoreRule, Transactional: true,
			Reasons: []string{"low"}, Enabled: false},
		// Service recovery: a customer's second negative experience within
		// 90 days (the register's experience.recorded) opens a task for an
		// operator to put it right; at most one a month per customer.
		{Name: "service_recovery", Event: journal.ExperienceRecorded, Task: task.ServiceRecovery, AtLeast: 2, Enabled: true},
	}
	rules = append(rules, flowRules()...)
	rules = append(rules, stockRules()...)
	rules = append(rules, backInStockRules()...)
	// A status message for a closed order is moot, but for the status
	// itself.
	for i := range rules {
		if rules[i].Supersede && !slices.Contains(closed, rules[i].Status) {
			rules[i].Unless = closed
		}
	}
	return rules
}

// events a shop's own rule may react to.
var events = []journal.Kind{journal.OrderCreated, journal.OrderStatusChanged, journal.OrderPromiseDue, journal.OrderPromiseChanged,
	journal.OrderLate, journal.ParcelStatusChanged, journal.ParcelWaiting, journal.ParcelStuck,
	journal.LoyaltyTierChanged, journal.LoyaltyPointsCredited, journal.LoyaltyPointsExpiring, journal.CustomerSegmentEntered,
	journal.ConversationOpened, journal.MessageReceived, journal.ConversationOverdue, journal.SurveyAnswered,
	journal.ExperienceRecorded}

// Build returns the rules in force: the defaults with the shop's changes,
// then the shop's own rules. Errors name the settings key.
func Build(s config.Settings) ([]Rule, error) {
	rules := Defaults()
	if c := s.Compensation; c.BonusPoints > 0 || c.Coupon != nil {
		i := slices.IndexFunc(rules, func(r Rule) bool { return r.Name == "late_apology" })
		rules[i].Grant = &config.Grant{Points: c.BonusPoints, Coupon: c.Coupon, Reason: LateReason}
	}
	if i := slices.IndexFunc(rules, func(r Rule) bool { return r.Name == SurveyRule }); i >= 0 && s.Surveys.AfterDelivery > 0 {
		rules[i].After = time.Duration(s.Surveys.AfterDelivery) // the rule's own after still wins, below
	}
	if i := slices.IndexFunc(rules, func(r Rule) bool { return r.Name == "review_request" }); i >= 0 {
		rules[i].After = time.Duration(s.Reviews.AfterDelivery)
	}
	var errs invalid.List
	names := make([]string, 0, len(s.Playbook.Rules))
	for name := range s.Playbook.Rules {
		names = append(names, name)
	}
	sort.Strings(names) // errors and custom rules in a stable order
	for _, name := range names {
		c := s.Playbook.Rules[name]
		key := "playbook.rules." + name
		i := slices.IndexFunc(rules, func(r Rule) bool { return r.Name == name })
		if i < 0 {
			r, ok := custom(&errs, key, name, c)
			if !ok {
				continue
			}
			rules = append(rules, r)
			i = len(rules) - 1
		} else if c.Event != "" || c.Status != "" {
			errs.Add(key+".event", "invalid", "a default rule's event cannot change; switch it off and add a rule of your own")
		}
		r := &rules[i]
		if c.Enabled != nil {
			r.Enabled = *c.Enabled
		}
		if c.After != nil {
			r.After = time.Duration(*c.After)
		}
		if len(c.Channels) > 0 {
			r.Channels = c.Channels
		}
		if c.Template != "" {
			if r.Template == "" {
				errs.Add(key+".template", "invalid", "rule %s creates a task and sends no message", name)
			}
			r.Template = c.Template
		}
		if c.Urgent != nil {
			r.Urgent = *c.Urgent
		}
		if c.OnCap != "" {
			r.OnCap = c.OnCap
		}
		if c.If.Payment != "" || c.If.FirstOrder != nil || len(c.If.Countries) > 0 {
			r.If = c.If
		}
		if g := c.Grant; g != nil {
			grantErrors(&errs, key+".grant", *g)
			r.Grant = g
		}
	}
	return rules, errs.Err()
}

// custom reads a rule of the shop's own.
func custom(errs *invalid.List, key, name string, c config.Rule) (Rule, bool) {
	r := Rule{Name: name, Event: journal.Kind(c.Event), Template: c.Template, OnCap: Postpone, Enabled: true,
		Unless: closed}
	if c.Transactional != nil {
		r.Transactional = *c.Transactional
	}
	ok := true
	if !slices.Contains(events, r.Event) {
		errs.Add(key+".event", "invalid", "%q is not a default rule; a rule of your own needs an event: %s",
			name, fmt.Sprint(events))
		ok = false
	}
	if r.Event == journal.OrderStatusChanged {
		st, known := order.ParseStatus(c.Status)
		if !known {
			errs.Add(key+".status", "invalid", "%q is not a status: %s", c.Status, order.StatusNames())
			ok = false
		}
		r.Status = st
		// A rule about a closed status is not moot for that status.
		r.Unless = slices.DeleteFunc(slices.Clone(closed), func(c order.Status) bool { return c == st })
	}
	if len(c.Reasons) > 0 {
		if r.Event != journal.ExperienceRecorded {
			errs.Add(key+".reasons", "invalid", "only a rule on %s takes reasons", journal.ExperienceRecorded)
			ok = false
		}
		for _, k := range c.Reasons {
			if !experience.Kind(k).Known() {
				errs.Add(key+".reasons", "invalid", "%q is not a kind of negative experience: %s", k, fmt.Sprint(experience.Kinds()))
				ok = false
			}
		}
		r.Reasons = c.Reasons
	}
	if c.Template == "" && c.Grant == nil {
		errs.Add(key+".template", "required", "name the template the rule sends (written under templates), or a grant it gives")
		ok = false
	}
	return r, ok
}

// grantErrors checks a rule's grant.
func grantErrors(errs *invalid.List, key string, g config.Grant) {
	if strings.TrimSpace(g.Reason) == "" {
		errs.Add(key+".reason", "required", "say why: it is kept in the ledger and told to the customer")
	}
	if g.Points < 0 || g.Points > config.MaxPoints {
		errs.Add(key+".points", "invalid", "must be between 0 and %d", config.MaxPoints)
	}
	if g.Points == 0 && g.Coupon == nil {
		errs.Add(key+".points", "required", "give points, a coupon or both")
	}
	if g.Coupon != nil {
		config.ValidateCoupon(errs, key+".coupon", *g.Coupon)
	}
}

// matches tells whether the rule reacts to an event of kind that moved an
// order to status.
func (r *Rule) matches(kind journal.Kind, status order.Status) bool {
	return r.Enabled && r.Event == kind && (r.Event != journal.OrderStatusChanged || r.Status == status)
}
