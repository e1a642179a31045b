// Package omniva tracks parcels of Omniva, the Baltic post (Estonia,
// Latvia, Lithuania), through its business-customer shipment events
// interface ("epteavitus", the XML events service of the Omniva web
// services at https://edixml.post.ee that Omniva's own shop modules use;
// see github.com/omniva-baltic/omniva-api-lib, src/Request.php
// getTracking, and Omniva's API documentation at
// https://www.omniva.lt/en/business/api/documentation/).
//
// The interface answers, for one business customer, every event of all its
// parcels since a moment:
//
//	GET /epteavitus/events/from/{from}/for-client-code/{clientCode}
//	Authorization: Basic clientCode:password
//
// with an XML list of <event> elements (id, packetCode, eventCode,
// eventDate, stateCode, eventSource with a zip attribute). It takes no
// barcodes, so Track asks once for a whole batch and keeps the events of
// the numbers it was given. Omniva's modules ask for the last six days
// (from now, one week less a day); so does this adapter, and an event
// older than that is not seen.
//
// The newer OMX REST API (https://omx.omniva.eu/api/v01/omx/shipments/{barCode},
// one barcode a request) has no published list of the event codes of its
// tracking answer, so this adapter follows the events interface, whose
// codes (PACKET_EVENT_*, and the packet's state after each event,
// PACKET_STATE_*) Omniva's modules list with their meaning. The interface
// documents no rate limit; a 429 is read as one all the same. Omniva
// documents no push notifications to a customer's URL, so there is no
// carrier.Webhook here.
package omniva

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Omniva's times are Tallinn's; the zone must resolve without zoneinfo

	"github.com/shopcare/shopcare/internal/carrier"
)

// DefaultURL is the production address of Omniva's web services.
const DefaultURL = "https://edixml.post.ee"

// batchSize is how many numbers one Track call takes: the events interface
// answers for all the customer's parcels at once, so a call costs one
// request however many numbers it carries.
const batchSize = 1000

// lookback is how far back Track asks for events: the window Omniva's own
// modules ask for (one week less a day).
const lookback = 6 * 24 * time.Hour

// maxBody caps an answer: a week of events of a busy shop is a few
// megabytes of XML.
const maxBody = 64 << 20

// carrierName names Omniva in RateLimitError and APIError.
const carrierName = "omniva"

// tallinn is Omniva's zone: the zone of a time the interface sends without
// one, and of the from moment it is asked for.
var tallinn = mustZone("Europe/Tallinn")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("omniva: zone %s: %v", name, err))
	}
	return loc
}

// Client asks Omniva's events interface about parcels.
type Client struct {
	base     string
	login    string
	password string
	opts     carrier.Options
}

var _ carrier.Tracker = (*Client)(nil)

// New returns a client. opts.Login is the Omniva business customer's
// username (its client code), opts.Password its web-service password;
// opts.URL defaults to DefaultURL.
func New(opts carrier.Options) *Client {
	base := strings.TrimRight(opts.URL, "/")
	if base == "" {
		base = DefaultURL
	}
	return &Client{base: base, login: opts.Login, password: opts.Password, opts: opts}
}

// BatchSize is how many numbers one Track call may carry.
func (c *Client) BatchSize() int { return batchSize }

// Track returns what Omniva reported in the last six days about the
// parcels of numbers, oldest first per parcel, parcels in the order of
// numbers, in one request. A number Omniva reported nothing for yields no
// events.
func (c *Client) Track(ctx context.Context, numbers []string) ([]carrier.Event, error) {
	if len(numbers) == 0 {
		return nil, nil
	}
	if len(numbers) > batchSize {
		return nil, fmt.Errorf("omniva: %d numbers in one call, at most %d", len(numbers), batchSize)
	}
	if c.login == "" {
		return nil, fmt.Errorf("omniva: no login (client code): %w", carrier.ErrUnauthorized)
	}
	body, err := c.fetch(ctx, c.opts.Now().Add(-lookback))
	if err != nil {
		return nil, err
	}
	feed, err := parseFeed(body)
	if err != nil {
		return nil, err
	}
	events, err := feed.events(numbers)
	if err != nil {
		return nil, fmt.Errorf("omniva: %w", err)
	}
	return events, nil
}

// eventsURL is the events interface's address for the customer's events
// since from, given in Tallinn time the way Omniva's modules give it
// (PHP's date("c"): 2026-11-17T10:00:00+02:00).
func (c *Client) eventsURL(from time.Time) string {
	return c.base + "/epteavitus/events/from/" + from.In(tallinn).Format("2006-01-02T15:04:05-07:00") +
		"/for-client-code/" + url.PathEscape(c.login)
}

// fetch asks for the customer's events since from and returns the body of
// a successful answer.
func (c *Client) fetch(ctx context.Context, from time.Time) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.eventsURL(from), nil)
	if err != nil {
		return nil, fmt.Errorf("omniva: events request: %w", err)
	}
	req.SetBasicAuth(c.login, c.password)
	req.Header.Set("Accept", "text/xml")
	resp, err := c.opts.Client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("omniva: events since %s: %w", from.Format(time.RFC3339), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("omniva: read events: %w", err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("omniva: events answer over %d bytes", maxBody)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return nil, &carrier.RateLimitError{Carrier: carrierName, RetryAfter: carrier.RetryAfter(resp.Header, c.opts.Now())}
	case resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("omniva: HTTP %d %s: %w", resp.StatusCode, errorMessage(body), carrier.ErrUnauthorized)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, &carrier.APIError{Carrier: carrierName, Status: resp.StatusCode, Message: errorMessage(body)}
	}
	return body, nil
}

