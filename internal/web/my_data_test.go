package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/review"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/survey"
	"github.com/shopcare/shopcare/internal/web"
)

// customerID is the id of the fixture's customer with external id ext.
func customerID(t *testing.T, e *env, ext string) int64 {
	t.Helper()
	id, err := e.app.Customers.ResolveID(context.Background(), ext)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// profile is customer id's stored row and consents.
func profile(t *testing.T, e *env, id int64) *customer.Profile {
	t.Helper()
	p, err := e.app.Customers.GetProfile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// channelOf is the customer's standing on channel ch ("" fields when
// they have none).
func channelOf(p *customer.Profile, ch string) customer.ChannelConsent {
	for _, c := range p.Channels {
		if c.Channel == ch {
			return c
		}
	}
	return customer.ChannelConsent{Channel: ch}
}

// TestMyDataPageSpeaksTheLanguage: the data page lists the customer's
// channels with both consents apart, in Russian, Latvian and English,
// with no raw codes or English on the others.
func TestMyDataPageSpeaksTheLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	placeOrders(t, e)
	for _, tc := range []struct {
		ext  string
		lang i18n.Lang
		want []string
	}{
		{"c-1", i18n.RU, []string{"Мои данные и сообщения", "Андрей Петров", "andrei@example.com", "Новости о заказах", "Предложения и новости магазина", "Удалить учётную запись"}},
		{"c-2", i18n.LV, []string{"Mani dati un ziņas", "liga@example.lv", "Ziņas par pasūtījumiem", "Veikala piedāvājumi un jaunumi", `value="lv" selected`}},
		{"c-5", i18n.EN, []string{"My data and messages", "sam.lee@example.com", "Order news", "Offers and news of the shop"}},
	} {
		b := newBrowser(t, e)
		signInAs(t, e, b, customerID(t, e, tc.ext))
		status, _, body := b.do("GET", "/my/data", nil)
		if status != http.StatusOK {
			t.Fatalf("%s: GET /my/data: %d\n%s", tc.ext, status, body)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks %q", tc.ext, w)
			}
		}
		if strings.Count(body, `name="csrf" value="`+b.csrf+`"`) < 4 {
			t.Errorf("%s: a form without the CSRF field", tc.ext)
		}
		if bad := unreadable(pageText(body, tc.lang), tc.lang); len(bad) > 0 {
			t.Errorf("%s (%s): %v", tc.ext, tc.lang, bad)
		}
	}
}

