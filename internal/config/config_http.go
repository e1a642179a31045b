package config

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
)

// TrustedProxies are the reverse proxies in front of shopcare, as IP
// addresses or CIDR ranges ("127.0.0.1", "10.0.0.0/8", "::1"). Only a
// request coming from one of them has its client's address read from
// X-Forwarded-For; anyone else could write that header, and login limits
// keyed on it would be escaped at will. Empty: nobody is trusted, the
// address is the connection's.
type TrustedProxies []string

// Prefixes returns the proxies as address ranges, a single address as a
// range of one; entries that do not parse (Validate names them) are left
// out.
func (p TrustedProxies) Prefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range p {
		if pfx, err := parseProxy(s); err == nil {
			out = append(out, pfx)
		}
	}
	return out
}

func parseProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		pfx, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		if pfx.Addr().Is4In6() && pfx.Bits() >= 96 {
			pfx = netip.PrefixFrom(pfx.Addr().Unmap(), pfx.Bits()-96)
		}
		return pfx.Masked(), nil
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	addr = addr.Unmap()
	return netip.PrefixFrom(addr, addr.BitLen()), nil
}

// validateHTTP checks the settings of how shopcare is reached.
func (s *Settings) validateHTTP(errs *invalid.List) {
	for i, p := range s.TrustedProxies {
		if _, err := parseProxy(p); err != nil {
			errs.Add(fmt.Sprintf("trusted_proxies[%d]", i), "invalid",
				"%q is not an IP address or CIDR range such as 10.0.0.0/8", p)
		}
	}
}
