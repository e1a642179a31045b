package api

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/parcel"
)

// maxEvents bounds the events of one POST /parcels/events.
const maxEvents = 1000

// parcelEventRequest is one carrier event from a source without an
// adapter of shopcare's: a shop platform, an aggregator, a script.
type parcelEventRequest struct {
	TrackingNumber string `json:"tracking_number"`
	Status         string `json:"status"`
	At             string `json:"at"`
	// Code is the source's own code for the event; Description and
	// Location are kept as they come.
	Code        string `json:"code"`
	Description string `json:"description"`
	Location    string `json:"location"`
}

type parcelEventResult struct {
	Index   int            `json:"index"`
	Outcome parcel.Outcome `json:"outcome"`
	Error   *errorDetail   `json:"error,omitempty"`
}

type parcelEventsAnswer struct {
	Stored     int                 `json:"stored"`
	Duplicates int                 `json:"duplicates"`
	Unknown    int                 `json:"unknown"`
	Results    []parcelEventResult `json:"results"`
}

// parseParcelEvents reads the body of POST /parcels/events: one event, or
// {"events": [...]}. Errors name the field, with the event's index in a
// batch: events[3].status.
func parseParcelEvents(body []byte, loc *time.Location, now time.Time) (reports []parcel.Report, batch bool, err error) {
	body = bytes.TrimSpace(body)
	var probe map[string]json.RawMessage
	if err := unmarshalStrict(body, &probe); err != nil {
		return nil, false, err
	}
	raws := []json.RawMessage{body}
	if list, ok := probe["events"]; ok {
		batch = true
		if err := unmarshalStrict(list, &raws); err != nil {
			return nil, true, prefixField("events", err)
		}
		if len(raws) == 0 {
			return nil, true, invalid.Field("events", "required", "send at least one event")
		}
		if len(raws) > maxEvents {
			return nil, true, invalid.Field("events", "too_many", "at most %d events at once, not %d", maxEvents, len(raws))
		}
	}
	for i, raw := range raws {
		var req parcelEventRequest
		r, err := func() (parcel.Report, error) {
			if err := unmarshalStrict(raw, &req); err != nil {
				return parcel.Report{}, err
			}
			e := carrier.Event{TrackingNumber: strings.TrimSpace(req.TrackingNumber), Status: carrier.Status(strings.TrimSpace(req.Status)),
				Code: strings.TrimSpace(req.Code), Description: req.Description, Location: req.Location, Raw: json.RawMessage(raw)}
			if req.At != "" {
				at, err := parseTime(req.At, loc)
				if err != nil {
					return parcel.Report{}, invalid.Field("at", "invalid", "%q is not a time like 2026-11-23T15:20:00+03:00", req.At)
				}
				e.At = at
			}
			if f, problem := parcel.CheckAt(e, now); f != "" {
				return parcel.Report{}, invalid.Field(f, "invalid", "%s", problem)
			}
			return parcel.Report{Event: e, Source: parcel.SourceAPI}, nil
		}()
		if err != nil {
			if batch {
				err = prefixField(fmt.Sprintf("events[%d]", i), err)
			}
			return nil, batch, err
		}
		reports = append(reports, r)
	}
	return reports, batch, nil
}

// unmarshalStrict decodes JSON with decode's errors, naming the field.
func unmarshalStrict(b []byte, v any) error { return decodeJSON(bytes.NewReader(b), v) }

// prefixField puts a path before the field an error names.
func prefixField(prefix string, err error) error {
	var fe *invalid.Error
	if !errors.As(err, &fe) {
		return err
	}
	field := prefix
	if fe.Field != "" {
		field += "." + fe.Field
	}
	return invalid.Field(field, fe.Code, "%s", fe.Message)
}

// parcelEvents takes carrier events: one, or a batch. A batch with any
// malformed event is refused whole (422, naming events[i].field), so a
// corrected retry holds no half-taken batch; an event whose tracking
// number no shipped order has is reported "unknown" (a single event: 404).
func (h *Handler) parcelEvents(w http.ResponseWriter, r *http.Request) {
	body, err := jsonBody(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	reports, batch, err := parseParcelEvents(body, h.app.Settings.Shop.Location(), h.app.Clock.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	outcomes, err := h.parcels.Ingest(r.Context(), reports)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ans := parcelEventsAnswer{Results: make([]parcelEventResult, len(outcomes))}
	for i, o := range outcomes {
		res := parcelEventResult{Index: i, Outcome: o}
		switch o {
		case parcel.Stored:
			ans.Stored++
		case parcel.Duplicate:
			ans.Duplicates++
		default:
			ans.Unknown++
			res.Error = &errorDetail{Code: "unknown_tracking_number", Field: "tracking_number",
				Message: fmt.Sprintf("no shipped order has the tracking number %q", reports[i].TrackingNumber)}
		}
		ans.Results[i] = res
	}
	if !batch && ans.Unknown == 1 {
		writeError(w, r, http.StatusNotFound, "unknown_tracking_number", ans.Results[0].Error.Message, "tracking_number")
		return
	}
	writeJSON(w, http.StatusOK, ans)
}

// parcelWebhook takes a carrier's pushed events at the secret address of
// its settings. Wrong carrier or secret: 404, so the address cannot be
// probed.
func (h *Handler) parcelWebhook(w http.ResponseWriter, r *http.Request) {
	hook, secret, ok := h.parcels.Webhook(r.PathValue("carrier"))
	if !ok || subtle.ConstantTimeCompare([]byte(secret), []byte(r.PathValue("secret"))) != 1 {
		writeError(w, r, http.StatusNotFound, "not_found", "no such API endpoint", "")
		return
	}
	events, err := hook.Parse(r)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "malformed_push", err.Error(), "")
		return
	}
	reports := make([]parcel.Report, 0, len(events))
	for _, e := range events {
		reports = append(reports, parcel.Report{Event: e, Source: parcel.SourceWebhook})
	}
	outcomes, err := h.parcels.Ingest(r.Context(), reports)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	stored := 0
	for _, o := range outcomes {
		if o == parcel.Stored {
			stored++
		}
	}
	writeJSON(w, http.StatusOK, webhookPushJSON{Received: len(events), Stored: stored})
}

