package message

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/store"
)

// The customer channels.
const (
	Email    = "email"
	SMS      = "sms"
	Telegram = "telegram"
)

// Standing is a customer's standing on one channel.
type Standing struct {
	ConsentAt  *time.Time // when they agreed to be reached on it (SMS)
	OptedOutAt *time.Time // when they said no more
	FailedAt   *time.Time // when their address failed for good
	Failure    string     // what the channel said then
	// MarketingRevokedAt is when they withdrew their marketing consent
	// on the channel (their own page, the API): no campaign or offer
	// on it since, while order news keeps coming.
	MarketingRevokedAt *time.Time
	// MarketingConsentAt is when they gave their explicit marketing
	// consent on the channel; nil: never, withdrawn or still pending.
	MarketingConsentAt *time.Time
}

// Contact is how one customer can be reached.
type Contact struct {
	CustomerID     int64
	Name           string
	Email          string
	Phone          string
	TelegramChatID string
	Language       string
	Timezone       string
	// Order is the customer's own channel order; empty for the shop's.
	Order    []string
	Standing map[string]Standing
	// MarketingOptedOutAt is when the customer unsubscribed from
	// marketing (a newsletter's link): no marketing-type message on any
	// channel since, while order news keeps coming.
	MarketingOptedOutAt *time.Time
}

// LoadContact returns the customer's addresses and standings.
func LoadContact(ctx context.Context, q store.Querier, customerID int64) (*Contact, error) {
	r, err := customer.GetReach(ctx, q, customerID)
	if err != nil {
		return nil, fmt.Errorf("load customer %d: %w", customerID, err)
	}
	standings, err := customer.ListChannelStandings(ctx, q, customerID)
	if err != nil {
		return nil, fmt.Errorf("load channels of customer %d: %w", customerID, err)
	}
	return contact(customerID, r, standings), nil
}

// LoadContacts returns the contacts of the customers ids that exist, by
// id, each as LoadContact returns it, with one statement per table for
// all of them (a sweep's batch).
func LoadContacts(ctx context.Context, q store.Querier, ids []int64) (map[int64]*Contact, error) {
	reach, err := customer.GetReachMany(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("load %d customers: %w", len(ids), err)
	}
	standings, err := customer.ListChannelStandingsMany(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("load channels of %d customers: %w", len(ids), err)
	}
	out := make(map[int64]*Contact, len(reach))
	for id, r := range reach {
		out[id] = contact(id, r, standings[id])
	}
	return out, nil
}

// contact builds the Contact of a customer from what was read of them.
func contact(id int64, r customer.Reach, standings []customer.ChannelStanding) *Contact {
	c := Contact{CustomerID: id, Standing: map[string]Standing{}}
	c.Name, c.Language, c.Timezone, c.MarketingOptedOutAt = r.Name, r.Language, r.Timezone, r.MarketingOptedOutAt
	c.Email, c.Phone, c.TelegramChatID = store.Text(r.Email), store.Text(r.Phone), store.Text(r.TelegramChat)
	if r.ChannelOrder != "" {
		c.Order = strings.Split(r.ChannelOrder, ",")
	}
	for _, s := range standings {
		c.Standing[s.Channel] = Standing{ConsentAt: s.ConsentAt, OptedOutAt: s.OptedOutAt, FailedAt: s.FailedAt, Failure: s.Failure,
			MarketingRevokedAt: s.MarketingRevokedAt, MarketingConsentAt: s.MarketingConsentAt}
	}
	return &c
}

// Address returns where the channel reaches the customer, or why it
// cannot. E-mail needs no separate consent for order news, and marketing
// mail goes to customers who bought before (soft opt-in: every
// marketing-type rule reacts to a purchase or to a customer's purchase
// history) with an unsubscribe link; SMS needs the customer's consent; a
// linked Telegram chat is the customer's consent. An opt-out or an
// address that failed for good closes a channel. Marketing has one more
// gate, Marketing.
func (c *Contact) Address(channel string) (addr, why string) {
	s := c.Standing[channel]
	switch channel {
	case Email:
		addr = c.Email
	case SMS:
		addr = c.Phone
	case Telegram:
		addr = c.TelegramChatID
	}
	switch {
	case addr == "":
		return "", "no " + channel + " address"
	case s.OptedOutAt != nil:
		return "", "opted out of " + channel
	case s.FailedAt != nil:
		return "", channel + " failed for good: " + s.Failure
	case channel == SMS && s.ConsentAt == nil:
		return "", "no consent to SMS"
	}
	return addr, ""
}

// Marketing returns why no marketing-type message may reach the
// customer, or "" when it may: the customer unsubscribed from marketing.
// Order news is not affected.
func (c *Contact) Marketing() string {
	if c.MarketingOptedOutAt != nil {
		return "the customer unsubscribed from marketing on " + c.MarketingOptedOutAt.UTC().Format("2006-01-02")
	}
	return ""
}

