package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestInsiderJoinInChromium: Andrei signs in by a message's link, finds
// the club from his page's home, joins the pre-order with the button
// under the consent's words and leaves it again, in Russian, on a phone
// screen, each page checked by axe-core and free of scripts; then Sam
// joins by the invitation link of a message, in English. On SQLite and
// PostgreSQL.
func TestInsiderJoinInChromium(t *testing.T) {
	t.Parallel()
	exe := chromiumPath(t)
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			placeOrders(t, e)
			ctx := context.Background()
			id, err := e.app.Insiders.ProjectSave(ctx, insider.ProjectInput{Kind: insider.PreOrder, Goal: 50,
				Title:       map[string]string{"ru": "Предзаказ: новый улун", "en": "Pre-order: a new oolong"},
				Description: map[string]string{"ru": "Первая партия придёт весной."}})
			if err != nil {
				t.Fatal(err)
			}
			r2, err := order.GetByExternalID(ctx, e.app.DB.Read(), "R-2")
			if err != nil {
				t.Fatal(err)
			}
			link := e.app.SignIns.URL(r2.CustomerID, signin.ViaMessage, e.clock.Now())
			link = link[strings.Index(link, "/my/in/"):]

			root := chromiumWithin(t, exe, 390, 844, 3*time.Minute)
			b := &journeyTab{adminTab: &adminTab{t: t, ctx: root, base: e.srv.URL, dir: artifactDir(t)}, root: root}
			b.group()
			if st := b.open(link); st != 200 {
				t.Fatalf("GET the sign-in link: %d", st)
			}
			if st := b.follow(`form[action="` + link + `"] button`); st != 200 {
				t.Fatalf("Continue: %d", st)
			}
			if st := b.follow(`a[href="/my/insiders"]`); st != 200 {
				t.Fatalf("the club's link on /my: %d", st)
			}
			b.must("/my/insiders", "Предзаказ: новый улун", "Уже записались: 0 из 50", "Нажимая «Участвовать»")
			b.check("insiders", "ru")
			join := `form[action="/my/insiders/` + strconv.FormatInt(id, 10) + `/join"] button`
			if st := b.follow(join); st != 200 {
				t.Fatalf("Join: %d", st)
			}
			b.must("/my/insiders?done=joined", "Вы участвуете.", "Уже записались: 1 из 50")
			b.check("insiders_joined", "ru")
			page, err := e.app.Insiders.Members(ctx, id, "", 10, false)
			if err != nil || len(page.Members) != 1 || page.Members[0].CustomerID != r2.CustomerID ||
				page.Members[0].Source != insider.FromMyPage || page.Members[0].ConsentLang != "ru" {
				t.Fatalf("members after the click: %+v, %v", page, err)
			}
			if st := b.follow(`form[action="/my/insiders/` + strconv.FormatInt(id, 10) + `/leave"] button`); st != 200 {
				t.Fatalf("Leave: %d", st)
			}
			b.must("/my/insiders?done=left", "Вы вышли из проекта.")
			if p, _ := e.app.Insiders.ProjectGet(ctx, id); p.Members != 0 {
				t.Errorf("%d members after leaving", p.Members)
			}

			// Sam's invitation from a message, in English: the page
			// shows a button, and the button joins.
			d5, err := order.GetByExternalID(ctx, e.app.DB.Read(), "D-5")
			if err != nil {
				t.Fatal(err)
			}
			invite, err := e.app.Insiders.URL(ctx, d5.CustomerID, id, e.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			invite = invite[strings.Index(invite, "/i/"):]
			b.group()
			if st := b.open(invite); st != 200 {
				t.Fatalf("GET the invitation: %d", st)
			}
			b.must(invite, "Pre-order: a new oolong", "By joining you agree")
			b.check("invite", "en")
			if st := b.follow(`form[action="` + invite + `"] button`); st != 200 {
				t.Fatalf("Join by the invitation: %d", st)
			}
			b.must(invite+"?done=joined", "You are in.")
			if p, _ := e.app.Insiders.ProjectGet(ctx, id); p.Members != 1 {
				t.Errorf("%d members after Sam joined, want 1", p.Members)
			}
		})
	}
}
