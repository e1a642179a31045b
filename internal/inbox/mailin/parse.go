package mailin

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/jhillyerd/enmime"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/inbox"
)

// The size caps of Parse: an attachment over MaxAttachment, or one that
// would take the message's attachments over MaxAttachments, is dropped and
// a note in the text says so; the raw message is kept for an operator only
// up to MaxRaw.
const (
	MaxAttachment  = 10 << 20
	MaxAttachments = 25 << 20
	MaxRaw         = 32 << 20
)

// maxParts bounds the MIME parts of one message: real mail has a few
// dozen at most, and the parser's work grows with the square of their
// number, so a crafted message of thousands of parts would tie it up.
const maxParts = 2000

// ErrTooManyParts is returned for a message of more than maxParts parts.
var ErrTooManyParts = errors.New("message has too many MIME parts")

// ErrNotMail is returned for bytes that are not an e-mail message at all:
// no header an e-mail has (From, To, Subject, Date, Message-ID).
var ErrNotMail = errors.New("not an e-mail message")

// Parser reads raw messages; its zero value uses the package's caps.
type Parser struct {
	// MaxAttachment and MaxAttachments replace the package's caps when
	// positive; MaxRaw likewise.
	MaxAttachment, MaxAttachments, MaxRaw int
	// Lang is the language of the notes the operator reads about dropped
	// files: the shop's first language (English when empty).
	Lang i18n.Lang
}

// Parse reads one RFC 5322 message with the package's caps (Parser.Parse).
func Parse(raw []byte) (inbox.Inbound, error) { return Parser{}.Parse(raw) }

// Parse reads one RFC 5322 message into an inbox.Inbound: the sender and
// recipient, subject, threading headers and date; the text (an HTML-only
// message converted) and what of it to show; the attachments within the
// caps; and whether a machine wrote it (an auto-reply or a bounce, with
// what the bounce says). Headers and bodies in any charset come out as
// UTF-8. A message that cannot be read at all is an error; a damaged part
// is skipped.
func (p Parser) Parse(raw []byte) (inbox.Inbound, error) {
	if bytes.Count(raw, []byte("\n--")) > maxParts { // each part begins with a "--boundary" line
		return inbox.Inbound{}, ErrTooManyParts
	}
	env, err := enmime.NewParser(enmime.SkipMalformedParts(true), enmime.MaxStoredPartErrors(16)).ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		return inbox.Inbound{}, fmt.Errorf("read message: %w", err)
	}
	if env.Root == nil || !hasMailHeader(env) {
		return inbox.Inbound{}, ErrNotMail
	}
	in := inbox.Inbound{
		Channel:    inbox.ChannelEmail,
		Subject:    oneLine(env.GetHeader("Subject")),
		MessageID:  firstID(env.GetHeader("Message-ID")),
		InReplyTo:  firstID(env.GetHeader("In-Reply-To")),
		References: ids(env.GetHeader("References")),
		HTML:       strings.ToValidUTF8(env.HTML, "\uFFFD"),
	}
	in.From, in.FromName = address(env, "From")
	if in.From == "" {
		in.From, in.FromName = address(env, "Sender")
	}
	in.To, _ = address(env, "To")
	if in.To == "" {
		in.To, _ = address(env, "Delivered-To")
	}
	if t, err := env.Date(); err == nil {
		in.SentAt = t.UTC()
	} else if t, ok := looseDate(env.GetHeader("Date")); ok {
		in.SentAt = t
	}
	in.Text = strings.ToValidUTF8(normalizeText(bodyText(env)), "\uFFFD") // a part in an unknown charset
	in.Visible = Visible(in.Text)
	atts, notes := p.attachments(env)
	in.Attachments = atts
	if len(notes) > 0 { // the operator reads why a file is missing in both
		note := strings.Join(notes, "\n")
		in.Text = strings.TrimLeft(in.Text+"\n\n"+note, "\n")
		in.Visible = strings.TrimLeft(in.Visible+"\n\n"+note, "\n")
	}
	in.Auto, in.Bounce = machine(env, in)
	if in.Auto == inbox.Bounce {
		kept := in.Attachments[:0]
		for _, a := range in.Attachments {
			if !bounceParts(a.ContentType) {
				kept = append(kept, a)
			}
		}
		in.Attachments = kept
	}
	if len(raw) <= p.maxRaw() {
		in.Raw = raw
	}
	return in, nil
}

func (p Parser) maxAttachment() int {
	if p.MaxAttachment > 0 {
		return p.MaxAttachment
	}
	return MaxAttachment
}

func (p Parser) maxAttachments() int {
	if p.MaxAttachments > 0 {
		return p.MaxAttachments
	}
	return MaxAttachments
}

func (p Parser) maxRaw() int {
	if p.MaxRaw > 0 {
		return p.MaxRaw
	}
	return MaxRaw
}

// attachments collects the files of the message (attachments, and inline
// parts that are not the text itself) within the caps, and a note for each
// dropped one, in the words the operator reads beside the message.
func (p Parser) attachments(env *enmime.Envelope) ([]inbox.Attachment, []string) {
	var out []inbox.Attachment
	var notes []string
	total := 0
	parts := make([]*enmime.Part, 0, len(env.Attachments)+len(env.Inlines))
	parts = append(parts, env.Attachments...)
	for _, part := range env.Inlines {
		// Apple Mail and others mark the text itself inline: that is the
		// body, not a file. A part listed as both is taken once.
		body := part.FileName == "" && (part.ContentType == "text/plain" || part.ContentType == "text/html")
		if !body && !slices.Contains(parts, part) {
			parts = append(parts, part)
		}
	}
	for i, part := range parts {
		name := oneLine(part.FileName)
		if name == "" {
			name = fmt.Sprintf("attachment-%d", i+1)
		}
		size := len(part.Content)
		switch {
		case size > p.maxAttachment():
			notes = append(notes, p.note("mailin.attachment.too_big", name, size, p.maxAttachment()))
			continue
		case total+size > p.maxAttachments():
			notes = append(notes, p.note("mailin.attachment.over_total", name, size, p.maxAttachments()))
			continue
		}
		total += size
		ct := part.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		out = append(out, inbox.Attachment{Name: name, ContentType: ct, Data: part.Content})
	}
	return out, notes
}

