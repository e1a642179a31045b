package event

// CustomerChangedPayload is the payload of a customer.changed event: the
// names of the fields that changed, never their values (the journal
// outlives an erasure).
type CustomerChangedPayload struct {
	Fields []string `json:"fields"`
	Source string   `json:"source"`
}

// EventKind returns CustomerChanged.
func (CustomerChangedPayload) EventKind() Kind { return CustomerChanged }

// CustomerErasedPayload is the payload of a customer.erased event: what
// was erased, counted.
type CustomerErasedPayload struct {
	Fields []string         `json:"fields"`
	Rows   map[string]int64 `json:"rows"`
	Source string           `json:"source"`
}

// EventKind returns CustomerErased.
func (CustomerErasedPayload) EventKind() Kind { return CustomerErased }

// CustomerSegmentEnteredPayload is the payload of a
// customer.segment_entered event. PAlive is the probability, rounded to
// two places, that the customer is still a customer: the one figure that
// is not a whole number.
type CustomerSegmentEnteredPayload struct {
	Segment string  `json:"segment"`
	From    string  `json:"from"`
	PAlive  float64 `json:"p_alive"`
}

// EventKind returns CustomerSegmentEntered.
func (CustomerSegmentEnteredPayload) EventKind() Kind { return CustomerSegmentEntered }
