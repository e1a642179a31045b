package campaign

import (
	"context"
)

// Part "results": what came of a campaign and of the marketing flows.

// resultsState is the results part's state in the Service.
type resultsState struct{}

func (r *resultsState) init(s *Service) {}

// Results are what came of a campaign (or of a variant of it).
type Results struct {
	Sent         int64
	Delivered    int64 // sent and not bounced
	Bounced      int64
	Complained   int64
	Unsubscribed int64
	// Clicked is the customers who clicked a link (mail scanners'
	// clicks do not count); Clicks every counted click.
	Clicked int64
	Clicks  int64
	// Orders and RevenueMinor are the orders attributed to the campaign:
	// placed by a recipient within AttributionDays of a click on it, else
	// of its message (first-party: the order's customer and time).
	Orders       int64
	RevenueMinor int64
	// RevenuePerMessageMinor is RevenueMinor / Sent.
	RevenuePerMessageMinor int64
	CostMinor              int64
	// Variants are the A/B test's variants' own results (a, b, and the
	// rest's winner); empty without a test.
	Variants []VariantResults
	// Holdout is the holdout group's orders and revenue, and the revenue
	// the campaign added over it; nil without a holdout.
	Holdout *HoldoutResults
}

// VariantResults are one variant's results.
type VariantResults struct {
	Variant      string
	Sent         int64
	Clicked      int64
	Orders       int64
	RevenueMinor int64
}

// HoldoutResults compare the holdout group with those who got the
// campaign.
type HoldoutResults struct {
	Customers    int64
	Orders       int64
	RevenueMinor int64
	// IncrementalMinor is the revenue the campaign added: its recipients'
	// revenue less the holdout's scaled to their number.
	IncrementalMinor int64
}

// Results returns what came of campaign id so far.
func (s *Service) Results(ctx context.Context, id int64) (Results, error) {
	return Results{}, errNotBuilt
}

// FlowResults are what came of one marketing flow (a playbook rule whose
// messages are marketing: welcome, win_back, birthday…) over a period.
type FlowResults struct {
	Rule string
	Results
}
