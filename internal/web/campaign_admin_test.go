package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/storetest"
)

// campaignFixture is a draft campaign for the page walkers, named in
// Russian (the walker reads its name on Russian and Latvian pages), and
// once the send part is in, a started one too.
func campaignFixture(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	in := campaign.Input{Name: "Осенние новинки", Channel: campaign.Email, Audience: campaign.Audience{Segment: "at_risk", Languages: []string{"ru"}},
		Content: campaign.Contents{
			"ru": {Subject: "Новый урожай", Markdown: "Здравствуйте! Пришёл новый улун."},
			"en": {Subject: "The new harvest", Markdown: "Hello {{.Customer.FirstName}}! The new oolong is in."}},
		Holdout: 10, Schedule: campaign.CustomerMorning, CreatedBy: people[auth.Owner]}
	if _, err := e.app.Campaigns.Create(ctx, in); err != nil {
		t.Fatal(err)
	}
	in.Name = "Зимняя распродажа"
	id, err := e.app.Campaigns.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.Campaigns.Start(ctx, id, people[auth.Owner]); err != nil {
		t.Fatal(err)
	}
}

// draftCampaigns are the ids of the drafts (only a draft has an edit
// page; a started campaign's sends the owner to the campaign).
func draftCampaigns(t *testing.T, e *env) []string {
	t.Helper()
	page, err := e.app.Campaigns.List(context.Background(), "", 50)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range page.Campaigns {
		if c.Status == campaign.Draft {
			out = append(out, strconv.FormatInt(c.ID, 10))
		}
	}
	return out
}

