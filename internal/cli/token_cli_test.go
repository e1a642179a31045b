package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestTokenCommands: token add with scopes prints the token last, token
// list shows each token's name, scopes and times but never a token, and
// token revoke removes one by name, on both engines.
func TestTokenCommands(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, opts := storetest.OpenTest(t, engine)
			db.Close()
			env := shopEnv(opts)
			site := lastLine(runShopcare(t, env, "", "token", "add", "site", "--scope", "read", "--scope", "orders:write"))
			all := lastLine(runShopcare(t, env, "", "token", "add", "scripts"))
			for _, tok := range []string{site, all} {
				if !strings.HasPrefix(tok, "sc_") || len(tok) < 40 {
					t.Fatalf("last line is not a token: %q", tok)
				}
			}
			for _, c := range []struct {
				args []string
				want string
			}{
				{[]string{"token", "add", "x", "--scope", "admin"}, `"admin" is not a scope`},
				{[]string{"token", "revoke", "nobody"}, `no API token is named "nobody"`},
			} {
				if out := runShopcareFails(t, env, c.args...); !strings.Contains(out, c.want) {
					t.Errorf("shopcare %s: %q, want it to say %q", strings.Join(c.args, " "), out, c.want)
				}
			}

			// Adding a name again (a README followed twice, a script run
			// again) still gives a token, under a name of its own.
			again := runShopcare(t, env, "", "token", "add", "site")
			if !strings.Contains(again, `named "site #2"`) || !strings.HasPrefix(lastLine(again), "sc_") {
				t.Errorf("token add site again:\n%s", again)
			}
			if out := runShopcare(t, env, "", "token", "revoke", "site #2"); !strings.Contains(out, "revoked") {
				t.Errorf("revoke site #2: %q", out)
			}

			list := runShopcare(t, env, "", "token", "list")
			lines := strings.Split(strings.TrimSpace(list), "\n")
			if len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") {
				t.Fatalf("token list:\n%s", list)
			}
			if f := strings.Fields(lines[1]); f[0] != "scripts" || f[1] != "all" || f[len(f)-1] != "never" {
				t.Errorf("scripts line: %q", lines[1])
			}
			if f := strings.Fields(lines[2]); f[0] != "site" || f[1] != "orders:write," || f[2] != "read" || f[len(f)-1] != "never" {
				t.Errorf("site line: %q", lines[2])
			}
			if strings.Contains(list, "sc_") {
				t.Errorf("token list shows a token:\n%s", list)
			}

			if out := runShopcare(t, env, "", "token", "revoke", "site"); !strings.Contains(out, "revoked") {
				t.Errorf("revoke: %q", out)
			}
			if list := runShopcare(t, env, "", "token", "list"); strings.Contains(list, "site") || !strings.Contains(list, "scripts") {
				t.Errorf("after revoking site:\n%s", list)
			}

			// Each change is in the log of admin actions, by the command
			// line; the refused ones are not.
			ctx := context.Background()
			db, err := store.Open(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			logged, _, err := actionlog.New(db).List(ctx, actionlog.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[actionlog.Action]int{}
			for _, l := range logged {
				got[l.Action]++
				if l.ActorKind != actionlog.ActorCLI || l.ActorName == "" {
					t.Errorf("line by %q %q, want the command line and its user", l.ActorKind, l.ActorName)
				}
			}
			if got[actionlog.TokenAdded] != 3 || got[actionlog.TokenRevoked] != 2 || len(logged) != 5 {
				t.Errorf("logged %v, want 3 tokens added and 2 revoked", got)
			}
		})
	}
}
