package campaign_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

const paperShop = `shop:
  name: "Māla darbnīca"
  country: LV
  timezone: Europe/Riga
  languages: [lv, ru, en]`

// poppler runs a poppler-utils tool on a PDF and returns what it prints.
// Without the tool the test skips, except under CI=true, where a missing
// tool is a failure.
func poppler(t *testing.T, tool string, pdf []byte, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is missing: install poppler-utils (apt-get install -y poppler-utils)", tool)
		}
		t.Skipf("%s not found: install poppler-utils (apt-get install -y poppler-utils) to check the PDFs' text", tool)
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(path, append(args, file, "-")...).CombinedOutput()
	if tool == "pdfinfo" {
		out, err = exec.Command(path, file).CombinedOutput()
	}
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

func pages(t *testing.T, pdf []byte) int {
	t.Helper()
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(poppler(t, "pdfinfo", pdf))
	if m == nil {
		t.Fatal("pdfinfo shows no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// paperCustomer is a customer of the test shop and their last order's
// address ("" for none).
type paperCustomer struct {
	name, lang, address string
}

// paperShopWith makes the shop, its customers (each with an order, an
// older one to another address first) and a paper campaign for them.
func paperShopWith(t *testing.T, engine store.Engine, customers []paperCustomer) (*app.App, int64, []int64) {
	t.Helper()
	a, clk := apptest.New(t, engine, false, paperShop)
	var ids []int64
	for i, c := range customers {
		old := order.NewOrder{ExternalID: fmt.Sprintf("P-%d-old", i), Carrier: "courier", PlacedAt: clk.Now().Add(-48 * time.Hour),
			Customer: customer.Input{ExternalID: fmt.Sprintf("c-%d", i), Name: c.name, Language: c.lang,
				Email: fmt.Sprintf("c%d@example.lv", i)},
			Items:   []order.Item{{SKU: "MUG", Name: "Krūze", Qty: 1, PriceMinor: 1500}},
			Address: strings.ReplaceAll(c.address, "LV-", "LV-9"), // an old address the letter must not go to
		}
		if c.address == "" {
			old.Address = ""
		}
		apptest.Order(t, a, old)
		n := old
		n.ExternalID, n.PlacedAt, n.Address = fmt.Sprintf("P-%d", i), clk.Now().Add(-time.Hour), c.address
		o := apptest.Order(t, a, n)
		ids = append(ids, o.Customer.ID)
	}
	id, err := a.Campaigns.Create(context.Background(), campaign.Input{Name: "Ziemassvētku vēstule", Channel: campaign.Paper,
		Audience: campaign.Audience{All: true}, CostMinor: 4200,
		Content: campaign.Contents{
			"lv": {Subject: "Priecīgus Ziemassvētkus!", Text: "Sveiki, {{.Customer.Name}}! Paldies, ka esat ar mums."},
			"ru": {Subject: "С Рождеством!", Text: "Здравствуйте, {{.Customer.Name}}! Спасибо, что вы с нами."},
			"en": {Subject: "Merry Christmas!", Text: "Hello {{.Customer.Name}}, thank you for being with us."},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return a, id, ids
}

// TestPaperCampaign prints a paper campaign: letters in each customer's
// language with their names in Cyrillic and Latvian letters, labels sorted
// by postal code on as many sheets as they need, and the run recorded:
// sent for those with an address, suppressed for the rest, the holdout
// held, the campaign sent with its cost.
func TestPaperCampaign(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			customers := []paperCustomer{
				{"Jānis Bērziņš", "lv", "Brīvības iela 12-3, Rīga, LV-1010"},
				{"Анна Орлова", "ru", "ул. Тверская 1, кв. 5, Москва, 125009"},
				{"Līga Ozoliņa", "lv", "Lielā iela 4, Jelgava, LV-3001"},
				{"Ēriks Šķēle", "en", "Rīgas iela 1, Daugavpils, LV-5401"},
				{"Пётр Ильич", "ru", "Krasta iela 2, Rīga, LV-1003"},
				{"Bez Adreses", "lv", ""},
				{"Holdout Person", "en", "Zaļā iela 9, Rīga, LV-1050"},
				{"Ģirts Opted", "lv", "Meža iela 3, Cēsis, LV-4101"},
			}
			a, id, ids := paperShopWith(t, engine, customers)
			// Draft: nothing to print yet.
			var se *campaign.StateError
			if _, err := a.Campaigns.Labels(ctx, id, campaign.Sheet3x8); !errors.As(err, &se) {
				t.Fatalf("labels of a draft: %v, want a StateError", err)
			}
			if err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				return customer.SetMarketingOptOut(ctx, tx, ids[7], time.Now())
			}); err != nil {
				t.Fatal(err)
			}
			if err := a.Campaigns.StartPaperForTest(ctx, id, append(ids[:6:6], ids[7]), ids[6:7]); err != nil {
				t.Fatal(err)
			}
			c, err := a.Campaigns.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if c.Status != campaign.Sent || c.FinishedAt == nil || c.CostMinor != 4200 {
				t.Errorf("campaign after printing: %s, finished %v, cost %d; want sent with its cost", c.Status, c.FinishedAt, c.CostMinor)
			}
			got := map[int64]string{}
			err = store.Each(ctx, a.DB.Read(), `SELECT customer_id, status, reason, language, sent_at IS NOT NULL
				FROM campaign_recipients WHERE campaign_id = $1`, []any{id}, func(r store.Rows) error {
				var cid int64
				var status, reason, lang string
				var sent bool
				if err := r.Scan(&cid, &status, &reason, &lang, &sent); err != nil {
					return err
				}
				got[cid] = fmt.Sprintf("%s/%s/%s/%v", status, reason, lang, sent)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]string{ids[0]: "sent//lv/true", ids[1]: "sent//ru/true", ids[2]: "sent//lv/true",
				ids[3]: "sent//en/true", ids[4]: "sent//ru/true", ids[5]: "suppressed/no_address//false",
				ids[6]: "held///false", ids[7]: "suppressed/unsubscribed//false"}
			for cid, w := range want {
				if got[cid] != w {
					t.Errorf("recipient %d: %q, want %q", cid, got[cid], w)
				}
			}

			// By postal code: Moscow's 125009 sorts before the Latvian codes,
			// which sort by number.
			order := []string{"Анна Орлова", "Пётр Ильич", "Jānis Bērziņš", "Līga Ozoliņa", "Ēriks Šķēle"}
			letters, err := a.Campaigns.Letters(ctx, id, "a5")
			if err != nil {
				t.Fatal(err)
			}
			if n := pages(t, letters); n != 5 {
				t.Errorf("letters: %d pages, want 5", n)
			}
			text := poppler(t, "pdftotext", letters, "-raw")
			checkOrder(t, "letters", text, order)
			for _, s := range []string{"Sveiki, Jānis Bērziņš!", "Здравствуйте, Анна Орлова!", "С Рождеством!",
				"Hello Ēriks Šķēle,", "Brīvības iela 12-3", "Māla darbnīca", "LV-1010", "Тверская 1"} {
				if !strings.Contains(text, s) {
					t.Errorf("letters lack %q:\n%s", s, text)
				}
			}
			for _, s := range []string{"LV-91010", "Bez Adreses", "Holdout Person", "Ģirts Opted", "{{"} {
				if strings.Contains(text, s) {
					t.Errorf("letters show %q:\n%s", s, text)
				}
			}
			postcards, err := a.Campaigns.Letters(ctx, id, "a6")
			if err != nil {
				t.Fatal(err)
			}
			if n := pages(t, postcards); n != 5 {
				t.Errorf("postcards: %d pages, want 5", n)
			}
			checkOrder(t, "postcards", poppler(t, "pdftotext", postcards, "-raw"), order)
			for _, sheet := range []string{campaign.Sheet3x8, campaign.Sheet2x7} {
				labels, err := a.Campaigns.Labels(ctx, id, sheet)
				if err != nil {
					t.Fatal(err)
				}
				if n := pages(t, labels); n != 1 {
					t.Errorf("labels %s: %d pages, want 1", sheet, n)
				}
				checkOrder(t, "labels "+sheet, poppler(t, "pdftotext", labels, "-raw"), order)
			}
			if _, err := a.Campaigns.Labels(ctx, id, "4x4"); !isInvalid(err, "sheet") {
				t.Errorf("a 4x4 sheet: %v, want invalid sheet", err)
			}
			if _, err := a.Campaigns.Letters(ctx, id, "a3"); !isInvalid(err, "size") {
				t.Errorf("an A3 letter: %v, want invalid size", err)
			}
		})
	}
}

// TestPaperLabelSheets fills more than a sheet: 30 labels are 2 sheets of
// 3 × 8 and 3 of 2 × 7, in postal code order across the sheets.
func TestPaperLabelSheets(t *testing.T) {
	t.Parallel()
	var customers []paperCustomer
	for i := range 30 {
		// Postal codes in the reverse order of the customers.
		customers = append(customers, paperCustomer{fmt.Sprintf("Klients %02d", i), "lv",
			fmt.Sprintf("Iela %d, Rīga, LV-%d", i+1, 1099-i)})
	}
	a, id, ids := paperShopWith(t, store.SQLite, customers)
	ctx := context.Background()
	if err := a.Campaigns.StartPaperForTest(ctx, id, ids, nil); err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 29; i >= 0; i-- {
		want = append(want, fmt.Sprintf("Klients %02d", i))
	}
	for sheet, n := range map[string]int{campaign.Sheet3x8: 2, campaign.Sheet2x7: 3} {
		labels, err := a.Campaigns.Labels(ctx, id, sheet)
		if err != nil {
			t.Fatal(err)
		}
		if got := pages(t, labels); got != n {
			t.Errorf("labels %s: %d pages, want %d", sheet, got, n)
		}
		checkOrder(t, "labels "+sheet, poppler(t, "pdftotext", labels, "-raw"), want)
	}
}

// TestPaperOnlyPaper: a campaign on e-mail has no letters.
func TestPaperOnlyPaper(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, store.SQLite, false, paperShop)
	id, err := a.Campaigns.Create(context.Background(), campaign.Input{Name: "News", Channel: campaign.Email,
		Audience: campaign.Audience{All: true}, Content: campaign.Contents{"lv": {Subject: "Jaunumi", Markdown: "Sveiki"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Campaigns.Letters(context.Background(), id, "a5"); !isInvalid(err, "channel") {
		t.Errorf("letters of an e-mail campaign: %v, want invalid channel", err)
	}
	if _, err := a.Campaigns.Labels(context.Background(), 999, "3x8"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("labels of no campaign: %v, want not found", err)
	}
}

func isInvalid(err error, field string) bool {
	ie, ok := invalid.First(err)
	return ok && ie.Field == field
}

// checkOrder fails unless each of names appears in text, in their order.
func checkOrder(t *testing.T, what, text string, names []string) {
	t.Helper()
	at := -1
	for _, n := range names {
		i := strings.Index(text, n)
		if i < 0 {
			t.Errorf("%s lack %q:\n%s", what, n, text)
			return
		}
		if i < at {
			t.Errorf("%s: %q is out of postal code order:\n%s", what, n, text)
		}
		at = i
	}
}

func TestPostalCode(t *testing.T) {
	t.Parallel()
	for address, want := range map[string]string{
		"Brīvības iela 12-3, Rīga, LV-1010":     "LV-1010",
		"Brīvības iela 12, Rīga, lv 1010":       "LV-1010",
		"Gedimino pr. 1, Vilnius, LT-01103":     "LT-01103",
		"ул. Тверская 1, кв. 5, Москва, 125009": "125009",
		"125009, Москва, ул. Тверская, д. 1":    "125009",
		"Narva mnt 5, Tallinn 10117":            "10117",
		"Rīgas iela 1-12, Daugavpils":           "",
		"":                                      "",
		"дом 1234567, Москва":                   "",
	} {
		if got := campaign.PostalCode(address); got != want {
			t.Errorf("postalCode(%q) = %q, want %q", address, got, want)
		}
	}
}
