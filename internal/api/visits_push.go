package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/traffic"
)

// visitsRequest is the body of POST /visits: the shop's own figures of
// some days, per source.
type visitsRequest struct {
	Days []visitsDay `json:"days"`
}

// visitsDay is a day's figures from one source. The counts are numbers
// (whole, 0 or more); unique_visitors and pageviews may be left out.
type visitsDay struct {
	Day            string      `json:"day"`    // YYYY-MM-DD, shop-local
	Source         string      `json:"source"` // "" or absent for direct visits
	Visits         json.Number `json:"visits"`
	UniqueVisitors json.Number `json:"unique_visitors"`
	Pageviews      json.Number `json:"pageviews"`
}

// visitsResponse answers POST /visits.
type visitsResponse struct {
	// Accepted is how many day-and-source rows were recorded.
	Accepted int `json:"accepted"`
}

// visitsPush records days of visits the shop counted itself, each
// replacing what was pushed for that day and source; a pushed day stands
// in for the counter's figures of the same day. Every row is checked
// before any is written.
func (h *Handler) visitsPush(w http.ResponseWriter, r *http.Request) {
	var req visitsRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	days, err := req.days()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.Traffic.Push(r.Context(), traffic.OriginAPI, days); err != nil {
		h.fail(w, r, err)
		return
	}
	h.app.Analytics.Forget()
	writeJSON(w, http.StatusOK, visitsResponse{Accepted: len(days)})
}

// days reads the request's counts, naming a bad one by its row:
// days[2].visits.
func (req visitsRequest) days() ([]traffic.Day, error) {
	if len(req.Days) > traffic.MaxPushDays {
		return nil, invalid.Field("days", "too_many", "send at most %d days at once, not %d", traffic.MaxPushDays, len(req.Days))
	}
	var errs invalid.List
	out := make([]traffic.Day, len(req.Days))
	for i, d := range req.Days {
		out[i] = traffic.Day{Day: d.Day, Source: d.Source}
		for _, f := range []struct {
			name string
			v    json.Number
			to   *int64
			need bool
		}{{"visits", d.Visits, &out[i].Visits, true}, {"unique_visitors", d.UniqueVisitors, &out[i].Visitors, false},
			{"pageviews", d.Pageviews, &out[i].Pageviews, false}} {
			field := fmt.Sprintf("days[%d].%s", i, f.name)
			if f.v == "" {
				if f.need {
					errs.Add(field, "required", "is required: the day's visits")
				}
				continue
			}
			n, err := strconv.ParseInt(string(f.v), 10, 64)
			if err != nil {
				errs.Add(field, "invalid", "must be a whole number, not %s", f.v)
				continue
			}
			*f.to = n
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}
