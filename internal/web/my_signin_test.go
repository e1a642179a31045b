package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// signinEnv is a shop with mail through a real SMTP server in the test,
// a people's clock the test moves, and one customer, Андрей, who
// ordered with andrei@example.com.
type signinEnv struct {
	*env
	human *clock.Fake
	smtp  *smtptest.Server
	// andrei is the customer's id.
	andrei int64
}

func newSigninEnv(t *testing.T, engine store.Engine) *signinEnv {
	t.Helper()
	srv := smtptest.Start(t)
	a, clk := apptest.New(t, engine, false, "shop:", "  name: Кастрюля", "  public_url: https://care.example.com",
		"channels:", "  email:", "    smtp_url: "+srv.URL(), `    from: "Кастрюля <shop@example.com>"`)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The people's clock starts at the wall clock's now, so that signInAs's
	// sessions live on it too; the tests move it from there.
	human := clock.NewFake(time.Now())
	hs := httptest.NewServer(web.New(a, web.WithHumanClock(human)))
	t.Cleanup(hs.Close)
	e := &signinEnv{env: &env{app: a, clock: clk, srv: hs}, human: human, smtp: srv}
	n := order.NewOrder{ExternalID: "S-1", Carrier: "courier",
		Customer: customer.Input{ExternalID: "c-1", Name: "Андрей Петров", Email: "andrei@example.com", Language: "ru"},
		Items:    []order.Item{{SKU: "PAN", Name: "Сковородка", Qty: 1, PriceMinor: 99000}}}
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatal(err)
	}
	res, err := a.Orders.Create(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	o, err := a.Orders.Get(context.Background(), res.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.andrei = o.CustomerID
	return e
}

var (
	mailCode = regexp.MustCompile(`: (\d{6})\r?\n`)
	mailLink = regexp.MustCompile(`https://care\.example\.com(/my/in/[A-Za-z0-9_-]{43})\b`)
)

// askCode asks for a code for contact and returns the page; the sends
// the request started are over when it returns.
func (e *signinEnv) askCode(b *browser, contact string) (int, string) {
	b.t.Helper()
	status, _, body := b.do("POST", "/my/login", url.Values{"contact": {contact}, "next": {"/my/points"}})
	e.app.SignIns.Wait()
	return status, body
}

// codeAndLink reads the code and the link of the n-th mail (from 1).
func (e *signinEnv) codeAndLink(t *testing.T, n int) (code, link string) {
	t.Helper()
	mails := e.smtp.Wait(t, n, 30*time.Second)
	text := mails[n-1].Text()
	c, l := mailCode.FindStringSubmatch(text), mailLink.FindStringSubmatch(text)
	if c == nil || l == nil {
		t.Fatalf("mail %d has no code or link:\n%s", n, text)
	}
	return c[1], l[1]
}

// TestMySignInByMail is the whole sign-in through the mail: the code
// works once, the link's GET does not spend it and its POST does, and
// nothing a person could type back is stored in clear.
func TestMySignInByMail(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newSigninEnv(t, engine)
			b := newBrowser(t, e.env)
			if status, _, body := b.do("GET", "/my/login?next=/my/points", nil); status != http.StatusOK ||
				!strings.Contains(body, `<label for="my-contact">`) || !strings.Contains(body, `value="/my/points"`) {
				t.Fatalf("GET /my/login: %d\n%s", status, body)
			}
			status, body := e.askCode(b, " Andrei@Example.com ")
			if status != http.StatusOK || !strings.Contains(body, "andrei@example.com") || !strings.Contains(body, `name="code"`) {
				t.Fatalf("POST /my/login: %d\n%s", status, body)
			}
			code, link := e.codeAndLink(t, 1)
			m := e.smtp.Mails()[0]
			if m.To[0] != "andrei@example.com" || !strings.Contains(m.Subject(), "Код для входа") || !strings.Contains(m.Text(), "Здравствуйте, Андрей") {
				t.Fatalf("mail to %v, %q:\n%s", m.To, m.Subject(), m.Text())
			}
			noPlainText(t, e, code, strings.TrimPrefix(link, "/my/in/"))

			wrong := "000000"
			if code == wrong {
				wrong = "111111"
			}
			form := url.Values{"contact": {"andrei@example.com"}, "code": {wrong}, "next": {"/my/points"}}
			if status, _, body := b.do("POST", "/my/login/code", form); status != http.StatusUnprocessableEntity || !strings.Contains(body, `role="alert"`) {
				t.Fatalf("a wrong code: %d\n%s", status, body)
			}
			form.Set("code", code[:3]+" "+code[3:])
			status, h, _ := b.do("POST", "/my/login/code", form)
			if status != http.StatusSeeOther || h.Get("Location") != "/my/points" {
				t.Fatalf("the code: %d to %q", status, h.Get("Location"))
			}
			other := newBrowser(t, e.env)
			if status, _, _ := other.do("POST", "/my/login/code", form); status != http.StatusUnprocessableEntity {
				t.Fatalf("the code a second time: %d, want 422", status)
			}

			// The link: a scanner's GET leaves it whole, the POST spends it.
			b = newBrowser(t, e.env)
			_, _ = e.askCode(b, "andrei@example.com")
			_, link = e.codeAndLink(t, 2)
			for range 2 {
				if status, _, body := b.do("GET", link, nil); status != http.StatusOK || !strings.Contains(body, `action="`+link+`"`) {
					t.Fatalf("GET %s: %d\n%s", link, status, body)
				}
			}
			status, h, _ = b.do("POST", link, url.Values{})
			if status != http.StatusSeeOther || h.Get("Location") != "/my" || !hasMyCookie(h) {
				t.Fatalf("POST the link: %d to %q", status, h.Get("Location"))
			}
			if status, _, _ := b.do("POST", link, url.Values{}); status != http.StatusGone {
				t.Fatalf("the link a second time: %d, want 410", status)
			}
			if status, _, body := b.do("GET", link, nil); status != http.StatusGone || strings.Contains(body, "<form method=\"post\" action=\"/my/in/") {
				t.Fatalf("GET a spent link: %d\n%s", status, body)
			}
			var vias []string
			err := store.Each(context.Background(), e.app.DB.Read(), `SELECT via FROM customer_sessions ORDER BY created_at`, nil,
				func(r store.Rows) error {
					var v string
					if err := r.Scan(&v); err != nil {
						return err
					}
					vias = append(vias, v)
					return nil
				})
			if err != nil || strings.Join(vias, ",") != "code,link" {
				t.Fatalf("sessions by %v, %v; want code,link", vias, err)
			}
		})
	}
}

