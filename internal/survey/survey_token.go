package survey

import (
	"encoding/base64"
	"encoding/binary"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// A survey link's token is base64url of version, kind, trigger, subject
// id, customer id, asked-at (Unix seconds) and the first 16 bytes of
// their HMAC under the shop's key: 58 characters. No row exists until the
// first click, and nothing but the key is needed to check one.
const (
	tokenVersion = 1
	tokenPayload = 1 + 1 + 1 + 8 + 8 + 8
	tokenMAC     = 16
	tokenLen     = 58 // base64url, no padding, of tokenPayload+tokenMAC
	signPurpose  = "survey"
)

// MaxTokenLength bounds what the handlers read as a token.
const MaxTokenLength = 64

// Signer signs and checks the links with the shop's one key
// (signin.Service).
type Signer interface {
	Sign(purpose string, payload []byte) []byte
	Verify(purpose string, payload, sum []byte) bool
}

var kindBytes = map[string]byte{NPS: 'n', CSAT: 'c'}
var triggerBytes = map[string]byte{Delivery: 'd', Conversation: 'c'}

func byteKey(m map[string]byte, b byte) (string, bool) {
	for k, v := range m {
		if v == b {
			return k, true
		}
	}
	return "", false
}

// Token returns the signed token of a's link.
func (s *Service) Token(a Ask) string {
	b := make([]byte, tokenPayload, tokenPayload+tokenMAC)
	b[0] = tokenVersion
	b[1] = kindBytes[a.Kind]
	b[2] = triggerBytes[a.Trigger]
	binary.BigEndian.PutUint64(b[3:], uint64(a.SubjectID))
	binary.BigEndian.PutUint64(b[11:], uint64(a.CustomerID))
	binary.BigEndian.PutUint64(b[19:], uint64(a.AskedAt.Unix()))
	b = append(b, s.signer.Sign(signPurpose, b)[:tokenMAC]...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Parse reads a token: the question it asks, or ErrUnknown when it is
// not a link this shop signed.
func (s *Service) Parse(token string) (Ask, error) {
	if len(token) != tokenLen {
		return Ask{}, ErrUnknown
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != tokenPayload+tokenMAC || b[0] != tokenVersion {
		return Ask{}, ErrUnknown
	}
	kind, ok1 := byteKey(kindBytes, b[1])
	trigger, ok2 := byteKey(triggerBytes, b[2])
	if !ok1 || !ok2 || !s.signer.Verify(signPurpose, b[:tokenPayload], b[tokenPayload:]) {
		return Ask{}, ErrUnknown
	}
	a := Ask{Kind: kind, Trigger: trigger, SubjectID: int64(binary.BigEndian.Uint64(b[3:])),
		CustomerID: int64(binary.BigEndian.Uint64(b[11:])), AskedAt: time.Unix(int64(binary.BigEndian.Uint64(b[19:])), 0).UTC()}
	if a.SubjectID <= 0 || a.CustomerID <= 0 {
		return Ask{}, ErrUnknown
	}
	return a, nil
}

// URL is the link that answers a with score: public_url/s/{token}?score=N,
// with the channel it was sent on (c=e|s|t) when known.
func (s *Service) URL(a Ask, score int) string {
	v := url.Values{"score": {strconv.Itoa(score)}}
	if c := channelCode(a.Channel); c != "" {
		v.Set("c", c)
	}
	return strings.TrimRight(s.deps.Settings.Shop.PublicURL, "/") + "/s/" + s.Token(a) + "?" + v.Encode()
}

// PageURL is the survey's page without a score: the customer picks one
// there (the SMS's one link).
func (s *Service) PageURL(a Ask) string {
	u := strings.TrimRight(s.deps.Settings.Shop.PublicURL, "/") + "/s/" + s.Token(a)
	if c := channelCode(a.Channel); c != "" {
		u += "?c=" + c
	}
	return u
}

// Link is one score's link, for the messages' row of numbers and
// Telegram's buttons.
type Link struct {
	Score int
	URL   string
}

// Links are the links of every score of a's scale, lowest first.
func (s *Service) Links(a Ask) []Link {
	lo, hi := Scale(a.Kind)
	out := make([]Link, 0, hi-lo+1)
	for n := lo; n <= hi; n++ {
		out = append(out, Link{Score: n, URL: s.URL(a, n)})
	}
	return out
}

var channelCodes = map[string]string{ChannelEmail: "e", ChannelSMS: "s", ChannelTelegram: "t"}

func channelCode(ch string) string { return channelCodes[ch] }

// ChannelOf reads the c= parameter of a link: the channel it was sent on,
// or web.
func ChannelOf(code string) string {
	for ch, c := range channelCodes {
		if c == code {
			return ch
		}
	}
	return ChannelWeb
}

// ConversationLinks are the CSAT links (scores 1 to 5) of a closed
// support conversation, asked at: the inbox's question when it closes.
func (s *Service) ConversationLinks(conversationID, customerID int64, at time.Time) []string {
	a := Ask{Kind: CSAT, Trigger: Conversation, SubjectID: conversationID, CustomerID: customerID, AskedAt: at.Truncate(time.Second)}
	var out []string
	for _, l := range s.Links(a) {
		out = append(out, l.URL)
	}
	return out
}
