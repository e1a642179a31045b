package event

// CampaignStartedPayload is the payload of campaign.started.
type CampaignStartedPayload struct {
	CampaignID int64  `json:"campaign_id"`
	Name       string `json:"name"`
	// Channel is email, sms, telegram or paper.
	Channel string `json:"channel"`
	// AudienceSize is how many customers the audience held when it
	// started, consent or not.
	AudienceSize int64 `json:"audience_size"`
}

// EventKind returns CampaignStarted.
func (CampaignStartedPayload) EventKind() Kind { return CampaignStarted }

// CampaignFinishedPayload is the payload of campaign.finished.
type CampaignFinishedPayload struct {
	CampaignID int64 `json:"campaign_id"`
	Sent       int64 `json:"sent"`
	Failed     int64 `json:"failed"`
	Suppressed int64 `json:"suppressed"`
	// Cancelled is true when the shop stopped it before the end.
	Cancelled bool `json:"cancelled"`
}

// EventKind returns CampaignFinished.
func (CampaignFinishedPayload) EventKind() Kind { return CampaignFinished }
