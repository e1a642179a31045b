// Package inbox is shopcare's listening half: every message a customer
// sends (an e-mail to the shop's mailbox or to shopcare's own SMTP
// listener, a Telegram message to the shop's bot, the contact form of the
// tracking page or the shop's site) becomes part of a conversation with
// that customer, answered in their language within the shop's response
// targets.
//
// This file is the contract between the channels that receive messages
// (internal/inbox/mailin, internal/inbox/telegramin, the web form) and
// the conversations' service.
package inbox

import (
	"context"
	"time"
)

// Channels a message can come in on.
const (
	ChannelEmail    = "email"
	ChannelTelegram = "telegram"
	ChannelWeb      = "web"
)

// Auto says what kind of machine wrote a message; "" for a person.
type Auto string

// The kinds of machine-written mail (RFC 3834 auto-replies, RFC 3464
// delivery status notifications).
const (
	Human     Auto = ""
	AutoReply Auto = "auto_reply" // out of office, vacation, "we got your letter"
	Bounce    Auto = "bounce"     // a delivery status notification: the address failed
)

// Inbound is one message as a channel received it, before it is threaded.
type Inbound struct {
	// Channel is ChannelEmail, ChannelTelegram or ChannelWeb.
	Channel string
	// From is the sender's address on the channel: an e-mail address
	// (lower-cased), a Telegram chat id, or the web form's e-mail or
	// phone. FromName is the name they gave.
	From, FromName string
	// To is the address it was sent to (the shop's mailbox).
	To string
	// Subject is the e-mail's subject, "" elsewhere.
	Subject string
	// Text is the message as written, in plain text (an HTML-only e-mail
	// converted); Visible is Text without the quoted history and the
	// signature, for display.
	Text, Visible string
	// HTML is an e-mail's HTML part as sent, "" when it had none.
	HTML string
	// MessageID, InReplyTo and References are the e-mail's threading
	// headers without angle brackets; a Telegram message's id in its chat.
	MessageID  string
	InReplyTo  string
	References []string
	// SentAt is when the sender's side says it was written; zero when
	// unknown. The service stamps the time it was received.
	SentAt time.Time
	// Language is ru, lv or en when the channel knows it (a Telegram
	// client's language); "" to detect from the text.
	Language string
	// Attachments are the files sent with it, each within the size cap.
	Attachments []Attachment
	// Auto tells a person's message from an auto-reply or a bounce.
	Auto Auto
	// Bounce is what a delivery status notification says, when Auto is
	// Bounce.
	Bounce *BounceReport
	// StartToken is the token of a Telegram /start deep link
	// (t.me/bot?start=TOKEN from a tracking page or a message), linking
	// the chat to the customer it was made for.
	StartToken string
	// CustomerID and OrderID are set when the channel already knows who
	// wrote and about what (the tracking page's form); 0 otherwise.
	CustomerID, OrderID int64
	// Raw is the message as it came (the e-mail's RFC 5322 bytes), kept
	// within the size cap for an operator to look at; nil when too big.
	Raw []byte
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// BounceReport is what a delivery status notification says about an
// address shopcare sent to.
type BounceReport struct {
	// Recipient is the address that failed.
	Recipient string
	// Status is the RFC 3463 status code ("5.1.1"); Permanent when it is
	// a 5.x.x failure rather than a delay.
	Status    string
	Permanent bool
	// Diagnostic is the remote server's words.
	Diagnostic string
	// OriginalMessageID is the Message-ID of shopcare's message that
	// bounced, when the report quotes it.
	OriginalMessageID string
	// Complaint marks an abuse report (RFC 5965 feedback loop): the
	// customer marked the message as spam; Status is its feedback type.
	// The address works; the customer wants no marketing.
	Complaint bool
}

// Receiver takes in messages from a channel: the conversations' service.
// Receive is idempotent per (Channel, MessageID): a message fetched twice
// (an IMAP reconnect, a Telegram update sent again) is stored once.
type Receiver interface {
	Receive(ctx context.Context, in Inbound) error
}
