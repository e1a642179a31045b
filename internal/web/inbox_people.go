package web

import (
	"context"
	"slices"

	"github.com/shopcare/shopcare/internal/auth"
)

// staff are the people who may answer in the inbox, with their names and
// languages.
type staff []auth.Profile

// people returns the people who may use the inbox, by e-mail.
func (h *Handler) people(ctx context.Context) (staff, error) {
	all, err := h.accounts.ProfileList(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, p := range all {
		if p.Role.Can(inboxArea) {
			out = append(out, p)
		}
	}
	return out, nil
}

// name is how the page names a person: their name, else their e-mail.
func (s staff) name(id int64) string {
	for _, p := range s {
		if p.UserID == id {
			return displayName(p)
		}
	}
	return ""
}

// find returns the person with id.
func (s staff) find(id int64) (auth.Profile, bool) {
	i := slices.IndexFunc(s, func(p auth.Profile) bool { return p.UserID == id })
	if i < 0 {
		return auth.Profile{}, false
	}
	return s[i], true
}

func displayName(p auth.Profile) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}

// assignee is one person of the assign form: those who speak the
// conversation's language come first, marked as suggested.
type assignee struct {
	ID        int64
	Name      string
	Languages []string
	Suggested bool
}

// assignees orders the people for a conversation in lang: the speakers of
// lang first (routing by language), then the others, each group by name.
func (s staff) assignees(lang string) []assignee {
	out := make([]assignee, 0, len(s))
	for _, p := range s {
		out = append(out, assignee{ID: p.UserID, Name: displayName(p), Languages: p.Languages, Suggested: p.Speaks(lang)})
	}
	slices.SortStableFunc(out, func(a, b assignee) int {
		if a.Suggested != b.Suggested {
			if a.Suggested {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}
