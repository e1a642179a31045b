package api_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestCampaignPaperPDFs: the PDFs of a draft are a 409 naming the status,
// of an e-mail campaign a 422 naming the channel, of no campaign a 404;
// a started paper campaign's are PDFs.
func TestCampaignPaperPDFs(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
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
			for _, c := range []struct {
				path   string
				status int
				field  string
			}{
				{"/api/v1/campaigns/" + strconv.FormatInt(paper, 10) + "/letters.pdf", http.StatusConflict, "status"},
				{"/api/v1/campaigns/" + strconv.FormatInt(paper, 10) + "/labels.pdf?sheet=2x7", http.StatusConflict, "status"},
				{"/api/v1/campaigns/" + strconv.FormatInt(paper, 10) + "/labels.pdf?sheet=9x9", http.StatusUnprocessableEntity, "sheet"},
				{"/api/v1/campaigns/" + strconv.FormatInt(paper, 10) + "/letters.pdf?size=a3", http.StatusUnprocessableEntity, "size"},
				{"/api/v1/campaigns/" + strconv.FormatInt(email, 10) + "/letters.pdf", http.StatusUnprocessableEntity, "channel"},
				{"/api/v1/campaigns/999/labels.pdf", http.StatusNotFound, ""},
				{"/api/v1/campaigns/x/labels.pdf", http.StatusNotFound, ""},
			} {
				status, out, _ := e.call(t, "GET", c.path, "", e.token)
				errBody, _ := out["error"].(map[string]any)
				if status != c.status || (c.field != "" && errBody["field"] != c.field) {
					t.Errorf("GET %s: %d %v, want %d naming %q", c.path, status, errBody, c.status, c.field)
				}
			}
			if err := e.app.Campaigns.Start(ctx, paper, "owner"); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{"letters.pdf?size=a6", "labels.pdf?sheet=3x8"} {
				req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/campaigns/"+strconv.FormatInt(paper, 10)+"/"+path, nil)
				req.Header.Set("Authorization", "Bearer "+e.token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(body), "%PDF-") {
					t.Errorf("GET %s of a started campaign: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
				}
			}
		})
	}
}
