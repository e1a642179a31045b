package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// demoProjects are the demo club's projects: a pre-order of a new tea
// with a goal of 50, and a beta test of a tasting set. share is the part
// of the demo's recent buyers who joined each, over the weeks before
// the history ends.
var demoProjects = []struct {
	in    insider.ProjectInput
	share float64
	weeks int
}{
	{insider.ProjectInput{Kind: insider.PreOrder, Goal: 50,
		Title: map[string]string{"ru": "Предзаказ: улун «Молочный» нового урожая", "lv": "Priekšpasūtījums: jaunās ražas Milk Oolong",
			"en": "Pre-order: this season's Milk Oolong"},
		Description: map[string]string{
			"ru": "Первая партия придёт весной, всего 60 пачек. Участники предзаказа получат её первыми, со скидкой 10%.",
			"lv": "Pirmā partija ieradīsies pavasarī, tikai 60 paciņas. Priekšpasūtījuma dalībnieki to saņems pirmie, ar 10% atlaidi.",
			"en": "The first batch arrives in spring, just 60 packs. Pre-order members get it first, at 10% off."}},
		0.16, 6},
	{insider.ProjectInput{Kind: insider.BetaTest, Goal: 20,
		Title: map[string]string{"ru": "Бета-тест: дегустационный набор зелёного чая", "lv": "Beta tests: zaļās tējas degustācijas komplekts",
			"en": "Beta test: a green tea tasting set"},
		Description: map[string]string{
			"ru": "Пришлём набор из пяти чаёв и короткую анкету. Ваши ответы решат, что войдёт в набор для всех.",
			"lv": "Atsūtīsim piecu tēju komplektu un īsu anketu. Jūsu atbildes izlems, kas būs komplektā visiem.",
			"en": "We send you five teas and a short questionnaire. Your answers decide what goes into the set for everyone."}},
		0.07, 3},
}

// seedInsiders gives the demo its club: the two projects, and members
// among the recent buyers who joined on their page or from a message
// over the projects' weeks, each in their own language.
func seedInsiders(ctx context.Context, a *app.App, rnd *rand.Rand, until time.Time) error {
	buyers, err := recentBuyers(ctx, a, until.AddDate(0, -4, 0), 200)
	if err != nil {
		return err
	}
	for _, p := range demoProjects {
		start := until.AddDate(0, 0, -7*p.weeks)
		in := p.in
		in.StartsOn = start.In(a.Settings.Shop.Location()).Format(time.DateOnly)
		id, err := a.Insiders.ProjectSave(ctx, in)
		if err != nil {
			return fmt.Errorf("demo club: project: %w", err)
		}
		for _, c := range buyers {
			if rnd.Float64() >= p.share {
				continue
			}
			source := insider.FromMyPage
			if rnd.IntN(10) < 3 {
				source = insider.FromLink
			}
			at := start.Add(time.Duration(rnd.Int64N(int64(until.Sub(start)))))
			_, err := a.Insiders.JoinAt(ctx, insider.JoinInput{ProjectID: id, CustomerID: c.ID, Source: source,
				Lang: c.Language}, at)
			if err != nil && !errors.Is(err, store.ErrNotFound) { // an erased customer joins nothing
				return fmt.Errorf("demo club: customer %d joins: %w", c.ID, err)
			}
		}
	}
	return nil
}

// insidersLive adds a member to an open project now and then: about one
// step in twelve, a recent buyer joins from a message or their page.
func (l *Live) insidersLive(ctx context.Context, now time.Time) error {
	if l.rnd.IntN(12) != 0 {
		return nil
	}
	projects, err := l.a.Insiders.ProjectList(ctx)
	if err != nil {
		return err
	}
	today := now.In(l.a.Settings.Shop.Location()).Format(time.DateOnly)
	var open []insider.Project
	for _, p := range projects {
		if p.Open(today) && (p.Goal == 0 || p.Members < p.Goal) {
			open = append(open, p)
		}
	}
	if len(open) == 0 {
		return nil
	}
	buyers, err := recentBuyers(ctx, l.a, now.AddDate(0, 0, -30), 30)
	if err != nil || len(buyers) == 0 {
		return err
	}
	c := buyers[l.rnd.IntN(len(buyers))]
	source := insider.FromLink
	if l.rnd.IntN(2) == 0 {
		source = insider.FromMyPage
	}
	_, err = l.a.Insiders.JoinAt(ctx, insider.JoinInput{ProjectID: open[l.rnd.IntN(len(open))].ID, CustomerID: c.ID,
		Source: source, Lang: c.Language}, now)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, insider.ErrClosed) {
		return nil // an erased customer, or a project closed meanwhile: no one joins this time
	}
	return err
}

// recentBuyers are the customers of up to limit orders placed since,
// each once, the latest buyers first.
func recentBuyers(ctx context.Context, a *app.App, since time.Time, limit int) ([]*customer.Customer, error) {
	items, _, err := a.Orders.List(ctx, order.ListFilter{From: since, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("demo club: recent orders: %w", err)
	}
	seen := map[int64]bool{}
	var out []*customer.Customer
	for _, it := range items {
		if it.CustomerID == 0 || seen[it.CustomerID] {
			continue
		}
		seen[it.CustomerID] = true
		c, err := a.Customers.Get(ctx, it.CustomerID)
		if err != nil {
			return nil, fmt.Errorf("demo club: customer %d: %w", it.CustomerID, err)
		}
		out = append(out, c)
	}
	return out, nil
}
