package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
)

// campaignBody is a campaign as the API writes it (POST and PATCH).
type campaignBody struct {
	Name     string                      `json:"name" doc:"The campaign's name for the shop (customers never see it)."`
	Channel  string                      `json:"channel" doc:"email, sms, telegram or paper."`
	Audience campaign.Audience           `json:"audience" doc:"Who it is for: all, segment, tier, club, club_project, rfm, min_clv, max_clv, product, category, languages, countries, saved; given criteria combine with AND."`
	Content  map[string]campaign.Content `json:"content" doc:"The message per shop language (ru, lv, en): subject, text, html, markdown; templates with the journey's data and functions."`
	VariantB map[string]campaign.Content `json:"variant_b,omitempty" doc:"The A/B test's second content."`
	Test     *campaignTestJSON           `json:"test,omitempty"`
	Holdout  int                         `json:"holdout,omitempty" doc:"Percent of the audience (0–50) that gets nothing: the baseline of the incremental revenue."`
	Schedule string                      `json:"schedule,omitempty" doc:"now (default), customer_morning, or a time (RFC 3339) to send from."`
	Window   string                      `json:"window,omitempty" doc:"How long to spread the sends over: 90m, 6h, 2d (at most 7d)."`
	// TrackClicks is nil for the shop's setting campaigns.track_clicks.
	TrackClicks     *bool `json:"track_clicks,omitempty" doc:"Rewrite the links to count clicks; the shop's setting when left out."`
	AttributionDays int   `json:"attribution_days,omitempty" doc:"Days after a click (else the message) an order counts for the campaign; the shop's setting when left out."`
	Cost            any   `json:"cost,omitempty" doc:"What the campaign cost, in the shop's currency (paper: print and postage), for its return on investment: a number or a decimal string."`
}

// campaignTestJSON is an A/B test.
type campaignTestJSON struct {
	Share  int    `json:"share" doc:"Percent of the audience (1–100) that tests the two variants, half each."`
	Metric string `json:"metric" doc:"clicks or orders: what picks the winner."`
	Wait   string `json:"wait" doc:"How long after the test's sends the winner is picked: 2h, 1d."`
}

// inputOf is campaign c as an Input, what a PATCH starts from.
func inputOf(c *campaign.Campaign) campaign.Input {
	track := c.TrackClicks
	return campaign.Input{Name: c.Name, Channel: c.Channel, Audience: c.Audience, Content: c.Content, VariantB: c.VariantB,
		Test: c.Test, Holdout: c.Holdout, Schedule: c.Schedule, SendAt: c.SendAt, Window: c.Window, TrackClicks: &track,
		AttributionDays: c.AttributionDays, CostMinor: c.CostMinor, CreatedBy: c.CreatedBy}
}

// input is in with the fields the body sent (sent names them by their
// JSON keys) replaced by the body's.
func (b *campaignBody) input(in campaign.Input, sent map[string]bool, currency string) (campaign.Input, error) {
	var errs invalid.List
	if sent["name"] {
		in.Name = b.Name
	}
	if sent["channel"] {
		in.Channel = b.Channel
	}
	if sent["audience"] {
		in.Audience = b.Audience
	}
	if sent["content"] {
		in.Content = b.Content
	}
	if sent["variant_b"] {
		in.VariantB = b.VariantB
	}
	if sent["test"] {
		in.Test = campaign.Test{}
		if b.Test != nil {
			in.Test.Share, in.Test.Metric = b.Test.Share, b.Test.Metric
			if b.Test.Wait != "" {
				d, err := config.ParseDuration(b.Test.Wait)
				if err != nil {
					errs.Add("test.wait", "invalid", "%v", err)
				}
				in.Test.Wait = d
			}
		}
	}
	if sent["holdout"] {
		in.Holdout = b.Holdout
	}
	if sent["schedule"] {
		in.Schedule, in.SendAt = b.Schedule, nil
		switch b.Schedule {
		case "", campaign.Now, campaign.CustomerMorning:
		default:
			at, err := time.Parse(time.RFC3339, b.Schedule)
			if err != nil {
				errs.Add("schedule", "invalid", "%q is not now, customer_morning or a time (RFC 3339: 2026-12-01T09:00:00+03:00)", b.Schedule)
			} else {
				in.Schedule, in.SendAt = campaign.At, &at
			}
		}
	}
	if sent["window"] {
		in.Window = 0
		if b.Window != "" {
			d, err := config.ParseDuration(b.Window)
			if err != nil {
				errs.Add("window", "invalid", "%v", err)
			}
			in.Window = d
		}
	}
	if sent["track_clicks"] {
		in.TrackClicks = b.TrackClicks
	}
	if sent["attribution_days"] {
		in.AttributionDays = b.AttributionDays
	}
	if sent["cost"] {
		in.CostMinor = 0
		var text string
		switch v := b.Cost.(type) {
		case json.Number:
			text = v.String()
		case string:
			text = v
		default:
			errs.Add("cost", "wrong_type", "must be an amount: a number or a decimal string")
		}
		if text != "" {
			v, err := money.Parse(text, money.Scale(currency))
			if err != nil {
				errs.Add("cost", "invalid", "%q is not an amount of %s", text, currency)
			}
			in.CostMinor = v
		}
	}
	return in, errs.Err()
}