// numeric keeps the ids that are numbers: the list links /campaigns/new
// too.
func numeric(ids []string) []string {
	var out []string
	for _, id := range ids {
		if _, err := strconv.ParseInt(id, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// composeForm is the compose form of a good e-mail campaign to the
// at-risk segment, in Russian and English, with an A/B test.
func composeForm(csrf string) url.Values {
	return url.Values{"csrf": {csrf}, "name": {"  Осенние новинки  "}, "channel": {"email"}, "segment": {"at_risk"},
		"languages": {"ru", "lv"}, "countries": {"lv, ee"}, "min_clv": {"1 000"},
		"content_ru_subject": {"Новый урожай"}, "content_ru_markdown": {"Здравствуйте, {{.Customer.FirstName}}!"},
		"content_en_subject": {"The new harvest"}, "content_en_markdown": {"Hello {{.Customer.FirstName}}!"},
		"ab": {"1"}, "test_share": {"20"}, "test_metric": {"clicks"}, "test_wait": {"2"},
		"b_ru_subject": {"Урожай уже здесь"}, "b_ru_markdown": {"Здравствуйте!"},
		"b_en_subject": {"The harvest is here"}, "b_en_markdown": {"Hello!"},
		"holdout": {"10"}, "schedule": {"customer_morning"}, "window": {"3"}, "attribution_days": {"7"},
		"track_clicks": {"1"}}
}

// TestCampaignCompose: the owner composes a campaign through the forms. A
// form with problems comes back with each field's problem in words and
// writes nothing; a good one is a draft with every field as typed; the
// draft saves itself as it is typed (htmx) unless a field is wrong; it
// starts only with the owner's confirmation; the preview may be framed
// by the admin only and runs no script. On SQLite and PostgreSQL.
func TestCampaignCompose(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			placeOrders(t, e)
			addPeople(t, e)
			ctx := context.Background()
			b := newBrowser(t, e)
			b.login(people[auth.Owner])
			if st, _, body := b.do("GET", "/campaigns", nil); st != http.StatusOK || !strings.Contains(body, `href="/campaigns/new"`) ||
				!strings.Contains(body, `id="campaigns-none"`) || !strings.Contains(body, `href="/campaigns" aria-current="page"`) {
				t.Fatalf("GET /campaigns: %d\n%.2000s", st, body)
			}
			if st, _, body := b.do("GET", "/campaigns/new", nil); st != http.StatusOK || !strings.Contains(body, `id="compose"`) ||
				!strings.Contains(body, `name="content_ru_markdown"`) || !strings.Contains(body, `name="content_en_subject"`) ||
				strings.Contains(body, `name="content_lv_subject"`) {
				t.Fatalf("GET /campaigns/new: %d\n%.2000s", st, body)
			}

			// Problems: no name, no channel, a holdout that is no number.
			bad := composeForm(b.csrf)
			bad.Set("name", " ")
			bad.Set("channel", "pigeon")
			bad.Set("holdout", "ten")
			st, _, body := b.do("POST", "/campaigns", bad)
			if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="campaign-problems"`) ||
				!strings.Contains(body, "Контрольная группа: должно быть числом") {
				t.Fatalf("POST a bad form: %d\n%.3000s", st, body)
			}
			if !strings.Contains(body, `value="Урожай уже здесь"`) {
				t.Error("the form with problems lost what was typed")
			}
			bad.Set("holdout", "10")
			if st, _, body = b.do("POST", "/campaigns", bad); st != http.StatusUnprocessableEntity ||
				!strings.Contains(body, "Название: нужно заполнить") || !strings.Contains(body, "Канал: указано неверно") {
				t.Fatalf("POST without a name and channel: %d\n%.3000s", st, body)
			}
			if page, err := e.app.Campaigns.List(ctx, "", 10); err != nil || len(page.Campaigns) != 0 {
				t.Fatalf("after the bad forms: %+v, %v; want nothing written", page, err)
			}

			st, h, body := b.do("POST", "/campaigns", composeForm(b.csrf))
			loc := regexp.MustCompile(`^/campaigns/(\d+)/edit\?saved=1$`).FindStringSubmatch(h.Get("Location"))
			if st != http.StatusSeeOther || loc == nil {
				t.Fatalf("POST a good form: %d to %q\n%.3000s", st, h.Get("Location"), body)
			}
			id, _ := strconv.ParseInt(loc[1], 10, 64)
			c, err := e.app.Campaigns.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			a := c.Audience
			if c.Name != "Осенние новинки" || c.Channel != campaign.Email || c.Status != campaign.Draft || a.Segment != "at_risk" ||
				strings.Join(a.Languages, ",") != "ru,lv" || strings.Join(a.Countries, ",") != "LV,EE" || a.MinCLV != nil && *a.MinCLV != 1000 ||
				c.Content["ru"].Subject != "Новый урожай" || c.Content["en"].Markdown != "Hello {{.Customer.FirstName}}!" ||
				c.VariantB["ru"].Subject != "Урожай уже здесь" || c.Test.Share != 20 || c.Test.Metric != campaign.MetricClicks ||
				c.Test.Wait.Hours() != 2 || c.Holdout != 10 || c.Schedule != campaign.CustomerMorning || c.Window.Hours() != 3 ||
				c.AttributionDays != 7 || !c.TrackClicks || c.CreatedBy != people[auth.Owner] {
				t.Fatalf("the draft: %+v", c)
			}
			edit := "/campaigns/" + loc[1] + "/edit"
			if st, _, body = b.do("GET", edit+"?saved=1", nil); st != http.StatusOK || !strings.Contains(body, `value="Урожай уже здесь"`) ||
				!strings.Contains(body, `<option value="at_risk" selected>`) || !strings.Contains(body, `id="preview-frame"`) ||
				!strings.Contains(body, `hx-post="/campaigns/`+loc[1]+`/draft"`) {
				t.Fatalf("GET %s: %d\n%.3000s", edit, st, body)
			}

			// The draft saves itself as it is typed.
			typed := composeForm(b.csrf)
			typed.Set("content_ru_subject", "Новый урожай улуна")
			st, h, body = b.do("POST", "/campaigns/"+loc[1]+"/draft", typed, "HX-Request: true")
			if st != http.StatusOK || h.Get("HX-Trigger") != "campaign-saved" {
				t.Fatalf("autosave: %d %q\n%s", st, h.Get("HX-Trigger"), body)
			}
			if c, _ = e.app.Campaigns.Get(ctx, id); c.Content["ru"].Subject != "Новый урожай улуна" {
				t.Errorf("after the autosave the subject is %q", c.Content["ru"].Subject)
			}
			typed.Set("holdout", "x")
			st, h, body = b.do("POST", "/campaigns/"+loc[1]+"/draft", typed, "HX-Request: true")
			if st != http.StatusOK || h.Get("HX-Trigger") != "" || !strings.Contains(body, "Контрольная группа: должно быть числом") {
				t.Fatalf("autosave of a wrong field: %d %q\n%s", st, h.Get("HX-Trigger"), body)
			}
			if c, _ = e.app.Campaigns.Get(ctx, id); c.Holdout != 10 {
				t.Errorf("a wrong field was saved: holdout %d", c.Holdout)
			}

			// The campaign's page: a draft, to start with the owner's
			// confirmation only.
			show := "/campaigns/" + loc[1]
			if st, _, body = b.do("GET", show, nil); st != http.StatusOK || !strings.Contains(body, "Черновик") ||
				!strings.Contains(body, `action="/campaigns/`+loc[1]+`/start"`) || !strings.Contains(body, "Сегмент: Под угрозой") {
				t.Fatalf("GET %s: %d\n%.3000s", show, st, body)
			}
			if st, _, body = b.do("POST", show+"/start", url.Values{"csrf": {b.csrf}}); st != http.StatusUnprocessableEntity ||
				!strings.Contains(body, `id="campaign-problem"`) {
				t.Fatalf("start without the confirmation: %d\n%.2000s", st, body)
			}
			if c, _ = e.app.Campaigns.Get(ctx, id); c.Status != campaign.Draft {
				t.Errorf("started without the confirmation: %s", c.Status)
			}

			// The preview: framed by the admin only, no script.
			st, h, _ = b.do("GET", show+"/preview?lang=ru", nil)
			if csp := h.Get("Content-Security-Policy"); st != http.StatusOK || !strings.Contains(csp, "frame-ancestors 'self'") ||
				!strings.Contains(csp, "sandbox") || strings.Contains(csp, "script-src") || h.Get("X-Frame-Options") != "SAMEORIGIN" {
				t.Errorf("the preview: %d, CSP %q, X-Frame-Options %q", st, csp, h.Get("X-Frame-Options"))
			}
			if st, _, _ = b.do("GET", "/campaigns/999999", nil); st != http.StatusNotFound {
				t.Errorf("a campaign that is not there: %d", st)
			}
			if st, _, body = b.do("GET", "/campaigns", nil); st != http.StatusOK || !strings.Contains(body, `href="/campaigns/`+loc[1]+`"`) {
				t.Errorf("the list after composing: %d\n%.2000s", st, body)
			}
		})
	}
}

// TestCampaignSendFromTheAdmin: the owner starts a campaign from its
// page after confirming the audience; the page shows it sending, pauses,
// resumes and cancels it, each a status the campaign then has; an action
// its status does not allow is refused with the page (409). It needs the
// core and send parts.
func TestCampaignSendFromTheAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Engines(t)[0])
	placeOrders(t, e)
	addPeople(t, e)
	ctx := context.Background()
	id, err := e.app.Campaigns.Create(ctx, campaign.Input{Name: "Осенние новинки", Channel: campaign.Email,
		Audience: campaign.Audience{All: true}, Content: campaign.Contents{"ru": {Subject: "Новый урожай", Markdown: "Здравствуйте!"}},
		Schedule: campaign.At, SendAt: ptr(e.clock.Now().Add(48 * 60 * 60 * 1e9)), CreatedBy: people[auth.Owner]})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, e)
	b.login(people[auth.Owner])
	show := "/campaigns/" + strconv.FormatInt(id, 10)
	for _, step := range []struct {
		act    string
		status campaign.Status
	}{{"start", campaign.Scheduled}, {"pause", campaign.Paused}, {"resume", campaign.Scheduled}, {"cancel", campaign.Cancelled}} {
		form := url.Values{"csrf": {b.csrf}, "confirm": {"1"}}
		st, h, body := b.do("POST", show+"/"+step.act, form)
		if st != http.StatusSeeOther || h.Get("Location") != show+"?done="+step.act {
			t.Fatalf("%s: %d to %q\n%.2000s", step.act, st, h.Get("Location"), body)
		}
		c, err := e.app.Campaigns.Get(ctx, id)
		if err != nil || c.Status != step.status {
			t.Fatalf("after %s: %v, %v; want %s", step.act, c.Status, err, step.status)
		}
		if st, _, body = b.do("GET", show+"?done="+step.act, nil); st != http.StatusOK || !strings.Contains(body, `class="flash"`) {
			t.Fatalf("the page after %s: %d\n%.2000s", step.act, st, body)
		}
	}
	if st, _, body := b.do("POST", show+"/resume", url.Values{"csrf": {b.csrf}}); st != http.StatusConflict || !strings.Contains(body, "Отменена") {
		t.Errorf("resume a cancelled campaign: %d\n%.2000s", st, body)
	}
}

func ptr[T any](v T) *T { return &v }
