package campaign

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/store"
)

// UseSendFallbacks puts the send part's tiny stand-ins for the parts not
// merged yet into s: every customer as the audience (core's Members), and
// a plain renderer (content's compile) that names the variant in the
// subject. Parts that are built are left as they are.
func UseSendFallbacks(s *Service) {
	if _, ok := any(s).(membersOf); !ok {
		s.send.hooks.members = func(ctx context.Context, q store.Querier, _ Audience, _ string, fn func(int64) error) error {
			var ids []int64
			if err := store.Each(ctx, q, `SELECT id FROM customers ORDER BY id`, nil, func(r store.Rows) error {
				var id int64
				if err := r.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
				return nil
			}); err != nil {
				return err
			}
			for _, id := range ids {
				if err := fn(id); err != nil {
					return err
				}
			}
			return nil
		}
	}
	if _, err := s.compile(&Campaign{Content: Contents{"en": {Subject: "x", Text: "x"}}}); errors.Is(err, errNotBuilt) {
		s.send.hooks.compile = func(c *Campaign) (renderer, error) { return plainRenderer{c: c}, nil }
	}
}

type plainRenderer struct{ c *Campaign }

func (p plainRenderer) Render(variant string, r Recipient) (Rendered, error) {
	content := p.c.Content
	if variant == VariantB {
		content = p.c.VariantB
	}
	m, ok := content[r.Language]
	if !ok {
		for _, v := range content {
			m = v
			break
		}
	}
	return Rendered{Subject: fmt.Sprintf("[%s] %s", variant, m.Subject), Text: strings.ReplaceAll(m.Text, "{{.Customer.Name}}", r.Name),
		Unsubscribe: fmt.Sprintf("https://care.example.com/u/k%d-%d", p.c.ID, r.CustomerID)}, nil
}

// SendOnce runs campaign id's send job once, as River would; snoozed
// tells whether it asked to run again (and when, in business time).
func SendOnce(ctx context.Context, s *Service, id int64) (snoozed bool, err error) {
	err = s.sendRun(ctx, id)
	var sn *rivertype.JobSnoozeError
	if errors.As(err, &sn) {
		return true, nil
	}
	return false, err
}
