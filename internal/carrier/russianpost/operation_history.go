package russianpost

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
)

// The answer of getOperationHistory. The service's namespaces
// (http://www.w3.org/2003/05/soap-envelope for the envelope,
// http://russianpost.org/operationhistory/data for the data) come with
// whatever prefixes it likes, so the elements are matched by local name.
type envelope struct {
	XMLName xml.Name `xml:"Envelope"`
	Body    struct {
		Fault    *fault `xml:"Fault"`
		Response *struct {
			Data *struct {
				Records []historyRecord `xml:"historyRecord"`
			} `xml:"OperationHistoryData"`
		} `xml:"getOperationHistoryResponse"`
	} `xml:"Body"`
}

// fault is a SOAP 1.2 Fault; the SOAP 1.1 fields are read too, for a
// gateway in front of the service that answers in the older form.
type fault struct {
	Code   string      `xml:"Code>Value"`
	Reason string      `xml:"Reason>Text"`
	Detail faultDetail `xml:"Detail"`

	FaultCode   string      `xml:"faultcode"`
	FaultString string      `xml:"faultstring"`
	Detail11    faultDetail `xml:"detail"`
}

// faultDetail holds the service's own fault elements.
type faultDetail struct {
	OperationHistory string `xml:"OperationHistoryFaultReason"`
	Authorization    string `xml:"AuthorizationFaultReason"`
	Language         string `xml:"LanguageFaultReason"`
}

// historyRecord is one operation on a parcel, as the service sends it;
// it is kept whole, in JSON, as the event's Raw.
type historyRecord struct {
	AddressParameters   *addressParameters   `xml:"AddressParameters" json:",omitempty"`
	FinanceParameters   *financeParameters   `xml:"FinanceParameters" json:",omitempty"`
	ItemParameters      *itemParameters      `xml:"ItemParameters" json:",omitempty"`
	OperationParameters *operationParameters `xml:"OperationParameters" json:",omitempty"`
	UserParameters      *userParameters      `xml:"UserParameters" json:",omitempty"`
}

type addressParameters struct {
	DestinationAddress *address `xml:"DestinationAddress" json:",omitempty"`
	OperationAddress   *address `xml:"OperationAddress" json:",omitempty"`
	MailDirect         *country `xml:"MailDirect" json:",omitempty"`
	CountryFrom        *country `xml:"CountryFrom" json:",omitempty"`
	CountryOper        *country `xml:"CountryOper" json:",omitempty"`
}

type address struct {
	Index       string `xml:"Index" json:",omitempty"`
	Description string `xml:"Description" json:",omitempty"`
}

type country struct {
	ID     string `xml:"Id" json:"Id,omitempty"`
	Code2A string `xml:"Code2A" json:",omitempty"`
	Code3A string `xml:"Code3A" json:",omitempty"`
	NameRU string `xml:"NameRU" json:",omitempty"`
	NameEN string `xml:"NameEN" json:",omitempty"`
}

// financeParameters are sums in kopecks.
type financeParameters struct {
	Payment    string `xml:"Payment" json:",omitempty"`
	Value      string `xml:"Value" json:",omitempty"`
	MassRate   string `xml:"MassRate" json:",omitempty"`
	InsrRate   string `xml:"InsrRate" json:",omitempty"`
	AirRate    string `xml:"AirRate" json:",omitempty"`
	Rate       string `xml:"Rate" json:",omitempty"`
	CustomDuty string `xml:"CustomDuty" json:",omitempty"`
}

type itemParameters struct {
	Barcode         string     `xml:"Barcode" json:",omitempty"`
	Internum        string     `xml:"Internum" json:",omitempty"`
	ValidRuType     string     `xml:"ValidRuType" json:",omitempty"`
	ValidEnType     string     `xml:"ValidEnType" json:",omitempty"`
	ComplexItemName string     `xml:"ComplexItemName" json:",omitempty"`
	MailRank        *parameter `xml:"MailRank" json:",omitempty"`
	PostMark        *parameter `xml:"PostMark" json:",omitempty"`
	MailType        *parameter `xml:"MailType" json:",omitempty"`
	MailCtg         *parameter `xml:"MailCtg" json:",omitempty"`
	Mass            string     `xml:"Mass" json:",omitempty"`
	MaxMassRu       string     `xml:"MaxMassRu" json:",omitempty"`
	MaxMassEn       string     `xml:"MaxMassEn" json:",omitempty"`
}

