package analytics

import (
	"regexp"
	"testing"
)

// TestAlertMessageID: the early warning's e-mail has an id the e-mail
// channel takes (letters, digits and .-_), one per alert and address;
// with the address as it was, every alert e-mail failed and the demo's
// live shop stumbled on it.
func TestAlertMessageID(t *testing.T) {
	t.Parallel()
	valid := regexp.MustCompile(`^[A-Za-z0-9._-]{1,200}$`)
	seen := map[string]bool{}
	for _, addr := range []string{"owner@demo.shop", "anna+shop@example.com", "owner@demo.shop2"} {
		id := alertMessageID(2, addr)
		if !valid.MatchString(id) || seen[id] {
			t.Errorf("alert e-mail id %q for %s: want letters, digits and .-_, one per address", id, addr)
		}
		seen[id] = true
	}
	if id := alertMessageID(2, "owner@demo.shop"); id != "alert-2-owner_demo.shop" {
		t.Errorf("id %q, want alert-2-owner_demo.shop: stable, so a retried e-mail is known as the same", id)
	}
}
