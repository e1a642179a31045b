package mailin

import (
	"bufio"
	"bytes"
	"net/textproto"
	"regexp"
	"strings"

	"github.com/jhillyerd/enmime"

	"github.com/shopcare/shopcare/internal/inbox"
)

// bounce reads a delivery status notification: an RFC 3464 report
// (multipart/report; report-type=delivery-status, with a
// message/delivery-status part), or one of the older, free-text bounces
// that mail servers still send from MAILER-DAEMON or postmaster, from
// which the failed address and the status are dug out of the words.
// An abuse report (RFC 5965, a customer's spam complaint through a
// feedback loop) is read as a report with Complaint set. It returns nil
// for anything else.
func bounce(env *enmime.Envelope, in inbox.Inbound) *inbox.BounceReport {
	if f := feedback(env); f != nil {
		return f
	}
	status := env.Root.DepthMatchFirst(func(p *enmime.Part) bool {
		return p.ContentType == "message/delivery-status" || p.ContentType == "message/global-delivery-status"
	})
	if status != nil {
		if b := deliveryStatus(status.Content); b != nil {
			b.OriginalMessageID = originalID(env)
			return b
		}
	}
	if !fromMailer(in.From, in.FromName) || !bounceSubject.MatchString(in.Subject) {
		return nil
	}
	return freeTextBounce(env, in)
}

// deliveryStatus parses the fields of a message/delivery-status part: a
// block of per-message fields, then one block per recipient. The first
// failed recipient is reported (else the first delayed one).
func deliveryStatus(content []byte) *inbox.BounceReport {
	blocks := statusBlocks(content)
	var pick textproto.MIMEHeader
	for _, h := range blocks {
		if h.Get("Final-Recipient") == "" && h.Get("Original-Recipient") == "" {
			continue
		}
		if pick == nil {
			pick = h
		}
		if strings.EqualFold(strings.TrimSpace(h.Get("Action")), "failed") {
			pick = h
			break
		}
	}
	if pick == nil {
		return nil
	}
	rcpt := typedValue(pick.Get("Final-Recipient"))
	if rcpt == "" {
		rcpt = typedValue(pick.Get("Original-Recipient"))
	}
	b := &inbox.BounceReport{
		Recipient:  strings.ToLower(strings.Trim(rcpt, "<> ")),
		Status:     statusCode.FindString(pick.Get("Status")),
		Diagnostic: oneLine(typedValue(pick.Get("Diagnostic-Code"))),
	}
	action := strings.ToLower(strings.TrimSpace(pick.Get("Action")))
	b.Permanent = strings.HasPrefix(b.Status, "5") || (b.Status == "" && action == "failed")
	return b
}

// statusBlocks splits a delivery-status body into its field blocks.
// Continuation lines and a missing final blank line are allowed; a line
// that is not a field ends nothing, it is skipped.
func statusBlocks(content []byte) []textproto.MIMEHeader {
	content = bytes.ReplaceAll(content, []byte("\r\n"), []byte("\n"))
	var out []textproto.MIMEHeader
	for _, chunk := range bytes.Split(content, []byte("\n\n")) {
		chunk = bytes.TrimSpace(chunk)
		if len(chunk) == 0 {
			continue
		}
		r := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(chunk, '\n', '\n'))))
		if h, _ := r.ReadMIMEHeader(); len(h) > 0 { // what was read before a bad line counts
			out = append(out, h)
		}
	}
	return out
}

// typedValue drops the type of an RFC 3464 field ("rfc822; a@b" → "a@b",
// "smtp; 550 …" → "550 …").
func typedValue(v string) string {
	if _, after, ok := strings.Cut(v, ";"); ok {
		return strings.TrimSpace(after)
	}
	return strings.TrimSpace(v)
}

// maxBounceScan is how much of a free-text bounce is searched.
const maxBounceScan = 64 << 10

