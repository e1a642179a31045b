package config

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// brandColorPattern is how shop.brand_color is written: #RRGGBB.
var brandColorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// MinBrandContrast is the least contrast shop.brand_color must have with
// white text on it: WCAG's AA for normal text.
const MinBrandContrast = 4.5

// validateBrand checks shop.logo_url and shop.brand_color; it runs after
// validateMessaging, which trims public_url's trailing slash.
func (s *Settings) validateBrand(errs *problems) {
	sh := &s.Shop
	sh.LogoURL = strings.TrimSpace(sh.LogoURL)
	if sh.LogoURL != "" && !validLogoURL(sh.LogoURL) {
		errs.add("shop.logo_url", "invalid", "settings.error.logo_url", arg(sh.LogoURL))
	}
	sh.BrandColor = strings.ToLower(strings.TrimSpace(sh.BrandColor))
	switch {
	case sh.BrandColor == "":
	case !brandColorPattern.MatchString(sh.BrandColor):
		errs.add("shop.brand_color", "invalid", "settings.error.brand_color", arg(sh.BrandColor))
	default:
		// The ratio itself is not in the message: its decimal point
		// would be English in a Russian or Latvian sentence.
		if WhiteContrast(sh.BrandColor) < MinBrandContrast {
			errs.add("shop.brand_color", "low_contrast", "settings.error.brand_contrast", arg(sh.BrandColor))
		}
	}
}

// validLogoURL accepts an https address with a host, or a path from the
// root (/files/logo.png) that the customer's pages put under public_url;
// never a protocol-relative //host, another scheme, or a query that
// could carry more than a picture's address.
func validLogoURL(v string) bool {
	if strings.ContainsAny(v, " \t\r\n\"'<>\\") {
		return false
	}
	if strings.HasPrefix(v, "/") {
		return !strings.HasPrefix(v, "//")
	}
	u, err := url.Parse(v)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
}

// LogoAddress is the logo's address as customers' browsers load it: the
// https address as written, or the path under public_url; "" for none.
func (s Shop) LogoAddress() string {
	if strings.HasPrefix(s.LogoURL, "/") {
		return s.PublicURL + s.LogoURL
	}
	return s.LogoURL
}

// WhiteContrast returns the contrast ratio (1 to 21) of white text on the
// colour #RRGGBB, by WCAG 2's relative luminance; 1 for a colour not so
// written.
func WhiteContrast(hex string) float64 {
	if !brandColorPattern.MatchString(hex) {
		return 1
	}
	var lum float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		lum += weight * c
	}
	return 1.05 / (lum + 0.05)
}
