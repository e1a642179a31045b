package inbox

// The causes of a negative experience the inbox records
// (event.ExperienceNegativePayload).
const (
	// CauseUnanswered: the customer's message waited past the response
	// target.
	CauseUnanswered = "unanswered"
)