var (
	statusCode = regexp.MustCompile(`\b[245]\.\d{1,3}\.\d{1,3}\b`)
	// The subjects of bounces from Postfix, Sendmail, Exim, qmail,
	// Exchange and the Russian mail services, including the translated
	// ones.
	bounceSubject = regexp.MustCompile(`(?i)(undeliver|returned mail|delivery status notification|delivery failure|failure notice|mail delivery failed|delivery has failed|could not be delivered|non remis|недоставлен|не доставлено|не может быть доставлено|ошибка доставки|nepiegādāt|nav piegādāts)`)
	// A line naming the failed address in the usual free-text bounces:
	// "<a@b>: host … said: 550 …" (Postfix style), "a@b" alone on its
	// line under "failed permanently" (Exim), "<a@b>:" (qmail).
	angleAddr   = regexp.MustCompile(`<([^<>@\s]+@[^<>\s]+)>`)
	leadingAddr = regexp.MustCompile(`(?m)^\s*<([^<>@\s]+@[^<>\s]+)>:`)
	bareAddr    = regexp.MustCompile(`(?m)^\s*([^\s<>@:;,"]+@[^\s<>:;,"]+\.[a-zA-Z]{2,})\s*:?\s*$`)
	smtpReply   = regexp.MustCompile(`\b([45]\d\d)[ -]((?:[245]\.\d{1,3}\.\d{1,3})?.*)`)
)

// fromMailer reports whether a message comes from a mail server's
// bounce address.
func fromMailer(addr, name string) bool {
	local, _, _ := strings.Cut(strings.ToLower(addr), "@")
	switch local {
	case "mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon":
		return true
	}
	n := strings.ToLower(name)
	return strings.Contains(n, "mailer-daemon") || strings.Contains(n, "mail delivery")
}

// freeTextBounce reads a bounce without a delivery-status part: the
// first address in the text that is not the sender's, and the SMTP reply
// near it.
func freeTextBounce(env *enmime.Envelope, in inbox.Inbound) *inbox.BounceReport {
	text := normalizeText(bodyText(env))
	if len(text) > maxBounceScan { // the report is at the top; the returned message follows
		text = text[:maxBounceScan]
	}
	b := &inbox.BounceReport{OriginalMessageID: originalID(env)}
	// Exim names the address in a header; Postfix and qmail begin a line
	// with "<a@b>:"; Exim's text has it alone on a line; else the first
	// address in brackets that is neither side of the bounce itself.
	candidates := []string{findAddress(env.GetHeader("X-Failed-Recipients"))}
	for _, re := range []*regexp.Regexp{leadingAddr, bareAddr, angleAddr} {
		for _, m := range re.FindAllStringSubmatch(text, 20) {
			candidates = append(candidates, strings.ToLower(m[1]))
		}
	}
	for _, a := range candidates {
		if a != "" && a != in.From && a != in.To && !fromMailer(a, "") {
			b.Recipient = a
			break
		}
	}
	if b.Recipient == "" {
		return nil
	}
	if m := smtpReply.FindStringSubmatch(text); m != nil {
		b.Diagnostic = oneLine(m[0])
		b.Status = statusCode.FindString(m[0])
		if b.Status == "" {
			b.Status = m[1][:1] + ".0.0"
		}
	} else if s := statusCode.FindString(text); s != "" {
		b.Status = s
	}
	b.Permanent = b.Status == "" || strings.HasPrefix(b.Status, "5")
	return b
}

// originalID finds the Message-ID of the message that bounced, in the
// returned message or its headers (message/rfc822, text/rfc822-headers),
// else in the text where free-text bounces quote it.
func originalID(env *enmime.Envelope) string {
	orig := env.Root.DepthMatchFirst(func(p *enmime.Part) bool {
		return p.ContentType == "message/rfc822" || p.ContentType == "text/rfc822-headers" || p.ContentType == "message/global" || p.ContentType == "message/global-headers"
	})
	if orig != nil {
		if id := messageIDLine(orig.Content); id != "" {
			return id
		}
	}
	text := bodyText(env)
	if len(text) > 4*maxBounceScan {
		text = text[:4*maxBounceScan]
	}
	return messageIDLine([]byte(text))
}

var messageIDHeader = regexp.MustCompile(`(?im)^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^<>\s]+>|\S+@\S+)`)

func messageIDLine(b []byte) string {
	m := messageIDHeader.FindSubmatch(b)
	if m == nil {
		return ""
	}
	return firstID(string(m[1]))
}

// bounceParts are the parts of a bounce that are the report itself, not
// files someone sent: they are not kept as attachments.
func bounceParts(ct string) bool {
	switch ct {
	case "message/delivery-status", "message/global-delivery-status", "message/rfc822", "text/rfc822-headers",
		"message/global", "message/global-headers", "message/feedback-report":
		return true
	}
	return false
}