// TestMyConsentChanges: each button gives or withdraws one consent
// (channel × purpose), recorded with this page as its source and the
// time; the page shows it so; a bad button or a form without its token
// changes nothing.
func TestMyConsentChanges(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	placeOrders(t, e)
	id := customerID(t, e, "c-2") // Līga: e-mail and phone
	b := newBrowser(t, e)
	signInAs(t, e, b, id)
	press := func(ch, purpose, value string) {
		t.Helper()
		status, h, body := b.do("POST", "/my/data/consent", url.Values{"csrf": {b.csrf}, "channel": {ch}, "purpose": {purpose}, "value": {value}})
		if status != http.StatusSeeOther || h.Get("Location") != "/my/data?saved=consent#channels" {
			t.Fatalf("%s %s %s: %d %q\n%s", ch, purpose, value, status, h.Get("Location"), body)
		}
	}

	e.clock.Set(msk(t, "2026-12-03T10:00:00"))
	press("email", "marketing", "on")
	c := channelOf(profile(t, e, id), "email")
	if !c.Marketing() || c.MarketingConsentSource != customer.ConsentSourceMyPage || !c.MarketingConsentAt.Equal(e.clock.Now()) {
		t.Fatalf("marketing consent on e-mail: %+v", c)
	}
	if _, _, body := b.do("GET", "/my/data?saved=consent", nil); !strings.Contains(body, "piekrišana dota šajā lapā (2026. gada 3. decembris)") {
		t.Errorf("the page does not say the consent was given here:\n%s", body)
	}

	e.clock.Set(msk(t, "2026-12-04T11:00:00"))
	press("email", "marketing", "off")
	c = channelOf(profile(t, e, id), "email")
	if c.Marketing() || c.MarketingRevokedAt == nil || !c.MarketingRevokedAt.Equal(e.clock.Now()) {
		t.Fatalf("marketing withdrawn on e-mail: %+v", c)
	}
	if c.OptedOutAt != nil {
		t.Errorf("withdrawing offers stopped order news: %+v", c)
	}

	press("sms", "news", "on")
	s := channelOf(profile(t, e, id), "sms")
	if !s.Transactional() || s.ConsentSource != customer.ConsentSourceMyPage {
		t.Fatalf("order news by SMS: %+v", s)
	}
	// Refusing offers never given is recorded: the sender needs it.
	press("sms", "marketing", "off")
	if s = channelOf(profile(t, e, id), "sms"); s.MarketingRevokedAt == nil || !s.Transactional() {
		t.Fatalf("offers refused by SMS: %+v", s)
	}
	press("email", "news", "off")
	if c = channelOf(profile(t, e, id), "email"); c.OptedOutAt == nil {
		t.Fatalf("order news stopped on e-mail: %+v", c)
	}

	before := profile(t, e, id)
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
	}{
		{"no token", url.Values{"channel": {"email"}, "purpose": {"news"}, "value": {"on"}}, http.StatusForbidden},
		{"a wrong token", url.Values{"csrf": {"x" + b.csrf}, "channel": {"email"}, "purpose": {"news"}, "value": {"on"}}, http.StatusForbidden},
		{"a channel that is none", url.Values{"csrf": {b.csrf}, "channel": {"pigeon"}, "purpose": {"news"}, "value": {"on"}}, http.StatusUnprocessableEntity},
		{"a purpose that is none", url.Values{"csrf": {b.csrf}, "channel": {"email"}, "purpose": {"everything"}, "value": {"on"}}, http.StatusUnprocessableEntity},
		{"a value that is none", url.Values{"csrf": {b.csrf}, "channel": {"email"}, "purpose": {"news"}, "value": {"maybe"}}, http.StatusUnprocessableEntity},
	} {
		status, _, body := b.do("POST", "/my/data/consent", tc.form)
		if status != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, status, tc.status)
		}
		if status == http.StatusUnprocessableEntity && !strings.Contains(body, `role="alert"`) {
			t.Errorf("%s: no error shown", tc.name)
		}
	}
	if after := profile(t, e, id); !after.UpdatedAt.Equal(before.UpdatedAt) || len(after.Channels) != len(before.Channels) ||
		channelOf(after, "email").OptedOutAt == nil {
		t.Errorf("a refused button changed the customer: %+v → %+v", before, after)
	}
}

