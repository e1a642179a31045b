package web

import (
	"html/template"
	"net/url"
	"strings"

	"github.com/shopcare/shopcare/internal/i18n"
)

// pageSize is how many rows a page of an admin list shows: at about 40 px
// a row, a page stays under a few thousand pixels however long the list.
const pageSize = 50

// maxTrail bounds the cursors a page's URL keeps for its "previous" link:
// thirty pages back, then the trail starts again from the first page.
const maxTrail = 30

// firstPage stands for the first page in a trail (it has no cursor).
const firstPage = "0"

// pager makes the "previous" and "next" links of a keyset-paged list. A
// page is named by the cursor of the row before it (?after=); a list's
// domain query walks forward only, so the URL also carries the trail of
// the pages before (?after_back=, the cursors joined by "~"), and "previous"
// pops it. The links keep every other parameter: the filters.
type pager struct {
	path  string
	query url.Values
	// key names the cursor's parameter, key+"_back" the trail's: "after"
	// for a page's one list; a page of several lists pages each apart.
	key   string
	after string
	back  []string
}

// newPager reads the page's cursor and trail from a list's query.
func newPager(path string, query url.Values) pager { return newPagerOf(path, query, "after") }

// newPagerOf reads the cursor of one of a page's lists, named key.
func newPagerOf(path string, query url.Values, key string) pager {
	p := pager{path: path, query: query, key: key, after: query.Get(key)}
	if strings.Contains(p.after, "~") { // no cursor has one: a made-up URL
		p.after = ""
	}
	for _, c := range strings.Split(query.Get(key+"_back"), "~") {
		if c != "" {
			p.back = append(p.back, c)
		}
	}
	if len(p.back) > maxTrail {
		p.back = p.back[len(p.back)-maxTrail:]
	}
	return p
}

// pageLinks are a list page's links to its neighbours ("" where none).
type pageLinks struct {
	Prev, Next string
}

// links returns the links of a page whose last row's cursor is last,
// with more rows after it when more.
func (p pager) links(last string, more bool) pageLinks {
	var l pageLinks
	if more && last != "" {
		cur := p.after
		if cur == "" {
			cur = firstPage
		}
		back := append(append([]string(nil), p.back...), cur)
		if len(back) > maxTrail {
			back = back[len(back)-maxTrail:]
		}
		l.Next = p.url(last, back)
	}
	if p.after != "" {
		prev, back := firstPage, p.back
		if n := len(back); n > 0 {
			prev, back = back[n-1], back[:n-1]
		}
		l.Prev = p.url(prev, back)
	}
	return l
}

func (p pager) url(after string, back []string) string {
	q := url.Values{}
	for k, vs := range p.query {
		if k != p.key && k != p.key+"_back" && k != "done" && k != "saved" {
			q[k] = vs
		}
	}
	if after != firstPage && after != "" {
		q.Set(p.key, after)
	}
	if len(back) > 0 && (len(back) != 1 || back[0] != firstPage) {
		q.Set(p.key+"_back", strings.Join(back, "~"))
	}
	if len(q) == 0 {
		return p.path
	}
	return p.path + "?" + q.Encode()
}

// pagerHTML writes a list's links: {{pager .Lang .Pages}}.
func pagerHTML(lang i18n.Lang, l pageLinks) template.HTML {
	if l.Prev == "" && l.Next == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<nav class="pager">`)
	if l.Prev != "" {
		b.WriteString(`<a href="` + template.HTMLEscapeString(l.Prev) + `" rel="prev">` +
			template.HTMLEscapeString(i18n.Text(lang, "adminlang.pager.previous", nil)) + `</a> `)
	}
	if l.Next != "" {
		b.WriteString(`<a href="` + template.HTMLEscapeString(l.Next) + `" rel="next">` +
			template.HTMLEscapeString(i18n.Text(lang, "admin.next_page", nil)) + `</a>`)
	}
	b.WriteString(`</nav>`)
	return template.HTML(b.String()) //nolint:gosec // every part is escaped above
}
