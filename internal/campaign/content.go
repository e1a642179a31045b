package campaign

import (
	"context"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Part "content": a campaign's content into each customer's message.

// contentState is the content part's state in the Service.
type contentState struct{}

func (c *contentState) init(s *Service) {}

// Recipient is who a message is rendered for.
type Recipient struct {
	CustomerID int64
	Name       string
	Language   string
	Email      string
	Phone      string
	Telegram   string
}

// Rendered is one customer's message of a campaign.
type Rendered struct {
	Subject string
	Text    string // the plain-text part; SMS and Telegram carry only this
	HTML    string // e-mail's HTML part
	// Unsubscribe is the customer's one-click unsubscribe link.
	Unsubscribe string
}

// Compiled is a campaign's content parsed once for all its recipients.
type Compiled struct{}

// compile parses campaign c's content (variant a, b, or the winner) for
// rendering to many recipients.
func (s *Service) compile(c *Campaign) (*Compiled, error) { return nil, errNotBuilt }

// Render writes the message of variant for r.
func (k *Compiled) Render(variant string, r Recipient) (Rendered, error) {
	return Rendered{}, errNotBuilt
}

// Preview renders campaign id's variant for a real customer in lang, as
// they would get it (nothing is sent or counted).
func (s *Service) Preview(ctx context.Context, id, customerID int64, lang, variant string) (Rendered, error) {
	return Rendered{}, errNotBuilt
}

// TestSend sends campaign id's variant in lang to the address to (an
// e-mail, a phone, a Telegram chat by the campaign's channel), marked as a
// test; nothing is counted.
func (s *Service) TestSend(ctx context.Context, id int64, to, lang, variant string) error {
	return errNotBuilt
}

// checkContent validates the contents c of a campaign on channel (the
// templates parse, e-mail has a subject and a body, SMS fits), naming
// fields under prefix.
func (s *Service) checkContent(errs *invalid.List, prefix, channel string, c Contents) {}
