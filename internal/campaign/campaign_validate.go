package campaign

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Bounds of a campaign.
const (
	maxName     = 200
	maxTestWait = 7 * 24 * time.Hour
	maxWindow   = 7 * 24 * time.Hour
)

// check validates in against the shop's settings and languages, naming
// each field as the API does; it changes nothing but trims the name.
func (s *Service) check(in *Input, now time.Time) error {
	var errs invalid.List
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		errs.Add("name", "required", "name the campaign (the customers never see it)")
	case len(in.Name) > maxName:
		errs.Add("name", "too_long", "at most %d bytes", maxName)
	default:
		errs.CheckText("name", in.Name)
	}
	if !slices.Contains(Channels, in.Channel) {
		errs.Add("channel", "invalid", "%q is not a campaign channel: %s", in.Channel, strings.Join(Channels, ", "))
	}
	s.checkAudience(&errs, "audience", in.Audience)
	langs := s.deps.Settings.Shop.Languages
	if len(in.Content) == 0 {
		errs.Add("content", "required", "write the message in at least one of the shop's languages (%s)", strings.Join(langs, ", "))
	}
	for _, lang := range sortedKeys(in.Content) {
		if !slices.Contains(langs, lang) {
			errs.Add("content."+lang, "invalid", "%q is not one of the shop's languages (%s)", lang, strings.Join(langs, ", "))
		}
	}
	s.checkContent(&errs, "content", in.Channel, in.Content)
	if in.Test.Share > 0 || len(in.VariantB) > 0 {
		switch {
		case in.Test.Share < 0 || in.Test.Share > 100:
			errs.Add("test.share", "invalid", "must be a percent between 1 and 100")
		case in.Test.Share == 0:
			errs.Add("test.share", "required", "say which share of the audience tests the two variants")
		}
		if in.Test.Metric != MetricClicks && in.Test.Metric != MetricOrders {
			errs.Add("test.metric", "invalid", "%q is not clicks or orders (the winner is never picked by opens)", in.Test.Metric)
		}
		if in.Test.Wait <= 0 || in.Test.Wait > maxTestWait {
			errs.Add("test.wait", "invalid", "must be between 1 second and %s", maxTestWait)
		}
		if len(in.VariantB) == 0 {
			errs.Add("variant_b", "required", "an A/B test needs the second variant's content")
		}
		s.checkContent(&errs, "variant_b", in.Channel, in.VariantB)
		if in.Channel == Paper {
			errs.Add("test", "invalid", "a paper campaign has no A/B test: nothing on paper can be clicked in time")
		}
	}
	if in.Holdout < 0 || in.Holdout > 50 {
		errs.Add("holdout", "invalid", "must be a percent between 0 and 50")
	}
	switch in.Schedule {
	case "":
		in.Schedule = Now
	case Now, CustomerMorning:
	case At:
		if in.SendAt == nil {
			errs.Add("send_at", "required", "say when to send (schedule at)")
		} else if !invalid.InRange(*in.SendAt) {
			errs.Add("send_at", "invalid", "is out of range")
		}
	default:
		errs.Add("schedule", "invalid", "%q is not now, customer_morning or a time", in.Schedule)
	}
	if in.Window < 0 || in.Window > maxWindow {
		errs.Add("window", "invalid", "must be between 0 and %s", maxWindow)
	}
	if in.AttributionDays < 0 || in.AttributionDays > 90 {
		errs.Add("attribution_days", "invalid", "must be between 1 and 90 days")
	}
	if in.CostMinor < 0 {
		errs.Add("cost", "invalid", "must not be negative")
	}
	return errs.Err()
}

// sortedKeys returns the languages of c in order, for errors in a stable
// order.
func sortedKeys(c Contents) []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// StateError is a change a campaign's status does not allow (editing a
// sent campaign, resuming one that is not paused): 409 in the API.
type StateError struct {
	ID     int64
	Status Status
	Want   []Status
}

func (e *StateError) Error() string {
	want := make([]string, len(e.Want))
	for i, w := range e.Want {
		want[i] = string(w)
	}
	return fmt.Sprintf("campaign %d is %s; only a campaign that is %s can do that", e.ID, e.Status, strings.Join(want, " or "))
}

// checkStatus is the error of a change a campaign in its status cannot
// take, or nil.
func checkStatus(c *Campaign, want ...Status) error {
	if slices.Contains(want, c.Status) {
		return nil
	}
	return &StateError{ID: c.ID, Status: c.Status, Want: want}
}
