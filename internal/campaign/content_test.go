package campaign

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/service"
)

// testSigner is signin's Sign over a fixed key.
type testSigner struct{}

func (testSigner) Sign(purpose string, payload []byte) []byte {
	m := hmac.New(sha256.New, []byte("test key"))
	m.Write([]byte(purpose + "\x00"))
	m.Write(payload)
	return m.Sum(nil)
}

func (s testSigner) Verify(purpose string, payload, sum []byte) bool {
	full := s.Sign(purpose, payload)
	return len(sum) >= 12 && len(sum) <= len(full) && hmac.Equal(full[:len(sum)], sum)
}

// contentService is a Service without a database, for rendering.
func contentService(t testing.TB, yaml ...string) *Service {
	t.Helper()
	settings, err := config.Parse([]byte(strings.Join(append([]string{
		"shop:",
		"  name: Кастрюля",
		"  public_url: https://care.example.com",
		"  brand_color: \"#7a2e0e\"",
		"  languages: [ru, lv, en]",
	}, yaml...), "\n")))
	if err != nil {
		t.Fatal(err)
	}
	return New(service.Deps{Settings: settings, Clock: clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))},
		Params{Signer: testSigner{}})
}

// tracked makes s's tracked links visible: /c/<link>/<customer>?to=<url>.
func tracked(s *Service) {
	s.content.track = func(campaignID, customerID int64, link int, url string) string {
		return fmt.Sprintf("https://care.example.com/c/%d/%d/%d?to=%s", campaignID, customerID, link, url)
	}
}

func emailCampaign() *Campaign {
	return &Campaign{ID: 7, Name: "Зима", Channel: Email, TrackClicks: true, Content: Contents{
		"ru": {Subject: "{{.Customer.FirstName}}, скидки зимы", Markdown: "# Привет, {{.Customer.FirstName}}!\n\n" +
			"Скидки до **30 %** в [магазине](https://shop.example.com/sale?utm=a&b=1) — до пятницы.\n\n" +
			"- кастрюли\n- сковородки\n\nВопросы: {{.Shop.Phone}} или https://shop.example.com/help.\n\n" +
			"<script>alert(1)</script><img src=\"https://care.example.com/ci/x\" alt=\"зима\" onerror=\"alert(2)\">"},
		"en": {Subject: "Winter sale", HTML: `<p>Hello {{.Customer.Name}}, <a href="https://shop.example.com/en">shop</a></p><iframe src="https://evil.example"></iframe>`},
	}}
}

