package signin

// MACFor is the HMAC-SHA256 of the parts under the shop's stored key, for
// another package's signed links (a review's per-order link): purpose
// keeps each package's tokens apart from the others' and from sign-in's
// own. It needs no database: the key was loaded at start.
func (s *Service) MACFor(purpose string, parts ...string) []byte {
	return mac(s.key, append([]string{"for:" + purpose}, parts...)...)
}
