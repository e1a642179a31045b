package campaign

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strconv"
	"strings"
	texttemplate "text/template"

	"github.com/shopcare/shopcare/internal/i18n"
)

// Part "content": a campaign's content into each customer's message.

// contentState is the content part's state in the Service.
type contentState struct {
	// track rewrites a link of a tracked message through the click
	// counter (results_token.go).
	track func(campaignID, customerID int64, link int, url string) string
	brand brand
}

func (c *contentState) init(s *Service) {
	c.track = s.trackedURL
	c.brand = brandOf(s)
}

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
// Render is safe for concurrent use.
type Compiled struct {
	s        *Service
	campaign int64
	channel  string
	track    bool
	// variants are the content by variant (a, b) and language; a
	// language a customer's message lacks falls back along langs.
	variants map[string]map[string]*compiledContent
	langs    []string
	winner   string
}

// compiledContent is one language's content of one variant.
type compiledContent struct {
	lang    i18n.Lang
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template // nil but on e-mail
	// unsubscribe is the unsubscribe link's words in lang.
	unsubscribe string
}

// compile parses campaign c's content (variant a, b, or the winner) for
// rendering to many recipients.
func (s *Service) compile(c *Campaign) (*Compiled, error) {
	k := &Compiled{s: s, campaign: c.ID, channel: c.Channel, track: c.TrackClicks, winner: c.Winner,
		variants: map[string]map[string]*compiledContent{}, langs: s.languages()}
	for variant, contents := range map[string]Contents{VariantA: c.Content, VariantB: c.VariantB} {
		if len(contents) == 0 {
			continue
		}
		byLang := map[string]*compiledContent{}
		for lang, content := range contents {
			cc, err := s.compileContent(c.Channel, lang, content)
			if err != nil {
				return nil, fmt.Errorf("compile campaign %d, variant %s, %s: %w", c.ID, variant, lang, err)
			}
			byLang[lang] = cc
		}
		k.variants[variant] = byLang
	}
	if k.variants[VariantA] == nil {
		return nil, fmt.Errorf("compile campaign %d: no content", c.ID)
	}
	return k, nil
}

// languages are the shop's languages, its first the fallback of last
// resort.
func (s *Service) languages() []string {
	langs := slices.Clone(s.deps.Settings.Shop.Languages)
	for _, l := range i18n.Langs() {
		if !slices.Contains(langs, string(l)) {
			langs = append(langs, string(l))
		}
	}
	return langs
}

// compileContent parses one language's content: the subject, the text
// (made from the HTML when not written) and, for e-mail, the HTML in the
// campaign layout.
func (s *Service) compileContent(channel, lang string, c Content) (*compiledContent, error) {
	l := i18n.Pick(lang, i18n.EN)
	cc := &compiledContent{lang: l, unsubscribe: i18n.Text(l, "campaign_content.unsubscribe", nil)}
	funcs := i18n.TemplateFuncs(l)
	var err error
	if cc.subject, err = texttemplate.New("subject").Funcs(funcs).Option("missingkey=error").Parse(c.Subject); err != nil {
		return nil, &partError{"subject", err}
	}
	body := ""
	if channel != SMS {
		body, err = bodyHTML(c)
		if err != nil {
			return nil, err
		}
	}
	text := c.Text
	if text == "" {
		text = htmlText(body)
	}
	if cc.text, err = texttemplate.New("text").Funcs(funcs).Option("missingkey=error").Parse(text); err != nil {
		if c.Text == "" {
			return nil, &partError{c.bodyField(), err}
		}
		return nil, &partError{"text", err}
	}
	if channel != Email {
		return cc, nil
	}
	sh := s.deps.Settings.Shop
	layout := s.content.brand.layout(string(l), sh.Name, sh.Phone, cc.unsubscribe)
	cc.html, err = htmltemplate.New("mail").Funcs(htmltemplate.FuncMap(funcs)).Option("missingkey=error").Parse(layout)
	if err == nil {
		_, err = cc.html.New("body").Parse(body)
	}
	if err != nil {
		return nil, &partError{c.bodyField(), err}
	}
	return cc, nil
}

