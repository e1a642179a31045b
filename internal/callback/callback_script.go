package callback

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// Payment states the script names.
const (
	PaymentCOD      = "cod"      // cash on delivery
	PaymentReceived = "received" // prepaid, and the money is in
	PaymentAwaited  = "awaited"  // prepaid, the money not yet in
)

// Script is what the operator has in front of them during a call: the
// facts of the order, labelled in the operator's language, and the lines
// to read out, in the customer's.
type Script struct {
	TaskID      int64
	OrderID     int64
	OrderNumber string
	OrderStatus order.Status
	// Open says the call-back still waits for an outcome.
	Open     bool
	DueAt    time.Time
	Overdue  bool
	Attempts int
	// Lang is the operator's language: the labels and facts are in it.
	Lang i18n.Lang
	// CustomerLang is the language the Lines are in: the customer's own,
	// else the shop's first. LangNote tells the operator so, in Lang:
	// "In Latvian, the customer's language".
	CustomerLang i18n.Lang
	LangNote     string

	Customer ScriptCustomer
	// LocalTime reads "Customer's time: Friday 27 Nov 15:20 (Europe/Riga)".
	LocalTime string
	// PlacedAt is when the order was placed, in the customer's zone.
	PlacedAt time.Time

	Items []ScriptItem
	// MadeToOrder says some line is made for this order.
	MadeToOrder bool
	// Production, Ship and Delivery are the promised dates in words
	// ("on Monday 30 Nov", "between Thursday 3 Dec and Saturday 5 Dec");
	// "" when not known.
	Production, Ship, Delivery string

	// Payment is PaymentCOD, PaymentReceived, PaymentAwaited or "" when
	// the shop did not say; PaymentText is its label, Total the amount.
	Payment     string
	PaymentText string
	Total       string

	// Address is the delivery address the order has ("" when none: the
	// operator must ask for one); DeliveryWindow the time window chosen
	// before.
	Address        string
	NeedsAddress   bool
	DeliveryWindow string
	Windows        []Window

	// Lines are the script to read out, in CustomerLang, in order:
	// greeting, when ordered, what is not in stock and when it comes
	// (from the shop's stock, never a guess), what is made to order,
	// dates, payment, address, time window, thanks.
	Lines []string
	// History is the calls made before, oldest first.
	History []Attempt
}

// ScriptCustomer is who is called.
type ScriptCustomer struct {
	ID        int64
	Name      string
	FirstName string
	Phone     string
	Email     string
	City      string
	Country   string
	// Zone is the customer's time zone and LocalNow now in it.
	Zone     string
	LocalNow time.Time
}

// ScriptItem is one line of the order with what is known of when it is
// ready.
type ScriptItem struct {
	SKU            string
	Name           string
	Qty            int64
	MadeToOrder    bool
	ProductionDays int
	// Stock reads "made to order in 5 working days" or, for an item not
	// made to order, "ships on Wednesday 2 Dec" (or "not made to order"
	// when the ship day is not known).
	Stock string
	// InStock is the item's real stock when the shop tracks its SKU: "2
	// on hand", "held for this order", "not in stock — arrives on Tuesday
	// 15 Dec"; "" for an untracked SKU, whose stock nobody knows and
	// nobody guesses.
	InStock string
	// Short says the item waits for stock: the lines tell the customer.
	Short bool
}

// Attempt is one earlier call, as its note on the order recorded it.
type Attempt struct {
	At      time.Time
	Kind    string // NoteReached, NoteNoAnswer or NoteWrongNumber
	Outcome string // the kind in words: "no answer"
	Body    string
	Author  string
}