// TestMyProfileSave: name, language and birthday are saved; a bad form
// is shown again with the field's error and changes nothing.
func TestMyProfileSave(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	placeOrders(t, e)
	id := customerID(t, e, "c-1")
	b := newBrowser(t, e)
	signInAs(t, e, b, id)
	form := func(name, language, day, month string) url.Values {
		return url.Values{"csrf": {b.csrf}, "name": {name}, "language": {language}, "birth_day": {day}, "birth_month": {month}}
	}
	before := profile(t, e, id)
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"a day without a month", form("Андрей", "ru", "17", ""), "my-birthday-error"},
		{"30 February", form("Андрей", "ru", "30", "2"), "my-birthday-error"},
		{"a month 13", form("Андрей", "ru", "1", "13"), "my-birthday-error"},
		{"a day in words", form("Андрей", "ru", "первое", "5"), "my-birthday-error"},
		{"a language the shop does not write", form("Андрей", "de", "", ""), "my-language-error"},
		{"a control character", form("Анд\x01рей", "ru", "", ""), "my-name-error"},
		{"a name too long", form(strings.Repeat("я", 201), "ru", "", ""), "my-name-error"},
	} {
		status, _, body := b.do("POST", "/my/data", tc.form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tc.field+`" role="alert"`) {
			t.Errorf("%s: %d, want 422 with %s", tc.name, status, tc.field)
		}
	}
	if after := profile(t, e, id); !after.UpdatedAt.Equal(before.UpdatedAt) || after.Name != before.Name {
		t.Fatalf("a refused form changed the customer: %+v", after)
	}

	if status, h, _ := b.do("POST", "/my/data", form("  Андрей Петрович ", "en", "29", "2")); status != http.StatusSeeOther ||
		h.Get("Location") != "/my/data?saved=profile" {
		t.Fatalf("save: %d %q", status, h.Get("Location"))
	}
	p := profile(t, e, id)
	if p.Name != "Андрей Петрович" || p.Language != "en" || p.Birthday != "02-29" {
		t.Fatalf("saved %q %q %q", p.Name, p.Language, p.Birthday)
	}
	// The page is in the new language, the birthday filled back.
	_, _, body := b.do("GET", "/my/data?saved=profile", nil)
	if !strings.Contains(body, "My data and messages") || !strings.Contains(body, `value="29"`) || !strings.Contains(body, `<option value="2" selected>`) {
		t.Errorf("the page after saving:\n%s", body)
	}
	// Both fields empty forget the birthday.
	b.do("POST", "/my/data", form("Андрей Петрович", "en", "", ""))
	if p := profile(t, e, id); p.Birthday != "" {
		t.Errorf("birthday not forgotten: %q", p.Birthday)
	}
}

// TestMyDataExport: the download is the API's export of the customer,
// byte for byte, as an attachment.
func TestMyDataExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	placeOrders(t, e)
	id := customerID(t, e, "c-1")
	voice(t, e, "R-2", "Сковородка что надо", "Быстро привезли")
	voice(t, e, "D-5", "Sam's lid review", "Sam's survey comment")
	b := newBrowser(t, e)
	signInAs(t, e, b, id)
	status, h, body := b.do("GET", "/my/data/export", nil)
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") ||
		!strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("export: %d %v", status, h)
	}
	want, err := api.NewExports(e.app).Export(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if body != string(want) {
		t.Errorf("the page's export differs from the API's:\n%s\n---\n%s", body, want)
	}
	for _, w := range []string{`"email":"andrei@example.com"`, `"external_id":"R-1"`, `"external_id":"R-2"`} {
		if !strings.Contains(body, w) {
			t.Errorf("export lacks %s", w)
		}
	}
	if strings.Contains(body, "sam.lee@example.com") || strings.Contains(body, "liga@example.lv") ||
		strings.Contains(body, "Sam's") || strings.Contains(body, "Sam Project") {
		t.Error("the export holds another customer's data")
	}
	var x struct {
		Surveys []struct {
			Score     int    `json:"score"`
			Confirmed bool   `json:"confirmed"`
			Comment   string `json:"comment"`
		} `json:"surveys"`
		Reviews []struct {
			SKU    string `json:"sku"`
			Text   string `json:"text"`
			Status string `json:"status"`
			Photo  bool   `json:"photo"`
		} `json:"reviews"`
		Experiences []struct {
			Kind string `json:"kind"`
		} `json:"negative_experiences"`
		Insiders []struct {
			Title   string `json:"title"`
			Source  string `json:"source"`
			Consent int    `json:"consent_version"`
		} `json:"insider_projects"`
	}
	if err := json.Unmarshal([]byte(body), &x); err != nil {
		t.Fatal(err)
	}
	if len(x.Surveys) != 1 || x.Surveys[0].Score != 9 || !x.Surveys[0].Confirmed || x.Surveys[0].Comment != "Быстро привезли" {
		t.Errorf("export surveys: %+v", x.Surveys)
	}
	if len(x.Reviews) != 1 || x.Reviews[0].SKU != "PAN" || x.Reviews[0].Text != "Сковородка что надо" ||
		x.Reviews[0].Status != "pending" || x.Reviews[0].Photo {
		t.Errorf("export reviews: %+v", x.Reviews)
	}
	if len(x.Experiences) != 1 || x.Experiences[0].Kind != "late_delivery" {
		t.Errorf("export negative experiences: %+v", x.Experiences)
	}
	if len(x.Insiders) != 1 || x.Insiders[0].Title != "R-2 Project" || x.Insiders[0].Source != "my_page" || x.Insiders[0].Consent == 0 {
		t.Errorf("export insider projects: %+v", x.Insiders)
	}
}