type operationParameters struct {
	OperType *parameter `xml:"OperType" json:",omitempty"`
	OperAttr *parameter `xml:"OperAttr" json:",omitempty"`
	OperDate string     `xml:"OperDate" json:",omitempty"`
}

type userParameters struct {
	SendCtg *parameter `xml:"SendCtg" json:",omitempty"`
	Sndr    string     `xml:"Sndr" json:",omitempty"`
	Rcpn    string     `xml:"Rcpn" json:",omitempty"`
}

// parameter is the service's Id and Name pair of a dictionary entry.
type parameter struct {
	ID   string `xml:"Id" json:"Id"`
	Name string `xml:"Name" json:",omitempty"`
}

// errUnknownBarcode marks the service's refusal of a barcode in neither
// documented format: a number it cannot know.
var errUnknownBarcode = errors.New("barcode unknown to the service")

// The OperationHistoryFaultReason for a barcode the service cannot read,
// in the two languages of the service.
var badFormatReasons = []string{
	"Формат данных запроса не соответствует установленному в регламенте обмена",
	"The format of the request data is invalid",
}

// decodeHistory reads the service's answer to getOperationHistory for
// number into events, oldest first. h and now give a Retry-After.
func decodeHistory(number string, status int, h http.Header, body []byte, now time.Time) ([]carrier.Event, error) {
	if status == http.StatusTooManyRequests {
		return nil, &carrier.RateLimitError{Carrier: carrierName, RetryAfter: carrier.RetryAfter(h, now)}
	}
	var env envelope
	if err := xml.NewDecoder(bytes.NewReader(body)).Decode(&env); err != nil {
		return nil, httpError(status, body, fmt.Errorf("read answer: %w", err))
	}
	if f := env.Body.Fault; f != nil {
		return nil, f.err(status, h, now)
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return nil, fmt.Errorf("HTTP %d: %w", status, carrier.ErrUnauthorized)
	}
	if status < 200 || status > 299 {
		return nil, httpError(status, body, nil)
	}
	resp := env.Body.Response
	if resp == nil || resp.Data == nil {
		return nil, errors.New("answer holds no OperationHistoryData")
	}
	events := make([]carrier.Event, 0, len(resp.Data.Records))
	for i, rec := range resp.Data.Records {
		ev, err := rec.event(number)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i+1, err)
		}
		events = append(events, ev)
	}
	slices.SortStableFunc(events, func(a, b carrier.Event) int { return a.At.Compare(b.At) })
	return events, nil
}

// httpError is the error for an answer that is not the service's SOAP:
// an *carrier.APIError for an error status, else malformed (the body's
// decoding error).
func httpError(status int, body []byte, malformed error) error {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return fmt.Errorf("HTTP %d: %w", status, carrier.ErrUnauthorized)
	case status >= 200 && status <= 299 && malformed != nil:
		return malformed
	}
	return &carrier.APIError{Carrier: carrierName, Status: status, Message: snippet(body)}
}