// Script returns the call script of call-back taskID, its labels and
// facts in lang (the operator's) and its lines in the customer's language,
// filled in from the order as it is now; store.ErrNotFound when there is
// no such call-back.
func (s *Service) Script(ctx context.Context, taskID int64, lang i18n.Lang) (Script, error) {
	q := s.db.Read()
	t, err := callbackTask(task.Get(ctx, q, taskID))
	if err != nil {
		return Script{}, err
	}
	o, err := order.Get(ctx, q, t.OrderID)
	if err != nil {
		return Script{}, fmt.Errorf("script of call-back %d: %w", taskID, err)
	}
	sc := Script{TaskID: t.ID, OrderID: o.ID, OrderNumber: order.Number(o.ExternalID), OrderStatus: o.Status, Open: t.Status == task.Open,
		DueAt: t.DueAt, Attempts: t.Attempts, Lang: lang, Windows: s.Windows(), Address: o.Address,
		DeliveryWindow: o.DeliveryWindow}
	if c, ok := s.settings.Carrier(o.Carrier); ok && c.DeliveryType() != config.DeliveryCourier {
		sc.Windows = nil // post and pickup points: there is no hour to agree on
	}
	sc.NeedsAddress = strings.TrimSpace(sc.Address) == ""
	now := s.clock.Now()
	sc.Overdue = sc.Open && t.DueAt.Before(now)
	if c := o.Customer; c != nil {
		loc := s.location(c.Timezone)
		sc.Customer = ScriptCustomer{ID: c.ID, Name: c.Name, FirstName: firstName(c.Name), Phone: c.Phone, Email: c.Email,
			City: c.City, Country: c.Country, Zone: loc.String(), LocalNow: now.In(loc)}
	} else {
		loc := s.settings.Shop.Location()
		sc.Customer = ScriptCustomer{Zone: loc.String(), LocalNow: now.In(loc)}
	}
	sc.LocalTime = i18n.Text(lang, "callback.local_time", map[string]any{
		"Time": i18n.FormatDayTime(lang, sc.Customer.LocalNow), "Zone": sc.Customer.Zone})
	sc.PlacedAt = o.PlacedAt.In(sc.Customer.LocalNow.Location())
	s.dates(&sc, o, lang)
	s.payment(&sc, o, lang)
	for _, it := range o.Items {
		si := ScriptItem{SKU: it.SKU, Name: it.Name, Qty: it.Qty, MadeToOrder: it.MadeToOrder, ProductionDays: it.ProductionDays}
		switch {
		case it.MadeToOrder:
			sc.MadeToOrder = true
			si.Stock = i18n.Text(lang, "callback.item.made_to_order", map[string]any{"Days": i18n.WorkingDays(lang, it.ProductionDays)})
		case sc.Ship != "":
			si.Stock = i18n.Text(lang, "care.callback.item.ships", map[string]any{"Day": sc.Ship})
		default:
			si.Stock = i18n.Text(lang, "care.callback.item.not_made_to_order", nil)
		}
		sc.Items = append(sc.Items, si)
	}
	short, err := s.stockOf(ctx, q, o.ID, sc.Items, lang)
	if err != nil {
		return Script{}, fmt.Errorf("script of call-back %d: %w", taskID, err)
	}
	sc.CustomerLang = s.shopLang()
	if o.Customer != nil {
		sc.CustomerLang = i18n.Pick(o.Customer.Language, sc.CustomerLang)
	}
	sc.LangNote = i18n.Text(lang, "care.callback.script_in."+string(sc.CustomerLang), nil)
	// The lines are said to the customer: the same facts, in their words.
	said := sc
	s.dates(&said, o, sc.CustomerLang)
	s.payment(&said, o, sc.CustomerLang)
	sc.Lines = s.lines(&said, sc.CustomerLang, now, short)
	sc.History, err = history(ctx, q, o.ID, lang)
	if err != nil {
		return Script{}, fmt.Errorf("script of call-back %d: %w", taskID, err)
	}
	return sc, nil
}

// dates writes the order's promised days as the customer hears them.
func (s *Service) dates(sc *Script, o *order.Order, lang i18n.Lang) {
	day := func(v string) calendar.Day {
		d, err := calendar.ParseDay(v)
		if err != nil {
			return 0
		}
		return d
	}
	production, ship, from, to := day(o.ProductionDate), day(o.ShipDate), day(o.DeliveryFrom), day(o.PromisedTo)
	if from == 0 || from > to {
		from = to // a day the shop gave alone is a window of one day
	}
	if production != 0 {
		sc.Production = i18n.FormatOnDay(lang, production)
	}
	if ship != 0 {
		sc.Ship = i18n.FormatOnDay(lang, ship)
	}
	if to != 0 {
		sc.Delivery = i18n.FormatOnRange(lang, from, to)
	}
}

// payment says how the order is paid.
func (s *Service) payment(sc *Script, o *order.Order, lang i18n.Lang) {
	sc.Total = i18n.Money(lang, o.TotalMinor, o.Currency)
	switch {
	case o.Payment.Method == "cod":
		sc.Payment, sc.PaymentText = PaymentCOD, i18n.Text(lang, "callback.payment.cod", nil)
	case o.Payment.Paid:
		sc.Payment, sc.PaymentText = PaymentReceived, i18n.Text(lang, "callback.payment.received", nil)
	case o.Payment.Method == "prepaid":
		sc.Payment, sc.PaymentText = PaymentAwaited, i18n.Text(lang, "callback.payment.awaited", nil)
	}
}

