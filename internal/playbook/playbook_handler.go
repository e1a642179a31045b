package playbook

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/survey"
	"github.com/shopcare/shopcare/internal/task"
)

// Playbook decides what each event brings and writes the messages.
type Playbook struct {
	db        *store.DB
	jobs      message.Inserter
	clock     clock.Clock
	settings  config.Settings
	promises  *promise.Service
	loyalty   *loyalty.Service
	log       *slog.Logger
	rules     []Rule
	templates *Templates
	myLinks   MyLinks
	surveys   Surveys
	reviews   ReviewLinks
	// campaignSent is when a customer last got a campaign's message
	// (campaign.LastSent): the frequency cap counts campaigns too.
	campaignSent func(ctx context.Context, q store.Querier, customerID int64) (time.Time, error)
	// signer signs the confirmation links of double opt-in.
	signer customer.Signer
}

// Params are the collaborators of the Playbook.
type Params struct {
	// Jobs enqueues the messages planned.
	Jobs message.Inserter
	// Promises gives the promise a message quotes.
	Promises *promise.Service
	// Loyalty gives the points a message quotes.
	Loyalty *loyalty.Service
	// MyLinks signs the link to the customer's own page every message
	// carries (MyURL); nil leaves MyURL empty.
	MyLinks MyLinks
	// Surveys signs the delivery survey's score links
	// (delivered_followup); nil sends the follow-up without them.
	Surveys Surveys
	// CampaignSent is when a customer last got, or is due to get, a
	// campaign's message (campaign.LastSent); the frequency cap of the
	// marketing-type rules counts campaigns with them. nil: it does not.
	CampaignSent func(ctx context.Context, q store.Querier, customerID int64) (time.Time, error)
	// Signer signs the confirmation links of a marketing consent
	// (marketing_confirm, campaigns.double_opt_in): signin.Service.
	Signer customer.Signer
}

// MyLinks signs links that open a customer's own page (signin.Service).
type MyLinks interface {
	URL(customerID int64, via string, now time.Time) string
}

// New builds the playbook from the settings: the rules in force and the
// templates. Errors name the settings key (and a broken template's line).
func New(d service.Deps, p Params) (*Playbook, error) {
	settings := d.Settings
	rules, err := Build(settings)
	if err != nil {
		return nil, err
	}
	templates, err := LoadTemplates(settings.Templates)
	if err != nil {
		return nil, err
	}
	for _, r := range rules {
		if r.Template != "" && !templates.Has(r.Template) {
			return nil, fmt.Errorf("playbook.rules.%s.template: there is no template %q; write it under templates", r.Name, r.Template)
		}
	}
	return &Playbook{db: d.DB, jobs: p.Jobs, clock: d.Clock, settings: settings, promises: p.Promises, loyalty: p.Loyalty, log: d.Log,
		rules: rules, templates: templates, myLinks: p.MyLinks, surveys: p.Surveys,
		campaignSent: p.CampaignSent, signer: p.Signer}, nil
}

func (p *Playbook) rule(name string) *Rule {
	for i := range p.rules {
		if p.rules[i].Name == name {
			return &p.rules[i]
		}
	}
	return nil
}

// facts is what the rules look at when an event is handled.
type facts struct {
	status     order.Status
	customerID int64
	payment    string
	country    string
	timezone   string
	language   string
	placedAt   time.Time
	firstOrder bool
}

// playbookFacts are the facts of an order as the order package reads them.
func playbookFacts(o order.PlaybookFacts) facts {
	return facts{status: o.Status, customerID: o.CustomerID, payment: o.PaymentMethod, placedAt: o.PlacedAt,
		country: o.Country, timezone: o.Timezone, language: o.Language,
		firstOrder: o.FirstOrderAt == nil || !o.FirstOrderAt.Before(o.PlacedAt)}
}