// MarketingOn returns why no marketing-type message may go on channel,
// or "" when it may as far as that channel goes: the customer withdrew
// their marketing consent on it. Marketing is the gate of every channel.
func (c *Contact) MarketingOn(channel string) string {
	if at := c.Standing[channel].MarketingRevokedAt; at != nil {
		return "the customer withdrew marketing on " + channel + " on " + at.UTC().Format("2006-01-02")
	}
	return ""
}

// AdvertisingOn returns why no advertising (Draft.Advertising) may go on
// channel, or "" when it may as far as that channel goes: advertising
// needs the customer's explicit marketing consent on it, recorded with its
// source; a consent pending its confirmation is none yet.
func (c *Contact) AdvertisingOn(channel string) string {
	if c.Standing[channel].MarketingConsentAt == nil {
		return "no marketing consent on " + channel
	}
	return ""
}

// Channels returns the order in which to try channels: the rule's own when
// it has one, else the customer's, else the shop's.
func (c *Contact) Channels(rule, shop []string) []string {
	switch {
	case len(rule) > 0:
		return rule
	case len(c.Order) > 0:
		return c.Order
	}
	return shop
}

// SetStanding records a customer's consent (consent true) or opt-out
// (consent false) on a channel at at. Consent clears an earlier opt-out
// and the other way round.
func SetStanding(ctx context.Context, q store.Querier, customerID int64, channel string, consent bool, at time.Time) error {
	if !config.ValidChannel(channel) {
		return fmt.Errorf("%q is not a channel", channel)
	}
	err := customer.SetChannelConsent(ctx, q, customer.ChannelConsentSet{CustomerID: customerID, Channel: channel, Consent: consent, At: at})
	if err != nil {
		return fmt.Errorf("record %s standing of customer %d: %w", channel, customerID, err)
	}
	return nil
}

// RecordFailure marks the customer's address on channel as failed for good;
// the channel is skipped until the address changes.
func RecordFailure(ctx context.Context, q store.Querier, customerID int64, channel, failure string, at time.Time) error {
	err := customer.SetChannelFailure(ctx, q, customer.ChannelFailure{CustomerID: customerID, Channel: channel,
		Failure: truncate(failure, 500), At: at})
	if err != nil {
		return fmt.Errorf("record %s failure of customer %d: %w", channel, customerID, err)
	}
	return nil
}

// ErrUnknownToken is returned for an unsubscribe token no message has.
var ErrUnknownToken = errors.New("unknown unsubscribe link")

// GetByUnsubscribeToken returns the message whose unsubscribe link holds
// token.
func GetByUnsubscribeToken(ctx context.Context, q store.Querier, token string) (*Message, error) {
	if !secret.Plausible(token) {
		return nil, ErrUnknownToken
	}
	m, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM messages WHERE unsubscribe_token = $1`, token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownToken
	}
	if err != nil {
		return nil, fmt.Errorf("message by unsubscribe token: %w", err)
	}
	if m.Channel == "" {
		m.Channel = Email // not sent yet: the link can only have come by e-mail
	}
	return m, nil
}

// Unsubscribe stops marketing to the customer of the message with token,
// on every channel, and returns the message: what the link in a marketing
// message and the one-click POST of RFC 8058 do. Order news (confirmation,
// status, pickup reminders, apologies) keeps coming. Following the link
// twice keeps the first time.
func Unsubscribe(ctx context.Context, q store.Querier, token string, at time.Time) (*Message, error) {
	m, err := GetByUnsubscribeToken(ctx, q, token)
	if err != nil {
		return nil, err
	}
	if err := OptOutMarketing(ctx, q, m.CustomerID, at); err != nil {
		return nil, err
	}
	return m, nil
}

// StopAll opts the customer of the message with token out of every
// channel, order news included, and returns the message: the explicit
// second choice of the unsubscribe page.
func StopAll(ctx context.Context, q store.Querier, token string, at time.Time) (*Message, error) {
	m, err := GetByUnsubscribeToken(ctx, q, token)
	if err != nil {
		return nil, err
	}
	if err := OptOutMarketing(ctx, q, m.CustomerID, at); err != nil {
		return nil, err
	}
	for _, ch := range config.ChannelNames {
		if err := SetStanding(ctx, q, m.CustomerID, ch, false, at); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// OptOutMarketing records that the customer wants no more marketing, at
// at unless they said so before.
func OptOutMarketing(ctx context.Context, q store.Querier, customerID int64, at time.Time) error {
	err := customer.SetMarketingOptOut(ctx, q, customerID, at)
	if err != nil {
		return fmt.Errorf("opt customer %d out of marketing: %w", customerID, err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