// err classifies a fault: the spent daily quota, refused credentials,
// a barcode the service cannot read, or another error.
func (f *fault) err(status int, h http.Header, now time.Time) error {
	d := f.Detail
	if d == (faultDetail{}) {
		d = f.Detail11
	}
	code, reason := f.Code, f.Reason
	if code == "" {
		code = f.FaultCode
	}
	if reason == "" {
		reason = f.FaultString
	}
	code, reason = strings.TrimSpace(code), strings.TrimSpace(reason)
	texts := []string{d.Authorization, d.OperationHistory, d.Language, reason}
	if slices.ContainsFunc(texts, isQuotaText) {
		return &carrier.RateLimitError{Carrier: carrierName, RetryAfter: carrier.RetryAfter(h, now)}
	}
	switch {
	case d.Authorization != "":
		return fmt.Errorf("%s: %w", joinText(reason, d.Authorization), carrier.ErrUnauthorized)
	case d.OperationHistory != "":
		if slices.Contains(badFormatReasons, strings.TrimSpace(d.OperationHistory)) {
			return errUnknownBarcode
		}
		return &carrier.APIError{Carrier: carrierName, Status: status, Code: "OperationHistoryFault",
			Message: joinText(reason, d.OperationHistory)}
	case d.Language != "":
		return &carrier.APIError{Carrier: carrierName, Status: status, Code: "LanguageFault",
			Message: joinText(reason, d.Language)}
	}
	return &carrier.APIError{Carrier: carrierName, Status: status, Code: code, Message: reason}
}

// isQuotaText tells whether a fault's words say the request quota is spent
// ("Превышен лимит количества запросов", "limit exceeded").
func isQuotaText(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "лимит") || strings.Contains(s, "limit")
}

func joinText(reason, detail string) string {
	detail = strings.TrimSpace(detail)
	if reason == "" || reason == detail {
		return detail
	}
	return reason + ": " + detail
}

// snippet is the start of a body for an error message.
func snippet(body []byte) string {
	const limit = 200
	if len(body) > 4*limit {
		body = body[:4*limit]
	}
	r := []rune(strings.ToValidUTF8(strings.TrimSpace(string(body)), ""))
	if len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return string(r)
}

// event makes the record an event of number.
func (r historyRecord) event(number string) (carrier.Event, error) {
	op := r.OperationParameters
	if op == nil || op.OperType == nil {
		return carrier.Event{}, errors.New("no OperType")
	}
	typ, err := strconv.Atoi(strings.TrimSpace(op.OperType.ID))
	if err != nil {
		return carrier.Event{}, fmt.Errorf("OperType Id %q: %w", op.OperType.ID, err)
	}
	at, err := parseOperDate(op.OperDate)
	if err != nil {
		return carrier.Event{}, err
	}
	code := strconv.Itoa(typ)
	desc := strings.TrimSpace(op.OperType.Name)
	attr := 0
	if op.OperAttr != nil && strings.TrimSpace(op.OperAttr.ID) != "" {
		attr, err = strconv.Atoi(strings.TrimSpace(op.OperAttr.ID))
		if err != nil {
			return carrier.Event{}, fmt.Errorf("OperAttr Id %q: %w", op.OperAttr.ID, err)
		}
		code += "." + strconv.Itoa(attr)
		if name := strings.TrimSpace(op.OperAttr.Name); name != "" {
			desc = joinText(desc, name)
		}
	}
	return carrier.Event{
		TrackingNumber: number,
		Status:         statusOf(typ, attr),
		At:             at,
		Code:           code,
		Description:    desc,
		Location:       r.location(),
		Raw:            carrier.MustRaw(r),
	}, nil
}

// parseOperDate reads OperDate, e.g. 2015-01-08T14:50:00.000+03:00.
func parseOperDate(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("OperDate %q: %w", s, err)
	}
	return t, nil
}

// location is where the operation happened: the office's index and name,
// or the country for an operation abroad.
func (r historyRecord) location() string {
	a := r.AddressParameters
	if a == nil {
		return ""
	}
	var parts []string
	if oa := a.OperationAddress; oa != nil {
		for _, p := range []string{oa.Index, oa.Description} {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
	}
	if c := a.CountryOper; c != nil && (len(parts) == 0 || c.Code2A != "" && c.Code2A != "RU") {
		name := strings.TrimSpace(c.NameRU)
		if name == "" {
			name = strings.TrimSpace(c.NameEN)
		}
		if name != "" && !slices.Contains(parts, name) {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, ", ")
}
