package event

import "time"

// ConversationOpenedPayload is the payload of conversation.opened.
type ConversationOpenedPayload struct {
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

// EventKind returns ConversationOpened.
func (ConversationOpenedPayload) EventKind() Kind { return ConversationOpened }

// MessageReceivedPayload is the payload of message.received.
type MessageReceivedPayload struct {
	ConversationID int64  `json:"conversation_id"`
	MessageID      int64  `json:"message_id"`
	Channel        string `json:"channel"`
	Language       string `json:"language"`
	// Auto is auto_reply or bounce for a machine's message, "" for a
	// person's.
	Auto string `json:"auto,omitempty"`
}

// EventKind returns MessageReceived.
func (MessageReceivedPayload) EventKind() Kind { return MessageReceived }

// ConversationOverduePayload is the payload of conversation.overdue.
type ConversationOverduePayload struct {
	ConversationID int64     `json:"conversation_id"`
	DueAt          time.Time `json:"due_at"`
	// First is true when no answer at all has been given yet.
	First bool `json:"first"`
}

// EventKind returns ConversationOverdue.
func (ConversationOverduePayload) EventKind() Kind { return ConversationOverdue }

// ExperienceNegativePayload is the payload of experience.negative: what
// went wrong for the customer, for the experience register.
type ExperienceNegativePayload struct {
	Cause          string `json:"cause"`
	ConversationID int64  `json:"conversation_id,omitempty"`
	// SurveyID is the survey of a low score (cause low_score).
	SurveyID int64 `json:"survey_id,omitempty"`
	// TaskID is the call-back that reached nobody (causes missed_callback,
	// wrong_number).
	TaskID int64 `json:"task_id,omitempty"`
	// MessageID is the message no channel carried (cause unreachable).
	MessageID int64 `json:"message_id,omitempty"`
}

// EventKind returns ExperienceNegative.
func (ExperienceNegativePayload) EventKind() Kind { return ExperienceNegative }
