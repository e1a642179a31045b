package web

import (
	"github.com/shopcare/shopcare/internal/config"
	"hash/fnv"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// myBrand is how the customer's page looks like the shop's: its logo and
// the stylesheet of its colours.
type myBrand struct {
	LogoURL  string // the shop's logo, "" for its name in text
	StyleURL string // a stylesheet with the shop's colours, "" for none
	version  string // of the stylesheet: StyleURL's v
}

// brandOf is the shop's brand from its settings (shop.logo_url,
// shop.brand_color, checked when the settings were loaded), worked out
// once per handler since every page carries it. The stylesheet's address
// carries a version of the colour, so a browser may keep it for a year
// and still gets a new colour at once.
func brandOf(sh config.Shop) myBrand {
	b := myBrand{LogoURL: sh.LogoAddress()}
	if sh.BrandColor != "" {
		b.version = brandVersion(sh.BrandColor)
		b.StyleURL = "/brand.css?v=" + b.version
	}
	return b
}

// brandVersion is a short digest of the colours a brand.css writes.
func brandVersion(color string) string {
	f := fnv.New32a()
	_, _ = f.Write([]byte(brandCSS(color)))
	return strconv.FormatUint(uint64(f.Sum32()), 36)
}

// brandCSS is the shop's stylesheet: its colour as custom properties and
// where the customer's pages use it — the header, links in the content,
// the buttons of forms and the focus ring. White text goes on the
// colour: settings refuse one with less than 4.5:1 contrast.
func brandCSS(color string) string {
	return "/* The shop's colours (shop.brand_color), served by shopcare as /brand.css. */\n" +
		":root { --brand: " + color + "; --brand-ink: #ffffff; }\n" +
		".shop { background: var(--brand); color: var(--brand-ink); }\n" +
		".shop a, .shop button.link { color: var(--brand-ink); }\n" +
		"main section a { color: var(--brand); }\n" +
		"main button:not(.link) { background: var(--brand); color: var(--brand-ink); border: 1px solid var(--brand); " +
		"border-radius: .375rem; padding: .5rem 1rem; font: inherit; cursor: pointer; }\n" +
		":focus-visible { outline: 3px solid var(--brand); outline-offset: 2px; }\n"
}

// brandStyle serves GET /brand.css: the shop's colours, or an empty
// stylesheet when it set none. The version in the query is the colour's
// digest: with the current one the answer is cached for a year, with
// another (a page from before a change) not at all.
func (h *Handler) brandStyle(w http.ResponseWriter, r *http.Request) {
	color := h.app.Settings.Shop.BrandColor
	body := "/* The shop has set no colour (shop.brand_color). */\n"
	if color != "" {
		body = brandCSS(color)
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/css; charset=utf-8")
	if color != "" && r.URL.Query().Get("v") == h.brand.version {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hd.Set("Cache-Control", "no-cache")
	}
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(body))
	}
}

// logoOrigin is what a logo's origin may look like in the
// Content-Security-Policy: https, a host name and a port.
var logoOrigin = regexp.MustCompile(`^https://[A-Za-z0-9.-]+(:[0-9]+)?$`)

// brandPolicy lets the customer's pages load the shop's logo from the
// shop's own site: the policy's img-src gains the logo's origin when it
// is not shopcare's own. It wraps the mux inside secureHeaders, which set
// the policy first.
func (h *Handler) brandPolicy(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := h.logoPolicyOrigin(); o != "" && (r.URL.Path == "/my" || strings.HasPrefix(r.URL.Path, "/my/") ||
			strings.HasPrefix(r.URL.Path, "/t/") || strings.HasPrefix(r.URL.Path, "/u/") || strings.HasPrefix(r.URL.Path, "/r/")) {
			w.Header().Set("Content-Security-Policy", contentSecurityPolicy+"; img-src 'self' "+o)
		}
		next.ServeHTTP(w, r)
	})
}

// logoPolicyOrigin is the origin of the shop's logo when the pages must
// allow it, else "".
func (h *Handler) logoPolicyOrigin() string {
	u, err := url.Parse(h.app.Settings.Shop.LogoAddress())
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return ""
	}
	o := u.Scheme + "://" + u.Host
	if !logoOrigin.MatchString(o) || strings.HasPrefix(h.app.Settings.Shop.PublicURL, o+"/") || h.app.Settings.Shop.PublicURL == o {
		return ""
	}
	return o
}