func hasMyCookie(h http.Header) bool {
	for _, c := range h.Values("Set-Cookie") {
		if strings.HasPrefix(c, "shopcare_my=") && !strings.HasPrefix(c, "shopcare_my=;") {
			return true
		}
	}
	return false
}

// noPlainText checks that neither the code nor the link's token is in
// any column of the sign-in tables, in the messages or in the job queue.
func noPlainText(t *testing.T, e *signinEnv, code, token string) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`SELECT contact_kind || contact_hash || code_hash || link_hash FROM signin_codes`,
		`SELECT token_hash || csrf FROM customer_sessions`,
		`SELECT COALESCE(subject, '') || body FROM messages`,
		`SELECT CAST(args AS TEXT) FROM river_job`,
	} {
		err := store.Each(ctx, e.app.DB.Read(), q, nil, func(r store.Rows) error {
			var s string
			if err := r.Scan(&s); err != nil {
				return err
			}
			if strings.Contains(s, code) || strings.Contains(s, token) || strings.Contains(s, "andrei@example.com") && strings.HasPrefix(q, "SELECT contact") {
				t.Errorf("%s holds the code, the token or the contact in clear: %q", q, s)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestMySignInExpires: the code and the link open nothing after 15
// minutes of the people's clock, and five wrong codes kill a request.
func TestMySignInExpires(t *testing.T) {
	t.Parallel()
	e := newSigninEnv(t, store.SQLite)
	b := newBrowser(t, e.env)
	e.askCode(b, "andrei@example.com")
	code, link := e.codeAndLink(t, 1)
	e.human.Advance(signin.CodeTTL)
	if status, _, _ := b.do("GET", link, nil); status != http.StatusGone {
		t.Fatalf("GET the link after 15 minutes: %d, want 410", status)
	}
	if status, _, _ := b.do("POST", link, url.Values{}); status != http.StatusGone {
		t.Fatalf("POST the link after 15 minutes: %d, want 410", status)
	}
	form := url.Values{"contact": {"andrei@example.com"}, "code": {code}}
	if status, _, _ := b.do("POST", "/my/login/code", form); status != http.StatusUnprocessableEntity {
		t.Fatalf("the code after 15 minutes: %d, want 422", status)
	}

	e.askCode(b, "andrei@example.com")
	code, _ = e.codeAndLink(t, 2)
	e.human.Advance(signin.CodeTTL - time.Second) // still live
	wrong := url.Values{"contact": {"andrei@example.com"}, "code": {"999999"}}
	if code == "999999" {
		wrong.Set("code", "888888")
	}
	for range signin.MaxWrong {
		if status, _, _ := b.do("POST", "/my/login/code", wrong); status != http.StatusUnprocessableEntity {
			t.Fatalf("a wrong code: %d", status)
		}
	}
	form.Set("code", code)
	if status, _, _ := b.do("POST", "/my/login/code", form); status != http.StatusUnprocessableEntity {
		t.Fatalf("the right code after %d wrong ones: %d, want 422", signin.MaxWrong, status)
	}
}

// TestMySignInUnknownContact: a contact no customer has gets the same
// page as a known one, and no mail.
func TestMySignInUnknownContact(t *testing.T) {
	t.Parallel()
	e := newSigninEnv(t, store.SQLite)
	b := newBrowser(t, e.env)
	_, known := e.askCode(b, "andrei@example.com")
	e.smtp.Wait(t, 1, 30*time.Second)
	status, unknown := e.askCode(b, "nobody@example.com")
	if status != http.StatusOK {
		t.Fatalf("unknown contact: %d", status)
	}
	if strings.ReplaceAll(unknown, "nobody@example.com", "X") != strings.ReplaceAll(known, "andrei@example.com", "X") {
		t.Fatalf("the pages differ:\n%s\n---\n%s", known, unknown)
	}
	if n := e.smtp.Count(); n != 1 {
		t.Fatalf("%d mails, want only the known customer's", n)
	}
	var rows int
	if err := e.app.DB.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM signin_codes WHERE customer_id IS NULL`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("%d requests of unknown contacts recorded, %v; want 1", rows, err)
	}
	// A code for the unknown contact opens nothing, with the same answer.
	if status, _, _ := b.do("POST", "/my/login/code", url.Values{"contact": {"nobody@example.com"}, "code": {"123456"}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("a code of an unknown contact: %d", status)
	}
}

// TestMySignInLimits: five codes an hour per contact (known or not), then
// 429 until the oldest leaves the hour; twenty forms an hour per address.
func TestMySignInLimits(t *testing.T) {
	t.Parallel()
	e := newSigninEnv(t, store.SQLite)
	b := newBrowser(t, e.env)
	for _, contact := range []string{"andrei@example.com", "nobody@example.com"} {
		for i := range signin.ContactLimit {
			if status, _ := e.askCode(b, contact); status != http.StatusOK {
				t.Fatalf("%s, request %d: %d", contact, i+1, status)
			}
		}
		status, _, body := b.do("POST", "/my/login", url.Values{"contact": {contact}})
		if status != http.StatusTooManyRequests || !strings.Contains(body, `role="alert"`) {
			t.Fatalf("%s, request %d: %d, want 429\n%s", contact, signin.ContactLimit+1, status, body)
		}
	}
	if n := e.smtp.Count(); n != signin.ContactLimit {
		t.Fatalf("%d mails, want %d", n, signin.ContactLimit)
	}
	// 12 forms so far from this address; 8 more go, the 21st waits.
	for i := range 8 {
		if status, _ := e.askCode(b, "+371 2000 00"+string(rune('1'+i))+"0"); status != http.StatusOK {
			t.Fatalf("form %d from the address: %d", 13+i, status)
		}
	}
	if status, h, _ := b.do("POST", "/my/login", url.Values{"contact": {"someone@example.com"}}); status != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
		t.Fatalf("form 21 from the address: %d, want 429 with Retry-After", status)
	}
	// An hour later the contact may ask again (the address still waits
	// out its own, longer, backoff: a new browser address is not
	// possible here, so the contact's limit is checked at the service).
	e.human.Advance(time.Hour)
	c, err := signin.ParseContact("andrei@example.com", "LV")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.SignIns.Request(context.Background(), c, e.human.Now()); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
	e.app.SignIns.Wait()
}

// TestMySignInBadContact: a contact that is neither e-mail nor phone is
// refused on the page, naming the field, and nothing is recorded.
func TestMySignInBadContact(t *testing.T) {
	t.Parallel()
	e := newSigninEnv(t, store.SQLite)
	b := newBrowser(t, e.env)
	for _, contact := range []string{"", "andrei", "a@", "+1 23", strings.Repeat("x", 300) + "@example.com"} {
		status, _, body := b.do("POST", "/my/login", url.Values{"contact": {contact}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="my-contact-error"`) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("contact %q: %d\n%s", contact, status, body)
		}
	}
	var rows int
	if err := e.app.DB.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM signin_codes`).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("%d requests recorded, %v", rows, err)
	}
}

// TestMySignedLinks: a message's or tracking page's signed link opens
// the page any number of times until it expires; a changed one does not;
// the tracking page carries one and stays open without signing in.
func TestMySignedLinks(t *testing.T) {
	t.Parallel()
	e := newSigninEnv(t, store.SQLite)
	b := newBrowser(t, e.env)
	u := e.app.SignIns.URL(e.andrei, signin.ViaMessage, e.human.Now())
	path := strings.TrimPrefix(u, "https://care.example.com")
	if path == u {
		t.Fatalf("the link %q is not under public_url", u)
	}
	for range 2 {
		if status, _, _ := b.do("GET", path, nil); status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, status)
		}
		if status, h, _ := b.do("POST", path, url.Values{}); status != http.StatusSeeOther || !hasMyCookie(h) {
			t.Fatalf("POST %s: %d", path, status)
		}
	}
	token := strings.TrimPrefix(path, "/my/in/")
	flip := []byte(token)
	flip[10] ^= 1
	if flip[10] == '`' || flip[10] == '.' {
		flip[10] = 'A'
	}
	for _, bad := range []string{"/my/in/" + string(flip), "/my/in/" + token[:len(token)-1], "/my/in/x"} {
		if status, _, _ := b.do("POST", bad, url.Values{}); status != http.StatusGone {
			t.Fatalf("POST %s: %d, want 410", bad, status)
		}
	}
	e.human.Advance(signin.LinkTTL)
	if status, _, _ := b.do("POST", path, url.Values{}); status != http.StatusGone {
		t.Fatalf("POST the link after 30 days: %d, want 410", status)
	}

	// The tracking page: open to anyone with its link, and its own
	// signed link signs in Via tracking.
	o, err := order.GetByExternalID(context.Background(), e.app.DB.Read(), "S-1")
	if err != nil {
		t.Fatal(err)
	}
	anon := newBrowser(t, e.env)
	status, _, body := anon.do("GET", "/t/"+o.TrackingToken, nil)
	m := regexp.MustCompile(`id="my-link"><a href="https://care\.example\.com(/my/in/[^"]+)"`).FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("tracking page: %d, no link to the customer's page\n%s", status, body)
	}
	if status, _, _ := anon.do("POST", m[1], url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("the tracking page's link: %d", status)
	}
	var via string
	if err := e.app.DB.Read().QueryRow(context.Background(), `SELECT via FROM customer_sessions ORDER BY created_at DESC LIMIT 1`).Scan(&via); err != nil || via != signin.ViaTracking {
		t.Fatalf("the last session came %q, %v; want tracking", via, err)
	}
}

