package campaign

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/url"
	"strings"
)

// A tracked link's token (/c/{token}) is stateless: base64url of a
// version, what the link was sent in (a campaign, or a marketing flow's
// message with its rule), the customer, the link's place in the content
// and the destination, then the first 12 bytes of their HMAC under the
// shop's one key (signin.Service.Sign, purpose "campaign-click"). Nothing
// is stored when a message is sent; a forged or altered token is not ours
// and gets the 404 page, so /c/ never redirects where the shop did not
// link.
const (
	clickVersion = 1
	clickPurpose = "campaign-click"
	clickMAC     = 12
	// clickCampaign and clickFlow say what the token's id is.
	clickCampaign = 'k'
	clickFlow     = 'f'
	// maxRule bounds a flow's rule name in a token.
	maxRule = 64
	// MaxClickToken is the longest token /c/ reads: links up to about
	// 4 KB.
	MaxClickToken = 6 << 10
	// maxClickURL is the longest destination a link is tracked for; a
	// longer one is left as it is.
	maxClickURL = 4 << 10
)

// ErrClickToken is a /c/ token that is not one of ours.
var ErrClickToken = errors.New("campaign: not a tracked link")

// clickLink is what a tracked link's token says.
type clickLink struct {
	CampaignID int64  // the campaign's, or 0 for a flow's message
	MessageID  int64  // the flow's message, or 0
	Rule       string // the flow's rule
	CustomerID int64
	Link       int
	URL        string
}

// trackedURL returns the link the customer's message of campaign
// campaignID carries in place of dest, its link-th link (counted from 0
// over the HTML and text): /c/{token}, which counts the click and
// redirects to dest. dest itself comes back when it is not an http(s)
// address, when the shop has no public_url or no signer, or when it is
// too long to carry.
func (s *Service) trackedURL(campaignID, customerID int64, link int, dest string) string {
	return s.clickURL(clickLink{CampaignID: campaignID, CustomerID: customerID, Link: link, URL: dest})
}

// TrackedURL is the link-th tracked link of customerID's message of
// campaign campaignID, leading to dest: what the message carries (the
// demo's customers follow it).
func (s *Service) TrackedURL(campaignID, customerID int64, link int, dest string) string {
	return s.trackedURL(campaignID, customerID, link, dest)
}

// FlowURL is trackedURL for a marketing flow's message: messageID of
// playbook rule rule, so that the flow's clicks and orders are reported
// like a campaign's (FlowResults).
func (s *Service) FlowURL(messageID int64, rule string, customerID int64, link int, dest string) string {
	if len(rule) > maxRule {
		return dest
	}
	return s.clickURL(clickLink{MessageID: messageID, Rule: rule, CustomerID: customerID, Link: link, URL: dest})
}

func (s *Service) clickURL(l clickLink) string {
	base := strings.TrimRight(s.deps.Settings.Shop.PublicURL, "/")
	if base == "" || s.signer == nil || !trackable(l.URL) {
		return l.URL
	}
	tok := s.clickToken(l)
	if tok == "" {
		return l.URL
	}
	return base + "/c/" + tok
}

// trackable reports whether dest is an absolute http(s) address a link
// may be counted for.
func trackable(dest string) bool {
	if dest == "" || len(dest) > maxClickURL || strings.ContainsAny(dest, "\r\n\x00") {
		return false
	}
	u, err := url.Parse(dest)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

// clickToken encodes and signs l; "" when it cannot carry it.
func (s *Service) clickToken(l clickLink) string {
	if l.Link < 0 || l.Link > 0xffff || l.CustomerID <= 0 || len(l.Rule) > maxRule {
		return ""
	}
	kind, id := byte(clickCampaign), l.CampaignID
	if l.CampaignID == 0 {
		kind, id = clickFlow, l.MessageID
	}
	if id <= 0 {
		return ""
	}
	b := make([]byte, 0, 21+len(l.Rule)+len(l.URL)+clickMAC)
	b = append(b, clickVersion, kind)
	b = binary.BigEndian.AppendUint64(b, uint64(id))
	b = binary.BigEndian.AppendUint64(b, uint64(l.CustomerID))
	b = binary.BigEndian.AppendUint16(b, uint16(l.Link))
	b = append(b, byte(len(l.Rule)))
	b = append(b, l.Rule...)
	b = append(b, l.URL...)
	b = append(b, s.signer.Sign(clickPurpose, b)[:clickMAC]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseClick reads and checks a token: ErrClickToken for anything not
// signed by this shop, or whose destination is not an http(s) address.
func (s *Service) parseClick(token string) (clickLink, error) {
	var l clickLink
	if s.signer == nil || token == "" || len(token) > MaxClickToken {
		return l, ErrClickToken
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) < 21+clickMAC || b[0] != clickVersion {
		return l, ErrClickToken
	}
	payload, sum := b[:len(b)-clickMAC], b[len(b)-clickMAC:]
	if !s.signer.Verify(clickPurpose, payload, sum) {
		return l, ErrClickToken
	}
	kind := payload[1]
	id := int64(binary.BigEndian.Uint64(payload[2:]))
	l.CustomerID = int64(binary.BigEndian.Uint64(payload[10:]))
	l.Link = int(binary.BigEndian.Uint16(payload[18:]))
	n := int(payload[20])
	if n > maxRule || len(payload) < 21+n {
		return clickLink{}, ErrClickToken
	}
	l.Rule, l.URL = string(payload[21:21+n]), string(payload[21+n:])
	switch kind {
	case clickCampaign:
		l.CampaignID = id
	case clickFlow:
		l.MessageID = id
	default:
		return clickLink{}, ErrClickToken
	}
	if id <= 0 || l.CustomerID <= 0 || !trackable(l.URL) {
		return clickLink{}, ErrClickToken
	}
	return l, nil
}