// strictBody decodes a JSON object into v as decode does, and refuses a
// field v does not have, at any depth, naming it (422 "unknown"), rather
// than ignoring a typo such as "shedule". It returns the top level's
// keys that were sent, with a value other than null.
func strictBody(r *http.Request, v any) (map[string]bool, error) {
	body, err := jsonBody(r)
	if err != nil {
		return nil, err
	}
	if err := decodeJSON(bytes.NewReader(body), v); err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, invalid.Field("", "malformed_json", "the body must be a JSON object")
	}
	if err := knownFields(body, reflect.TypeOf(v), ""); err != nil {
		return nil, err
	}
	sent := map[string]bool{}
	for k, raw := range top {
		sent[k] = string(bytes.TrimSpace(raw)) != "null"
	}
	return sent, nil
}

// knownFields checks that every key of the JSON object raw is a field of
// the struct type t (through pointers, maps and slices), naming the first
// unknown one by its path.
func knownFields(raw []byte, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			return nil
		}
		obj, ok := decoded[map[string]json.RawMessage](raw)
		if !ok {
			return nil // decode has named the type error
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if !sf.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			fields[name] = sf.Type
			names = append(names, name)
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				return invalid.Field(joinPath(path, k), "unknown", "is not a field here; the fields are %s", strings.Join(names, ", "))
			}
			if err := knownFields(obj[k], ft, joinPath(path, k)); err != nil {
				return err
			}
		}
	case reflect.Map:
		obj, ok := decoded[map[string]json.RawMessage](raw)
		if !ok {
			return nil
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := knownFields(obj[k], t.Elem(), joinPath(path, k)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		list, ok := decoded[[]json.RawMessage](raw)
		if !ok {
			return nil
		}
		for i, item := range list {
			if err := knownFields(item, t.Elem(), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	}
	return nil
}

// campaignJSON is a campaign as the API answers it.
type campaignJSON struct {
	ID              int64                       `json:"id"`
	Name            string                      `json:"name"`
	Channel         string                      `json:"channel"`
	Status          campaign.Status             `json:"status" doc:"draft, scheduled, sending, paused, sent or cancelled."`
	StatusReason    string                      `json:"status_reason,omitempty" doc:"Why it paused or stopped, when the machinery did it."`
	Audience        campaign.Audience           `json:"audience"`
	Content         map[string]campaign.Content `json:"content"`
	VariantB        map[string]campaign.Content `json:"variant_b,omitempty"`
	Test            *campaignTestJSON           `json:"test,omitempty"`
	Winner          string                      `json:"winner,omitempty" doc:"The A/B test's winning variant, once picked."`
	Holdout         int                         `json:"holdout"`
	Schedule        string                      `json:"schedule" doc:"now, customer_morning, or the time to send from (RFC 3339)."`
	Window          string                      `json:"window,omitempty"`
	TrackClicks     bool                        `json:"track_clicks"`
	AttributionDays int                         `json:"attribution_days"`
	Cost            string                      `json:"cost" doc:"What it cost, in the shop's currency."`
	AudienceSize    int64                       `json:"audience_size" doc:"The customers the audience held when it started (consent or not)."`
	// The progress: the recipients by status (0 for a draft).
	Sent         int64            `json:"sent"`
	Failed       int64            `json:"failed"`
	Suppressed   int64            `json:"suppressed" doc:"Not sent: no consent, unsubscribed, bounced, complained, the frequency cap, no address."`
	Suppressions map[string]int64 `json:"suppressions,omitempty" doc:"The suppressed by reason: no_consent, unsubscribed, bounced, complained, frequency_cap, no_address."`
	Pending      int64            `json:"pending"`
	Waiting      int64            `json:"waiting" doc:"The rest of an A/B test's audience, waiting for the winner."`
	Held         int64            `json:"held" doc:"The holdout group: never sent."`
	Results      *resultsJSON     `json:"results,omitempty" doc:"What came of it; absent for a draft."`
	CreatedBy    string           `json:"created_by,omitempty"`
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
	StartedAt    *time.Time       `json:"started_at,omitempty"`
	FinishedAt   *time.Time       `json:"finished_at,omitempty"`
}

// campaignsJSON is a page of campaigns.
type campaignsJSON struct {
	Campaigns  []campaignJSON `json:"campaigns"`
	NextCursor string         `json:"next_cursor" doc:"The cursor of the next page; empty on the last."`
}

// resultsJSON are what came of a campaign; money in the shop's currency.
type resultsJSON struct {
	Sent              int64                `json:"sent"`
	Delivered         int64                `json:"delivered" doc:"Sent and not bounced."`
	Bounced           int64                `json:"bounced"`
	Complained        int64                `json:"complained"`
	Unsubscribed      int64                `json:"unsubscribed"`
	Clicked           int64                `json:"clicked" doc:"Customers who clicked a link (mail scanners' clicks do not count)."`
	Clicks            int64                `json:"clicks"`
	Orders            int64                `json:"orders" doc:"Orders attributed: placed within attribution_days of a click, else of the message."`
	Revenue           string               `json:"revenue"`
	RevenuePerMessage string               `json:"revenue_per_message"`
	Cost              string               `json:"cost"`
	Variants          []variantResultsJSON `json:"variants,omitempty"`
	Holdout           *holdoutResultsJSON  `json:"holdout,omitempty"`
}

// variantResultsJSON are one variant's results.
type variantResultsJSON struct {
	Variant string `json:"variant"`
	Sent    int64  `json:"sent"`
	Clicked int64  `json:"clicked"`
	Orders  int64  `json:"orders"`
	Revenue string `json:"revenue"`
}

// holdoutResultsJSON compare the holdout group with the recipients.
type holdoutResultsJSON struct {
	Customers   int64  `json:"customers"`
	Orders      int64  `json:"orders"`
	Revenue     string `json:"revenue"`
	Incremental string `json:"incremental_revenue" doc:"The revenue the campaign added over the holdout, scaled to the recipients."`
}

// campaignView is c as the API shows it, times in the shop's zone.
func (h *Handler) campaignView(c *campaign.Campaign) campaignJSON {
	loc, scale := h.app.Settings.Shop.Location(), money.Scale(h.app.Settings.Shop.Currency)
	v := campaignJSON{ID: c.ID, Name: c.Name, Channel: c.Channel, Status: c.Status, StatusReason: c.StatusReason,
		Audience: c.Audience, Content: c.Content, VariantB: c.VariantB, Winner: c.Winner, Holdout: c.Holdout,
		Schedule: c.Schedule, TrackClicks: c.TrackClicks, AttributionDays: c.AttributionDays,
		Cost: money.Format(c.CostMinor, scale), AudienceSize: c.AudienceSize, CreatedBy: c.CreatedBy,
		CreatedAt: c.CreatedAt.In(loc), UpdatedAt: c.UpdatedAt.In(loc)}
	if v.Content == nil {
		v.Content = map[string]campaign.Content{}
	}
	if c.Test.Share > 0 {
		v.Test = &campaignTestJSON{Share: c.Test.Share, Metric: c.Test.Metric, Wait: c.Test.Wait.String()}
	}
	if c.Schedule == campaign.At && c.SendAt != nil {
		v.Schedule = c.SendAt.In(loc).Format(time.RFC3339)
	}
	if c.Window > 0 {
		v.Window = c.Window.String()
	}
	if c.StartedAt != nil {
		at := c.StartedAt.In(loc)
		v.StartedAt = &at
	}
	if c.FinishedAt != nil {
		at := c.FinishedAt.In(loc)
		v.FinishedAt = &at
	}
	return v
}

// progress adds p to v.
func (v *campaignJSON) progress(p campaign.Progress) {
	if p.AudienceSize > 0 {
		v.AudienceSize = p.AudienceSize
	}
	v.Sent, v.Failed, v.Suppressed, v.Pending, v.Waiting, v.Held = p.Sent, p.Failed, p.Suppressed, p.Pending+p.Sending, p.Waiting, p.Held
	if len(p.Suppressions) > 0 {
		v.Suppressions = p.Suppressions
	}
}

// resultsView is r in the API's shape.
func (h *Handler) resultsView(r campaign.Results) *resultsJSON {
	scale := money.Scale(h.app.Settings.Shop.Currency)
	out := &resultsJSON{Sent: r.Sent, Delivered: r.Delivered, Bounced: r.Bounced, Complained: r.Complained,
		Unsubscribed: r.Unsubscribed, Clicked: r.Clicked, Clicks: r.Clicks, Orders: r.Orders,
		Revenue: money.Format(r.RevenueMinor, scale), RevenuePerMessage: money.Format(r.RevenuePerMessageMinor, scale),
		Cost: money.Format(r.CostMinor, scale)}
	for _, vr := range r.Variants {
		out.Variants = append(out.Variants, variantResultsJSON{Variant: vr.Variant, Sent: vr.Sent, Clicked: vr.Clicked,
			Orders: vr.Orders, Revenue: money.Format(vr.RevenueMinor, scale)})
	}
	if r.Holdout != nil {
		out.Holdout = &holdoutResultsJSON{Customers: r.Holdout.Customers, Orders: r.Holdout.Orders,
			Revenue: money.Format(r.Holdout.RevenueMinor, scale), Incremental: money.Format(r.Holdout.IncrementalMinor, scale)}
	}
	return out
}

// decoded is raw as a T, and whether it is one: a value of another type
// is the type error decode names, not this walk's.
func decoded[T any](raw []byte) (T, bool) {
	var v T
	return v, json.Unmarshal(raw, &v) == nil
}
