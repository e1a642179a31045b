package cdek

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/shopcare/shopcare/internal/carrier"
)

// maxWebhook caps a pushed body; an ORDER_STATUS event is under 1 KiB.
const maxWebhook = 1 << 20

// webhookEnvelope is what every CDEK webhook has.
type webhookEnvelope struct {
	Type       string          `json:"type"`
	DateTime   string          `json:"date_time"`
	UUID       string          `json:"uuid"`
	Attributes json.RawMessage `json:"attributes"`
}

// orderStatusWebhook is an ORDER_STATUS push.
type orderStatusWebhook struct {
	Type       string                `json:"type"`
	DateTime   string                `json:"date_time"`
	UUID       string                `json:"uuid"`
	Attributes orderStatusAttributes `json:"attributes"`
}

// orderStatusAttributes are an ORDER_STATUS push's attributes.
type orderStatusAttributes struct {
	IsReturn       bool   `json:"is_return"`
	IsReverse      bool   `json:"is_reverse,omitempty"`
	IsClientReturn bool   `json:"is_client_return,omitempty"`
	CdekNumber     text   `json:"cdek_number"`
	Number         string `json:"number,omitempty"`
	// Code is the Appendix 1 code; StatusCode the deprecated number
	// that older pushes carry instead.
	Code             string          `json:"code,omitempty"`
	StatusCode       text            `json:"status_code,omitempty"`
	StatusReasonCode text            `json:"status_reason_code,omitempty"`
	StatusDateTime   string          `json:"status_date_time"`
	CityName         string          `json:"city_name,omitempty"`
	CityCode         text            `json:"city_code,omitempty"`
	RelatedEntities  []relatedEntity `json:"related_entities,omitempty"`
	// Deleted marks a status CDEK took back.
	Deleted bool `json:"deleted,omitempty"`
}

// Parse reads one CDEK webhook. An ORDER_STATUS push is one event; the
// other types CDEK pushes (PRINT_FORM, DOWNLOAD_PHOTO, ORDER_MODIFIED, …)
// and a status CDEK withdrew ("deleted") are none. CDEK does not sign its
// webhooks, so Parse only checks that the body is one.
func (c *Client) Parse(r *http.Request) ([]carrier.Event, error) {
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("cdek: webhook: method %s, want POST", r.Method)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhook+1))
	if err != nil {
		return nil, fmt.Errorf("cdek: webhook: read body: %w", err)
	}
	if len(body) > maxWebhook {
		return nil, errors.New("cdek: webhook: body larger than 1 MiB")
	}
	events, err := parseWebhook(body)
	if err != nil {
		return nil, fmt.Errorf("cdek: webhook: %w", err)
	}
	return events, nil
}

// parseWebhook reads a webhook body.
func parseWebhook(body []byte) ([]carrier.Event, error) {
	var env webhookEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("malformed body: %w", err)
	}
	switch {
	case env.Type == "":
		return nil, errors.New("no type")
	case env.Type != "ORDER_STATUS":
		return nil, nil
	case len(env.Attributes) == 0 || string(env.Attributes) == "null":
		return nil, errors.New("ORDER_STATUS without attributes")
	}
	var w orderStatusWebhook
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("malformed ORDER_STATUS: %w", err)
	}
	a := w.Attributes
	number := strings.TrimSpace(string(a.CdekNumber))
	if number == "" {
		return nil, errors.New("ORDER_STATUS without cdek_number")
	}
	code := normCode(a.Code)
	if code == "" {
		num := strings.TrimSpace(string(a.StatusCode))
		if num == "" {
			return nil, fmt.Errorf("ORDER_STATUS of %s without code", number)
		}
		code = numericCodes[num]
		if code == "" {
			code = num // 1000, or a number we do not know: kept, changes nothing
		}
	}
	when := a.StatusDateTime
	if strings.TrimSpace(when) == "" {
		when = w.DateTime
	}
	at, err := parseTime(when)
	if err != nil {
		return nil, fmt.Errorf("ORDER_STATUS of %s: %w", number, err)
	}
	if a.Deleted {
		return nil, nil
	}
	// A return order has a number of its own; the shop knows the parcel
	// by its direct order's, which CDEK names among the related entities.
	if a.IsReturn {
		for _, rel := range a.RelatedEntities {
			if rel.Type == "direct_order" && strings.TrimSpace(string(rel.CdekNumber)) != "" {
				number = strings.TrimSpace(string(rel.CdekNumber))
				break
			}
		}
	}
	return []carrier.Event{{
		TrackingNumber: number,
		Status:         statusOf(code, a.IsReturn),
		At:             at,
		Code:           code,
		Description:    nameOf(code),
		Location:       strings.TrimSpace(a.CityName),
		Raw:            carrier.MustRaw(w),
	}}, nil
}

// subscription is POST /webhooks' body.
type subscription struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// Subscribe asks CDEK to push ORDER_STATUS webhooks to url (POST
// /v2/webhooks). CDEK keeps one URL per type, so this replaces an earlier
// subscription. The URL should carry the shop's webhook secret: CDEK does
// not sign what it sends.
func (c *Client) Subscribe(ctx context.Context, url string) error {
	if url == "" {
		return errors.New("cdek: subscribe: empty url")
	}
	body, err := json.Marshal(subscription{Type: "ORDER_STATUS", URL: url})
	if err != nil {
		return fmt.Errorf("cdek: subscribe: %w", err)
	}
	status, answer, err := c.do(ctx, http.MethodPost, "/webhooks", body)
	if err != nil {
		return fmt.Errorf("cdek: subscribe: %w", err)
	}
	if status != http.StatusOK && status != http.StatusCreated && status != http.StatusAccepted {
		return fmt.Errorf("cdek: subscribe: %w", answerError(status, answer))
	}
	ans, err := decodeOrder(answer)
	if err != nil {
		return fmt.Errorf("cdek: subscribe: %w", err)
	}
	if e := ans.apiError(status); e != nil {
		return fmt.Errorf("cdek: subscribe: %w", e)
	}
	return nil
}
