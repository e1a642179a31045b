package mailin

import (
	"regexp"
	"strings"
)

// Visible returns what a customer wrote in text: without the quoted
// history that mail programs put under a reply (Gmail's and Apple Mail's
// "On … wrote:", Outlook's "-----Original Message-----" and its
// "From: … Sent: …" block, the Russian «… написал(а):» and the Latvian
// «… rakstīja:» forms, `>` quoted lines) and without the signature (after
// a "-- " line, or a "Sent from my iPhone" / «Отправлено из …» footer).
// When nothing would be left (a message that is only a forward), the
// whole text is returned.
func Visible(text string) string {
	if len(text) > maxVisibleScan {
		// A person's words are at the top; what runs on for pages is
		// quoted history or pasted logs, shown in full in Text.
		cut := strings.LastIndexByte(text[:maxVisibleScan], '\n')
		if cut <= 0 {
			cut = maxVisibleScan
		}
		text = strings.ToValidUTF8(text[:cut], "")
	}
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i := 0; i < len(lines); i++ {
		if quoteStart(lines, i) {
			cut = i
			break
		}
	}
	lines = lines[:cut]
	lines = dropTrailingQuote(lines)
	for i, l := range lines {
		if signatureStart(l) {
			lines = lines[:i]
			break
		}
	}
	out := strings.TrimSpace(strings.Join(lines, "\n"))
	if out == "" {
		return strings.TrimSpace(text)
	}
	return out
}

// maxVisibleScan is how much of a text Visible reads.
const maxVisibleScan = 128 << 10

var (
	// A separator line Outlook and others write above the quoted message,
	// in English, Russian and Latvian installations.
	originalMessage = regexp.MustCompile(`(?i)^\s*-{2,}\s*(original message|исходное сообщение|пересылаемое сообщение|oriģinālais ziņojums|sākotnējais ziņojums|forwarded message|перенаправленное сообщение|this is a copy of the message.*)\s*-{2,}\s*$`)
	// The last words of an attribution line: "wrote:", «написал(а):».
	attribution = regexp.MustCompile(`(?i)(wrote|writes|написал\(а\)|написала|написал|пишет|rakstīja|raksta)\s*:\s*$`)
	// The header lines of Outlook's quoted block, in its languages.
	outlookFrom = regexp.MustCompile(`^\*?(From|От|Från|No|Von)\*?\s*:\s*\S`)
	outlookSent = regexp.MustCompile(`^\*?(Sent|Date|Отправлено|Дата|Nosūtīts|Datums|Gesendet)\*?\s*:\s*\S`)
	// An attribution that names an address and ends with a colon, as
	// Gmail in Russian («пн, 1 дек. 2026 г. в 10:00, Имя <a@b.ru>:») and
	// Yandex («01.12.2026, 10:00, "Имя" <a@b.ru>:») write it.
	addressColon = regexp.MustCompile(`@[^\s>]+>?\)?\s*:\s*$`)
	// The line under which Outlook puts the quoted header block.
	underscores = regexp.MustCompile(`^_{10,}\s*$`)
)

// quoteStart reports whether line i begins the quoted history.
func quoteStart(lines []string, i int) bool {
	l := strings.TrimSpace(lines[i])
	if l == "" {
		return false
	}
	if originalMessage.MatchString(l) {
		return true
	}
	if underscores.MatchString(l) && i+1 < len(lines) && outlookFrom.MatchString(strings.TrimSpace(nextNonEmpty(lines, i+1))) {
		return true
	}
	if outlookFrom.MatchString(l) {
		for j := i + 1; j < len(lines) && j <= i+4; j++ {
			if outlookSent.MatchString(strings.TrimSpace(lines[j])) {
				return true
			}
		}
	}
	// An attribution may wrap onto a second (and third) line.
	joined := l
	for j := i + 1; j < len(lines) && j <= i+2 && !strings.HasSuffix(joined, ":"); j++ {
		n := strings.TrimSpace(lines[j])
		if n == "" || strings.HasPrefix(n, ">") {
			break
		}
		joined += " " + n
	}
	if len([]rune(joined)) > 300 {
		return false
	}
	if attribution.MatchString(joined) && (quotedFollows(lines, i) || strings.HasPrefix(strings.ToLower(joined), "on ") || hasDigit(joined)) {
		return true
	}
	return addressColon.MatchString(joined) && hasDigit(joined) && quotedFollows(lines, i)
}

// quotedFollows reports whether `>` lines follow line i, past the rest of
// an attribution and blank lines.
func quotedFollows(lines []string, i int) bool {
	for j := i + 1; j < len(lines) && j <= i+4; j++ {
		n := strings.TrimSpace(lines[j])
		if strings.HasPrefix(n, ">") {
			return true
		}
	}
	return false
}

func nextNonEmpty(lines []string, from int) string {
	for j := from; j < len(lines); j++ {
		if strings.TrimSpace(lines[j]) != "" {
			return lines[j]
		}
	}
	return ""
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// dropTrailingQuote removes the block of `>` lines at the end (with the
// blank lines among them); `>` lines between the customer's own lines are
// an inline reply and stay.
func dropTrailingQuote(lines []string) []string {
	end := len(lines)
	for end > 0 {
		l := strings.TrimSpace(lines[end-1])
		if l == "" || strings.HasPrefix(l, ">") {
			end--
			continue
		}
		break
	}
	// Keep the blank lines' trim honest: only cut when a quoted line was
	// among what was removed.
	for _, l := range lines[end:] {
		if strings.HasPrefix(strings.TrimSpace(l), ">") {
			return lines[:end]
		}
	}
	return lines
}

// signatureStart reports whether a line begins the signature: the
// "-- " delimiter of RFC 3676, or a mobile client's footer.
func signatureStart(line string) bool {
	if line == "-- " || line == "--" || line == "—" {
		return true
	}
	l := strings.ToLower(strings.TrimSpace(line))
	for _, p := range signaturePrefixes {
		if strings.HasPrefix(l, p) {
			return len([]rune(l)) < 80
		}
	}
	return false
}

// signaturePrefixes are the footers mobile clients add, lower-cased.
var signaturePrefixes = []string{
	"sent from my ", "sent from mail for windows", "sent from outlook", "get outlook for ",
	"sent from yahoo mail", "sent with proton mail",
	"отправлено из ", "отправлено с ", "отправлено через ",
	"nosūtīts no ", "sūtīts no ", "nosūtīts, izmantojot",
}