// HandleEvents is the playbook's journal handler: for every event of a
// live (not imported) order or customer and every rule that reacts to it,
// a message, task and/or grant, once per order (or customer) and step.
func (p *Playbook) HandleEvents(ctx context.Context, tx *store.Tx, events []journal.Event) error {
	var ids, customers []int64
	for _, e := range events {
		switch {
		case e.History || !p.reactsTo(e.Kind) && !p.confirmsOn(e.Kind):
		case e.OrderID != 0:
			ids = append(ids, e.OrderID)
		case e.CustomerID != 0:
			customers = append(customers, e.CustomerID)
		}
	}
	if len(ids) == 0 && len(customers) == 0 {
		return nil
	}
	byOrder := make(map[int64]*facts, len(ids))
	err := order.EachPlaybookFacts(ctx, tx, ids, func(o order.PlaybookFacts) error {
		f := playbookFacts(o)
		byOrder[o.ID] = &f
		return nil
	})
	if err != nil {
		return fmt.Errorf("playbook: load orders: %w", err)
	}
	byCustomer := make(map[int64]*facts, len(customers))
	err = customer.EachLocale(ctx, tx, customers, func(l customer.Locale) error {
		byCustomer[l.ID] = &facts{customerID: l.ID, country: l.Country, timezone: l.Timezone, language: l.Language}
		return nil
	})
	if err != nil {
		return fmt.Errorf("playbook: load customers: %w", err)
	}
	now := p.clock.Now()
	d := decider{p: p, tx: tx, now: now, capped: map[int64]time.Time{}}
	for _, e := range events {
		f := byOrder[e.OrderID]
		if e.OrderID == 0 {
			f = byCustomer[e.CustomerID]
		}
		if e.History || f == nil {
			continue
		}
		if err := d.event(ctx, e, f); err != nil {
			return err
		}
	}
	if err := d.confirmations(ctx, events, byOrder); err != nil {
		return err
	}
	if _, err := message.Schedule(ctx, tx, p.jobs, d.messages, now); err != nil {
		return err
	}
	if len(d.tasks) > 0 {
		if _, err := task.Create(ctx, tx, d.tasks, now); err != nil {
			return err
		}
	}
	return nil
}

// confirmsOn tells whether events of kind may bring a consent to confirm
// (marketing_confirm).
func (p *Playbook) confirmsOn(kind journal.Kind) bool {
	r := p.rule(ConfirmRule)
	return r != nil && r.Enabled && (kind == journal.OrderCreated || kind == journal.CustomerChanged)
}

func (p *Playbook) reactsTo(kind journal.Kind) bool {
	return slices.ContainsFunc(p.rules, func(r Rule) bool { return r.Enabled && r.Event == kind })
}

// decider collects what one batch of events brings.
type decider struct {
	p        *Playbook
	tx       *store.Tx
	now      time.Time
	messages []message.Plan
	tasks    []task.Task
	// capped remembers the latest marketing message planned per customer
	// in this batch, on top of those stored.
	capped map[int64]time.Time
	// consent remembers whether a customer may be offered anything
	// (advertisable).
	consent map[int64]bool
}