// partError is a template of one part (subject, text, markdown, html)
// that does not parse or run.
type partError struct {
	part string
	err  error
}

func (e *partError) Error() string { return e.part + ": " + templateError(e.err) }
func (e *partError) Unwrap() error { return e.err }

func (c Content) bodyField() string {
	if c.Markdown != "" {
		return "markdown"
	}
	return "html"
}

// Data is what a campaign's template sees: the journey's data model
// (package playbook's Data) as far as a campaign has it — the shop, the
// customer, the unsubscribe link. {{.Customer.FirstName}},
// {{.Shop.Name}}.
type Data struct {
	Shop     ShopData
	Customer CustomerData
	// UnsubscribeURL is the customer's one-click opt-out of marketing;
	// the layout links it under every e-mail and the text ends with it.
	UnsubscribeURL string
}

// ShopData is the shop, as in the journey's templates.
type ShopData struct {
	Name  string
	Phone string
}

// CustomerData is the customer, as in the journey's templates.
type CustomerData struct {
	Name      string // as the shop has it: "Андрей Петров"
	FirstName string // the first word of Name: "Андрей"
	Phone     string // E.164; "" when unknown
}

// mailData is what the e-mail layout executes with: the template's data
// and the layout's own.
type mailData struct {
	Data
	Layout layoutData
}

// layoutData is what the layout shows of one message beside the data.
type layoutData struct {
	Subject string
}

// Render writes the message of variant for r.
func (k *Compiled) Render(variant string, r Recipient) (Rendered, error) {
	cc := k.pick(variant, r.Language)
	if cc == nil {
		return Rendered{}, fmt.Errorf("campaign %d has no content for variant %q", k.campaign, variant)
	}
	out := Rendered{Unsubscribe: k.s.UnsubscribeURL(k.campaign, r.CustomerID)}
	d := k.s.data(r, out.Unsubscribe)
	var b strings.Builder
	if err := cc.subject.Execute(&b, d); err != nil {
		return Rendered{}, fmt.Errorf("render campaign %d subject: %w", k.campaign, err)
	}
	out.Subject = strings.Join(strings.Fields(b.String()), " ")
	b.Reset()
	if err := cc.text.Execute(&b, d); err != nil {
		return Rendered{}, fmt.Errorf("render campaign %d text: %w", k.campaign, err)
	}
	out.Text = strings.TrimSpace(b.String())
	links := linkIndex{}
	if k.track {
		out.Text = k.trackText(out.Text, r.CustomerID, links)
	}
	if k.channel != Paper {
		// The plain link, for every reader and channel, as the journey's
		// messages end (the header is one-click only in some programs).
		out.Text = strings.TrimSpace(out.Text + "\n\n" + cc.unsubscribe + ": " + out.Unsubscribe)
	}
	if cc.html != nil {
		var h bytes.Buffer
		h.Grow(4096)
		md := mailData{Data: d, Layout: layoutData{Subject: out.Subject}}
		if err := cc.html.Execute(&h, md); err != nil {
			return Rendered{}, fmt.Errorf("render campaign %d HTML: %w", k.campaign, err)
		}
		out.HTML = h.String()
		if k.track {
			out.HTML = k.trackHTML(out.HTML, r.CustomerID, out.Unsubscribe, links)
		}
	}
	return out, nil
}

// pick is variant's content in lang, else in the shop's languages in
// order. The rest of an A/B test gets the winner (a until it is known).
func (k *Compiled) pick(variant, lang string) *compiledContent {
	switch variant {
	case VariantRest, VariantHoldout:
		variant = k.winner
	}
	byLang := k.variants[variant]
	if byLang == nil {
		byLang = k.variants[VariantA]
	}
	if cc := byLang[lang]; cc != nil {
		return cc
	}
	for _, l := range k.langs {
		if cc := byLang[l]; cc != nil {
			return cc
		}
	}
	return nil
}

// data is the template data of recipient r.
func (s *Service) data(r Recipient, unsubscribe string) Data {
	first, _, _ := strings.Cut(strings.TrimSpace(r.Name), " ")
	return Data{Shop: ShopData{Name: s.deps.Settings.Shop.Name, Phone: s.deps.Settings.Shop.Phone},
		Customer:       CustomerData{Name: r.Name, FirstName: first, Phone: r.Phone},
		UnsubscribeURL: unsubscribe}
}

