package event

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Kind names what happened.
type Kind string

// The kinds of event shopcare writes.
const (
	// OrderCreated: an order was taken in (OrderCreatedPayload).
	OrderCreated Kind = "order.created"
	// OrderStatusChanged: an order moved to another status
	// (OrderStatusChangedPayload).
	OrderStatusChanged Kind = "order.status_changed"
	// OrderPromiseDue: an order's promised delivery day has come and it is
	// not delivered (OrderPromiseDuePayload).
	OrderPromiseDue Kind = "order.promise_due"
	// OrderPromiseChanged: the promised dates moved; the payload says why
	// (OrderPromiseChangedPayload).
	OrderPromiseChanged Kind = "order.promise_changed"
	// OrderChanged: the shop changed an order's address, payment, items,
	// carrier or customer contact (PATCH /orders/{id}); the payload names
	// the fields and carries figures only, no personal data
	// (OrderChangedPayload).
	OrderChanged Kind = "order.changed"
	// OrderLate: the order is past its promised day and the grace, not
	// delivered; once per order (OrderLatePayload).
	OrderLate Kind = "order.late"
	// OrderReturnRequested: the customer asked, on their own page, to
	// return some of a delivered order's items
	// (OrderReturnRequestedPayload).
	OrderReturnRequested Kind = "order.return_requested"
	// ParcelStatusChanged: a parcel moved to another normalised status
	// (ParcelStatusChangedPayload).
	ParcelStatusChanged Kind = "parcel.status_changed"
	// ParcelWaiting: a parcel has waited at the pickup point for some
	// days (a pickup reminder is due) (ParcelWaitingPayload).
	ParcelWaiting Kind = "parcel.waiting"
	// ParcelStuck: a parcel on its way has had no carrier event for too
	// long (ParcelStuckPayload).
	ParcelStuck Kind = "parcel.stuck"
	// LoyaltyTierChanged: a customer moved to another club tier; the
	// payload has from, to and whether it was up
	// (LoyaltyTierChangedPayload).
	LoyaltyTierChanged Kind = "loyalty.tier_changed"
	// LoyaltyPointsCredited: points were given other than for a purchase
	// (a bonus, a referral, compensation, an operator's grant)
	// (LoyaltyPointsCreditedPayload).
	LoyaltyPointsCredited Kind = "loyalty.points_credited"
	// LoyaltyPointsExpiring: some of a customer's points lapse soon
	// (LoyaltyPointsExpiringPayload).
	LoyaltyPointsExpiring Kind = "loyalty.points_expiring"
	// CustomerChanged: a customer's profile or consents changed; the
	// payload names the fields, not their values (CustomerChangedPayload).
	CustomerChanged Kind = "customer.changed"
	// CustomerErased: a customer's personal data was erased on request
	// (GDPR art. 17, 152-FZ); the payload counts what was erased
	// (CustomerErasedPayload).
	CustomerErased Kind = "customer.erased"
	// CustomerSegmentEntered: the CLV scoring moved a customer into a
	// win-back segment (at_risk, drifting, likely_lost)
	// (CustomerSegmentEnteredPayload).
	CustomerSegmentEntered Kind = "customer.segment_entered"
	// ConversationOpened: a customer's message opened a conversation in
	// the support inbox (ConversationOpenedPayload).
	ConversationOpened Kind = "conversation.opened"
	// MessageReceived: a customer's message was stored in a conversation
	// (MessageReceivedPayload).
	MessageReceived Kind = "message.received"
	// ConversationOverdue: a conversation's answer is past its response
	// target; once per awaited answer (ConversationOverduePayload).
	ConversationOverdue Kind = "conversation.overdue"
	// ExperienceNegative: something went wrong for the customer, for the
	// experience register; the payload names the cause
	// (ExperienceNegativePayload).
	ExperienceNegative Kind = "experience.negative"
	// ExperienceRecorded: the negative-experience register recorded a new
	// row on the customer, of one of the register's kinds
	// (ExperienceRecordedPayload).
	ExperienceRecorded Kind = "experience.recorded"
	// SurveyAnswered: a customer's score of a survey was confirmed, or
	// changed (SurveyAnsweredPayload).
	SurveyAnswered Kind = "survey.answered"
	// ReviewSubmitted: a customer wrote a product review; it awaits
	// moderation (ReviewSubmittedPayload).
	ReviewSubmitted Kind = "review.submitted"
	// ReviewPublished: the shop published a review (ReviewPublishedPayload).
	ReviewPublished Kind = "review.published"
	// InsiderJoined: a customer joined a project of the "first to know"
	// club (InsiderJoinedPayload).
	InsiderJoined Kind = "insider.joined"
	// CampaignStarted: a campaign began sending to its audience, evaluated
	// then (CampaignStartedPayload).
	CampaignStarted Kind = "campaign.started"
	// CampaignFinished: a campaign has nobody left to send to, or was
	// cancelled (CampaignFinishedPayload).
	CampaignFinished Kind = "campaign.finished"
	// StockShort: an order came in with items not on hand
	// (StockShortPayload).
	StockShort Kind = "stock.short"
	// StockFilled: every item an order waited for is held for it now
	// (StockFilledPayload).
	StockFilled Kind = "stock.filled"
	// StockResolved: an operator settled an order's missing items with
	// the customer (StockResolvedPayload).
	StockResolved Kind = "stock.resolved"
	// StockBack: an item a customer asked about is back in stock
	// (StockBackPayload).
	StockBack Kind = "stock.back_in_stock"
)

