package event

// LoyaltyTierChangedPayload is the payload of loyalty.tier_changed; a tier
// of "" is none.
type LoyaltyTierChangedPayload struct {
	From string `json:"from"`
	To   string `json:"to"`
	Up   bool   `json:"up"`
}

// EventKind returns LoyaltyTierChanged.
func (LoyaltyTierChangedPayload) EventKind() Kind { return LoyaltyTierChanged }

// LoyaltyPointsCreditedPayload is the payload of loyalty.points_credited.
type LoyaltyPointsCreditedPayload struct {
	TransactionID int64 `json:"transaction_id"`
	// Kind is the ledger entry's kind (loyalty.Kind).
	Kind   string `json:"kind"`
	Points int64  `json:"points"`
	Reason string `json:"reason,omitempty"`
	// CouponID is the coupon granted with the points, if any.
	CouponID int64 `json:"coupon_id,omitempty"`
	// Silent says the grant comes with a message of its own (a playbook
	// rule's apology), so no separate one is sent.
	Silent bool `json:"silent,omitempty"`
}

// EventKind returns LoyaltyPointsCredited.
func (LoyaltyPointsCreditedPayload) EventKind() Kind { return LoyaltyPointsCredited }

// LoyaltyPointsExpiringPayload is the payload of loyalty.points_expiring:
// Points lapse on On (YYYY-MM-DD, the shop's calendar) unless spent.
type LoyaltyPointsExpiringPayload struct {
	Points int64  `json:"points"`
	On     string `json:"on"`
}

// EventKind returns LoyaltyPointsExpiring.
func (LoyaltyPointsExpiringPayload) EventKind() Kind { return LoyaltyPointsExpiring }
