package campaign

import (
	htmltemplate "html/template"
	"regexp"
	"strings"
)

var brandColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// brand is how a campaign's e-mail looks like the shop's: its logo and
// colour (shop.logo_url, shop.brand_color), read once.
type brand struct {
	Logo  string // the logo's address, "" for the shop's name in text
	Color string // #rrggbb of the header rule, links and buttons
}

// defaultBrandColor is shopcare's own link colour (the journey's layout).
const defaultBrandColor = "#1a5fb4"

func brandOf(s *Service) brand {
	b := brand{Logo: s.deps.Settings.Shop.LogoAddress(), Color: s.deps.Settings.Shop.BrandColor}
	if !brandColor.MatchString(b.Color) { // settings check it; the layout relies on it
		b.Color = defaultBrandColor
	}
	return b
}

// layout is the e-mail layout of a campaign in lang: a table of one
// column at most 600 pixels wide that narrows on a phone, every colour
// set on the cell that shows it (mail programs that invert colours in
// dark mode then invert a whole; the color-scheme meta says both schemes
// are fine), no background image under text, the shop's logo or name on
// top, the shop's colour on links, and the unsubscribe link at the foot.
// The body is the template "body".
func (b brand) layout(lang, shop, phone, unsubscribe string) string {
	// What is the same in every recipient's message is written in once,
	// escaped, rather than run as an action per message: a render then
	// costs little more than the body's own actions.
	lit := func(s string) string {
		return strings.ReplaceAll(htmltemplate.HTMLEscapeString(s), "{", "&#123;")
	}
	shop, phone, unsubscribe = lit(shop), lit(phone), lit(unsubscribe)
	head := `<p style="margin:0 0 16px;font-weight:600;color:#555555">` + shop + `</p>`
	if b.Logo != "" {
		head = `<p style="margin:0 0 16px"><img src="` + lit(b.Logo) + `" alt="` + shop + `" height="40" style="height:40px;width:auto;border:0"></p>`
	}
	if phone != "" {
		phone = " · " + phone
	}
	return `<!DOCTYPE html>
<html lang="` + lang + `">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{{.Layout.Subject}}</title>
<style>
@media (max-width: 620px) { .sc-body { padding: 16px !important; } }
@media (prefers-color-scheme: dark) {
  .sc-page { background: #1c1c1c !important; }
  .sc-card { background: #262626 !important; color: #eeeeee !important; }
  .sc-foot, .sc-foot a { color: #bbbbbb !important; }
}
.sc-card a { color: ` + b.Color + `; }
.sc-card img { max-width: 100%; height: auto; }
</style>
</head>
<body style="margin:0;padding:0;background:#f6f5f2">
<table role="presentation" class="sc-page" width="100%" cellspacing="0" cellpadding="0" border="0" style="background:#f6f5f2">
<tr><td align="center" style="padding:24px 8px">
<table role="presentation" class="sc-card" width="100%" cellspacing="0" cellpadding="0" border="0" style="max-width:600px;background:#ffffff;color:#222222;border-radius:8px;border-top:4px solid ` + b.Color + `">
<tr><td class="sc-body" style="padding:24px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5">
` + head + `
{{template "body" .Data}}
</td></tr>
<tr><td class="sc-foot" style="padding:0 24px 24px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:13px;line-height:1.5;color:#777777">
` + shop + phone + `<br>
<a href="{{.UnsubscribeURL}}" style="color:#777777">` + unsubscribe + `</a>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`
}
