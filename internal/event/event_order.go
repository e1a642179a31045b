package event

import "time"

// OrderFacts are the figures of an order that the customer totals and the
// analytics roll-ups fold: the order events (created, status changed,
// changed) carry them first in their payload.
type OrderFacts struct {
	TotalMinor int64     `json:"total_minor"`
	Counted    bool      `json:"counted"` // counts toward spend: not cancelled or returned
	PlacedAt   time.Time `json:"placed_at"`
	// Uncounted is set on a status change that takes a counted order out
	// of the spend (cancelled, returned).
	Uncounted bool `json:"uncounted,omitempty"`
	// Recounted is set on a status change that brings an uncounted order
	// back into the spend (a cancelled order taken up again).
	Recounted bool `json:"recounted,omitempty"`
}

// OrderCreatedPayload is the payload of an order.created event.
type OrderCreatedPayload struct {
	OrderFacts
	ExternalID string `json:"external_id"`
	// Status is the order's status as taken in (order.Status).
	Status   string `json:"status"`
	Currency string `json:"currency"`
	// Source is where the order came from (order.Source).
	Source string `json:"source"`
}

// EventKind returns OrderCreated.
func (OrderCreatedPayload) EventKind() Kind { return OrderCreated }

// OrderStatusChangedPayload is the payload of an order.status_changed
// event; From and To are order statuses (order.Status).
type OrderStatusChangedPayload struct {
	OrderFacts
	From           string `json:"from"`
	To             string `json:"to"`
	Carrier        string `json:"carrier,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
	// Source is who moved the order (order.Source: api, admin, platform,
	// customer...); empty in events journaled before it was carried.
	Source string `json:"source,omitempty"`
}

// EventKind returns OrderStatusChanged.
func (OrderStatusChangedPayload) EventKind() Kind { return OrderStatusChanged }

// OrderPromiseDuePayload is the payload of an order.promise_due event: the
// promised last day of delivery (YYYY-MM-DD) and the order's status then.
type OrderPromiseDuePayload struct {
	PromisedTo string `json:"promised_to"`
	Status     string `json:"status"`
}

// EventKind returns OrderPromiseDue.
func (OrderPromiseDuePayload) EventKind() Kind { return OrderPromiseDue }

// PromiseDates are an order's promised dates as stored (YYYY-MM-DD; ""
// when the promise has no such date), the same fields as promise.Stored.
type PromiseDates struct {
	ProductionDate string `json:"production_date"`
	ShipDate       string `json:"ship_date"`
	DeliveryFrom   string `json:"delivery_from"`
	DeliveryTo     string `json:"delivery_to"`
}

// OrderPromiseChangedPayload is the payload of an order.promise_changed
// event.
type OrderPromiseChangedPayload struct {
	Reason string       `json:"reason"`
	Detail string       `json:"detail,omitempty"`
	Old    PromiseDates `json:"old"`
	New    PromiseDates `json:"new"`
}

// EventKind returns OrderPromiseChanged.
func (OrderPromiseChangedPayload) EventKind() Kind { return OrderPromiseChanged }

// OrderChangedPayload is the payload of an order.changed event. It names
// what changed and carries the order's figures, never personal data (the
// address, the contacts): the journal outlives an erasure.
type OrderChangedPayload struct {
	// OrderFacts carries the change of the total (TotalMinor is the
	// difference, Counted whether it counts toward the customer's spend).
	OrderFacts
	Fields []string `json:"fields"`
	// Source is who changed the order (order.Source).
	Source        string `json:"source"`
	Carrier       string `json:"carrier,omitempty"`
	PaymentMethod string `json:"payment_method,omitempty"`
	Paid          bool   `json:"paid"`
	NewTotalMinor int64  `json:"new_total_minor"`
	Items         int64  `json:"items"`
}

// EventKind returns OrderChanged.
func (OrderChangedPayload) EventKind() Kind { return OrderChanged }

// OrderLatePayload is the payload of an order.late event.
type OrderLatePayload struct {
	PromisedTo string `json:"promised_to"`
	DaysLate   int64  `json:"days_late"`
	// Status is the order's status (order.Status).
	Status  string `json:"status"`
	Carrier string `json:"carrier,omitempty"`
}

// EventKind returns OrderLate.
func (OrderLatePayload) EventKind() Kind { return OrderLate }

// OrderReturnRequestedPayload is the payload of an order.return_requested
// event. It carries the request's figures and reason code, not the
// customer's comment: the journal outlives an erasure.
type OrderReturnRequestedPayload struct {
	// RequestID is the return request (returns.Request).
	RequestID int64 `json:"request_id"`
	// Reason is the reason's code (damaged, wrong_item, not_as_described,
	// did_not_fit, changed_mind, other).
	Reason string `json:"reason"`
	// Lines and Units count the order's lines asked back and their units.
	Lines int64 `json:"lines"`
	Units int64 `json:"units"`
	// DeliveredOn is the shop-local day the order was delivered, and
	// DaysSinceDelivery how many days later the return was asked.
	DeliveredOn       string `json:"delivered_on"`
	DaysSinceDelivery int64  `json:"days_since_delivery"`
}

// EventKind returns OrderReturnRequested.
func (OrderReturnRequestedPayload) EventKind() Kind { return OrderReturnRequested }