// webhookPushJSON answers a carrier's push.
type webhookPushJSON struct {
	Received int `json:"received"`
	Stored   int `json:"stored"`
}

type parcelRequest struct {
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
}

// parcelJSON is a parcel as the API shows it.
type parcelJSON struct {
	TrackingNumber string         `json:"tracking_number"`
	Carrier        string         `json:"carrier"`
	Status         carrier.Status `json:"status"`
	StatusAt       *time.Time     `json:"status_at"`
	LastEventAt    *time.Time     `json:"last_event_at"`
	ArrivedAt      *time.Time     `json:"arrived_at"`
	DeliveredAt    *time.Time     `json:"delivered_at"`
	KeptUntil      string         `json:"kept_until,omitempty"`
	Stuck          bool           `json:"stuck"`
	Polled         bool           `json:"polled"`
	Events         []eventJSON    `json:"events,omitempty"`
}

type eventJSON struct {
	Status      carrier.Status  `json:"status,omitempty"`
	Code        string          `json:"code"`
	Description string          `json:"description,omitempty"`
	Location    string          `json:"location,omitempty"`
	At          time.Time       `json:"at"`
	Source      parcel.Source   `json:"source"`
	Raw         json.RawMessage `json:"raw,omitempty"`
}

func (h *Handler) parcelView(p parcel.Parcel, events []parcel.Event) parcelJSON {
	loc := h.app.Settings.Shop.Location()
	in := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		v := t.In(loc)
		return &v
	}
	v := parcelJSON{TrackingNumber: p.TrackingNumber, Carrier: p.Carrier, Status: p.Status, StatusAt: in(p.StatusAt),
		LastEventAt: in(p.LastEventAt), ArrivedAt: in(p.ArrivedAt), DeliveredAt: in(p.DeliveredAt), Stuck: p.StuckAt != nil,
		Polled: h.parcels.Tracks(p.Carrier)}
	if p.ArrivedAt != nil && p.Status == carrier.ArrivedAtPickup {
		v.KeptUntil = h.parcels.KeptUntil(p.Carrier, *p.ArrivedAt)
	}
	for _, e := range events {
		ev := eventJSON{Status: e.Status, Code: e.Code, Description: e.Description, Location: e.Location, At: e.At.In(loc), Source: e.Source}
		if json.Valid([]byte(e.Raw)) {
			ev.Raw = json.RawMessage(e.Raw)
		}
		v.Events = append(v.Events, ev)
	}
	return v
}

// parcelAdd records another parcel of an order (a second box); the
// order's first comes with its shipped status.
func (h *Handler) parcelAdd(w http.ResponseWriter, r *http.Request) {
	var req parcelRequest
	if err := decode(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := h.orders.ResolveID(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := h.orders.Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !o.Status.LeftShop() {
		h.fail(w, r, invalid.Field("status", "not_shipped", "order %s is %s: parcels are added once it has shipped", o.ExternalID, o.Status))
		return
	}
	code := strings.TrimSpace(req.Carrier)
	if code == "" {
		code = o.Carrier
	} else if _, ok := h.app.Settings.Carrier(code); !ok {
		h.fail(w, r, invalid.Field("carrier", "unknown", "%q is not one of the shop's carriers", code))
		return
	}
	if strings.TrimSpace(req.TrackingNumber) == "" {
		h.fail(w, r, invalid.Field("tracking_number", "required", "is required"))
		return
	}
	p, created, err := h.parcels.Add(r.Context(), id, code, req.TrackingNumber)
	var conflict *parcel.ConflictError
	if errors.As(err, &conflict) {
		writeError(w, r, http.StatusConflict, "tracking_number_taken", conflict.Error(), "tracking_number")
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, h.parcelView(p, nil))
}

// parcelGet shows a parcel with its events, newest first.
func (h *Handler) parcelGet(w http.ResponseWriter, r *http.Request) {
	p, err := h.parcels.ByTrackingNumber(r.Context(), r.PathValue("tracking_number"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	events, err := h.parcels.Events(r.Context(), p.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h.parcelView(p, events))
}
