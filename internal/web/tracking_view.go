package web

import (
	"context"
	"html/template"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/promise"
)

// trackingPage is what the tracking page shows of an order: nothing of the
// customer beyond their first name, no items, prices or address.
type trackingPage struct {
	page
	Order      string // the shop's order number
	FirstName  string
	Status     order.Status
	StatusText string
	// Stopped is set for a cancelled or returned order.
	Stopped bool
	Steps   []trackingStep
	Promise *trackingPromise
	Parcels []trackingParcel
	// Loc is the customer's time zone (else the shop's): every time on
	// the page is in it, and the page says so.
	Loc      *time.Location
	Contacts trackingContacts
	Contact  *contactForm // the "write to us" form: contact_form.go
	MyURL    string       // signs the customer in to their own page (/my): trackingMyURL
}

// trackingContacts is how the customer reaches the shop, and whether it
// is open now by its working hours and calendar on the shop's clock.
type trackingContacts struct {
	Phone      string
	PhoneURL   template.URL // tel:+74951234567; "" when the phone has no digits
	Email      string
	Address    string // where to find the shop; "" when not set
	Messengers []trackingMessenger
	Hours      string // "09:00–18:00 on working days", in the customer's time
	Open       bool
	OpenText   string // "Open now, until 18:00"; "Closed now; opens tomorrow at 09:00"
}

// trackingMessenger is one of the shop's messengers with its chat link.
type trackingMessenger struct {
	Name, Handle string
	URL          template.URL // checked by config.Messengers: https://t.me/…, https://wa.me/…, viber://…
}

// trackingParcel is one parcel of the order as the customer reads it:
// the carrier's news in words, without the carrier's own codes, the raw
// events or what the shop's people noted.
type trackingParcel struct {
	TrackingNumber string
	Carrier        string
	Status         string
	KeptUntil      string // the last day it is kept, while it waits at the pickup point; "" when not known
	Events         []trackingEvent
}

// trackingEvent is one step of a parcel's way, newest first.
type trackingEvent struct {
	Name, Location, At string
}

// trackingEvents bounds a parcel's timeline on the tracking page: the
// latest news is what the customer comes for.
const trackingEvents = 12

// trackingStep is one step of the timeline.
type trackingStep struct {
	Status order.Status
	Name   string
	At     string // when it was reached, in the shop's time zone; "" when not known
	State  string // done, current, pending or stopped: a CSS class
}

// trackingPromise is the promise as the customer reads it.
type trackingPromise struct {
	Production     string // made-to-order goods only, until shipped
	Ship           string // until shipped
	Delivery       string
	DeliveryHint   string // "in 3 days", "today"
	Provisional    bool
	Late           bool
	Carrier        string
	TrackingNumber string
	ChangesHeading string
	Changes        []trackingChange
}

// trackingChange is one change of the promised dates.
type trackingChange struct {
	Day, Old, New, Why string
}

// lifecycle is the timeline: every order walks it, forward only; cancelled
// and returned end it early.
var lifecycle = []order.Status{order.New, order.Processing, order.ReadyToShip, order.Shipped,
	order.ReadyForPickup, order.Delivered}

func (h *Handler) trackingPage(o *order.Order, ex order.Explanation, lang i18n.Lang) trackingPage {
	p := trackingPage{
		page: h.page(lang), Order: order.Number(o.ExternalID), Status: o.Status, StatusText: h.statusWords(lang, o.Status, o.Carrier),
		Stopped: o.Status == order.Cancelled || o.Status == order.Returned,
	}
	p.FirstName = myFirstName(o.Customer)
	p.Loc = h.app.Settings.Shop.Location()
	if o.Customer != nil {
		p.Loc = notify.Location(o.Customer.Timezone, p.Loc)
	}
	p.Steps = h.timeline(o, lang, p.Loc)
	if !p.Stopped {
		p.Promise = h.promiseView(o, ex, lang, p.Loc)
	}
	p.Contacts = h.trackingContacts(lang, p.Loc)
	return p
}

