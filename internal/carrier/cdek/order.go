package cdek

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
)

// text is a JSON string or number kept as text: CDEK documents
// cdek_number as a long and city_code as a string, and sends either.
type text string

// UnmarshalJSON takes a string, a number or null.
func (t *text) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a string or a number, got %.20s", b)
	}
	*t = text(n.String())
	return nil
}

// orderAnswer is GET /orders' answer, and the shape of most error answers.
type orderAnswer struct {
	Entity   *orderEntity `json:"entity"`
	Requests []request    `json:"requests"`
	// Some error answers (an expired token) carry their errors on top.
	Errors []apiError `json:"errors"`
}

// orderEntity is the order, with what tracking needs of it.
type orderEntity struct {
	UUID            string          `json:"uuid"`
	IsReturn        bool            `json:"is_return"`
	CdekNumber      text            `json:"cdek_number"`
	Number          string          `json:"number"`
	Statuses        []orderStatus   `json:"statuses"`
	RelatedEntities []relatedEntity `json:"related_entities"`
}

// orderStatus is one entry of an order's status history.
type orderStatus struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	DateTime   string `json:"date_time"`
	ReasonCode text   `json:"reason_code,omitempty"`
	City       string `json:"city,omitempty"`
	CityCode   text   `json:"city_code,omitempty"`
	CityUUID   string `json:"city_uuid,omitempty"`
}

// relatedEntity is an order linked to this one (its return order, the
// direct order of a return, …).
type relatedEntity struct {
	Type       string `json:"type"`
	UUID       string `json:"uuid,omitempty"`
	CdekNumber text   `json:"cdek_number,omitempty"`
}

// request is the API's account of how it handled the call.
type request struct {
	RequestUUID string     `json:"request_uuid,omitempty"`
	Type        string     `json:"type"`
	State       string     `json:"state"`
	DateTime    string     `json:"date_time,omitempty"`
	Errors      []apiError `json:"errors,omitempty"`
	Warnings    []apiError `json:"warnings,omitempty"`
}

// apiError is one error of a request.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// decodeOrder reads an order answer.
func decodeOrder(body []byte) (orderAnswer, error) {
	var ans orderAnswer
	if err := json.Unmarshal(body, &ans); err != nil {
		return orderAnswer{}, fmt.Errorf("malformed answer: %w", err)
	}
	return ans, nil
}

// errs lists the answer's errors.
func (a orderAnswer) errs() []apiError {
	all := slices.Clone(a.Errors)
	for _, r := range a.Requests {
		all = append(all, r.Errors...)
	}
	return all
}

// notFound tells whether the answer says there is no such order:
// v2_entity_not_found, v2_order_not_found and their kin.
func (a orderAnswer) notFound() bool {
	for _, e := range a.errs() {
		if strings.Contains(e.Code, "not_found") {
			return true
		}
	}
	return false
}

// apiError is the answer's errors as one *carrier.APIError, nil when it
// reports none.
func (a orderAnswer) apiError(status int) *carrier.APIError {
	errs := a.errs()
	if len(errs) == 0 {
		for _, r := range a.Requests {
			if r.State == "INVALID" {
				return &carrier.APIError{Carrier: name, Status: status, Message: "request " + r.Type + " INVALID"}
			}
		}
		return nil
	}
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		if e.Message != "" {
			msgs = append(msgs, e.Message)
		}
	}
	return &carrier.APIError{Carrier: name, Status: status, Code: errs[0].Code, Message: strings.Join(msgs, "; ")}
}

// answerError makes an error answer a *carrier.APIError: CDEK's own
// requests[].errors, an OAuth error, or the start of whatever came.
func answerError(status int, body []byte) *carrier.APIError {
	if ans, err := decodeOrder(body); err == nil {
		if e := ans.apiError(status); e != nil {
			return e
		}
	}
	var oauth struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		Message          string `json:"message"`
	}
	if err := json.Unmarshal(body, &oauth); err == nil && (oauth.Error != "" || oauth.Message != "") {
		return &carrier.APIError{Carrier: name, Status: status, Code: oauth.Error,
			Message: strings.TrimSpace(oauth.ErrorDescription + " " + oauth.Message)}
	}
	msg := strings.TrimSpace(string(body))
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return &carrier.APIError{Carrier: name, Status: status, Message: msg}
}

// orderEvents turns an order's statuses into events for number, oldest
// first (CDEK lists them newest first).
func orderEvents(number string, o *orderEntity) ([]carrier.Event, error) {
	events := make([]carrier.Event, 0, len(o.Statuses))
	for i := len(o.Statuses) - 1; i >= 0; i-- {
		st := o.Statuses[i]
		code := normCode(st.Code)
		if code == "" {
			return nil, errors.New("status without code")
		}
		at, err := parseTime(st.DateTime)
		if err != nil {
			return nil, fmt.Errorf("status %s: %w", code, err)
		}
		desc := strings.TrimSpace(st.Name)
		if desc == "" {
			desc = nameOf(code)
		}
		events = append(events, carrier.Event{
			TrackingNumber: number,
			Status:         statusOf(code, o.IsReturn),
			At:             at,
			Code:           code,
			Description:    desc,
			Location:       strings.TrimSpace(st.City),
			Raw:            carrier.MustRaw(st),
		})
	}
	// Newest first is what CDEK documents; sorting (stably) keeps the
	// order right should an answer not follow it.
	slices.SortStableFunc(events, func(a, b carrier.Event) int { return a.At.Compare(b.At) })
	return events, nil
}

// timeLayouts are the forms CDEK writes times in: ISO 8601 with the zone
// as +0700 (documented) or +07:00; fractional seconds are accepted by
// either.
var timeLayouts = []string{"2006-01-02T15:04:05Z0700", time.RFC3339}

// parseTime reads a CDEK time, which always carries its zone.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("no date_time")
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date_time %q is not ISO 8601 with a zone", s)
}
