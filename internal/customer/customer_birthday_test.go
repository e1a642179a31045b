package customer_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestUpdateBirthdayAndRefusal: a patch sets the birthday's day and
// month (a year given is dropped), refuses a day that does not exist
// without writing, and "" forgets it; a marketing refusal from a
// customer who never consented is recorded, and a repeat writes nothing.
func TestUpdateBirthdayAndRefusal(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, _ := storetest.OpenTest(t, engine)
			ctx := context.Background()
			now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
			def := customer.Defaults{Country: "LV", Language: "lv", Timezone: "Europe/Riga"}
			var id int64
			err := db.InTx(ctx, func(tx *store.Tx) error {
				ids, err := customer.Resolve(ctx, tx, []customer.Input{{ExternalID: "c-1", Name: "Līga", Email: "liga@example.lv",
					Language: "lv", Country: "LV", Timezone: "Europe/Riga"}}, now)
				id = ids[0]
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			update := func(p customer.Patch) (customer.Changed, error) {
				var ch customer.Changed
				err := db.InTx(ctx, func(tx *store.Tx) error {
					var err error
					ch, err = customer.Update(ctx, tx, id, p, def, "", now)
					return err
				})
				return ch, err
			}
			birthday := func() string {
				p, err := customer.GetProfile(ctx, db.Read(), id)
				if err != nil {
					t.Fatal(err)
				}
				return p.Birthday
			}
			for _, tc := range []struct {
				give    string
				want    string
				changed bool
				err     string
			}{
				{"1990-05-17", "05-17", true, ""},
				{"05-17", "05-17", false, ""},
				{"02-29", "02-29", true, ""},
				{"02-30", "02-29", false, "birthday"},
				{"17.05", "02-29", false, "birthday"},
				{"", "", true, ""},
			} {
				give := tc.give
				ch, err := update(customer.Patch{Birthday: &give})
				var list invalid.List
				switch {
				case tc.err != "" && (!errors.As(err, &list) || !strings.Contains(err.Error(), tc.err)):
					t.Errorf("%q: %v, want an error about %s", tc.give, err, tc.err)
				case tc.err == "" && err != nil:
					t.Errorf("%q: %v", tc.give, err)
				case (len(ch) > 0) != tc.changed:
					t.Errorf("%q: changed %v, want %v", tc.give, ch, tc.changed)
				}
				if got := birthday(); got != tc.want {
					t.Errorf("%q: birthday %q, want %q", tc.give, got, tc.want)
				}
			}

			no := false
			refuse := customer.Patch{Consent: map[string]customer.ConsentPatch{"sms": {Marketing: &no}}}
			if ch, err := update(refuse); err != nil || len(ch) != 1 || ch[0] != "consent.sms.marketing" {
				t.Fatalf("refusal: %v, %v", ch, err)
			}
			chs, err := customer.Channels(ctx, db.Read(), id)
			if err != nil || len(chs) != 1 || chs[0].MarketingRevokedAt == nil || !chs[0].MarketingRevokedAt.Equal(now) || chs[0].Marketing() {
				t.Fatalf("after the refusal: %+v, %v", chs, err)
			}
			if ch, err := update(refuse); err != nil || len(ch) != 0 {
				t.Errorf("a repeated refusal: %v, %v", ch, err)
			}
		})
	}
}