// trackingContacts are the shop's phone, e-mail, messengers and working
// hours, and whether it is open now, for a customer in loc.
func (h *Handler) trackingContacts(lang i18n.Lang, loc *time.Location) trackingContacts {
	sh := h.app.Settings.Shop
	c := trackingContacts{Phone: sh.Phone, Email: string(sh.Email), Address: sh.Address}
	if digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, sh.Phone); strings.TrimLeft(digits, "+") != "" && strings.LastIndex(digits, "+") <= 0 {
		c.PhoneURL = template.URL("tel:" + digits) //nolint:gosec // digits and a leading plus only
	}
	for _, m := range sh.Messengers.List() {
		c.Messengers = append(c.Messengers, trackingMessenger{Name: m.Name, Handle: m.Handle,
			URL: template.URL(m.URL)}) //nolint:gosec // built by config from a checked handle
	}
	shopLoc, now := sh.Location(), h.app.Clock.Now()
	open, at, until := shopOpening(now.In(shopLoc), sh.WorkingHours, h.app.Promises.Engine().Calendar())
	// The hours as the customer's clock shows them today.
	today := calendar.DayOf(now.In(shopLoc))
	c.Hours = i18n.Text(lang, "tracking.care.hours_value", map[string]any{
		"From": clockAt(today, sh.WorkingHours.From, shopLoc).In(loc).Format("15:04"),
		"To":   clockAt(today, sh.WorkingHours.To, shopLoc).In(loc).Format("15:04")})
	c.Open = open
	if open {
		c.OpenText = i18n.Text(lang, "tracking.care.open_now", map[string]any{"Time": until.In(loc).Format("15:04")})
		return c
	}
	data := map[string]any{"Time": at.In(loc).Format("15:04")}
	switch local := calendar.DayOf(at.In(loc)); local - calendar.DayOf(now.In(loc)) {
	case 0:
		c.OpenText = i18n.Text(lang, "tracking.care.opens_today", data)
	case 1:
		c.OpenText = i18n.Text(lang, "tracking.care.opens_tomorrow", data)
	default:
		data["Day"] = i18n.FormatOnDay(lang, local)
		c.OpenText = i18n.Text(lang, "tracking.care.opens_on", data)
	}
	return c
}

// clockAt is the moment of clock time c on day d in loc.
func clockAt(d calendar.Day, c config.ClockTime, loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, int(c)/60, int(c)%60, 0, 0, loc)
}

// shopOpening says whether the shop is open at now (in the shop's zone):
// a working day of cal within hours. Open, until is when it closes;
// closed, at is when it next opens (within a year; a shop with no working
// day ahead in that time is said to open on the last day looked at).
func shopOpening(now time.Time, hours config.TimeRange, cal *calendar.Calendar) (open bool, at, until time.Time) {
	loc, day := now.Location(), calendar.DayOf(now)
	minute := config.ClockTime(now.Hour()*60 + now.Minute())
	if cal.IsWorkday(day) && minute >= hours.From && minute < hours.To {
		return true, time.Time{}, clockAt(day, hours.To, loc)
	}
	if !cal.IsWorkday(day) || minute >= hours.To {
		day = cal.NextWorkday(day + 1)
	}
	return false, clockAt(day, hours.From, loc), time.Time{}
}

// timeline lists the lifecycle's steps with the moment each was first
// reached. Steps the shop did not report are shown done without a date,
// except the pickup point, which a courier delivery never passes. The
// pickup step ahead is shown only for carriers that hold parcels for
// pickup.
func (h *Handler) timeline(o *order.Order, lang i18n.Lang, loc *time.Location) []trackingStep {
	reached := map[order.Status]time.Time{}
	for _, c := range o.StatusHistory {
		if _, ok := reached[c.To]; !ok {
			reached[c.To] = c.At
		}
	}
	if _, ok := reached[order.New]; !ok {
		reached[order.New] = o.PlacedAt
	}
	current := 0 // the index in lifecycle of the last step reached
	for i, s := range lifecycle {
		if _, ok := reached[s]; ok || s == o.Status {
			current = i
		}
	}
	carrier, known := h.app.Settings.Carrier(o.Carrier)
	stopped := o.Status == order.Cancelled || o.Status == order.Returned
	var steps []trackingStep
	for i, s := range lifecycle {
		at, ok := reached[s]
		step := trackingStep{Status: s, Name: h.statusWords(lang, s, o.Carrier)}
		if ok {
			step.At = i18n.FormatDayTime(lang, at.In(loc))
		}
		switch {
		case i < current && !ok && s == order.ReadyForPickup:
			continue
		case i < current || i == current && stopped:
			step.State = "done"
		case i == current:
			step.State = "current"
		case stopped:
			continue
		case s == order.ReadyForPickup && known && carrier.PickupHoldDays == 0:
			continue
		default:
			step.State = "pending"
		}
		steps = append(steps, step)
	}
	if stopped {
		step := trackingStep{Status: o.Status, Name: statusText(lang, o.Status), State: "stopped"}
		if at, ok := reached[o.Status]; ok {
			step.At = i18n.FormatDayTime(lang, at.In(loc))
		}
		steps = append(steps, step)
	}
	return steps
}