// TestMySignInNext: after signing in the browser goes to a page of this
// site only.
func TestMySignInNext(t *testing.T) {
	t.Parallel()
	e := newSigninEnv(t, store.SQLite)
	for next, want := range map[string]string{"/my/points": "/my/points", "//evil.example": "/my", "https://evil.example/": "/my", "": "/my"} {
		b := newBrowser(t, e.env)
		if _, _, body := b.do("POST", "/my/login", url.Values{"contact": {"andrei@example.com"}, "next": {next}}); !strings.Contains(body, `name="next" value="`+want+`"`) {
			t.Fatalf("next %q: the code form does not carry %q\n%s", next, want, body)
		}
		e.app.SignIns.Wait()
		code, _ := e.codeAndLink(t, e.smtp.Count())
		status, h, _ := b.do("POST", "/my/login/code", url.Values{"contact": {"andrei@example.com"}, "code": {code}, "next": {next}})
		if status != http.StatusSeeOther || h.Get("Location") != want {
			t.Fatalf("next %q: %d to %q, want %q", next, status, h.Get("Location"), want)
		}
	}
}

// TestMyLogout: signing out ends the session (the cookie opens nothing
// more) and the admin's list keeps it, ended.
func TestMyLogout(t *testing.T) {
	t.Parallel()
	e := newSigninEnv(t, store.SQLite)
	b := newBrowser(t, e.env)
	s := signInAs(t, e.env, b, e.andrei)
	if status, _, _ := b.do("POST", "/my/logout", url.Values{"csrf": {"wrong"}}); status != http.StatusForbidden {
		t.Fatalf("logout without the form's token: %d, want 403", status)
	}
	status, h, _ := b.do("POST", "/my/logout", url.Values{"csrf": {s.CSRF}})
	if status != http.StatusSeeOther || h.Get("Location") != "/my/login" {
		t.Fatalf("logout: %d to %q", status, h.Get("Location"))
	}
	if _, err := e.app.SignIns.SessionGet(context.Background(), s.Token, time.Now()); err == nil {
		t.Fatal("the session still opens the page after signing out")
	}
	list, _, err := e.app.SignIns.SignInList(context.Background(), signin.ListPage{Limit: 10}, time.Now())
	if err != nil || len(list) != 1 || !list[0].Ended || list[0].CustomerID != e.andrei {
		t.Fatalf("sign-ins after logout: %+v, %v", list, err)
	}
}

