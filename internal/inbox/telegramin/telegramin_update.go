package telegramin

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Update is the part of a Bot API Update
// (https://core.telegram.org/bots/api#update) the inbox reads: the id
// that orders updates, and a new message. Edits, reactions, channel posts
// and the rest are left unread; the update is still confirmed, so that
// they do not come back.
type Update struct {
	ID      int64    `json:"update_id"`
	Message *Message `json:"message,omitempty"`
}

// Message is the part of a Bot API Message
// (https://core.telegram.org/bots/api#message) a customer's message
// needs.
type Message struct {
	MessageID int64       `json:"message_id"`
	Date      int64       `json:"date"`
	Chat      Chat        `json:"chat"`
	From      *User       `json:"from,omitempty"`
	Text      string      `json:"text,omitempty"`
	Caption   string      `json:"caption,omitempty"`
	Photo     []PhotoSize `json:"photo,omitempty"`
	Document  *FileRef    `json:"document,omitempty"`
	Voice     *FileRef    `json:"voice,omitempty"`
}

// Chat is the chat a message was written in.
type Chat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"` // private, group, supergroup or channel
}

// User is the sender of a message.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// PhotoSize is one size of a photo; Telegram lists them smallest first.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size,omitempty"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

// FileRef is a document or a voice message.
type FileRef struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// ErrUpdate marks an update that cannot be read; it is confirmed and
// skipped, since asking for it again gives the same bytes.
var ErrUpdate = errors.New("unreadable telegram update")

// maxUpdate bounds one update's JSON: Telegram's largest message (4096
// characters of text, entities, a caption, sizes of a photo) is far
// under it.
const maxUpdate = 1 << 20

// ParseUpdate reads one update as the Bot API sends it (in getUpdates'
// result, or as a webhook's body). It never panics on any input.
func ParseUpdate(data []byte) (Update, error) {
	var u Update
	if len(data) > maxUpdate {
		return u, fmt.Errorf("%w: %d bytes, at most %d", ErrUpdate, len(data), maxUpdate)
	}
	if err := json.Unmarshal(data, &u); err != nil {
		return Update{}, fmt.Errorf("%w: %w", ErrUpdate, err)
	}
	if u.ID <= 0 {
		return Update{}, fmt.Errorf("%w: update_id: must be a positive number", ErrUpdate)
	}
	if m := u.Message; m != nil {
		if m.Chat.ID == 0 {
			return u, fmt.Errorf("%w: message.chat.id: required", ErrUpdate)
		}
		if m.MessageID <= 0 {
			return u, fmt.Errorf("%w: message.message_id: must be a positive number", ErrUpdate)
		}
		for _, s := range []string{m.Text, m.Caption} {
			if !utf8.ValidString(s) {
				return u, fmt.Errorf("%w: message.text: not valid UTF-8", ErrUpdate)
			}
		}
	}
	return u, nil
}

// maxStartToken is the longest /start parameter Telegram passes (64
// characters of A–Z, a–z, 0–9, _ and -).
const maxStartToken = 64

// minStartToken is the shortest parameter taken for a deep link's token:
// "/start hello" is a customer typing, not a link (tracking tokens have
// 43 characters).
const minStartToken = 16

// command splits a /start message into its deep link's token and any
// further text: "/start abc" → ("abc", "", true); "/start@shop_bot abc
// hello" → ("abc", "hello", true). ok is false for any other message.
func command(text string) (token, rest string, ok bool) {
	first, after, _ := strings.Cut(strings.TrimSpace(text), " ")
	name, _, _ := strings.Cut(first, "@")
	if name != "/start" {
		return "", "", false
	}
	after = strings.TrimSpace(after)
	token, rest, _ = strings.Cut(after, " ")
	if i := strings.IndexAny(token, "\n\r\t"); i >= 0 {
		token, rest = token[:i], token[i:]+" "+rest
	}
	if len(token) < minStartToken || len(token) > maxStartToken || strings.IndexFunc(token, notTokenRune) >= 0 {
		// Not a deep link's parameter: the customer typed something.
		return "", strings.TrimSpace(after), true
	}
	return token, strings.TrimSpace(rest), true
}

func notTokenRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		return false
	}
	return true
}

// senderName is how a sender is shown: their first and last name, else
// their @username.
func senderName(u *User) string {
	if u == nil {
		return ""
	}
	if n := strings.TrimSpace(u.FirstName + " " + u.LastName); n != "" {
		return n
	}
	if u.Username != "" {
		return "@" + u.Username
	}
	return ""
}