// promiseView tells the order's promise, or nil when it has none.
func (h *Handler) promiseView(o *order.Order, ex order.Explanation, lang i18n.Lang, loc *time.Location) *trackingPromise {
	if o.ShipDate == "" && o.PromisedTo == "" {
		return nil
	}
	open := o.Status != order.Delivered
	v := &trackingPromise{
		Delivery:    formatWindow(lang, o.DeliveryFrom, o.PromisedTo),
		Provisional: ex.Provisional && open,
	}
	shipped := false
	switch o.Status {
	case order.Shipped, order.ReadyForPickup, order.Delivered:
		shipped = true
		v.TrackingNumber = o.TrackingNumber
	}
	if !shipped {
		// Once the parcel left, the timeline tells when it was made and
		// sent; a planned day beside it would only confuse.
		v.Production, v.Ship = formatDay(lang, o.ProductionDate), formatDay(lang, o.ShipDate)
	}
	today := h.orders.Today()
	if open {
		v.Late = o.PromiseState(today, h.app.Settings.Compensation.LateGraceDays) == order.Late
		v.DeliveryHint = deliveryHint(lang, today, o.DeliveryFrom)
	}
	if o.Carrier != "" {
		v.Carrier = h.carrierWords(lang, o.Carrier)
	}
	for _, c := range ex.Changes {
		v.Changes = append(v.Changes, trackingChange{
			Day: i18n.FormatDayTime(lang, c.ChangedAt.In(loc)),
			Old: formatPromise(lang, c.Old), New: formatPromise(lang, c.New),
			Why: h.reasonText(lang, c),
		})
	}
	if len(v.Changes) > 0 {
		v.ChangesHeading = i18n.Text(lang, "tracking.history_heading", map[string]any{"Count": len(v.Changes)})
	}
	return v
}

// trackingParcels reads the order's parcels for its tracking page: only
// this order's, only the events that say where the parcel is (a status),
// with the carrier's location but not its words, which may be an
// operator's note.
func (h *Handler) trackingParcels(ctx context.Context, orderID int64, lang i18n.Lang, loc *time.Location) ([]trackingParcel, error) {
	ps, err := h.parcels.ByOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	out := make([]trackingParcel, 0, len(ps))
	for _, p := range ps {
		v := trackingParcel{TrackingNumber: p.TrackingNumber, Carrier: h.carrierWords(lang, p.Carrier),
			Status: parcelStatusText(lang, p.Status)}
		if p.Status == carrier.ArrivedAtPickup && p.ArrivedAt != nil {
			// Short, without the weekday: "до 22 декабря" takes no weekday.
			v.KeptUntil = formatStoredDay(lang, h.parcels.KeptUntil(p.Carrier, *p.ArrivedAt))
		}
		evs, err := h.parcels.Events(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			if e.Status == "" {
				continue
			}
			if len(v.Events) == trackingEvents {
				break
			}
			ev := trackingEvent{Name: parcelStatusText(lang, e.Status), At: i18n.FormatDayTime(lang, e.At.In(loc))}
			if e.Source != parcel.SourceAdmin {
				ev.Location = e.Location
			}
			v.Events = append(v.Events, ev)
		}
		out = append(out, v)
	}
	return out, nil
}

// deliveryHint says how soon the delivery window opens: "in 3 days",
// "today"; "" once it has opened or when unknown.
func deliveryHint(lang i18n.Lang, today, from string) string {
	t, err1 := calendar.ParseDay(today)
	f, err2 := calendar.ParseDay(from)
	switch {
	case err1 != nil || err2 != nil || f < t:
		return ""
	case f == t:
		return i18n.Text(lang, "tracking.delivery.today", nil)
	}
	return i18n.Text(lang, "tracking.delivery.in_days", map[string]any{"Count": int(f - t)})
}

