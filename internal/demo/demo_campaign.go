package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/campaign"
)

// The demo's campaigns (issue 25). Customers gave marketing consent with
// their orders (demo_people.go); at the start the owner has sent this
// morning's newsletter, started a win-back mailing with an A/B test of
// its subject for the customers' own morning, printed postcards for the
// best customers and left a draft for later. While the demo runs,
// customers follow the links in what they got, some of them order, and
// every week the owner sends a new newsletter.

// demoSiteURL is the demo shop's website, where the campaigns' links
// lead.
const demoSiteURL = "https://shop.example"

// clickPercent is the share of a campaign's recipients who follow a
// link of it within the days after; buyPercent the share of those who
// then order.
const (
	clickPercent = 12
	buyPercent   = 30
)

// newsletterEvery is how often the demo's owner sends a newsletter.
const newsletterEvery = 7 * 24 * time.Hour

// texts picks the shop's languages of a text in ru, lv and en.
func texts(a *app.App, all map[string]campaign.Content) campaign.Contents {
	out := campaign.Contents{}
	for _, lang := range a.Settings.Shop.Languages {
		if c, ok := all[lang]; ok {
			out[lang] = c
		}
	}
	return out
}

// newsletter is the demo's weekly newsletter, its n-th issue.
func newsletter(a *app.App, n int) campaign.Input {
	return campaign.Input{Name: fmt.Sprintf("Чайное письмо №%d", n), Channel: campaign.Email,
		Audience: campaign.Audience{All: true}, Schedule: campaign.CustomerMorning, CreatedBy: "demo",
		Content: texts(a, map[string]campaign.Content{
			"ru": {Subject: "{{.Customer.FirstName}}, новый урожай улуна уже здесь", Markdown: "Здравствуйте, {{.Customer.FirstName}}!\n\n" +
				"На этой неделе пришла первая партия **молочного улуна** нового урожая. Мы заварили его трижды — " +
				"и каждый раз он был другим.\n\n- как заваривать: 90 °C, 3 минуты\n- с чем пить: с грушей или мягким сыром\n\n" +
				"[Посмотреть улун](" + demoSiteURL + "/oolong)\n\nВаш чайный магазин"},
			"lv": {Subject: "{{.Customer.FirstName}}, jaunās ražas ulons ir klāt", Markdown: "Sveiki, {{.Customer.FirstName}}!\n\n" +
				"Šonedēļ ieradās pirmā jaunās ražas **piena ulona** partija. Mēs to aplējām trīs reizes — " +
				"un katru reizi tas bija citāds.\n\n- kā pagatavot: 90 °C, 3 minūtes\n- ar ko dzert: ar bumbieri vai maigu sieru\n\n" +
				"[Apskatīt ulonu](" + demoSiteURL + "/oolong)\n\nJūsu tējas veikals"},
			"en": {Subject: "{{.Customer.FirstName}}, this season's oolong is here", Markdown: "Hello {{.Customer.FirstName}}!\n\n" +
				"The first batch of this season's **milk oolong** came in this week. We brewed it three times — " +
				"and each time it tasted different.\n\n- how to brew: 90 °C, 3 minutes\n- what goes with it: a pear or a mild cheese\n\n" +
				"[See the oolong](" + demoSiteURL + "/oolong)\n\nYour tea shop"},
		})}
}

