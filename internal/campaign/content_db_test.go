package campaign_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// contentShop is a shop with mail to srv and Anna, a customer who has
// given marketing consent by e-mail.
func contentShop(t *testing.T, engine store.Engine, srv *smtptest.Server, yaml ...string) (*app.App, int64) {
	t.Helper()
	a, _ := apptest.New(t, engine, false, append([]string{
		"shop:",
		"  name: Кастрюля",
		"  public_url: https://care.example.com",
		"  languages: [ru, lv, en]",
		"channels:",
		"  email:",
		"    smtp_url: " + srv.URL(),
		`    from: "Кастрюля <shop@example.com>"`,
	}, yaml...)...)
	o := apptest.Order(t, a, order.NewOrder{ExternalID: "A-1", Carrier: "courier",
		Customer: customer.Input{ExternalID: "c-1", Name: "Анна Орлова", Email: "anna@example.com", Language: "ru"},
		Items:    []order.Item{{SKU: "pot", Name: "Кастрюля", Qty: 1, PriceMinor: 250000}}})
	return a, o.CustomerID
}

func createEmail(t *testing.T, a *app.App) int64 {
	t.Helper()
	id, err := a.Campaigns.Create(context.Background(), campaign.Input{Name: "Зима", Channel: campaign.Email,
		Audience: campaign.Audience{All: true},
		Content: campaign.Contents{
			"ru": {Subject: "{{.Customer.FirstName}}, скидки зимы", Markdown: "Привет, **{{.Customer.FirstName}}**! https://shop.example.com/sale"},
			"en": {Subject: "Winter sale", Markdown: "Hello, {{.Customer.FirstName}}!"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPreviewAndTestSend(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := smtptest.Start(t)
			a, anna := contentShop(t, engine, srv)
			id := createEmail(t, a)

			r, err := a.Campaigns.Preview(ctx, id, anna, "", "")
			if err != nil {
				t.Fatal(err)
			}
			if r.Subject != "Анна, скидки зимы" || !strings.Contains(r.HTML, "<strong>Анна</strong>") ||
				!strings.Contains(r.Text, "Отписаться от предложений: "+r.Unsubscribe) {
				t.Errorf("preview for Anna: %q\n%s\n%s", r.Subject, r.Text, r.HTML)
			}
			if r, err = a.Campaigns.Preview(ctx, id, anna, "en", ""); err != nil || r.Subject != "Winter sale" || !strings.Contains(r.Text, "Hello, Анна!") {
				t.Errorf("preview in English: %q %q %v", r.Subject, r.Text, err)
			}
			if _, err := a.Campaigns.Preview(ctx, id, 999999, "", ""); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("preview for nobody: %v", err)
			}

			if err := a.Campaigns.TestSend(ctx, id, "owner@example.com", "ru", ""); err != nil {
				t.Fatal(err)
			}
			mails := srv.Wait(t, 1, 10*time.Second)
			m := mails[0]
			if m.Subject() != "[ТЕСТ] Анна, скидки зимы" {
				t.Errorf("test subject %q", m.Subject())
			}
			if m.To[0] != "owner@example.com" || m.Header("List-Unsubscribe") == "" || !strings.Contains(m.Text(), "Привет, Анна!") {
				t.Errorf("test mail to %v, List-Unsubscribe %q:\n%s", m.To, m.Header("List-Unsubscribe"), m.Text())
			}
			var bad *invalid.Error
			if err := a.Campaigns.TestSend(ctx, id, "not an address", "ru", ""); !errors.As(err, &bad) || bad.Field != "to" {
				t.Errorf("test send to a wrong address: %v", err)
			}
		})
	}
}

func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := smtptest.Start(t)
			a, anna := contentShop(t, engine, srv)
			id := createEmail(t, a)
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO campaign_recipients (campaign_id, customer_id, status, due_at)
					VALUES ($1, $2, 'sent', $3)`, id, anna, a.Clock.Now())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			url := a.Campaigns.UnsubscribeURL(id, anna)
			token := strings.TrimPrefix(url, "https://care.example.com/u/")
			if who, lang, err := a.Campaigns.UnsubscribeCustomer(ctx, token); err != nil || who != anna || lang != "ru" {
				t.Fatalf("whose %s: %d %q %v", token, who, lang, err)
			}
			if p, _ := customer.GetProfile(ctx, a.DB.Read(), anna); p.MarketingOptedOutAt != nil {
				t.Fatal("opted out by looking")
			}
			for range 2 {
				if who, err := a.Campaigns.Unsubscribe(ctx, token); err != nil || who != anna {
					t.Fatalf("unsubscribe: %d %v", who, err)
				}
			}
			p, err := customer.GetProfile(ctx, a.DB.Read(), anna)
			if err != nil || p.MarketingOptedOutAt == nil {
				t.Errorf("Anna not opted out of marketing: %+v %v", p, err)
			}
			for _, ch := range p.Channels {
				if ch.OptedOutAt != nil {
					t.Errorf("order news on %s stopped by an unsubscribe from offers", ch.Channel)
				}
			}
			var at *time.Time
			if err := a.DB.Read().QueryRow(ctx, `SELECT unsubscribed_at FROM campaign_recipients WHERE campaign_id = $1 AND customer_id = $2`,
				id, anna).Scan(&at); err != nil || at == nil {
				t.Errorf("recipient not marked unsubscribed: %v %v", at, err)
			}
			forged := token[:len(token)-2] + "AA"
			if _, err := a.Campaigns.Unsubscribe(ctx, forged); !errors.Is(err, campaign.ErrUnknownToken) {
				t.Errorf("forged token: %v", err)
			}
			if _, err := a.Campaigns.Unsubscribe(ctx, strings.TrimPrefix(a.Campaigns.UnsubscribeURL(id, 987654), "https://care.example.com/u/")); !errors.Is(err, campaign.ErrUnknownToken) {
				t.Errorf("token of no customer: %v", err)
			}
		})
	}
}

func TestImages(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false, "campaigns:", "  image_max_bytes: 2000", "shop:", "  public_url: https://care.example.com")
			var b bytes.Buffer
			if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 40, 30))); err != nil {
				t.Fatal(err)
			}
			img, err := a.Campaigns.SaveImage(ctx, `C:\photos\зима.png`, "image/png", b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if img.Name != "зима.png" || img.Width != 40 || img.Height != 30 || img.ContentType != "image/png" ||
				img.URL != "https://care.example.com/ci/"+img.Token || len(img.Token) != 24 {
				t.Errorf("saved %+v", img)
			}
			got, data, err := a.Campaigns.ImageData(ctx, img.Token)
			if err != nil || !bytes.Equal(data, b.Bytes()) || got.ID != img.ID {
				t.Errorf("read back %+v %d bytes %v", got, len(data), err)
			}
			if _, _, err := a.Campaigns.ImageData(ctx, strings.Repeat("A", 24)); !errors.Is(err, campaign.ErrUnknownToken) {
				t.Errorf("unknown image: %v", err)
			}
			var n int
			count := func() int {
				if err := a.DB.Read().QueryRow(ctx, `SELECT count(*) FROM campaign_images`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			for _, tc := range []struct {
				name, ctype string
				data        []byte
				code        string
			}{
				{"big.png", "image/png", append(b.Bytes(), make([]byte, 2000)...), "too_big"},
				{"x.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "invalid"},
				{"x.png", "text/html", b.Bytes(), "invalid"},
				{"empty.png", "image/png", nil, "required"},
			} {
				var bad *invalid.Error
				if _, err := a.Campaigns.SaveImage(ctx, tc.name, tc.ctype, tc.data); !errors.As(err, &bad) || bad.Field != "image" || bad.Code != tc.code {
					t.Errorf("%s: %v, want image %s", tc.name, err, tc.code)
				}
			}
			if count() != 1 {
				t.Errorf("%d images stored after refusals, want 1", n)
			}
		})
	}
}