// carrierWords is a carrier's name for customers in lang: the name the
// shop gave it, else shopcare's word for its code (courier: «Курьер»),
// else the code.
func (h *Handler) carrierWords(lang i18n.Lang, code string) string {
	name := ""
	if c, ok := h.app.Settings.Carrier(code); ok {
		name = c.Name
	}
	return i18n.CarrierName(lang, code, name)
}

// reasonText says in words why the promise changed.
func (h *Handler) reasonText(lang i18n.Lang, c promise.Change) string {
	switch c.Reason {
	case promise.ReasonStartedLate:
		return i18n.Text(lang, "tracking.reason.started_late", nil)
	case promise.ReasonShippedLate:
		return i18n.Text(lang, "tracking.reason.shipped_late", nil)
	case promise.ReasonCarrierChanged:
		return i18n.Text(lang, "tracking.reason.carrier_changed", map[string]any{"Carrier": h.carrierWords(lang, c.Detail)})
	case promise.ReasonDayOff:
		// The detail is the shop's own note (stocktaking): not for customers.
		return i18n.Text(lang, "tracking.reason.day_off", nil)
	}
	return i18n.Text(lang, "tracking.reason.other", nil)
}

// statusWords names a status for the customer of an order by
// carrierCode, in the words of its delivery: packed and waiting for the
// courier only when a courier comes; a post parcel waits at the post
// office, not a pickup point. An unknown carrier gets the plain words.
func (h *Handler) statusWords(lang i18n.Lang, s order.Status, carrierCode string) string {
	c, ok := h.app.Settings.Carrier(carrierCode)
	if !ok {
		return statusText(lang, s)
	}
	switch d := c.DeliveryType(); {
	case s == order.ReadyToShip:
		return i18n.Text(lang, "tracking.care.ready_to_ship."+string(d), nil)
	case s == order.ReadyForPickup && d == config.DeliveryPost:
		return i18n.Text(lang, "tracking.care.ready_for_pickup.post", nil)
	}
	return statusText(lang, s)
}

// statusText names a status for the customer.
func statusText(lang i18n.Lang, s order.Status) string {
	switch s {
	case order.New:
		return i18n.Text(lang, "tracking.status.new", nil)
	case order.Processing:
		return i18n.Text(lang, "tracking.status.processing", nil)
	case order.ReadyToShip:
		return i18n.Text(lang, "tracking.status.ready_to_ship", nil)
	case order.Shipped:
		return i18n.Text(lang, "tracking.status.shipped", nil)
	case order.ReadyForPickup:
		return i18n.Text(lang, "tracking.status.ready_for_pickup", nil)
	case order.Delivered:
		return i18n.Text(lang, "tracking.status.delivered", nil)
	case order.Cancelled:
		return i18n.Text(lang, "tracking.status.cancelled", nil)
	case order.Returned:
		return i18n.Text(lang, "tracking.status.returned", nil)
	}
	return string(s)
}

// formatDay writes a stored day (YYYY-MM-DD) with its weekday; "" stays "".
func formatDay(lang i18n.Lang, day string) string {
	d, err := calendar.ParseDay(day)
	if err != nil {
		return day
	}
	return i18n.FormatDay(lang, d)
}

// formatWindow writes a delivery window; one known end stands alone.
func formatWindow(lang i18n.Lang, from, to string) string {
	if from == "" {
		return formatDay(lang, to)
	}
	if to == "" {
		return formatDay(lang, from)
	}
	f, err1 := calendar.ParseDay(from)
	t, err2 := calendar.ParseDay(to)
	if err1 != nil || err2 != nil {
		return from + " – " + to
	}
	return i18n.FormatRange(lang, f, t)
}

// formatPromise writes one version of a promise for its history: the
// delivery window, or the ship date when the delivery was not known.
func formatPromise(lang i18n.Lang, p promise.Stored) string {
	if w := formatWindow(lang, p.DeliveryFrom, p.DeliveryTo); w != "" {
		return w
	}
	return formatDay(lang, p.ShipDate)
}
