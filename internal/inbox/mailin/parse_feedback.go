package mailin

import (
	"regexp"
	"strings"

	"github.com/jhillyerd/enmime"

	"github.com/shopcare/shopcare/internal/inbox"
)

// feedback reads an abuse report in the Abuse Reporting Format (RFC
// 5965): a multipart/report; report-type=feedback-report with a
// message/feedback-report part, which mailbox providers (Yahoo, Mail.ru,
// Outlook's JMRP, Yandex) send through their feedback loops when a
// customer marks a message as spam. Only Feedback-Type "abuse" (and
// "fraud", a stronger word for the same) is a complaint; other types
// ("not-spam", "virus", "other") and anything else are nil. The
// complaining address is Original-Rcpt-To, else Removed-Recipient, else
// the To of the quoted message; the message complained about is the
// quoted message's Message-ID.
func feedback(env *enmime.Envelope) *inbox.BounceReport {
	part := env.Root.DepthMatchFirst(func(p *enmime.Part) bool { return p.ContentType == "message/feedback-report" })
	if part == nil {
		return nil
	}
	return feedbackReport(part.Content, originalID(env), originalTo(env))
}

// feedbackReport parses the fields of a message/feedback-report part;
// id and to are the quoted message's Message-ID and To.
func feedbackReport(content []byte, id, to string) *inbox.BounceReport {
	blocks := statusBlocks(content)
	if len(blocks) == 0 {
		return nil
	}
	h := blocks[0]
	kind := strings.ToLower(strings.TrimSpace(h.Get("Feedback-Type")))
	if kind != "abuse" && kind != "fraud" {
		return nil
	}
	rcpt := ""
	for _, f := range []string{"Original-Rcpt-To", "Removed-Recipient"} {
		if rcpt = findAddress(typedValue(h.Get(f))); rcpt != "" {
			break
		}
	}
	if rcpt == "" {
		rcpt = findAddress(to)
	}
	return &inbox.BounceReport{
		Recipient:         strings.ToLower(rcpt),
		Status:            kind,
		Complaint:         true,
		Diagnostic:        oneLine(h.Get("User-Agent")),
		OriginalMessageID: id,
	}
}

// originalTo is the To header of the message a report quotes.
func originalTo(env *enmime.Envelope) string {
	orig := env.Root.DepthMatchFirst(func(p *enmime.Part) bool {
		return p.ContentType == "message/rfc822" || p.ContentType == "text/rfc822-headers"
	})
	if orig == nil {
		return ""
	}
	m := originalToHeader.FindSubmatch(orig.Content)
	if m == nil {
		return ""
	}
	return string(m[1])
}

var originalToHeader = regexp.MustCompile(`(?im)^to:[ \t]*([^\r\n]*)`)
