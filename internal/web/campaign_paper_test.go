package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestCampaignPaperPages: the owner asking for a draft's letters is told,
// in their language, to start it first; a campaign not on paper or a
// sheet that does not exist is the 404 page; an operator may not print.
func TestCampaignPaperPages(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			addPeople(t, e)
			ctx := context.Background()
			paper, err := e.app.Campaigns.Create(ctx, campaign.Input{Name: "Letters", Channel: campaign.Paper,
				Audience: campaign.Audience{All: true}, Content: campaign.Contents{"ru": {Subject: "Привет", Text: "Текст"}}})
			if err != nil {
				t.Fatal(err)
			}
			email, err := e.app.Campaigns.Create(ctx, campaign.Input{Name: "News", Channel: campaign.Email,
				Audience: campaign.Audience{All: true}, Content: campaign.Contents{"ru": {Subject: "Новости", Markdown: "Текст"}}})
			if err != nil {
				t.Fatal(err)
			}
			p, m := strconv.FormatInt(paper, 10), strconv.FormatInt(email, 10)
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			for _, c := range []struct {
				path, text string
				status     int
			}{
				{"/campaigns/" + p + "/letters.pdf", "Сначала запустите рассылку", http.StatusConflict},
				{"/campaigns/" + p + "/labels.pdf?sheet=2x7", "Сначала запустите рассылку", http.StatusConflict},
				{"/campaigns/" + p + "/labels.pdf?sheet=5x5", "", http.StatusNotFound},
				{"/campaigns/" + m + "/letters.pdf", "", http.StatusNotFound},
				{"/campaigns/999999/letters.pdf", "", http.StatusNotFound},
			} {
				status, _, body := b.do("GET", c.path, nil)
				if status != c.status || !strings.Contains(body, c.text) {
					t.Errorf("GET %s: %d %.200q, want %d with %q", c.path, status, body, c.status, c.text)
				}
			}
			op := newBrowser(t, e)
			op.login(people[auth.Operator])
			if status, _, _ := op.do("GET", "/campaigns/"+p+"/letters.pdf", nil); status != http.StatusForbidden {
				t.Errorf("an operator printing letters: %d, want 403", status)
			}
		})
	}
}