func (d *decider) event(ctx context.Context, e journal.Event, f *facts) error {
	var status order.Status
	var detail, about, lang string
	silent, count := false, 0
	switch e.Kind {
	case journal.OrderStatusChanged:
		var pl event.OrderStatusChangedPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		status = order.Status(pl.To)
	case journal.OrderPromiseChanged:
		var pl event.OrderPromiseChangedPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		if pl.Old.DeliveryTo == pl.New.DeliveryTo && pl.Old.ShipDate == pl.New.ShipDate {
			return nil // nothing the customer was told has moved
		}
		detail = pl.Reason
	case journal.OrderPromiseDue:
		var pl event.OrderPromiseDuePayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		detail = pl.PromisedTo
	case journal.LoyaltyTierChanged:
		var pl event.LoyaltyTierChangedPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		detail = "down"
		if pl.Up {
			detail = "up"
		}
	case journal.LoyaltyPointsCredited:
		var pl event.LoyaltyPointsCreditedPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		detail, about, silent = string(pl.Kind), aboutCredit(pl.TransactionID, pl.CouponID), pl.Silent
	case journal.LoyaltyPointsExpiring:
		var pl event.LoyaltyPointsExpiringPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		detail = pl.On
	case journal.CustomerSegmentEntered:
		var pl event.CustomerSegmentEnteredPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		detail = pl.Segment
	case journal.ParcelStatusChanged:
		var pl event.ParcelStatusChangedPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		detail = pl.To
	case journal.SurveyAnswered:
		var pl event.SurveyAnsweredPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		detail = survey.Band(pl.Kind, pl.Score) // low, middle, high
		if pl.Previous != nil && survey.Band(pl.Kind, *pl.Previous) == detail {
			return nil // a change within the band is no news
		}
	case journal.ExperienceRecorded:
		var pl event.ExperienceRecordedPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		detail, count = pl.Kind, pl.Count
	case journal.StockResolved, journal.StockFilled:
		var err error
		if detail, about, err = stockEvent(e); err != nil {
			return err
		}
	case journal.StockBack:
		var err error
		if detail, about, lang, err = backInStockEvent(e); err != nil {
			return err
		}
	case journal.ParcelWaiting:
		var pl event.ParcelWaitingPayload
		if err := e.Decode(&pl); err != nil {
			return err
		}
		detail = fmt.Sprintf("p%d:d%d", pl.ParcelID, pl.Days)
		about = url.Values{"tracking": {pl.TrackingNumber}, "days": {strconv.FormatInt(pl.Days, 10)}, "kept_until": {pl.KeptUntil}}.Encode()
	}
	for i := range d.p.rules {
		r := &d.p.rules[i]
		if !r.matches(e.Kind, status) || !d.p.holds(r, f) {
			continue
		}
		if filtered[e.Kind] && len(r.Reasons) > 0 && !slices.Contains(r.Reasons, detail) {
			continue
		}
		if slices.Contains(r.Unless, f.status) || e.Kind == journal.ExperienceRecorded && count < r.AtLeast {
			continue
		}
		key := fmt.Sprintf("o%d:%s", e.OrderID, r.Name)
		if e.OrderID == 0 {
			key = fmt.Sprintf("c%d:%s", f.customerID, r.Name)
		}
		switch e.Kind {
		case journal.OrderPromiseChanged, journal.LoyaltyTierChanged, journal.LoyaltyPointsCredited,
			journal.ParcelStatusChanged, journal.ParcelStuck, journal.StockResolved, journal.StockFilled:
			key += fmt.Sprintf(":e%d", e.ID) // every move is news
		case journal.OrderPromiseDue, journal.LoyaltyPointsExpiring, journal.ParcelWaiting, journal.StockBack:
			key += ":" + detail // a new promised day is a new "about today"
		case journal.CustomerSegmentEntered:
			key += ":" + e.OccurredAt.Format("2006-01") // one win-back a month at most
		case journal.SurveyAnswered:
			key += fmt.Sprintf(":e%d", e.ID) // once per answer; the band filter keeps changes within a band quiet
		case journal.ExperienceRecorded:
			// About the customer, whatever order it was: one service
			// recovery a month at most, however many bad moments.
			key = fmt.Sprintf("c%d:%s:%s", f.customerID, r.Name, e.OccurredAt.Format("2006-01"))
		}
		loc := notify.Location(f.timezone, d.p.settings.Shop.Location())
		if r.Task != "" {
			d.tasks = append(d.tasks, task.Task{Kind: r.Task, OrderID: e.OrderID, CustomerID: f.customerID, DedupeKey: key,
				DueAt: d.p.CallbackDue(later(e.OccurredAt, d.now), loc)})
		}
		ruleAbout := about
		if r.Grant != nil {
			g, err := d.p.loyalty.GrantTx(ctx, d.tx, loyalty.GrantRequest{CustomerID: f.customerID, OrderID: e.OrderID,
				Grant: *r.Grant, Actor: "playbook:" + r.Name, Silent: r.Template != ""})
			if err != nil {
				return fmt.Errorf("playbook rule %s: grant for order %d: %w", r.Name, e.OrderID, err)
			}
			ruleAbout = aboutGrant(g)
		}
		if r.Template == "" || silent && e.Kind == journal.LoyaltyPointsCredited {
			continue
		}
		if r.Advertising {
			// No offer is planned for a customer who never said yes to
			// one: no row, no cap spent. The sender checks the channel.
			if ok, err := d.advertisable(ctx, f.customerID); err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
		}
		plan := message.Plan{OrderID: e.OrderID, CustomerID: f.customerID, Rule: r.Name, Template: r.Template,
			DedupeKey: key, Language: f.language, Transactional: r.Transactional, EventAt: e.OccurredAt, About: ruleAbout}
		if lang != "" {
			plan.Language = lang // the language the customer asked in
		}
		plan.ScheduledAt = later(e.OccurredAt.Add(r.After), d.now)
		if !r.Transactional || r.Daytime || !r.Urgent && d.p.settings.Channels.QuietHours.AllHold() {
			// It waits for the customer's morning whatever channel takes
			// it. Order news that a silent channel (e-mail) may carry at
			// night is due now; the sender holds it back on the channels
			// that keep quiet hours.
			plan.ScheduledAt = notify.NextContact(plan.ScheduledAt, loc, d.p.settings.Shop.ContactHours)
		}
		if !r.Transactional {
			if err := d.cap(ctx, &plan, r, f.customerID, loc); err != nil {
				return err
			}
		}
		d.messages = append(d.messages, plan)
	}
	return nil
}

// filtered are the event kinds whose rules Reasons narrow.
var filtered = map[journal.Kind]bool{journal.OrderPromiseChanged: true, journal.LoyaltyTierChanged: true,
	journal.LoyaltyPointsCredited: true, journal.ParcelStatusChanged: true, journal.CustomerSegmentEntered: true,
	journal.SurveyAnswered: true, journal.ExperienceRecorded: true, journal.StockResolved: true}

