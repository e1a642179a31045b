package config

import (
	"net"
	"net/url"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
)

// Traffic is the shop's visitor counter: the script count.js on the
// shop's pages sends a beacon to POST /collect for each page view, and
// shopcare counts page views, visits and unique visitors without a
// cookie and without keeping anything personal.
type Traffic struct {
	// Counter takes the page views the shop's pages send (true by
	// default); false ignores them, as if the script were not there.
	Counter *bool `yaml:"counter"`
	// Hosts are the shop's sites whose page views count, by host name
	// (shop.example.com; "www." before it counts too); page views from
	// any other site are ignored, and a link from one of these sites is
	// a move within the shop, not a new visitor source. Empty counts the
	// host of shop.public_url.
	Hosts []string `yaml:"hosts"`
	// HonorDNT ignores the page views of browsers that ask not to be
	// tracked (Do Not Track or Global Privacy Control). False by default:
	// the counter keeps nothing personal and shares nothing, and some
	// browsers send the signal always, so honouring it leaves their
	// visitors out of the figures.
	HonorDNT bool `yaml:"honor_dnt"`
}

// defaultTraffic is the counter of a shop that has not set its own.
func defaultTraffic() Traffic { return Traffic{} }

// Counting tells whether the counter takes page views.
func (t Traffic) Counting() bool { return t.Counter == nil || *t.Counter }

// SiteHosts are the hosts whose page views count: Hosts, else the host
// of the shop's public address publicURL.
func (t Traffic) SiteHosts(publicURL string) []string {
	if len(t.Hosts) > 0 {
		return t.Hosts
	}
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		return []string{strings.ToLower(u.Hostname())}
	}
	return nil
}

// validateTraffic checks the counter's sites: host names only, written
// in lower case, without a scheme, port or path.
func (s *Settings) validateTraffic(errs *invalid.List) {
	t := &s.Traffic
	var hosts []string
	for _, h := range t.Hosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if !siteHost(h) {
			errs.Add("traffic.hosts", "invalid", "%q is not a host name: write the site's name only, such as shop.example.com", h)
			continue
		}
		hosts = append(hosts, strings.TrimPrefix(h, "www."))
	}
	t.Hosts = hosts
}

// siteHost tells whether h is a bare host name or address.
func siteHost(h string) bool {
	if len(h) > 253 || strings.ContainsAny(h, "/:@?#[] ") {
		return net.ParseIP(strings.Trim(h, "[]")) != nil
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, c := range label {
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c <= 127 {
				return false
			}
		}
	}
	return true
}