// note says in the shop's language why a file is missing.
func (p Parser) note(key, name string, size, limit int) string {
	lang := p.Lang
	if lang == "" {
		lang = i18n.EN
	}
	return i18n.Text(lang, key, map[string]any{"Name": name, "Size": humanSize(size), "Limit": humanSize(limit)})
}

func humanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func hasMailHeader(env *enmime.Envelope) bool {
	for _, h := range []string{"From", "To", "Subject", "Date", "Message-ID", "Sender"} {
		if env.GetHeader(h) != "" {
			return true
		}
	}
	return false
}

// address returns the first address of an address header, lower-cased,
// and its name. A header that does not parse as a list (a missing comma, a
// stray quote) is searched for something that looks like an address.
func address(env *enmime.Envelope, key string) (addr, name string) {
	list, err := env.AddressList(key)
	if err == nil && len(list) > 0 && list[0] != nil {
		return strings.ToValidUTF8(strings.ToLower(strings.TrimSpace(list[0].Address)), "\uFFFD"), oneLine(list[0].Name)
	}
	v := env.GetHeader(key)
	if a, err := mail.ParseAddress(v); err == nil {
		return strings.ToValidUTF8(strings.ToLower(a.Address), "\uFFFD"), oneLine(a.Name)
	}
	if a := findAddress(v); a != "" {
		return a, ""
	}
	return "", ""
}

// findAddress returns the first word of s that looks like an e-mail
// address, without brackets or quotes, lower-cased.
func findAddress(s string) string {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '<' || r == '>' || r == ',' || r == ';' || r == '"' || r == '(' || r == ')' || r == '\'' || r == '\n' || r == '\r'
	}) {
		at := strings.LastIndexByte(w, '@')
		if at > 0 && at < len(w)-1 && strings.Contains(w[at:], ".") {
			return strings.ToLower(strings.TrimPrefix(w, "mailto:"))
		}
	}
	return ""
}

// firstID returns the first message id of a header, without brackets.
func firstID(v string) string {
	if l := ids(v); len(l) > 0 {
		return l[0]
	}
	return ""
}

// ids splits a References-like header into message ids without angle
// brackets. Ids written without brackets (some clients do) are taken as
// whitespace-separated words.
func ids(v string) []string {
	var out []string
	rest := v
	for {
		open := strings.IndexByte(rest, '<')
		if open < 0 {
			break
		}
		end := strings.IndexByte(rest[open:], '>')
		if end < 0 {
			break
		}
		if id := strings.TrimSpace(rest[open+1 : open+end]); id != "" && !strings.ContainsAny(id, " \t\r\n") {
			out = append(out, id)
		}
		rest = rest[open+end+1:]
	}
	if len(out) == 0 {
		for _, w := range strings.Fields(v) {
			if strings.Contains(w, "@") {
				out = append(out, strings.Trim(w, "<>,;"))
			}
		}
	}
	return out
}

// contentID is a Message-ID for a message that has none, made from its
// bytes: the Receiver dedupes by Message-ID, and a message fetched or
// sent again must keep the same one.
func contentID(raw []byte, host string) string {
	sum := sha256.Sum256(raw)
	return "sha256-" + hex.EncodeToString(sum[:16]) + "@" + host
}

// oneLine folds a header value to one line without control characters
// or bytes that are not UTF-8.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)), " ")
}

// bodyText is the message's plain text: enmime's, except that the text
// parts of a mixed message (Apple Mail splits the text around an inline
// picture) are joined by a blank line, where enmime writes a "--" line
// that would read as a signature's start.
func bodyText(env *enmime.Envelope) string {
	root := env.Root
	if !strings.HasPrefix(root.ContentType, "multipart/") || root.ContentType == "multipart/alternative" {
		return env.Text
	}
	parts := root.DepthMatchAll(func(p *enmime.Part) bool {
		return p.ContentType == "text/plain" && p.Disposition != "attachment"
	})
	if len(parts) == 0 {
		return env.Text // converted from the HTML part
	}
	texts := make([]string, len(parts))
	for i, p := range parts {
		texts[i] = strings.Trim(string(p.Content), "\r\n")
	}
	return strings.Join(texts, "\n\n")
}

// normalizeText gives text Unix line ends, no trailing spaces on lines
// (format=flowed soft breaks stay as they came), and no leading or
// trailing blank lines.
func normalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "-- " { // the signature delimiter keeps its space
			lines[i] = strings.TrimRight(l, " \t")
		}
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}

// looseDate reads the dates some mailers write outside RFC 5322 (a
// missing weekday comma, a named zone net/mail does not know).
func looseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '('); i > 0 {
		v = strings.TrimSpace(v[:i])
	}
	for _, layout := range []string{
		"Mon, 2 Jan 2006 15:04:05 -0700", "Mon 2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04 -0700", time.RFC3339, "Mon, 2 Jan 2006 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 MST",
	} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
