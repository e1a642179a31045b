package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/store"
)

// openapiDoc fetches /api/v1/openapi.json without a token and loads it
// with kin-openapi's loader, which validates its JSON on the way.
func openapiDoc(t *testing.T, srv *httptest.Server) (*openapi3.T, []byte) {
	t.Helper()
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s: %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("load the document: %v", err)
	}
	return doc, raw
}

// TestOpenAPIDocument: the document is OpenAPI 3.1, valid by
// kin-openapi's validator, names the bearer scheme and the error shape,
// and holds every route the API registered on its mux: those of the
// routes table, and any registered past it in the package's source.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	a, _ := apptest.New(t, store.SQLite, false)
	var h *api.Handler
	srv := httptest.NewServer(api.New(a, api.Capture(&h)))
	t.Cleanup(srv.Close)
	doc, raw := openapiDoc(t, srv)

	if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableMultiError(), openapi3.EnableSchemaFormatValidation()); err != nil {
		t.Errorf("the document is not valid: %v", err)
	}
	if s := doc.Components.SecuritySchemes["bearer"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Errorf("no bearer scheme: %+v", doc.Components.SecuritySchemes)
	}
	if e := doc.Components.Schemas["ErrorBody"]; e == nil || e.Value.Properties["error"] == nil {
		t.Errorf("no error schema: %v", doc.Components.Schemas["ErrorBody"])
	}

	inDoc := func(pattern string) *openapi3.Operation {
		method, path, _ := strings.Cut(pattern, " ")
		item := doc.Paths.Find(path)
		if item == nil {
			return nil
		}
		return item.GetOperation(method)
	}
	patterns := h.Patterns()
	if len(patterns) < 30 {
		t.Fatalf("only %d routes registered: %v", len(patterns), patterns)
	}
	for _, p := range patterns {
		op := inDoc(p)
		switch {
		case op == nil:
			t.Errorf("route %s is not in the document", p)
		case op.Summary == "" || op.OperationID == "":
			t.Errorf("route %s has no summary or operation id", p)
		case op.Responses.Status(500) == nil:
			t.Errorf("route %s does not document its error answers", p)
		}
	}
	// A route registered past the table (mux.Handle in the source) would
	// be on the mux but not in the document.
	files, _ := filepath.Glob("*.go")
	literal := regexp.MustCompile(`mux\.Handle(?:Func)?\("([A-Z]+ /api/v1/[^"]*)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			if inDoc(m[1]) == nil {
				t.Errorf("%s registers %s outside the routes table: it is not in the document", f, m[1])
			}
		}
	}
	// Every documented operation is served: none falls to the catch-all.
	wild := strings.NewReplacer("{id}", "1", "{tracking_number}", "RA1", "{carrier}", "x", "{secret}", "y")
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			req, _ := http.NewRequest(method, srv.URL+wild.Replace(path), nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), "no such API endpoint: ") || resp.StatusCode == http.StatusMethodNotAllowed {
				t.Errorf("%s %s is documented but not served: %d %s", method, path, resp.StatusCode, body)
			}
		}
	}
	for _, want := range []string{`"x-scopes"`, `"customers:erase"`, `"next_cursor"`, `"consent_source"`, `"null"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the document has no %s", want)
		}
	}
}
