package auth

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// FactsOwnerEmails lists the e-mail addresses of the shop's owners, oldest
// user first: who the analytics' early warnings go to by default.
func FactsOwnerEmails(ctx context.Context, q store.Querier) ([]string, error) {
	emails := []string{}
	err := store.Each(ctx, q, `SELECT email FROM users WHERE role = 'owner' ORDER BY id`, nil, func(r store.Rows) error {
		var e string
		if err := r.Scan(&e); err != nil {
			return err
		}
		emails = append(emails, e)
		return nil
	})
	return emails, err
}