// Payload is the payload of an event: each payload type answers the kind
// it belongs to.
type Payload interface {
	EventKind() Kind
}

// spec is what the package knows of a kind.
type spec struct {
	// version is the version of the payload's shape.
	version int
	// payload returns a pointer to a zero payload of the kind.
	payload func() Payload
}

// specs lists every kind. A new kind is added here, with its payload type
// and a golden row in testdata.
var specs = map[Kind]spec{
	OrderCreated:           {1, func() Payload { return new(OrderCreatedPayload) }},
	OrderStatusChanged:     {1, func() Payload { return new(OrderStatusChangedPayload) }},
	OrderPromiseDue:        {1, func() Payload { return new(OrderPromiseDuePayload) }},
	OrderPromiseChanged:    {1, func() Payload { return new(OrderPromiseChangedPayload) }},
	OrderChanged:           {1, func() Payload { return new(OrderChangedPayload) }},
	OrderLate:              {1, func() Payload { return new(OrderLatePayload) }},
	OrderReturnRequested:   {1, func() Payload { return new(OrderReturnRequestedPayload) }},
	ParcelStatusChanged:    {1, func() Payload { return new(ParcelStatusChangedPayload) }},
	ParcelWaiting:          {1, func() Payload { return new(ParcelWaitingPayload) }},
	ParcelStuck:            {1, func() Payload { return new(ParcelStuckPayload) }},
	LoyaltyTierChanged:     {1, func() Payload { return new(LoyaltyTierChangedPayload) }},
	LoyaltyPointsCredited:  {1, func() Payload { return new(LoyaltyPointsCreditedPayload) }},
	LoyaltyPointsExpiring:  {1, func() Payload { return new(LoyaltyPointsExpiringPayload) }},
	CustomerChanged:        {1, func() Payload { return new(CustomerChangedPayload) }},
	CustomerErased:         {1, func() Payload { return new(CustomerErasedPayload) }},
	CustomerSegmentEntered: {1, func() Payload { return new(CustomerSegmentEnteredPayload) }},
	ConversationOpened:     {1, func() Payload { return new(ConversationOpenedPayload) }},
	MessageReceived:        {1, func() Payload { return new(MessageReceivedPayload) }},
	ConversationOverdue:    {1, func() Payload { return new(ConversationOverduePayload) }},
	ExperienceNegative:     {1, func() Payload { return new(ExperienceNegativePayload) }},
	ExperienceRecorded:     {1, func() Payload { return new(ExperienceRecordedPayload) }},
	SurveyAnswered:         {1, func() Payload { return new(SurveyAnsweredPayload) }},
	ReviewSubmitted:        {1, func() Payload { return new(ReviewSubmittedPayload) }},
	ReviewPublished:        {1, func() Payload { return new(ReviewPublishedPayload) }},
	InsiderJoined:          {1, func() Payload { return new(InsiderJoinedPayload) }},
	CampaignStarted:        {1, func() Payload { return new(CampaignStartedPayload) }},
	CampaignFinished:       {1, func() Payload { return new(CampaignFinishedPayload) }},
	StockShort:             {1, func() Payload { return new(StockShortPayload) }},
	StockFilled:            {1, func() Payload { return new(StockFilledPayload) }},
	StockResolved:          {1, func() Payload { return new(StockResolvedPayload) }},
	StockBack:              {1, func() Payload { return new(StockBackPayload) }},
}

// Kinds returns every kind shopcare writes, sorted.
func Kinds() []Kind {
	kinds := make([]Kind, 0, len(specs))
	for k := range specs {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return kinds
}

// Known tells whether shopcare writes events of kind k.
func (k Kind) Known() bool {
	_, ok := specs[k]
	return ok
}

// Version is the version of the shape of k's payload, from 1; 0 for a kind
// shopcare does not write. It rises only when a payload changes in a way
// that is not adding a field.
func (k Kind) Version() int { return specs[k].version }

// Encode returns p as stored in the journal and sent in webhooks.
func Encode(p Payload) (json.RawMessage, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode %s payload: %w", p.EventKind(), err)
	}
	return b, nil
}

// Decode reads a stored payload of kind k into a new value of k's payload
// type, returned as a pointer (*OrderCreatedPayload for OrderCreated).
func Decode(k Kind, data []byte) (Payload, error) {
	s, ok := specs[k]
	if !ok {
		return nil, fmt.Errorf("decode payload: unknown event kind %q", k)
	}
	p := s.payload()
	if err := json.Unmarshal(data, p); err != nil {
		return nil, fmt.Errorf("decode %s payload: %w", k, err)
	}
	return p, nil
}
