package survey

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/customer"
)

// Page is what the survey's landing page shows: the question, the
// answer so far (nil before the first click) and the customer's
// language.
type Page struct {
	Ask      Ask
	Survey   *Survey
	Language string
}

// PageOf reads a token for its page; ErrUnknown when it is not a link of
// this shop or its customer is gone.
func (s *Service) PageOf(ctx context.Context, token string) (*Page, error) {
	a, err := s.Parse(token)
	if err != nil {
		return nil, err
	}
	q := s.db.Read()
	v, err := bySubject(ctx, q, a)
	if err != nil {
		return nil, err
	}
	if v != nil && v.CustomerID != a.CustomerID {
		return nil, ErrUnknown
	}
	p := &Page{Ask: a, Survey: v}
	found := false
	err = customer.EachLocale(ctx, q, []int64{a.CustomerID}, func(l customer.Locale) error {
		found, p.Language = true, l.Language
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey page: %w", err)
	}
	if !found {
		return nil, ErrUnknown
	}
	return p, nil
}
