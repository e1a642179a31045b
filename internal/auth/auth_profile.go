package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// Profile is how a person of the shop appears to customers and to the
// support inbox: the name their replies are signed with, and the
// languages they answer in, by which conversations are routed to them.
type Profile struct {
	UserID int64
	Email  string
	Role   Role
	// Name is the name customers read under a reply; "" until the person
	// sets it (a reply is then signed by the shop alone).
	Name string
	// Languages are the ISO 639-1 codes of the languages the person
	// answers in, in the order they gave.
	Languages []string
}

// Speaks tells whether the person answers in lang.
func (p Profile) Speaks(lang string) bool { return lang != "" && slices.Contains(p.Languages, lang) }

// MaxNameLength bounds a person's name, in characters.
const MaxNameLength = 100

// profileLanguages are the languages a person may say they answer in:
// those shopcare writes in.
var profileLanguages = []string{"ru", "lv", "en"}

// ProfileGet returns one person's profile; store.ErrNotFound when there
// is no such person.
func ProfileGet(ctx context.Context, q store.Querier, userID int64) (Profile, error) {
	p, err := scanProfile(q.QueryRow(ctx, `SELECT id, email, role, name, languages FROM users WHERE id = $1`, userID))
	if err != nil {
		return Profile{}, fmt.Errorf("load profile of user %d: %w", userID, err)
	}
	return p, nil
}

// ProfileList returns every person's profile, by e-mail.
func ProfileList(ctx context.Context, q store.Querier) ([]Profile, error) {
	var out []Profile
	err := store.Each(ctx, q, `SELECT id, email, role, name, languages FROM users ORDER BY email`, nil, func(r store.Rows) error {
		p, err := scanProfile(r)
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list profiles: %w", err)
	}
	return out, nil
}

func scanProfile(r store.Row) (Profile, error) {
	var p Profile
	var role, langs string
	if err := r.Scan(&p.UserID, &p.Email, &role, &p.Name, &langs); err != nil {
		return Profile{}, err
	}
	p.Role, p.Languages = Role(role), strings.Fields(langs)
	return p, nil
}

// CheckProfile validates a name and languages as a person gives them:
// the name trimmed, one line of at most MaxNameLength characters; each
// language one shopcare writes in, given once. It returns them cleaned.
func CheckProfile(name string, languages []string) (string, []string, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case !utf8.ValidString(name):
		return "", nil, invalid.Field("name", "invalid", "the name is not valid UTF-8")
	case utf8.RuneCountInString(name) > MaxNameLength:
		return "", nil, invalid.Field("name", "too_long", "must be at most %d characters", MaxNameLength)
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0:
		return "", nil, invalid.Field("name", "invalid", "the name has a control character")
	}
	var out []string
	for i, l := range languages {
		if !slices.Contains(profileLanguages, l) {
			return "", nil, invalid.Field(fmt.Sprintf("languages[%d]", i), "invalid", "%q is not ru, lv or en", l)
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return name, out, nil
}

// ProfileSave sets a person's name and languages, validated by
// CheckProfile; store.ErrNotFound when there is no such person.
func ProfileSave(ctx context.Context, db *store.DB, userID int64, name string, languages []string, now time.Time) error {
	name, languages, err := CheckProfile(name, languages)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Exec(ctx, `UPDATE users SET name = $2, languages = $3, updated_at = $4 WHERE id = $1`,
			userID, name, strings.Join(languages, " "), now)
		if err != nil {
			return fmt.Errorf("save profile of user %d: %w", userID, err)
		}
		if n == 0 {
			return fmt.Errorf("save profile of user %d: %w", userID, store.ErrNotFound)
		}
		return nil
	})
}