// TestSigninList: the admin sees who signed in, when and how, and the
// codes asked for today.
func TestSigninList(t *testing.T) {
	t.Parallel()
	e := newSigninEnv(t, store.SQLite)
	addPeople(t, e.env)
	b := newBrowser(t, e.env)
	e.askCode(b, "andrei@example.com")
	e.askCode(b, "nobody@example.com")
	code, _ := e.codeAndLink(t, 1)
	if status, _, _ := b.do("POST", "/my/login/code", url.Values{"contact": {"andrei@example.com"}, "code": {code}}); status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", status)
	}
	admin := newBrowser(t, e.env)
	admin.login(people[auth.Operator])
	status, _, body := admin.do("GET", "/signins", nil)
	if status != http.StatusOK || !strings.Contains(body, "Андрей Петров") || !strings.Contains(body, "по коду") ||
		!strings.Contains(body, "Кодов запрошено сегодня: 2; из них не использовано: 1.") {
		t.Fatalf("GET /signins: %d\n%s", status, body)
	}
	packer := newBrowser(t, e.env)
	packer.login(people[auth.Packer])
	if status, _, _ := packer.do("GET", "/signins", nil); status != http.StatusForbidden {
		t.Fatalf("a packer on /signins: %d, want 403", status)
	}
}

