package russianpost

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/shopcare/shopcare/internal/carrier"
)

// DefaultURL is the single-access tracking service in production.
const DefaultURL = "https://tracking.russianpost.ru/rtm34"

const (
	carrierName = "russianpost"
	// language is the one operation names come in; RUS is the service's
	// default, and what the post offices write.
	language = "RUS"
	// maxBody bounds an answer read; a parcel's history is a few dozen
	// kilobytes.
	maxBody = 8 << 20
)

// barcodeFormat is the two documented formats of a barcode: 14 digits
// (domestic) or S10, two letters, nine digits, two letters (international).
var barcodeFormat = regexp.MustCompile(`^(?:[0-9]{14}|[A-Z]{2}[0-9]{9}[A-Z]{2})$`)

// Client asks Russian Post's tracking service what happened to parcels.
type Client struct {
	opts carrier.Options
	url  string
	http *http.Client
}

var _ carrier.Tracker = (*Client)(nil)

// New returns a client for the tracking service at opts.URL (DefaultURL
// when empty), with the API login and password in opts.Login and
// opts.Password.
func New(opts carrier.Options) *Client {
	url := opts.URL
	if url == "" {
		url = DefaultURL
	}
	return &Client{opts: opts, url: url, http: opts.Client()}
}

// BatchSize is 1: getOperationHistory takes one barcode.
func (c *Client) BatchSize() int { return 1 }

// Track asks for each number's history, one request per number, and
// returns the events oldest first per parcel, under the numbers as given
// (the barcode sent drops their spaces and upper-cases them). A number in neither
// documented barcode format is not asked for (it would only spend the
// daily quota) and, like a number the service does not know, yields no
// events. The first failing request ends the call with its error; a
// spent quota is a *carrier.RateLimitError, refused credentials wrap
// carrier.ErrUnauthorized.
func (c *Client) Track(ctx context.Context, numbers []string) ([]carrier.Event, error) {
	return carrier.TrackEach(ctx, numbers, func(ctx context.Context, n string) ([]carrier.Event, error) {
		barcode := strings.ToUpper(strings.Join(strings.Fields(n), ""))
		if !barcodeFormat.MatchString(barcode) {
			return nil, nil
		}
		evs, err := c.history(ctx, n, barcode)
		if errors.Is(err, errUnknownBarcode) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("russianpost: track %s: %w", n, err)
		}
		return evs, nil
	})
}

// history calls getOperationHistory for barcode; number is how the
// caller wrote it, for the events.
func (c *Client) history(ctx context.Context, number, barcode string) ([]carrier.Event, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(c.requestBody(barcode)))
	if err != nil {
		return nil, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Content-Type", `application/soap+xml; charset=utf-8; action="getOperationHistory"`)
	req.Header.Set("Accept", "application/soap+xml, text/xml")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("getOperationHistory: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	return decodeHistory(number, resp.StatusCode, resp.Header, body, c.opts.Now())
}

// requestBody is the SOAP 1.2 envelope of getOperationHistory, as the
// specification's example writes it.
func (c *Client) requestBody(barcode string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"` +
		` xmlns:oper="http://russianpost.org/operationhistory"` +
		` xmlns:data="http://russianpost.org/operationhistory/data"` +
		` xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">` +
		`<soap:Header/><soap:Body><oper:getOperationHistory>` +
		`<data:OperationHistoryRequest><data:Barcode>`)
	escape(&b, barcode)
	b.WriteString(`</data:Barcode><data:MessageType>0</data:MessageType><data:Language>` + language +
		`</data:Language></data:OperationHistoryRequest>` +
		`<data:AuthorizationHeader soapenv:mustUnderstand="1"><data:login>`)
	escape(&b, c.opts.Login)
	b.WriteString(`</data:login><data:password>`)
	escape(&b, c.opts.Password)
	b.WriteString(`</data:password></data:AuthorizationHeader>` +
		`</oper:getOperationHistory></soap:Body></soap:Envelope>`)
	return b.Bytes()
}

func escape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a bytes.Buffer does not fail
}