var (
	htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	htmlH1    = regexp.MustCompile(`(?is)<h1[^>]*>(.*?)</h1>`)
	anyTag    = regexp.MustCompile(`(?s)<[^>]*>`)
)

// errorMessage is the gist of an error answer: the web services answer
// errors with the application server's HTML page ("HTTP Status 401 - This
// request requires HTTP authentication."), so its heading or title, else
// the body's text, shortened.
func errorMessage(body []byte) string {
	s := string(body)
	for _, re := range []*regexp.Regexp{htmlH1, htmlTitle} {
		if m := re.FindStringSubmatch(s); m != nil && strings.TrimSpace(anyTag.ReplaceAllString(m[1], "")) != "" {
			s = m[1]
			break
		}
	}
	s = strings.Join(strings.Fields(anyTag.ReplaceAllString(s, " ")), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// feed is a decoded events answer.
type feed struct {
	XMLName xml.Name   `xml:"events"`
	Events  []xmlEvent `xml:"event"`
}

// xmlEvent is one <event> of the answer, as Omniva sends it.
type xmlEvent struct {
	ID         string    `xml:"id" json:"id"`
	PacketCode string    `xml:"packetCode" json:"packetCode"`
	EventCode  string    `xml:"eventCode" json:"eventCode"`
	EventDate  string    `xml:"eventDate" json:"eventDate"`
	StateCode  string    `xml:"stateCode" json:"stateCode"`
	Source     xmlSource `xml:"eventSource" json:"eventSource"`
}

// xmlSource is where an event happened: the office's or parcel machine's
// name, and its postcode.
type xmlSource struct {
	Name string `xml:",chardata" json:"name"`
	Zip  string `xml:"zip,attr" json:"zip"`
}

// errNotEvents marks an answer that is not an events list.
var errNotEvents = errors.New("not an events list")

// parseFeed decodes an events answer. The web services answer a refused
// login with HTTP 200 and the application server's 401 page on some
// routes; that is ErrUnauthorized, any other non-list a clear error.
func parseFeed(body []byte) (*feed, error) {
	var f feed
	if err := xml.Unmarshal(body, &f); err != nil {
		s := string(body)
		if strings.Contains(s, "HTTP Status 401") || strings.Contains(s, "requires HTTP authentication") {
			return nil, fmt.Errorf("omniva: %s: %w", errorMessage(body), carrier.ErrUnauthorized)
		}
		return nil, fmt.Errorf("omniva: malformed events answer (%w): %w", errNotEvents, err)
	}
	return &f, nil
}

// events turns the feed's events of numbers into carrier events, oldest
// first per parcel, parcels in the order of numbers.
func (f *feed) events(numbers []string) ([]carrier.Event, error) {
	order := make(map[string]int, len(numbers))
	for i, n := range numbers {
		k := barcodeKey(n)
		if _, dup := order[k]; !dup && k != "" {
			order[k] = i
		}
	}
	type keyed struct {
		at  int // index in numbers
		seq int // index in the feed, for equal times
		ev  carrier.Event
	}
	var out []keyed
	for i, x := range f.Events {
		at, ok := order[barcodeKey(x.PacketCode)]
		if !ok {
			continue
		}
		when, err := parseTime(x.EventDate)
		if err != nil {
			return nil, fmt.Errorf("event %s of %s: %w", x.ID, x.PacketCode, err)
		}
		out = append(out, keyed{at: at, seq: i, ev: carrier.Event{
			TrackingNumber: numbers[at],
			Status:         statusOf(x.EventCode, x.StateCode),
			At:             when,
			Code:           strings.TrimSpace(x.EventCode),
			Description:    describe(x.EventCode, x.StateCode),
			Location:       x.Source.location(),
			Raw:            carrier.MustRaw(x),
		}})
	}
	slices.SortStableFunc(out, func(a, b keyed) int {
		if a.at != b.at {
			return a.at - b.at
		}
		if c := a.ev.At.Compare(b.ev.At); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	events := make([]carrier.Event, len(out))
	for i, k := range out {
		events[i] = k.ev
	}
	markReturns(events)
	return events, nil
}

// barcodeKey is how a barcode is compared: Omniva's barcodes are upper
// case letters and digits, a shop may have stored them otherwise.
func barcodeKey(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// location is the source's name, with its postcode when it has one.
func (s xmlSource) location() string {
	n, z := strings.TrimSpace(s.Name), strings.TrimSpace(s.Zip)
	switch {
	case n == "":
		return z
	case z == "" || strings.Contains(n, z):
		return n
	}
	return n + " (" + z + ")"
}

// timeLayouts are the forms eventDate comes in: with its zone offset, or
// without one, in Tallinn time.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

// parseTime reads an eventDate.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for i, layout := range timeLayouts {
		var t time.Time
		var err error
		if i < 2 {
			t, err = time.Parse(layout, s)
		} else {
			t, err = time.ParseInLocation(layout, s, tallinn)
		}
		if err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable eventDate %q", s)
}