// linkPath is a link's path the mux hands to its handler as it is (the
// mux redirects a path with "." or ".." in it first).
var linkPath = regexp.MustCompile(`^/my/in/[A-Za-z0-9_-]+$`)

// FuzzMyLoginForm posts any body to the sign-in forms: a form status,
// never a 5xx, and only ever on to this site.
func FuzzMyLoginForm(f *testing.F) {
	a, _ := apptest.New(f, store.SQLite, false)
	h := web.New(a, web.WithHumanClock(clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))))
	f.Add("/my/login", "application/x-www-form-urlencoded", "contact=a%40b.example&next=%2F%2Fevil")
	f.Add("/my/login", "application/x-www-form-urlencoded", "contact=%2B371+2000+0000")
	f.Add("/my/login/code", "application/x-www-form-urlencoded", "contact=a%40b.example&code=12+34+56&next=/%09/evil")
	f.Add("/my/login/code", "multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\n1\r\n--X--\r\n")
	f.Add("/my/in/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "text/plain", "\x00\xff")
	f.Fuzz(func(t *testing.T, path, ctype, body string) {
		switch {
		case path == "/my/login", path == "/my/login/code", linkPath.MatchString(path):
		default:
			path = "/my/login"
		}
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		a.SignIns.Wait()
		switch w.Code {
		case http.StatusOK, http.StatusSeeOther, http.StatusUnprocessableEntity, http.StatusTooManyRequests, http.StatusBadRequest,
			http.StatusRequestEntityTooLarge, http.StatusGone, http.StatusNotFound:
		default:
			t.Fatalf("%s %q %q: %d", path, ctype, body, w.Code)
		}
		if loc := w.Header().Get("Location"); w.Code == http.StatusSeeOther && (web.SafeNext(loc) != loc || !strings.HasPrefix(loc, "/my")) {
			t.Fatalf("%s %q %q: sent to %q", path, ctype, body, loc)
		}
	})
}

