package campaign

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Bounds of a campaign's content.
const (
	maxSubject = 200       // characters of an e-mail's subject
	maxBody    = 200 << 10 // bytes of a Markdown, HTML or text
	// MaxSMSSegments is the most parts an SMS campaign's message may take
	// (each billed as one SMS), its unsubscribe link included.
	MaxSMSSegments = 4
)

// checkContent validates the contents c of a campaign on channel (the
// templates parse, e-mail has a subject and a body, SMS fits), naming
// fields under prefix.
func (s *Service) checkContent(errs *invalid.List, prefix, channel string, c Contents) {
	for _, lang := range sortedKeys(c) {
		field := prefix + "." + lang
		content := c[lang]
		ok := true
		switch channel {
		case Email:
			if strings.TrimSpace(content.Subject) == "" {
				errs.Add(field+".subject", "required", "an e-mail needs a subject")
				ok = false
			} else if utf8.RuneCountInString(content.Subject) > maxSubject {
				errs.Add(field+".subject", "too_long", "at most %d characters", maxSubject)
				ok = false
			}
			if strings.TrimSpace(content.Markdown+content.HTML+content.Text) == "" {
				errs.Add(field+".markdown", "required", "write the message in Markdown, HTML or text")
				ok = false
			}
			if content.Markdown != "" && content.HTML != "" {
				errs.Add(field+".html", "invalid", "write the message in Markdown or in HTML, not both")
				ok = false
			}
		case SMS:
			if strings.TrimSpace(content.Text) == "" {
				errs.Add(field+".text", "required", "an SMS needs its text")
				ok = false
			}
		case Telegram, Paper:
			if strings.TrimSpace(content.Text+content.Markdown+content.HTML) == "" {
				errs.Add(field+".text", "required", "write the message's text")
				ok = false
			}
		default:
			return // the channel is named already
		}
		for part, v := range map[string]string{"subject": content.Subject, "text": content.Text, "markdown": content.Markdown, "html": content.HTML} {
			if len(v) > maxBody {
				errs.Add(field+"."+part, "too_long", "at most %d bytes", maxBody)
				ok = false
			} else if !utf8.ValidString(v) {
				errs.Add(field+"."+part, "invalid", "is not UTF-8 text")
				ok = false
			}
		}
		if !ok {
			continue
		}
		s.tryContent(errs, field, channel, lang, content)
	}
}

// tryContent compiles one language's content and renders it for a sample
// customer, so a template that names a field the data does not have
// fails when saved, not when sent; an SMS must fit MaxSMSSegments.
func (s *Service) tryContent(errs *invalid.List, field, channel, lang string, content Content) {
	cc, err := s.compileContent(channel, lang, content)
	var pe *partError
	if errors.As(err, &pe) {
		errs.Add(field+"."+pe.part, "invalid", "%s", pe.Error()[len(pe.part)+2:])
		return
	} else if err != nil {
		errs.Add(field, "invalid", "%s", err)
		return
	}
	k := &Compiled{s: s, channel: channel, variants: map[string]map[string]*compiledContent{VariantA: {lang: cc}},
		langs: []string{lang}}
	r := sampleRecipient
	r.Language = lang
	out, err := k.Render(VariantA, r)
	if err != nil {
		part := "text"
		if content.Text == "" {
			part = content.bodyField()
		}
		switch {
		case strings.Contains(err.Error(), "subject"):
			part = "subject"
		case strings.Contains(err.Error(), "HTML"):
			part = content.bodyField()
		}
		errs.Add(field+"."+part, "invalid", "%s", templateError(errors.Unwrap(err)))
		return
	}
	if channel == SMS {
		if n, ucs2 := SMSSegments(out.Text); n > MaxSMSSegments {
			enc := "GSM-7"
			if ucs2 {
				enc = "UCS-2"
			}
			errs.Add(field+".text", "too_long", "takes %d SMS (%s, unsubscribe link included), at most %d", n, enc, MaxSMSSegments)
		}
	}
}

// gsm7 are the characters of the GSM 03.38 default alphabet; gsm7Ext
// those of its extension table, which take two septets each.
const (
	gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7Ext = "^{}\\[~]|€\f"
)

// SMSSegments is how many SMS text takes and whether it must go as UCS-2:
// GSM-7 carries 160 characters in one SMS and 153 a part of a longer one
// (an extension character counts twice); anything else (Cyrillic,
// Latvian letters with diacritics) makes the whole message UCS-2, 70
// characters alone and 67 a part (a character outside the BMP counts
// twice).
func SMSSegments(text string) (segments int, ucs2 bool) {
	septets, units := 0, 0
	for _, r := range text {
		switch {
		case strings.ContainsRune(gsm7, r):
			septets++
		case strings.ContainsRune(gsm7Ext, r):
			septets += 2
		default:
			ucs2 = true
		}
		if r > 0xFFFF {
			units += 2
		} else {
			units++
		}
	}
	single, part, n := 160, 153, septets
	if ucs2 {
		single, part, n = 70, 67, units
	}
	switch {
	case n == 0:
		return 0, ucs2
	case n <= single:
		return 1, ucs2
	}
	return (n + part - 1) / part, ucs2
}