// voice writes, through the services, the customer's voice about order
// ext: it is delivered, reviewed (line 1, text), its survey confirmed
// with comment, a late delivery registered, and its customer joins a
// club project titled "<ext> Project" ("Sam Project" for D-5).
func voice(t *testing.T, e *env, ext, text, comment string) {
	t.Helper()
	ctx := context.Background()
	o, err := e.app.Orders.Find(ctx, ext)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != order.Delivered {
		if _, err := e.app.Orders.ChangeStatus(ctx, o.ID, order.StatusUpdate{Status: order.Delivered, At: e.clock.Now(),
			Source: order.SourceAPI}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.app.Reviews.Submit(ctx, review.Input{OrderID: o.ID, CustomerID: o.CustomerID, Source: review.SourceMy,
		Lines: []review.LineInput{{Line: 1, Rating: 5, Text: text}}}); err != nil {
		t.Fatal(err)
	}
	ask := survey.Ask{Kind: survey.NPS, Trigger: survey.Delivery, SubjectID: o.ID, CustomerID: o.CustomerID,
		AskedAt: e.clock.Now().Add(-time.Hour).Truncate(time.Second), Channel: survey.ChannelEmail}
	if _, err := e.app.Surveys.Confirm(ctx, e.app.Surveys.Token(ask), survey.Answer{Score: 9, Comment: comment}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Experiences.Record(ctx, experience.Entry{CustomerID: o.CustomerID, OrderID: o.ID,
		Kind: experience.LateDelivery, Ref: fmt.Sprintf("order:%d", o.ID), At: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	title := ext + " Project"
	if ext == "D-5" {
		title = "Sam Project"
	}
	pid, err := e.app.Insiders.ProjectSave(ctx, insider.ProjectInput{Kind: insider.EarlyAccess,
		Title: map[string]string{"ru": title, "lv": title, "en": title}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Insiders.Join(ctx, insider.JoinInput{ProjectID: pid, CustomerID: o.CustomerID, Source: insider.FromMyPage,
		Lang: "ru"}); err != nil {
		t.Fatal(err)
	}
}

// TestMyAccountDelete: deleting asks to tick "I understand"; a customer
// with orders on their way is told to wait and nothing is erased; else
// the customer is anonymised as the API's erase does, every session of
// theirs ends, and the goodbye page signs the browser out.
func TestMyAccountDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t, store.SQLite)
	placeOrders(t, e)
	ctx := context.Background()

	andrei := customerID(t, e, "c-1") // two orders on their way
	b := newBrowser(t, e)
	signInAs(t, e, b, andrei)
	status, _, body := b.do("POST", "/my/data/delete", url.Values{"csrf": {b.csrf}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="my-erase-error" role="alert"`) {
		t.Errorf("without the tick: %d", status)
	}
	status, _, body = b.do("POST", "/my/data/delete", url.Values{"csrf": {b.csrf}, "confirm": {"yes"}})
	if status != http.StatusConflict || !strings.Contains(body, "2 заказа в пути") {
		t.Errorf("with orders on their way: %d\n%s", status, body)
	}
	if p := profile(t, e, andrei); p.ErasedAt != nil || p.Email == "" {
		t.Fatalf("erased with orders on their way: %+v", p)
	}
	if status, _, _ := b.do("GET", "/my/data", nil); status != http.StatusOK {
		t.Errorf("the refused customer lost their session: %d", status)
	}

	sam := customerID(t, e, "c-5") // one order, delivered
	phone, laptop := newBrowser(t, e), newBrowser(t, e)
	signInAs(t, e, phone, sam)
	other := signInAs(t, e, laptop, sam)
	status, h, body := phone.do("POST", "/my/data/delete", url.Values{"csrf": {phone.csrf}, "confirm": {"yes"}})
	if status != http.StatusOK || !strings.Contains(body, "Your account is deleted") {
		t.Fatalf("delete: %d\n%s", status, body)
	}
	if c := h.Get("Set-Cookie"); !strings.Contains(c, "shopcare_my=;") || !strings.Contains(c, "Max-Age=0") {
		t.Errorf("the cookie was not cleared: %q", c)
	}
	p := profile(t, e, sam)
	if p.ErasedAt == nil || p.Email != "" || p.Name != "" || p.ExternalID != "" {
		t.Fatalf("not anonymised: %+v", p)
	}
	if _, err := e.app.SignIns.SessionGet(ctx, other.Token, time.Now()); !errors.Is(err, signin.ErrNoSession) {
		t.Errorf("the other device's session: %v, want ErrNoSession", err)
	}
	var n int
	if err := e.app.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM customer_sessions WHERE customer_id = $1`, sam).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d sessions left (%v)", n, err)
	}
	if status, h, _ := laptop.do("GET", "/my/data", nil); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/my/login") {
		t.Errorf("the other device after the deletion: %d %q", status, h.Get("Location"))
	}
	var addr string
	if err := e.app.DB.Read().QueryRow(ctx, `SELECT address FROM orders WHERE customer_id = $1`, sam).Scan(&addr); err != nil || addr != "" {
		t.Errorf("the order's address after the erase: %q (%v)", addr, err)
	}
}

// FuzzMyDataForm: the profile form's check never panics, and what it
// lets through is what the customer package can keep: a name of valid
// text within its length, a language of the list, a real day.
func FuzzMyDataForm(f *testing.F) {
	for _, s := range [][4]string{
		{"Андрей", "ru", "17", "5"}, {"", "lv", "", ""}, {"Sam", "en", "29", "2"}, {"x", "de", "31", "4"},
		{"\x00", "ru", "1", "1"}, {"a\u202eb", "ru", "01", "01"}, {"Līga", "lv", "-1", "12"}, {"\xff", "en", "9999999999999999999", "1"},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	languages := []string{"ru", "lv", "en"}
	f.Fuzz(func(t *testing.T, name, language, day, month string) {
		p, problems := web.MyDataPatch(name, language, day, month, i18n.RU, languages)
		if len(problems) > 0 {
			for field, text := range problems {
				if text == "" || strings.HasPrefix(text, "mydata.") {
					t.Errorf("%s: no text for the problem: %q", field, text)
				}
			}
			return
		}
		if !utf8.ValidString(*p.Name) || utf8.RuneCountInString(*p.Name) > 200 || *p.Name != strings.TrimSpace(*p.Name) {
			t.Errorf("name %q let through", *p.Name)
		}
		if *p.Language != "ru" && *p.Language != "lv" && *p.Language != "en" {
			t.Errorf("language %q let through", *p.Language)
		}
		if b := *p.Birthday; b != "" {
			if _, err := time.Parse("2006-01-02", "2000-"+b); err != nil {
				t.Errorf("birthday %q let through", b)
			}
		}
	})
}

// FuzzMyConsentButton: a consent button reads as exactly one consent
// changed, or as none.
func FuzzMyConsentButton(f *testing.F) {
	for _, s := range [][2]string{{"news", "on"}, {"marketing", "off"}, {"news", ""}, {"", "on"}, {"Marketing", "ON"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, purpose, value string) {
		c, ok := web.MyConsentPatch(purpose, value)
		if !ok {
			if c.Transactional != nil || c.Marketing != nil {
				t.Errorf("refused %q %q but changes %+v", purpose, value, c)
			}
			return
		}
		if (c.Transactional == nil) == (c.Marketing == nil) {
			t.Errorf("%q %q changes %+v", purpose, value, c)
		}
		v := c.Transactional
		if v == nil {
			v = c.Marketing
		}
		if *v != (value == "on") || (purpose == "news") != (c.Transactional != nil) {
			t.Errorf("%q %q changes %+v", purpose, value, c)
		}
	})
}