func TestRenderEmail(t *testing.T) {
	t.Parallel()
	s := contentService(t)
	tracked(s)
	k, err := s.compile(emailCampaign())
	if err != nil {
		t.Fatal(err)
	}
	out, err := k.Render(VariantA, Recipient{CustomerID: 42, Name: "Анна <b>Орлова</b>", Language: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Subject != "Анна, скидки зимы" {
		t.Errorf("subject %q", out.Subject)
	}
	if !strings.HasPrefix(out.Unsubscribe, "https://care.example.com/u/k") {
		t.Errorf("unsubscribe %q", out.Unsubscribe)
	}
	for _, want := range []string{
		`<html lang="ru">`, `name="color-scheme" content="light dark"`, `#7a2e0e`, `<h1>Привет, Анна!</h1>`,
		`<strong>30 %</strong>`, `<li>кастрюли</li>`,
		`href="https://care.example.com/c/7/42/0?to=https://shop.example.com/sale?utm=a&amp;b=1"`,
		`href="https://care.example.com/c/7/42/1?to=https://shop.example.com/help"`,
		`href="` + out.Unsubscribe + `"`, "Отписаться от предложений", `alt="зима"`,
	} {
		if !strings.Contains(out.HTML, want) {
			t.Errorf("HTML lacks %s:\n%s", want, out.HTML)
		}
	}
	for _, bad := range []string{"<script", "onerror", "alert(1)", "background-image", "background:url"} {
		if strings.Contains(out.HTML, bad) {
			t.Errorf("HTML has %s:\n%s", bad, out.HTML)
		}
	}
	for _, want := range []string{"Привет, Анна!", "• кастрюли", "магазине (https://care.example.com/c/7/42/0?to=https://shop.example.com/sale?utm=a&b=1)",
		"https://care.example.com/c/7/42/1?to=https://shop.example.com/help.", "Отписаться от предложений: " + out.Unsubscribe} {
		if !strings.Contains(out.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, out.Text)
		}
	}
	if strings.Contains(out.Text, "<") {
		t.Errorf("text has markup:\n%s", out.Text)
	}
	// A customer's language without content gets the shop's first; the
	// name is escaped in HTML, raw in text; the shop's HTML is sanitized.
	out, err = k.Render(VariantA, Recipient{CustomerID: 43, Name: "Bob <i>", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.HTML, "Hello Bob &lt;i&gt;") || strings.Contains(out.HTML, "iframe") || !strings.Contains(out.Text, "Hello Bob <i>, shop (https://care.example.com/c/7/43/0?to=https://shop.example.com/en)") {
		t.Errorf("en:\n%s\n%s", out.HTML, out.Text)
	}
	out, err = k.Render(VariantA, Recipient{CustomerID: 44, Name: "Jānis", Language: "lv"})
	if err != nil || out.Subject != "Jānis, скидки зимы" {
		t.Errorf("lv falls back to ru: %q, %v", out.Subject, err)
	}
}

func TestRenderTextOnlyEmail(t *testing.T) {
	t.Parallel()
	s := contentService(t)
	k, err := s.compile(&Campaign{ID: 8, Channel: Email, Content: Contents{"en": {Subject: "Hi",
		Text: "Hello {{.Customer.FirstName}} <3,\nsee https://shop.example.com/a.\n\nBye"}}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := k.Render(VariantA, Recipient{CustomerID: 1, Name: "Bob", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.HTML, `<p>Hello Bob &lt;3,<br>see <a href="https://shop.example.com/a">https://shop.example.com/a</a>.</p>`) ||
		!strings.HasPrefix(out.Text, "Hello Bob <3,\nsee https://shop.example.com/a.\n\nBye") {
		t.Errorf("text-only e-mail:\n%s\n%s", out.HTML, out.Text)
	}
}

func TestRenderUntracked(t *testing.T) {
	t.Parallel()
	s := contentService(t)
	tracked(s)
	c := emailCampaign()
	c.TrackClicks = false
	k, err := s.compile(c)
	if err != nil {
		t.Fatal(err)
	}
	out, err := k.Render(VariantA, Recipient{CustomerID: 42, Name: "Анна", Language: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.HTML+out.Text, "/c/") || !strings.Contains(out.HTML, `href="https://shop.example.com/sale?utm=a&amp;b=1"`) {
		t.Errorf("untracked links rewritten:\n%s", out.HTML)
	}
}

func TestRenderVariants(t *testing.T) {
	t.Parallel()
	s := contentService(t)
	c := &Campaign{ID: 3, Channel: SMS, Content: Contents{"ru": {Text: "A {{.Customer.FirstName}}"}},
		VariantB: Contents{"ru": {Text: "B {{.Customer.FirstName}}"}}}
	k, err := s.compile(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ variant, winner, want string }{
		{VariantA, "", "A Анна"}, {VariantB, "", "B Анна"}, {VariantRest, "b", "B Анна"}, {VariantRest, "", "A Анна"},
	} {
		k.winner = tc.winner
		out, err := k.Render(tc.variant, Recipient{CustomerID: 1, Name: "Анна", Language: "ru"})
		if err != nil || !strings.HasPrefix(out.Text, tc.want+"\n\nОтписаться от предложений: https://care.example.com/u/k") || out.HTML != "" {
			t.Errorf("variant %q winner %q: %q, %v", tc.variant, tc.winner, out.Text, err)
		}
	}
}

func TestSMSSegments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		n    int
		ucs2 bool
	}{
		{"", 0, false},
		{strings.Repeat("a", 160), 1, false},
		{strings.Repeat("a", 161), 2, false},
		{strings.Repeat("a", 306), 2, false},
		{strings.Repeat("a", 307), 3, false},
		{strings.Repeat("€", 80), 1, false},
		{strings.Repeat("€", 81), 2, false},
		{strings.Repeat("я", 70), 1, true},
		{strings.Repeat("я", 71), 2, true},
		{strings.Repeat("ā", 134), 2, true},
		{strings.Repeat("ā", 135), 3, true},
		{"Привет 😀", 1, true},
	} {
		n, ucs2 := SMSSegments(tc.text)
		if n != tc.n || ucs2 != tc.ucs2 {
			t.Errorf("SMSSegments(%d × %q…) = %d, %v; want %d, %v", len([]rune(tc.text)), []rune(tc.text + " ")[0], n, ucs2, tc.n, tc.ucs2)
		}
	}
}

func TestCheckContent(t *testing.T) {
	t.Parallel()
	s := contentService(t)
	for _, tc := range []struct {
		name, channel string
		c             Content
		field, code   string
	}{
		{"ok", Email, Content{Subject: "Hi", Markdown: "Hello {{.Customer.FirstName}}"}, "", ""},
		{"no subject", Email, Content{Markdown: "x"}, "content.ru.subject", "required"},
		{"no body", Email, Content{Subject: "x"}, "content.ru.markdown", "required"},
		{"both", Email, Content{Subject: "x", Markdown: "a", HTML: "<p>b</p>"}, "content.ru.html", "invalid"},
		{"bad subject", Email, Content{Subject: "{{.Customer.Name", Markdown: "x"}, "content.ru.subject", "invalid"},
		{"unknown field", Email, Content{Subject: "x", Markdown: "{{.Order.Number}}"}, "content.ru.markdown", "invalid"},
		{"unknown func", Email, Content{Subject: "x", HTML: "<p>{{money 5}}</p>"}, "content.ru.html", "invalid"},
		{"bad text", Email, Content{Subject: "x", Markdown: "a", Text: "{{if}}"}, "content.ru.text", "invalid"},
		{"sms ok", SMS, Content{Text: "Скидки до пятницы, {{.Customer.FirstName}}"}, "", ""},
		{"sms empty", SMS, Content{Markdown: "x"}, "content.ru.text", "required"},
		{"sms long", SMS, Content{Text: strings.Repeat("я", 300)}, "content.ru.text", "too_long"},
		{"telegram markdown", Telegram, Content{Markdown: "**Скидки**"}, "", ""},
		{"paper", Paper, Content{}, "content.ru.text", "required"},
	} {
		var errs invalid.List
		s.checkContent(&errs, "content", tc.channel, Contents{"ru": tc.c})
		switch {
		case tc.field == "" && len(errs) > 0:
			t.Errorf("%s: %v", tc.name, errs)
		case tc.field != "" && (len(errs) == 0 || errs[0].Field != tc.field || errs[0].Code != tc.code):
			t.Errorf("%s: %v, want %s %s", tc.name, errs, tc.field, tc.code)
		}
	}
}

func TestUnsubscribeToken(t *testing.T) {
	t.Parallel()
	s := contentService(t)
	tok := s.unsubscribeToken(12, 345678)
	c, u, err := s.parseUnsubscribe(tok)
	if err != nil || c != 12 || u != 345678 {
		t.Fatalf("parse %q: %d %d %v", tok, c, u, err)
	}
	forged := []byte(tok)
	forged[3] ^= 1
	for _, bad := range []string{string(forged), tok[1:], "k", "", tok + "A", "Lr4Tn8Wq2Zp6Xv0Bc3Hd7Jf1Gk5Ms9Ya2Ue6Io0PqRs"} {
		if _, _, err := s.parseUnsubscribe(bad); !errors.Is(err, ErrUnknownToken) {
			t.Errorf("parse %q: %v", bad, err)
		}
	}
}

// FuzzRender renders any Markdown and HTML: never a panic, never a
// script, and a compiled content always renders.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{"", "# Hi {{.Customer.Name}}", "<script>x</script>", "[a](javascript:alert(1))",
		"{{", "}}{{", "<a href=\"https://x.lv/{{.Customer.Phone}}\">x</a>", "| a | b |\n|---|---|\n| 1 | 2 |",
		"<img src=x onerror=alert(1)>", "https://a.lv/(b)).", "zqact0tcaqz", "<a href=\"http://x\">http://y</a>"} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	s := contentService(f)
	tracked(s)
	f.Fuzz(func(t *testing.T, src string, asHTML bool) {
		c := Content{Subject: "s", Markdown: src}
		if asHTML {
			c = Content{Subject: "s", HTML: src}
		}
		k, err := s.compile(&Campaign{ID: 1, Channel: Email, TrackClicks: true, Content: Contents{"ru": c}})
		if err != nil {
			return
		}
		out, err := k.Render(VariantA, Recipient{CustomerID: 9, Name: "<script>", Language: "ru"})
		if err != nil {
			return
		}
		if strings.Contains(strings.ToLower(out.HTML), "<script") {
			t.Errorf("script in %q:\n%s", src, out.HTML)
		}
		if !strings.Contains(out.Text, out.Unsubscribe) {
			t.Errorf("no unsubscribe link in the text of %q", src)
		}
	})
}

// FuzzUnsubscribeToken parses any token: never a panic, and only a
// signed one is a campaign's.
func FuzzUnsubscribeToken(f *testing.F) {
	s := contentService(f)
	f.Add(s.unsubscribeToken(1, 2))
	f.Add("k")
	f.Add("kAAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		c, u, err := s.parseUnsubscribe(tok)
		if err == nil && s.unsubscribeToken(c, u) != tok {
			t.Errorf("%q parsed as %d/%d, which signs as %q", tok, c, u, s.unsubscribeToken(c, u))
		}
	})
}

// FuzzReadImage reads any upload: never a panic, and what passes has a
// sniffed type and a size.
func FuzzReadImage(f *testing.F) {
	for _, seed := range [][]byte{pngImage(f, 3, 2), []byte("GIF89a\x01\x00\x01\x00"), []byte("\xff\xd8\xff"),
		[]byte("RIFF\x00\x00\x00\x00WEBPVP8 "), []byte("<svg/>")} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ct, w, h, err := readImage(data)
		if err == nil && (ct == "" || w <= 0 || h <= 0) {
			t.Errorf("%q: %s %d×%d", data, ct, w, h)
		}
	})
}
