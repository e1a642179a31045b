package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestExportsIsTheAnswer: the export the customer's own page downloads
// (api.Exports) is the body of GET /customers/{id}/export, byte for
// byte, orders, consents and all.
func TestExportsIsTheAnswer(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			ctx := context.Background()
			for i := range 2 {
				if status, b, _ := e.call(t, "POST", "/api/v1/orders", fmt.Sprintf(zinaOrder, i, i+1), e.token); status != http.StatusCreated {
					t.Fatalf("create: %d %v", status, b)
				}
			}
			if status, b, _ := e.call(t, "PATCH", "/api/v1/customers/"+zinaExt, `{"consent": {"email": {"marketing": true}},
				"consent_source": "checkout"}`, e.token); status != http.StatusOK {
				t.Fatalf("consent: %d %v", status, b)
			}
			if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			id, err := e.app.Customers.ResolveID(ctx, zinaExt)
			if err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/customers/%d/export", e.srv.URL, id), nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+e.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			answer, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("export: %d %v", resp.StatusCode, err)
			}
			got, err := api.NewExports(e.app).Export(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(answer) {
				t.Errorf("Exports differs from the API's answer:\n%s\n---\n%s", got, answer)
			}
			for _, w := range []string{zinaEmail, `"external_id":"Z-0"`, `"external_id":"Z-1"`, `"marketing_source":"checkout`} {
				if !strings.Contains(string(got), w) {
					t.Errorf("the export lacks %s", w)
				}
			}
		})
	}
}

// TestCustomerEraseEndsSessions: erasing a customer through the API ends
// their sessions on their own page, and the answer counts no rows for
// them.
func TestCustomerEraseEndsSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, string(storetest.Engines(t)[0]))
	ctx := context.Background()
	if status, b, _ := e.call(t, "POST", "/api/v1/orders", fmt.Sprintf(zinaOrder, 0, 1), e.token); status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, b)
	}
	id, err := e.app.Customers.ResolveID(ctx, zinaExt)
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.app.SignIns.SessionCreate(ctx, id, signin.ViaCode, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	status, b, _ := e.call(t, "DELETE", fmt.Sprintf("/api/v1/customers/%d?force=true", id), "", e.token)
	if status != http.StatusOK {
		t.Fatalf("erase: %d %v", status, b)
	}
	if rows, _ := b["rows"].(map[string]any); rows["sessions"] != nil {
		t.Errorf("rows = %v: sessions counted", rows)
	}
	if _, err := e.app.SignIns.SessionGet(ctx, s.Token, time.Now()); !errors.Is(err, signin.ErrNoSession) {
		t.Errorf("session after the erase: %v, want ErrNoSession", err)
	}
}
