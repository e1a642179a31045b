package dhl

import (
	"html"
	"slices"
	"strings"
	"time"

	// Zone-less DHL times are read in Europe/Berlin and Europe/London;
	// the embedded database makes that independent of the host.
	_ "time/tzdata"

	"github.com/shopcare/shopcare/internal/carrier"
)

// answer is the body of a successful GET /track/shipments.
type answer struct {
	Shipments                      []shipment `json:"shipments"`
	PossibleAdditionalShipmentsURL []string   `json:"possibleAdditionalShipmentsUrl,omitempty"`
}

// shipment is one tracked shipment of an answer or a push.
type shipment struct {
	ID      string  `json:"id"`
	Service string  `json:"service,omitempty"`
	Status  *event  `json:"status,omitempty"`
	Events  []event `json:"events,omitempty"`
}

// event is a shipment's status or one of its events; both have this shape.
type event struct {
	Timestamp      string   `json:"timestamp"`
	Location       *place   `json:"location,omitempty"`
	StatusCode     string   `json:"statusCode"`
	Status         string   `json:"status,omitempty"`
	StatusDetailed string   `json:"statusDetailed,omitempty"`
	Description    string   `json:"description,omitempty"`
	Remark         string   `json:"remark,omitempty"`
	NextSteps      string   `json:"nextSteps,omitempty"`
	PieceIDs       []string `json:"pieceIds,omitempty"`
}

type place struct {
	Address *address `json:"address,omitempty"`
}

type address struct {
	AddressLocality string `json:"addressLocality,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
	CountryCode     string `json:"countryCode,omitempty"`
}

// problem is DHL's RFC 7807 error body.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
}

// events turns the shipments into carrier events, oldest first per
// parcel. number names the parcel; when empty, each shipment's own id
// does (a push). A shipment without events is told by its status alone;
// an event whose time cannot be read is left out, for it cannot be put in
// order.
func events(number string, shipments []shipment) []carrier.Event {
	var order []string
	byNumber := map[string][]carrier.Event{}
	for _, s := range shipments {
		tn := number
		if tn == "" {
			tn = strings.TrimSpace(s.ID)
		}
		if tn == "" {
			continue
		}
		evs := s.Events
		if len(evs) == 0 && s.Status != nil {
			evs = []event{*s.Status}
		}
		// DHL lists newest first; reversed, events of one instant keep
		// their true order through the stable sort below.
		for i := len(evs) - 1; i >= 0; i-- {
			e := evs[i]
			at, ok := parseTime(e.Timestamp, s.Service)
			if !ok {
				continue
			}
			if _, seen := byNumber[tn]; !seen {
				order = append(order, tn)
			}
			byNumber[tn] = append(byNumber[tn], carrier.Event{
				TrackingNumber: tn,
				Status:         statusOf(s.Service, e),
				At:             at,
				Code:           codeOf(e),
				Description:    describe(e),
				Location:       e.Location.String(),
				Raw:            carrier.MustRaw(e),
			})
		}
	}
	var out []carrier.Event
	for _, tn := range order {
		list := byNumber[tn]
		slices.SortStableFunc(list, func(a, b carrier.Event) int { return a.At.Compare(b.At) })
		out = append(out, list...)
	}
	return out
}

// codeOf is DHL's finest code for e: statusDetailed (DHL Paket), else
// status when it is a code (DHL Express checkpoints such as "WC", eCommerce
// numbers such as "101") rather than words, else statusCode.
func codeOf(e event) string {
	if c := strings.TrimSpace(e.StatusDetailed); c != "" {
		return c
	}
	if c := strings.TrimSpace(e.Status); isCode(c) {
		return c
	}
	return strings.TrimSpace(e.StatusCode)
}

func isCode(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '_' && r != '-' && r != ':' && r != '.' {
			return false
		}
	}
	return true
}

// describe is DHL's text for e: its description, else its status words,
// else its remark; DHL Paket marks words up in HTML, which is dropped.
func describe(e event) string {
	for _, s := range []string{e.Description, e.Status, e.Remark} {
		if s = plain(s); s != "" && !isCode(s) {
			return s
		}
	}
	return ""
}

// plain drops HTML tags and entities and folds white space; a tag that
// breaks a line stands for a space, an inline one (<b>) for nothing.
func plain(s string) string {
	var b, tag strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<' && !in:
			in = true
			tag.Reset()
		case r == '>' && in:
			in = false
			if t := strings.ToLower(strings.Trim(strings.Fields(tag.String() + " x")[0], "/")); breaks[t] {
				b.WriteByte(' ')
			}
		case in:
			tag.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	if in { // a lone "<" was text
		b.WriteByte('<')
		b.WriteString(tag.String())
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// breaks are the HTML tags that separate words.
var breaks = map[string]bool{"br": true, "p": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true, "td": true}

// String is the place as "04109 Leipzig, DE"; "" when DHL gave none.
func (p *place) String() string {
	if p == nil || p.Address == nil {
		return ""
	}
	a := p.Address
	town := strings.TrimSpace(strings.TrimSpace(a.PostalCode) + " " + strings.TrimSpace(a.AddressLocality))
	cc := strings.TrimSpace(a.CountryCode)
	switch {
	case town == "":
		return cc
	case cc == "":
		return town
	}
	return town + ", " + cc
}

var (
	berlin = mustZone("Europe/Berlin")
	london = mustZone("Europe/London")
)

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic("dhl: " + err.Error()) // cannot happen: time/tzdata is embedded
	}
	return l
}

// localZone is where a service's zone-less timestamps are told.
func localZone(service string) *time.Location {
	switch service {
	case "parcel-de", "post-de", "parcel-nl", "parcel-pl", "ecommerce-europe",
		"ecommerce-iberia", "ecommerce-ppl", "freight", "sameday":
		return berlin
	case "parcel-uk":
		return london
	}
	return time.UTC
}

// parseTime reads DHL's ISO 8601 timestamp, with its offset when it has
// one, else in the service's local zone.
func parseTime(s, service string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, localZone(service)); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