// sampleRecipient is who a content is tried on when saved.
var sampleRecipient = Recipient{CustomerID: 1, Name: "Андрей Петров", Language: "ru", Email: "andrey@example.com",
	Phone: "+79161234567"}

// linkIndex numbers a message's distinct links in order of appearance,
// over its HTML and its text, for the click's record.
type linkIndex map[string]int

func (l linkIndex) of(url string) int {
	n, ok := l[url]
	if !ok {
		n = len(l)
		l[url] = n
	}
	return n
}

// trackText rewrites every http(s) link of a text through the results'
// tracked link.
func (k *Compiled) trackText(text string, customerID int64, links linkIndex) string {
	if !strings.Contains(text, "http") {
		return text
	}
	var b strings.Builder
	rest := text
	for {
		i := indexLink(rest)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		end := i + linkEnd(rest[i:])
		b.WriteString(rest[:i])
		url := trimLinkTail(rest[i:end])
		b.WriteString(k.s.content.track(k.campaign, customerID, links.of(url), url))
		rest = rest[i+len(url):]
	}
}

// trackHTML rewrites every href="http(s)…" of an HTML message but the
// unsubscribe link's through the results' tracked link.
func (k *Compiled) trackHTML(h string, customerID int64, unsubscribe string, links linkIndex) string {
	const attr = `href="`
	var b strings.Builder
	b.Grow(len(h) + 512)
	rest := h
	for {
		i := strings.Index(rest, attr)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		i += len(attr)
		b.WriteString(rest[:i])
		rest = rest[i:]
		j := strings.IndexByte(rest, '"')
		if j < 0 {
			b.WriteString(rest)
			return b.String()
		}
		url := htmlUnescape(rest[:j])
		if (strings.HasPrefix(url, "https://") || strings.HasPrefix(url, "http://")) && url != unsubscribe {
			b.WriteString(htmltemplate.HTMLEscapeString(k.s.content.track(k.campaign, customerID, links.of(url), url)))
		} else {
			b.WriteString(rest[:j])
		}
		rest = rest[j:]
	}
}

// htmlUnescape undoes what html/template writes in an attribute's URL.
func htmlUnescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return attrUnescaper.Replace(s)
}

var attrUnescaper = strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">")

// indexLink is where the first http:// or https:// link of s starts, or -1.
func indexLink(s string) int {
	off := 0
	for {
		i := strings.Index(s[off:], "http")
		if i < 0 {
			return -1
		}
		i += off
		if strings.HasPrefix(s[i:], "https://") || strings.HasPrefix(s[i:], "http://") {
			return i
		}
		off = i + 4
	}
}

// linkEnd is the length of the link s starts with: up to a space, a
// quote or an angle bracket.
func linkEnd(s string) int {
	for i, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '"', '<', '>', '\'':
			return i
		}
	}
	return len(s)
}

// trimLinkTail leaves out of a link the punctuation that ends the
// sentence around it: "see https://x.lv/a." links https://x.lv/a, and a
// link in parentheses keeps its own closing one only when it opened one.
func trimLinkTail(url string) string {
	for len(url) > 0 {
		c := url[len(url)-1]
		switch {
		case strings.IndexByte(".,;:!?", c) >= 0:
			url = url[:len(url)-1]
		case c == ')' && strings.Count(url, "(") < strings.Count(url, ")"):
			url = url[:len(url)-1]
		default:
			return url
		}
	}
	return url
}

// templateError is text/template's message without its template name:
// "line 3: …".
func templateError(err error) string {
	msg := err.Error()
	for _, p := range []string{"template: subject:", "template: text:", "template: body:", "template: mail:"} {
		if rest, ok := strings.CutPrefix(msg, p); ok {
			line, tail, _ := strings.Cut(rest, ":")
			if _, err := strconv.Atoi(line); err == nil {
				return "line " + line + ":" + tail
			}
			return strings.TrimSpace(rest)
		}
	}
	return msg
}
