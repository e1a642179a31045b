package customer

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Addressee is what a printed letter or an address label needs of a
// customer (campaigns on paper).
type Addressee struct {
	ID       int64
	Name     string
	Language string
	Country  string
	// MarketingOptedOutAt is when the customer asked for no more
	// marketing; ErasedAt when they were erased. Either keeps them off
	// the shop's direct mail.
	MarketingOptedOutAt *time.Time
	ErasedAt            *time.Time
}

// EachAddressee calls fn with the Addressee of each customer of ids that
// exists, in no particular order.
func EachAddressee(ctx context.Context, q store.Querier, ids []int64, fn func(Addressee) error) error {
	return store.QueryIn(ctx, q, `SELECT id, name, language, country, marketing_opted_out_at, erased_at
		FROM customers WHERE id IN (IN_LIST)`, nil, ids, func(r store.Rows) error {
		var a Addressee
		if err := r.Scan(&a.ID, &a.Name, &a.Language, &a.Country, &a.MarketingOptedOutAt, &a.ErasedAt); err != nil {
			return err
		}
		return fn(a)
	})
}