// lines writes the script to read out.
func (s *Service) lines(sc *Script, lang i18n.Lang, now time.Time, short []stock.OrderHold) []string {
	var out []string
	shop := s.settings.Shop.Name
	if sc.Customer.FirstName != "" {
		out = append(out, i18n.Text(lang, "callback.script.greeting", map[string]any{"Name": sc.Customer.FirstName, "Shop": shop}))
	} else {
		out = append(out, i18n.Text(lang, "callback.script.greeting_anonymous", map[string]any{"Shop": shop}))
	}
	out = append(out, ordered(lang, sc.OrderNumber, sc.PlacedAt, now.In(sc.PlacedAt.Location())))

	// Only what the shop's data says: which items wait for stock and
	// until when, which are made to order and when they are ready. The
	// rest ships on the ship day the next line names.
	out = append(out, shortLines(lang, short)...)
	made := 0
	for _, it := range sc.Items {
		if it.MadeToOrder {
			made++
		}
	}
	switch {
	case made > 0 && sc.Production != "":
		out = append(out, i18n.Text(lang, "callback.script.stock.made", map[string]any{"Count": made, "Day": sc.Production}))
	case made > 0:
		out = append(out, i18n.Text(lang, "callback.script.stock.made_undated", map[string]any{"Count": made}))
	}

	switch {
	case sc.Ship != "" && sc.Delivery != "":
		out = append(out, i18n.Text(lang, "callback.script.delivery", map[string]any{"Ship": sc.Ship, "Delivery": sc.Delivery}))
	case sc.Ship != "":
		out = append(out, i18n.Text(lang, "callback.script.ship", map[string]any{"Ship": sc.Ship}))
	default:
		out = append(out, i18n.Text(lang, "callback.script.no_dates", nil))
	}

	switch sc.Payment {
	case PaymentCOD:
		out = append(out, i18n.Text(lang, "callback.script.payment.cod", map[string]any{"Total": sc.Total}))
	case PaymentReceived:
		out = append(out, i18n.Text(lang, "callback.script.payment.received", map[string]any{"Total": sc.Total}))
	case PaymentAwaited:
		out = append(out, i18n.Text(lang, "callback.script.payment.awaited", map[string]any{"Total": sc.Total}))
	}

	place := strings.Join(nonEmpty(sc.Customer.City, sc.Customer.Country), ", ")
	switch {
	case !sc.NeedsAddress:
		out = append(out, i18n.Text(lang, "callback.script.address.confirm", map[string]any{"Address": sc.Address}))
	case place != "":
		out = append(out, i18n.Text(lang, "callback.script.address.ask", map[string]any{"Place": place}))
	default:
		out = append(out, i18n.Text(lang, "callback.script.address.ask_any", nil))
	}

	if len(sc.Windows) > 0 {
		labels := make([]string, len(sc.Windows))
		for i, w := range sc.Windows {
			labels[i] = w.Label
		}
		out = append(out, i18n.Text(lang, "callback.script.window", map[string]any{"Windows": strings.Join(labels, ", ")}))
	}
	return append(out, i18n.Text(lang, "callback.script.thanks", nil))
}

// ordered says when the order was placed, in the customer's time: today,
// yesterday, or on a day.
func ordered(lang i18n.Lang, number string, placed, now time.Time) string {
	data := map[string]any{"Number": number, "Time": placed.Format("15:04")}
	switch calendar.DayOf(now) - calendar.DayOf(placed) {
	case 0:
		return i18n.Text(lang, "callback.script.ordered.today", data)
	case 1:
		return i18n.Text(lang, "callback.script.ordered.yesterday", data)
	}
	data["Day"] = i18n.FormatOnDay(lang, calendar.DayOf(placed))
	return i18n.Text(lang, "callback.script.ordered.date", data)
}

// history returns the call-back notes of an order, oldest first.
func history(ctx context.Context, q store.Querier, orderID int64, lang i18n.Lang) ([]Attempt, error) {
	notes, err := order.Notes(ctx, q, orderID)
	if err != nil {
		return nil, err
	}
	var out []Attempt
	for _, n := range notes {
		switch n.Kind {
		case NoteReached, NoteNoAnswer, NoteWrongNumber:
			out = append(out, Attempt{At: n.CreatedAt, Kind: n.Kind, Outcome: OutcomeText(lang, n.Kind), Body: n.Body, Author: n.Author})
		}
	}
	return out, nil
}

// OutcomeText names a call-back note's kind (or a task outcome) in lang:
// "reached", "no answer", "wrong number".
func OutcomeText(lang i18n.Lang, kind string) string {
	switch strings.TrimPrefix(kind, "callback_") {
	case string(task.Reached):
		return i18n.Text(lang, "callback.outcome.reached", nil)
	case string(task.NoAnswer):
		return i18n.Text(lang, "callback.outcome.no_answer", nil)
	case string(task.WrongNumber):
		return i18n.Text(lang, "callback.outcome.wrong_number", nil)
	}
	return kind
}

// AttemptsText says how many calls were made: "2 calls", "2 звонка".
func AttemptsText(lang i18n.Lang, n int) string {
	return i18n.Text(lang, "callback.attempts", map[string]any{"Count": n})
}

func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
