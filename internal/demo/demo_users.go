package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
)

// Login is a demo user's e-mail and password.
type Login struct {
	Role     auth.Role
	Email    string
	Password string
}

// roles are the demo's people, one per role, in the order they are
// printed.
var roles = []auth.Role{auth.Owner, auth.Operator, auth.Packer}

// Users creates the shop's people — owner@demo.shop, operator@demo.shop
// and packer@demo.shop — each with a fresh random password, and returns
// their logins. Run again, it gives them new passwords. The three are
// added at once: each password hash takes a deliberate fraction of a
// second.
func Users(ctx context.Context, a *app.App) ([]Login, error) {
	logins := make([]Login, len(roles))
	errs := make([]error, len(roles))
	var wg sync.WaitGroup
	for i, role := range roles {
		logins[i] = Login{Role: role, Email: string(role) + "@demo.shop", Password: Password()}
		wg.Go(func() {
			l := logins[i]
			if err := auth.UserAdd(ctx, a.DB, l.Email, l.Password, role, a.Clock.Now()); err != nil {
				errs[i] = fmt.Errorf("demo: add user %s: %w", l.Email, err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return logins, nil
}

// passwordLetters leave out letters and digits that read alike (l, 1, o,
// 0, i).
const passwordLetters = "abcdefghjkmnpqrstuvwxyz23456789"

// Password returns a random password that is easy to type from a
// terminal: four groups of four letters and digits, 78 bits from
// crypto/rand ("k7mq-3vfa-x9pe-h2dw").
func Password() string {
	var b strings.Builder
	for i := range 16 {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(passwordLetters[randIndex(len(passwordLetters))])
	}
	return b.String()
}

// randIndex returns a uniform index below n from crypto/rand.
func randIndex(n int) int {
	limit := 256 - 256%n // refuse the bytes that would favour low indexes
	var buf [1]byte
	for {
		_, _ = rand.Read(buf[:]) // never fails (crypto/rand, Go 1.24+)
		if int(buf[0]) < limit {
			return int(buf[0]) % n
		}
	}
}