// seedCampaigns gives the demo its campaigns as the history ends: the
// newsletter sent, a win-back mailing with an A/B test and a holdout
// waiting for the customers' morning, postcards printed for the
// champions, and a draft.
func seedCampaigns(ctx context.Context, a *app.App, _ *rand.Rand, until time.Time) error {
	first := newsletter(a, 1)
	first.Schedule = campaign.Now
	winBack := campaign.Input{Name: "Мы скучаем: скидка 10% на следующий заказ", Channel: campaign.Email,
		Audience: campaign.Audience{Segment: "at_risk"}, Schedule: campaign.CustomerMorning, Holdout: 10, CreatedBy: "demo",
		Test: campaign.Test{Share: 40, Metric: campaign.MetricClicks, Wait: 6 * time.Hour},
		Content: texts(a, map[string]campaign.Content{
			"ru": {Subject: "Давно не виделись, {{.Customer.FirstName}}", Markdown: "Мы соскучились! Возьмите **10%** на следующий заказ — " +
				"[выбрать чай](" + demoSiteURL + "/new)."},
			"lv": {Subject: "Sen neesam tikušies, {{.Customer.FirstName}}", Markdown: "Mums jūs pietrūkst! Saņemiet **10%** nākamajam pasūtījumam — " +
				"[izvēlēties tēju](" + demoSiteURL + "/new)."},
			"en": {Subject: "It's been a while, {{.Customer.FirstName}}", Markdown: "We miss you! Take **10% off** your next order — " +
				"[choose a tea](" + demoSiteURL + "/new)."}}),
		VariantB: texts(a, map[string]campaign.Content{
			"ru": {Subject: "{{.Customer.FirstName}}, для вас −10% до воскресенья", Markdown: "Возьмите **10%** на следующий заказ — " +
				"[выбрать чай](" + demoSiteURL + "/new)."},
			"lv": {Subject: "{{.Customer.FirstName}}, jums −10% līdz svētdienai", Markdown: "Saņemiet **10%** nākamajam pasūtījumam — " +
				"[izvēlēties tēju](" + demoSiteURL + "/new)."},
			"en": {Subject: "{{.Customer.FirstName}}, 10% off for you until Sunday", Markdown: "Take **10% off** your next order — " +
				"[choose a tea](" + demoSiteURL + "/new)."}})}
	postcards := campaign.Input{Name: "Открытки лучшим покупателям", Channel: campaign.Paper,
		Audience: campaign.Audience{Segment: "champions"}, CreatedBy: "demo", CostMinor: 0,
		Content: texts(a, map[string]campaign.Content{
			"ru": {Subject: "Спасибо, что вы с нами", Text: "{{.Customer.FirstName}}, спасибо за этот год! В следующей посылке вас ждёт пробник нового улуна."},
			"lv": {Subject: "Paldies, ka esat ar mums", Text: "{{.Customer.FirstName}}, paldies par šo gadu! Nākamajā sūtījumā jūs gaida jaunā ulona paraugs."},
			"en": {Subject: "Thank you for being with us", Text: "{{.Customer.FirstName}}, thank you for this year! A sample of the new oolong comes with your next parcel."}})}
	draft := campaign.Input{Name: "Новогодние подарочные наборы", Channel: campaign.Email,
		Audience: campaign.Audience{Segment: "loyal"}, Schedule: campaign.CustomerMorning, CreatedBy: "demo",
		Content: texts(a, map[string]campaign.Content{
			"ru": {Subject: "Подарочные наборы к Новому году", Markdown: "Соберите набор из трёх чаёв в жестяной коробке — [наборы](" + demoSiteURL + "/gifts)."},
			"lv": {Subject: "Dāvanu komplekti Jaunajam gadam", Markdown: "Salieciet trīs tēju komplektu skārda kārbā — [komplekti](" + demoSiteURL + "/gifts)."},
			"en": {Subject: "Gift sets for the New Year", Markdown: "Put three teas together in a tin — [gift sets](" + demoSiteURL + "/gifts)."}})}
	for _, c := range []struct {
		in    campaign.Input
		start bool
		cost  int64 // a piece, minor units (paper)
	}{{first, true, 0}, {winBack, true, 0}, {postcards, true, 120}, {draft, false, 0}} {
		in := c.in
		if c.cost > 0 {
			n, err := a.Campaigns.CountAudience(ctx, in.Audience, in.Channel)
			if err != nil {
				return fmt.Errorf("demo campaigns: %s: %w", in.Name, err)
			}
			in.CostMinor = c.cost * n.Reachable
		}
		id, err := a.Campaigns.Create(ctx, in)
		if err != nil {
			return fmt.Errorf("demo campaigns: %s: %w", in.Name, err)
		}
		if c.start {
			if err := a.Campaigns.Start(ctx, id, "demo"); err != nil {
				return fmt.Errorf("demo campaigns: start %s: %w", in.Name, err)
			}
		}
	}
	return nil
}

// campaignsLive plays the customers' side of the campaigns up to now:
// some recipients follow a link of what they got (through the same
// tracked link as in the message), and some of those order within the
// days after — the orders the campaign's results attribute to it. Once a
// week the owner sends the next newsletter.
func (l *Live) campaignsLive(ctx context.Context, now time.Time) error {
	sent, err := l.a.Campaigns.SentSince(ctx, now.Add(-3*24*time.Hour), 500)
	if err != nil {
		return err
	}
	for _, m := range sent {
		if m.SentAt.Add(time.Duration(1+l.jitter(m.CustomerID, uint64(m.CampaignID))%30) * time.Hour).After(now) {
			continue // not read yet
		}
		if l.jitter(m.CustomerID, 0xc1+uint64(m.CampaignID))%100 >= clickPercent || l.clicked[[2]int64{m.CampaignID, m.CustomerID}] {
			continue
		}
		l.clicked[[2]int64{m.CampaignID, m.CustomerID}] = true
		link := l.a.Campaigns.TrackedURL(m.CampaignID, m.CustomerID, 0, demoSiteURL+"/oolong")
		_, token, ok := strings.Cut(link, "/c/")
		if !ok {
			continue // the shop counts no clicks
		}
		if _, err := l.a.Campaigns.RecordClick(ctx, token, campaign.Click{}); err != nil {
			return fmt.Errorf("demo campaigns: a click: %w", err)
		}
		if l.jitter(m.CustomerID, 0xc2)%100 < buyPercent && !slices.Contains(l.buyers, m.CustomerID) {
			l.buyers = append(l.buyers, m.CustomerID)
		}
	}
	return l.weeklyNewsletter(ctx, now)
}

// weeklyNewsletter starts the next newsletter when the last campaign the
// owner started is a week old.
func (l *Live) weeklyNewsletter(ctx context.Context, now time.Time) error {
	page, err := l.a.Campaigns.List(ctx, "", 20)
	if err != nil {
		return err
	}
	issues := 0
	var last time.Time
	for _, c := range page.Campaigns {
		if strings.HasPrefix(c.Name, "Чайное письмо") {
			issues++
		}
		if c.StartedAt != nil && c.StartedAt.After(last) {
			last = *c.StartedAt
		}
	}
	if last.IsZero() || now.Sub(last) < newsletterEvery {
		return nil
	}
	id, err := l.a.Campaigns.Create(ctx, newsletter(l.a, issues+1))
	if err != nil {
		return fmt.Errorf("demo campaigns: the next newsletter: %w", err)
	}
	var state *campaign.StateError
	if err := l.a.Campaigns.Start(ctx, id, "demo"); err != nil && !errors.As(err, &state) {
		return fmt.Errorf("demo campaigns: start the next newsletter: %w", err)
	}
	return nil
}
