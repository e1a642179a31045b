package traffic

import (
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/x-way/crawlerdetect"
)

// view is a hit that counts: what the writer needs of it. addr and agent
// live only in memory, until the writer has hashed them.
type view struct {
	at          time.Time
	host, path  string
	source      string
	internal    bool // came from another page of the shop: not a source
	addr, agent string
}

// Bounds of what a hit may carry.
const (
	maxPath   = 512
	maxSource = 100
	maxAgent  = 1024
)

// classify decides whether h counts, and makes its view when it does.
func (c *counter) classify(h Hit) (view, Outcome) {
	t := c.s.settings.Traffic
	switch {
	case !t.Counting():
		return view{}, Off
	case h.Prefetch:
		return view{}, Prefetched
	case t.HonorDNT && h.NoTrack:
		return view{}, NotTracked
	case c.bots.is(h.Agent):
		return view{}, Bot
	}
	page, ok := pageOf(h.Path)
	if !ok {
		return view{}, Invalid
	}
	host := hostName(h.Host)
	if host == "" {
		host = strings.ToLower(page.Hostname())
	}
	if !c.hosts.has(host) {
		return view{}, Foreign
	}
	v := view{at: h.At, host: strings.TrimPrefix(host, "www."), path: cleanPath(page.EscapedPath()), addr: h.Addr, agent: h.Agent}
	v.source, v.internal = c.sourceOf(page, h.Ref)
	return v, Accepted
}

// pageOf reads the page's path or address.
func pageOf(p string) (*url.URL, bool) {
	p = strings.TrimSpace(p)
	if p == "" || len(p) > 4*maxPath || !utf8.ValidString(p) {
		return nil, false
	}
	u, err := url.Parse(p)
	if err != nil {
		return nil, false
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return nil, false
	}
	if u.Path == "" {
		u.Path = "/"
	}
	if !strings.HasPrefix(u.Path, "/") {
		return nil, false
	}
	return u, true
}

// cleanPath bounds a path and keeps it printable.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if len(p) > maxPath {
		p = p[:maxPath]
		for !utf8.ValidString(p) {
			p = p[:len(p)-1]
		}
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, p)
}

// sourceOf is where a page view came from: the campaign's utm_source
// when the page's address has one, else the referring site's host
// (internal when it is one of the shop's own sites), else "" (direct).
func (c *counter) sourceOf(page *url.URL, ref string) (string, bool) {
	if utm := strings.ToLower(strings.TrimSpace(page.Query().Get("utm_source"))); utm != "" {
		return bounded(utm, maxSource), false
	}
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", false
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if host == "" {
		return "", false
	}
	if c.hosts.has(host) {
		return "", true
	}
	return bounded(host, maxSource), false
}

// bounded cuts s to at most n bytes of whole characters, without control
// characters.
func bounded(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// hostName is the host of an Origin, a Referer or a bare host, lower
// case, without its port.
func hostName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return ""
	}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return ""
		}
		return strings.ToLower(u.Hostname())
	}
	u, err := url.Parse("http://" + s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// hostSet is the shop's sites: a host counts with or without "www.".
type hostSet map[string]bool

func newHostSet(hosts []string) hostSet {
	set := hostSet{}
	for _, h := range hosts {
		set[strings.TrimPrefix(strings.ToLower(h), "www.")] = true
	}
	return set
}

func (s hostSet) has(host string) bool {
	return host != "" && s[strings.TrimPrefix(host, "www.")]
}

// botCache remembers which User-Agents are robots: the check runs a
// long list of patterns (crawlerdetect, the list GoatCounter uses too),
// and a shop's visitors come with a few hundred User-Agents a day.
type botCache struct {
	mu sync.RWMutex
	m  map[string]bool
}

// maxBotCache bounds the cache; past it the cache starts afresh.
const maxBotCache = 10000

// is tells whether agent is a robot's: no User-Agent, an overlong one,
// or one crawlerdetect knows.
func (b *botCache) is(agent string) bool {
	if strings.TrimSpace(agent) == "" || len(agent) > maxAgent {
		return true
	}
	b.mu.RLock()
	bot, ok := b.m[agent]
	b.mu.RUnlock()
	if ok {
		return bot
	}
	bot = crawlerdetect.IsCrawler(agent)
	b.mu.Lock()
	if b.m == nil || len(b.m) >= maxBotCache {
		b.m = make(map[string]bool, 256)
	}
	b.m[agent] = bot
	b.mu.Unlock()
	return bot
}
