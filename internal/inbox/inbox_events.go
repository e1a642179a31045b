package inbox

import "time"

// OpenedPayload is the payload of journal.ConversationOpened.
type OpenedPayload struct {
	ConversationID int64  `json:"conversation_id"`
	Channel        string `json:"channel"`
	Subject        string `json:"subject,omitempty"`
	Language       string `json:"language"`
	// Known is false for a sender no customer has the address of, until
	// an operator links the conversation.
	Known bool `json:"known"`
	// FirstResponseDue is when the first answer is due.
	FirstResponseDue time.Time `json:"first_response_due"`
}

// ReceivedPayload is the payload of journal.MessageReceived.
type ReceivedPayload struct {
	ConversationID int64  `json:"conversation_id"`
	MessageID      int64  `json:"message_id"`
	Channel        string `json:"channel"`
	Language       string `json:"language"`
	// Auto is auto_reply or bounce for a machine's message, "" for a
	// person's.
	Auto string `json:"auto,omitempty"`
}

// OverduePayload is the payload of journal.ConversationOverdue.
type OverduePayload struct {
	ConversationID int64     `json:"conversation_id"`
	DueAt          time.Time `json:"due_at"`
	// First is true when no answer at all has been given yet.
	First bool `json:"first"`
}

// The causes of a negative experience the inbox records.
const (
	// CauseUnanswered: the customer's message waited past the response
	// target.
	CauseUnanswered = "unanswered"
)

// ExperiencePayload is the payload of journal.ExperienceNegative: what
// went wrong for the customer, for the experience register.
type ExperiencePayload struct {
	Cause          string `json:"cause"`
	ConversationID int64  `json:"conversation_id,omitempty"`
}
