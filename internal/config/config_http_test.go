package config_test

import (
	"errors"
	"net/netip"
	"slices"
	"testing"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
)

// TestTrustedProxies reads addresses and ranges, and names a bad entry by
// its key.
func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	s, err := config.Parse([]byte("trusted_proxies: [127.0.0.1, '10.0.0.0/8', '::1', '::ffff:192.168.0.0/112', ' 172.16.0.1 ']"))
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("172.16.0.1/32")}
	if got := s.TrustedProxies.Prefixes(); !slices.Equal(got, want) {
		t.Errorf("prefixes %v, want %v", got, want)
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "300.1.1.1", ""} {
		_, err := config.Parse([]byte("trusted_proxies: [127.0.0.1, '" + bad + "']"))
		var list invalid.List
		if !errors.As(err, &list) || len(list) == 0 || list[0].Field != "trusted_proxies[1]" {
			t.Errorf("trusted_proxies %q: %v, want an error naming trusted_proxies[1]", bad, err)
		}
	}
}