// TestMySignInSpeaksTheLanguage: the sign-in pages in Russian and
// Latvian, at each step and error, and the admin's list, have no English
// in them.
func TestMySignInSpeaksTheLanguage(t *testing.T) {
	t.Parallel()
	e := newSigninEnv(t, store.SQLite)
	for _, lang := range []i18n.Lang{i18n.RU, i18n.LV} {
		b := newBrowser(t, e.env)
		accept := "Accept-Language: " + string(lang)
		pages := map[string]string{}
		_, _, pages["form"] = b.do("GET", "/my/login", nil, accept)
		_, _, pages["bad contact"] = b.do("POST", "/my/login", url.Values{"contact": {"x"}}, accept)
		_, _, pages["code"] = b.do("POST", "/my/login", url.Values{"contact": {"nobody@example.com"}}, accept)
		_, _, pages["wrong code"] = b.do("POST", "/my/login/code", url.Values{"contact": {"nobody@example.com"}, "code": {"123456"}}, accept)
		_, _, pages["code shape"] = b.do("POST", "/my/login/code", url.Values{"contact": {"nobody@example.com"}, "code": {"12"}}, accept)
		_, _, pages["gone link"] = b.do("GET", "/my/in/"+strings.Repeat("A", 43), nil, accept)
		path := strings.TrimPrefix(e.app.SignIns.URL(e.andrei, signin.ViaMessage, e.human.Now()), "https://care.example.com")
		_, _, pages["link"] = b.do("GET", path, nil, accept)
		for name, body := range pages {
			if !strings.Contains(body, `<html lang="`+string(lang)+`">`) {
				t.Errorf("%s, %s: not in %s", lang, name, lang)
			}
			if bad := unreadable(pageText(body, lang), lang); len(bad) > 0 {
				t.Errorf("%s, %s: %v", lang, name, bad)
			}
		}
	}
	e.app.SignIns.Wait()
	addPeople(t, e.env)
	admin := newBrowser(t, e.env)
	admin.login(people[auth.Owner])
	_, _, body := admin.do("GET", "/signins", nil)
	if bad := unreadable(pageText(body, i18n.RU), i18n.RU); len(bad) > 0 || !strings.Contains(body, `<html lang="ru">`) {
		t.Errorf("/signins: %v\n%s", bad, body)
	}
}