// aboutCredit writes what a loyalty message is about (Message.About).
func aboutCredit(transactionID, couponID int64) string {
	v := url.Values{}
	if transactionID != 0 {
		v.Set("transaction", strconv.FormatInt(transactionID, 10))
	}
	if couponID != 0 {
		v.Set("coupon", strconv.FormatInt(couponID, 10))
	}
	return v.Encode()
}

func aboutGrant(g loyalty.GrantResult) string {
	var t, c int64
	if g.Transaction != nil {
		t = g.Transaction.ID
	}
	if g.Coupon != nil {
		c = g.Coupon.ID
	}
	return aboutCredit(t, c)
}

// cap applies the frequency cap to a marketing-type message: at most one
// in playbook.frequency_cap per customer, postponed or dropped by the
// rule's choice, with the reason recorded.
func (d *decider) cap(ctx context.Context, plan *message.Plan, r *Rule, customerID int64, loc *time.Location) error {
	limit := time.Duration(d.p.settings.Playbook.FrequencyCap)
	last, ok := d.capped[customerID]
	if !ok {
		stored, found, err := d.lastMarketing(ctx, customerID)
		if err != nil {
			return err
		}
		last, ok = stored, found
	}
	if ok && limit > 0 && plan.ScheduledAt.Before(last.Add(limit)) {
		why := fmt.Sprintf("frequency cap: another message at %s UTC, at most one in %s",
			last.UTC().Format("2006-01-02 15:04"), config.Duration(limit))
		if r.OnCap == Drop {
			plan.Suppressed, plan.Reason = true, why
			return nil
		}
		plan.ScheduledAt = notify.NextContact(last.Add(limit), loc, d.p.settings.Shop.ContactHours)
		plan.Reason = "postponed by the " + why
	}
	d.capped[customerID] = plan.ScheduledAt
	return nil
}

// holds evaluates the rule's conditions on the order.
func (p *Playbook) holds(r *Rule, f *facts) bool {
	c := r.If
	switch {
	case c.Payment != "" && c.Payment != f.payment:
		return false
	case c.FirstOrder != nil && *c.FirstOrder != f.firstOrder:
		return false
	case len(c.Countries) > 0 && !slices.Contains(c.Countries, f.country):
		return false
	}
	return true
}

// CallbackDue is when an operator should call about an order that came in
// at at: within callback_within of the shop's next working moment, and
// inside the customer's contact hours (the customer's morning wins when the
// two never overlap: no call at night, ever).
func (p *Playbook) CallbackDue(at time.Time, customer *time.Location) time.Time {
	sh := p.settings.Shop
	isWorkday := p.promises.Engine().Calendar().IsWorkday
	loc := sh.Location()
	start := p.workingMoment(at, isWorkday, loc)
	due := start.Add(time.Duration(sh.CallbackWithin))
	if end := clockOn(calendar.DayOf(start.In(loc)), sh.WorkingHours.To, loc); due.After(end) {
		due = end // by closing time rather than tomorrow
	}
	return p.NextCallTime(due, customer)
}

// NextCallTime returns the earliest moment at or after at when an operator
// may call a customer in the customer zone: in the shop's working hours on
// a working day and inside the customer's contact hours (the customer's
// morning wins when the two never overlap). A call-back that went
// unanswered is retried at the NextCallTime after callback_retry_after.
func (p *Playbook) NextCallTime(at time.Time, customer *time.Location) time.Time {
	sh := p.settings.Shop
	isWorkday := p.promises.Engine().Calendar().IsWorkday
	loc := sh.Location()
	due := at
	for range 14 {
		contact := notify.NextContact(due, customer, sh.ContactHours)
		working := p.workingMoment(contact, isWorkday, loc)
		if working.Equal(contact) {
			return contact
		}
		due = working
	}
	return notify.NextContact(due, customer, sh.ContactHours)
}

// workingMoment returns t when it falls in the shop's working hours on a
// working day (closing time included), else the start of the next working
// hours.
func (p *Playbook) workingMoment(t time.Time, isWorkday func(calendar.Day) bool, loc *time.Location) time.Time {
	wh := p.settings.Shop.WorkingHours
	local := t.In(loc)
	for range 400 {
		day := calendar.DayOf(local)
		if isWorkday(day) {
			start, end := clockOn(day, wh.From, loc), clockOn(day, wh.To, loc)
			if local.Before(start) {
				return start
			}
			if !local.After(end) {
				return t
			}
		}
		local = day.AddDays(1).Time(loc)
	}
	return t
}

// clockOn returns the time of day c on day d in loc.
func clockOn(d calendar.Day, c config.ClockTime, loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, int(c)/60, int(c)%60, 0, 0, loc)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
