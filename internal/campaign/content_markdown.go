package campaign

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	xhtml "golang.org/x/net/html"
)

// markdown turns a campaign's Markdown into HTML: GitHub's tables and
// strikethrough, links made of bare addresses; raw HTML in it passes the
// same sanitizer as a campaign written in HTML.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
	goldmark.WithRendererOptions(html.WithUnsafe()),
)

// sanitizer keeps of the shop's HTML what an e-mail may carry: text
// markup, links (http, https, mailto, tel), images, tables and inline
// styles of the usual e-mail kind; no scripts, forms, frames, event
// handlers or style sheets. Links open in a new window in web mail.
var sanitizer = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.AllowAttrs("style").Globally()
	p.AllowAttrs("align", "valign", "width", "height", "bgcolor", "border", "cellpadding", "cellspacing", "role").Globally()
	p.AllowStyles("color", "background-color", "font-size", "font-weight", "font-style", "text-align", "text-decoration",
		"line-height", "margin", "margin-top", "margin-bottom", "padding", "border", "border-radius", "width", "max-width",
		"height", "display", "vertical-align").Globally()
	p.RequireNoFollowOnLinks(false)
	p.AllowElements("center", "font")
	return p
}()

// action is a template action of a content: kept out of the Markdown and
// the sanitizer's way, and put back after.
var action = regexp.MustCompile(`(?s)\{\{.*?\}\}`)

// placeholder is what stands for the n-th action while the Markdown is
// converted and the HTML sanitized: letters and digits, which neither
// changes, in text or in a link.
func placeholder(n int) string { return "zqact" + strconv.Itoa(n) + "tcaqz" }

var placeholders = regexp.MustCompile(`zqact(\d+)tcaqz`)

// protect replaces the template actions of s by placeholders.
func protect(s string) (string, []string) {
	var actions []string
	out := action.ReplaceAllStringFunc(s, func(a string) string {
		actions = append(actions, a)
		return placeholder(len(actions) - 1)
	})
	return out, actions
}

// restore puts the actions back; in HTML, an action the sanitizer or the
// Markdown escaped is unescaped first (quotes inside {{money "…"}}).
func restore(s string, actions []string) string {
	return placeholders.ReplaceAllStringFunc(s, func(p string) string {
		n, err := strconv.Atoi(placeholders.FindStringSubmatch(p)[1])
		if err != nil || n >= len(actions) {
			return p
		}
		return actions[n]
	})
}

// bodyHTML is the body of an e-mail content as sanitized HTML with its
// template actions: the Markdown converted, else the HTML. The body's
// parse errors name the part the shop wrote.
func bodyHTML(c Content) (string, error) {
	src, field := c.HTML, "html"
	if c.Markdown != "" {
		src, field = c.Markdown, "markdown"
	}
	if strings.TrimSpace(src) == "" {
		return textHTML(c.Text), nil
	}
	protected, actions := protect(src)
	if field == "markdown" {
		var b bytes.Buffer
		if err := markdown.Convert([]byte(protected), &b); err != nil {
			return "", &partError{field, err}
		}
		protected = b.String()
	}
	return restore(sanitizer.Sanitize(protected), actions), nil
}

// htmlText is the plain-text part of an HTML body: paragraphs and list
// items on lines of their own, a link as its text and its address in
// parentheses, an image by its alt text. Template actions pass through
// unchanged (they are placeholders while the HTML is read).
func htmlText(body string) string {
	if body == "" {
		return ""
	}
	protected, actions := protect(body)
	doc, err := xhtml.Parse(strings.NewReader(protected))
	if err != nil {
		return ""
	}
	var w textWriter
	w.node(doc)
	return restore(w.String(), actions)
}

// textWriter writes the text of an HTML tree.
type textWriter struct {
	b       strings.Builder
	pending int // newlines owed before the next text
	list    []int
}

func (w *textWriter) String() string { return strings.TrimSpace(w.b.String()) }

func (w *textWriter) br(n int) {
	if w.b.Len() > 0 {
		w.pending = max(w.pending, n)
	}
}

func (w *textWriter) write(s string) {
	if s == "" {
		return
	}
	if w.pending > 0 {
		w.b.WriteString(strings.Repeat("\n", w.pending))
		w.pending = 0
	}
	w.b.WriteString(s)
}

func (w *textWriter) node(n *xhtml.Node) {
	switch n.Type {
	case xhtml.TextNode:
		t := strings.Join(strings.Fields(n.Data), " ")
		if t == "" {
			return
		}
		if strings.HasPrefix(n.Data, " ") || strings.HasPrefix(n.Data, "\n") {
			if s := w.b.String(); w.pending == 0 && s != "" && !strings.HasSuffix(s, " ") && !strings.HasSuffix(s, "\n") {
				t = " " + t
			}
		}
		if strings.HasSuffix(n.Data, " ") || strings.HasSuffix(n.Data, "\n") {
			t += " "
		}
		w.write(t)
		return
	case xhtml.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.node(c)
		}
		return
	}
	switch n.Data {
	case "script", "style", "head", "title":
		return
	case "br":
		w.br(1)
		return
	case "hr":
		w.br(2)
		w.write("———")
		w.br(2)
		return
	case "img":
		if alt := attr(n, "alt"); alt != "" {
			w.write("[" + alt + "]")
		}
		return
	case "p", "div", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre":
		w.br(2)
		defer w.br(2)
	case "ul", "ol":
		w.br(2)
		w.list = append(w.list, 0)
		defer func() { w.list = w.list[:len(w.list)-1]; w.br(2) }()
	case "li":
		w.br(1)
		bullet := "• "
		if d := len(w.list); d > 0 {
			w.list[d-1]++
			bullet = strings.Repeat("  ", d-1) + bullet
		}
		w.write(bullet)
		defer w.br(1)
	case "tr":
		w.br(1)
		defer w.br(1)
	case "td", "th":
		defer w.write(" ")
	case "a":
		href := attr(n, "href")
		start := w.b.Len()
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.node(c)
		}
		label := strings.TrimSpace(w.b.String()[start:])
		switch {
		case href == "" || strings.HasPrefix(href, "#"):
		case label == "" || label == href || strings.TrimPrefix(href, "mailto:") == label || strings.TrimPrefix(href, "tel:") == label:
			if label == "" {
				w.write(href)
			}
		default:
			w.write(" (" + href + ")")
		}
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
}

func attr(n *xhtml.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// textHTML is the HTML body of a content written only as text:
// paragraphs at blank lines, lines kept, links linked.
func textHTML(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	protected, actions := protect(strings.ReplaceAll(text, "\r\n", "\n"))
	var b strings.Builder
	for _, para := range strings.Split(protected, "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(strings.TrimSpace(para), "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			rest := line
			for {
				j := indexLink(rest)
				if j < 0 {
					b.WriteString(htmlEscape(rest))
					break
				}
				url := trimLinkTail(rest[j : j+linkEnd(rest[j:])])
				b.WriteString(htmlEscape(rest[:j]) + `<a href="` + htmlEscape(url) + `">` + htmlEscape(url) + "</a>")
				rest = rest[j+len(url):]
			}
		}
		b.WriteString("</p>\n")
	}
	return restore(b.String(), actions)
}

func htmlEscape(s string) string { return htmlEscaper.Replace(s) }

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")
