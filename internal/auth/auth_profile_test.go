package auth_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestProfiles saves a person's name and languages on both engines and
// refuses, naming the field, a name with a control character or too
// long and a language shopcare does not write in; a refused profile
// changes nothing. Spaces and line breaks in a name become one space.
func TestProfiles(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			if err := auth.UserAdd(ctx, db, "maria@example.com", "long enough password", auth.Operator, now); err != nil {
				t.Fatal(err)
			}
			list, err := auth.ProfileList(ctx, db.Read())
			if err != nil || len(list) != 1 || list[0].Name != "" || len(list[0].Languages) != 0 {
				t.Fatalf("a new person's profile: %+v %v", list, err)
			}
			id := list[0].UserID
			if err := auth.ProfileSave(ctx, db, id, "  Мария   Иванова ", []string{"ru", "lv", "ru"}, now); err != nil {
				t.Fatal(err)
			}
			p, err := auth.ProfileGet(ctx, db.Read(), id)
			if err != nil || p.Name != "Мария Иванова" || !slices.Equal(p.Languages, []string{"ru", "lv"}) || !p.Speaks("lv") || p.Speaks("en") || p.Speaks("") {
				t.Fatalf("profile: %+v %v", p, err)
			}
			for _, c := range []struct {
				name  string
				langs []string
				field string
			}{
				{"Мария\u202e", nil, "name"},
				{strings.Repeat("я", auth.MaxNameLength+1), nil, "name"},
				{"Мария", []string{"ru", "de"}, "languages[1]"},
			} {
				var bad *invalid.Error
				if err := auth.ProfileSave(ctx, db, id, c.name, c.langs, now); !errors.As(err, &bad) || bad.Field != c.field {
					t.Errorf("%q %v: %v, want an error on %s", c.name, c.langs, err, c.field)
				}
			}
			if again, _ := auth.ProfileGet(ctx, db.Read(), id); again.Name != p.Name || !slices.Equal(again.Languages, p.Languages) {
				t.Errorf("a refused profile changed it: %+v", again)
			}
			if err := auth.ProfileSave(ctx, db, 999999, "X", nil, now); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("nobody's profile: %v", err)
			}
		})
	}
}
