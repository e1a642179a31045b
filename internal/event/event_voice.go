package event

// The customer's voice: surveys, reviews, the negative-experience
// register and the "first to know" club.

// ExperienceRecordedPayload is the payload of experience.recorded: a new
// row of the negative-experience register.
type ExperienceRecordedPayload struct {
	ExperienceID int64 `json:"experience_id"`
	// Kind is one of late_delivery, broken_promise, unanswered_message,
	// missed_callback, low_score, cancelled_by_shop, unreachable.
	Kind string `json:"kind"`
	// Count is how many negative experiences the customer has had in the
	// register's recent window, this one included.
	Count int `json:"count"`
}

// EventKind returns ExperienceRecorded.
func (ExperienceRecordedPayload) EventKind() Kind { return ExperienceRecorded }

// SurveyAnsweredPayload is the payload of survey.answered.
type SurveyAnsweredPayload struct {
	SurveyID int64 `json:"survey_id"`
	// Kind is nps (0–10) or csat (1–5); Trigger what asked: delivery or
	// conversation.
	Kind    string `json:"kind"`
	Trigger string `json:"trigger"`
	Score   int    `json:"score"`
	// Previous is the score it replaced, when the customer changed it.
	Previous *int `json:"previous,omitempty"`
}

// EventKind returns SurveyAnswered.
func (SurveyAnsweredPayload) EventKind() Kind { return SurveyAnswered }

// ReviewSubmittedPayload is the payload of review.submitted.
type ReviewSubmittedPayload struct {
	ReviewID int64  `json:"review_id"`
	SKU      string `json:"sku"`
	Rating   int    `json:"rating"`
	Photo    bool   `json:"photo"`
}

// EventKind returns ReviewSubmitted.
func (ReviewSubmittedPayload) EventKind() Kind { return ReviewSubmitted }

// ReviewPublishedPayload is the payload of review.published.
type ReviewPublishedPayload struct {
	ReviewID int64  `json:"review_id"`
	SKU      string `json:"sku"`
	Rating   int    `json:"rating"`
}

// EventKind returns ReviewPublished.
func (ReviewPublishedPayload) EventKind() Kind { return ReviewPublished }

// InsiderJoinedPayload is the payload of insider.joined.
type InsiderJoinedPayload struct {
	ProjectID int64  `json:"project_id"`
	Source    string `json:"source"`
}

// EventKind returns InsiderJoined.
func (InsiderJoinedPayload) EventKind() Kind { return InsiderJoined }
