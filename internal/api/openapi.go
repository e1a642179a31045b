package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
)

// openapiVersion is the OpenAPI version of the document.
const openapiVersion = "3.1.0"

// apiDescription opens the document.
const apiDescription = `shopcare's JSON API, for shop platforms and scripts.

Every route but the public ones needs an API token (shopcare token add NAME, or the admin's Tokens page) sent as
"Authorization: Bearer <token>". A token may be limited to scopes; each operation lists the scopes that may call it
(x-scopes), and a token without scopes may call everything. Errors answer one shape, {"error": {"code", "message",
"field"}}, where field names the input that is wrong (items[2].qty) on a 422.`

// openapiDocument builds the OpenAPI 3.1 document of routes: paths and
// operations from the table, schemas generated from the request and
// answer types by openapi3gen.
func openapiDocument(routes []route) (*openapi3.T, error) {
	doc := &openapi3.T{
		OpenAPI: openapiVersion,
		Info: &openapi3.Info{Title: "shopcare API", Version: "1", Description: apiDescription,
			License: &openapi3.License{Name: "Proprietary", Identifier: "LicenseRef-shopcare"}},
		Paths:      openapi3.NewPathsWithCapacity(len(routes)),
		Components: &openapi3.Components{Schemas: openapi3.Schemas{}, SecuritySchemes: openapi3.SecuritySchemes{}},
		Security:   openapi3.SecurityRequirements{{"bearer": {}}},
	}
	doc.Components.SecuritySchemes["bearer"] = &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
		Type: "http", Scheme: "bearer",
		Description: "An API token: create one with `shopcare token add NAME [--scope …]` or on the admin's Tokens page.",
	}}
	gen := openapi3gen.NewGenerator(
		openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{ExportComponentSchemas: true, ExportTopLevelSchema: true}),
		openapi3gen.CreateTypeNameGenerator(schemaName),
		openapi3gen.SchemaCustomizer(customizeSchema),
	)
	schema := func(v any) (*openapi3.SchemaRef, error) {
		return gen.NewSchemaRefForValue(v, doc.Components.Schemas)
	}
	errRef, err := schema(errorBody{})
	if err != nil {
		return nil, fmt.Errorf("error schema: %w", err)
	}
	tags := map[string]bool{}
	for _, rt := range routes {
		op := &openapi3.Operation{Summary: rt.Summary, Description: rt.Description, OperationID: operationID(rt),
			Responses: openapi3.NewResponsesWithCapacity(len(rt.Errors) + 3)}
		if rt.Tag != "" {
			op.Tags = []string{rt.Tag}
			tags[rt.Tag] = true
		}
		for _, name := range pathParams(rt.Path) {
			p := openapi3.NewPathParameter(name).WithSchema(openapi3.NewStringSchema())
			p.Description = pathParamDoc[name]
			op.AddParameter(p)
		}
		for _, q := range rt.Query {
			s := &openapi3.Schema{Type: &openapi3.Types{cmpOr(q.Type, "string")}, Format: q.Format}
			for _, e := range q.Enum {
				s.Enum = append(s.Enum, e)
			}
			p := openapi3.NewQueryParameter(q.Name).WithSchema(s).WithDescription(q.Description)
			op.AddParameter(p)
		}
		if rt.Request != nil {
			ref, err := schema(rt.Request)
			if err != nil {
				return nil, fmt.Errorf("request of %s: %w", rt.pattern(), err)
			}
			body := openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(ref)
			if rt.Method == http.MethodPatch {
				body.Content["application/merge-patch+json"] = openapi3.NewMediaType().WithSchemaRef(ref)
			}
			op.RequestBody = &openapi3.RequestBodyRef{Value: body}
		}
		ok := openapi3.NewResponse().WithDescription(cmpOr(http.StatusText(rt.Status), "OK"))
		if rt.Response != nil {
			ref, err := schema(rt.Response)
			if err != nil {
				return nil, fmt.Errorf("answer of %s: %w", rt.pattern(), err)
			}
			ok.WithJSONSchemaRef(ref)
		}
		op.Responses.Set(strconv.Itoa(rt.Status), &openapi3.ResponseRef{Value: ok})
		errs := slices.Clone(rt.Errors)
		if rt.Public {
			op.Security = &openapi3.SecurityRequirements{}
		} else {
			errs = append(errs, http.StatusUnauthorized, http.StatusForbidden)
			scopes := make([]string, len(rt.Scopes))
			for i, s := range rt.Scopes {
				scopes[i] = string(s)
			}
			op.Extensions = map[string]any{"x-scopes": scopes}
		}
		errs = append(errs, http.StatusInternalServerError)
		for _, code := range errs {
			r := openapi3.NewResponse().WithDescription(errorDoc(code)).
				WithJSONSchemaRef(openapi3.NewSchemaRef(errRef.Ref, errRef.Value))
			op.Responses.Set(strconv.Itoa(code), &openapi3.ResponseRef{Value: r})
		}
		doc.AddOperation(rt.Path, rt.Method, op) // ServeMux and OpenAPI write {name} alike
	}
	for _, t := range slices.Sorted(func(yield func(string) bool) {
		for t := range tags {
			if !yield(t) {
				return
			}
		}
	}) {
		doc.Tags = append(doc.Tags, &openapi3.Tag{Name: t})
	}
	for name, s := range doc.Components.Schemas {
		nullToType(s, map[*openapi3.Schema]bool{})
		if d := schemaDocs[name]; d != "" && s.Value != nil {
			s.Value.Description = d
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil {
				for _, mt := range op.RequestBody.Value.Content {
					nullToType(mt.Schema, map[*openapi3.Schema]bool{})
				}
			}
			for _, r := range op.Responses.Map() {
				for _, mt := range r.Value.Content {
					nullToType(mt.Schema, map[*openapi3.Schema]bool{})
				}
			}
		}
	}
	return doc, nil
}

// openapiJSON is the document as served.
func openapiJSON(routes []route) ([]byte, error) {
	doc, err := openapiDocument(routes)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode the OpenAPI document: %w", err)
	}
	return buf.Bytes(), nil
}

// openapiGet serves the OpenAPI document, built once.
func (h *Handler) openapiGet(w http.ResponseWriter, r *http.Request) {
	doc, err := h.openapi()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(doc)
}

var wildcard = regexp.MustCompile(`\{([a-z_]+)\}`)

// pathParams lists the {names} of a path.
func pathParams(path string) []string {
	var out []string
	for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
		out = append(out, m[1])
	}
	return out
}

// schemaDocs describe the main schemas of the document.
var schemaDocs = map[string]string{
	"ErrorBody":            "Every error answer: a stable code for machines, a message for people, and the field that is wrong on a 422.",
	"ErrorDetail":          "What went wrong.",
	"Order":                "An order as the API shows it: its customer, items, status history, promise and parcels.",
	"OrderRequest":         "An order handed in by the shop.",
	"OrderPatchRequest":    "A JSON merge patch of an order: only the fields present change.",
	"OrderList":            "A page of orders and the cursor of the next one.",
	"CustomerView":         "A customer: contacts, consents, figures, orders and loyalty standing.",
	"CustomerPatchRequest": "A JSON merge patch of a customer: only the fields present change.",
	"CustomerList":         "A page of customers and the cursor of the next one.",
	"Consent":              "The customer's word on one channel, with its proof.",
	"Erase":                "What an erasure erased.",
	"Export":               "Everything shopcare holds about a customer.",
}

// pathParamDoc explains the path parameters.
var pathParamDoc = map[string]string{
	"id":              "shopcare's id (a number) or the shop's external id.",
	"tracking_number": "The carrier's tracking number.",
	"carrier":         "The carrier's code in the shop's settings.",
	"secret":          "The webhook secret of the carrier's settings.",
}

// operationID names an operation after its handler's route: getOrders,
// patchCustomersId.
func operationID(rt route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, part := range strings.Split(strings.TrimPrefix(rt.Path, "/api/v1/"), "/") {
		part = strings.Trim(part, "{}")
		for _, w := range strings.FieldsFunc(part, func(r rune) bool { return r == '_' || r == '.' || r == '-' }) {
			rs := []rune(w)
			rs[0] = unicode.ToUpper(rs[0])
			b.WriteString(string(rs))
		}
	}
	return b.String()
}

// errorDoc describes an error answer.
func errorDoc(code int) string {
	switch code {
	case http.StatusBadRequest:
		return "The request cannot be read."
	case http.StatusUnauthorized:
		return "No API token, or one that is not valid."
	case http.StatusForbidden:
		return "The token's scopes do not include this operation's (insufficient_scope)."
	case http.StatusNotFound:
		return "No such record."
	case http.StatusConflict:
		return "The request conflicts with what is stored; the message says how."
	case http.StatusRequestEntityTooLarge:
		return "The body is over 1 MiB."
	case http.StatusUnsupportedMediaType:
		return "The body is not JSON."
	case http.StatusUnprocessableEntity:
		return "The input is wrong; error.field names the first field that is."
	case http.StatusInternalServerError:
		return "Something went wrong on shopcare's side; it has been logged."
	}
	return http.StatusText(code)
}

// schemaName names a type's component: the Go name without a JSON
// suffix, capitalized, prefixed with its package outside package api.
func schemaName(t reflect.Type) string {
	name := strings.TrimSuffix(t.Name(), "JSON")
	if name == "" {
		return ""
	}
	rs := []rune(name)
	rs[0] = unicode.ToUpper(rs[0])
	name = string(rs)
	if pkg := t.PkgPath(); pkg != "" && !strings.HasSuffix(pkg, "/internal/api") {
		base := pkg[strings.LastIndex(pkg, "/")+1:]
		name = strings.ToUpper(base[:1]) + base[1:] + name
	}
	return name
}

var (
	numberType        = reflect.TypeFor[json.Number]()
	rawType           = reflect.TypeFor[json.RawMessage]()
	refType           = reflect.TypeFor[ref]()
	timeType          = reflect.TypeFor[time.Time]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// customizeSchema fits the generated schemas to how the types encode:
// json.Number is a decimal (a number, or a string in requests), a ref a
// number or a string, a type that marshals as text a string; a doc tag
// describes a field.
func customizeSchema(_ string, t reflect.Type, tag reflect.StructTag, s *openapi3.Schema) error {
	switch {
	case t == numberType:
		s.Type = &openapi3.Types{"number", "string"}
		s.Description = "A decimal amount in the currency's units (12.50); requests may send it as a string."
	case t == rawType:
		s.Type = nil
	case t == refType:
		s.Type = &openapi3.Types{"integer", "string"}
		s.Description = "shopcare's id (a number) or the shop's external id (a string)."
	case t != timeType && t.Kind() != reflect.Struct && t.Implements(textMarshalerType):
		s.Type = &openapi3.Types{"string"}
		s.Format, s.Min, s.Max = "", nil, nil
	}
	if d := tag.Get("doc"); d != "" && t.Kind() != reflect.Struct {
		s.Description = d
	}
	return nil
}

// nullToType writes the generator's OpenAPI 3.0 "nullable" as OpenAPI
// 3.1 does: "null" among the types.
func nullToType(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	s := ref.Value
	seen[s] = true
	if s.Nullable {
		s.Nullable = false
		if s.Type != nil && !s.Type.Includes("null") {
			types := append(openapi3.Types{}, *s.Type...)
			types = append(types, "null")
			s.Type = &types
		}
	}
	for _, p := range s.Properties {
		nullToType(p, seen)
	}
	nullToType(s.Items, seen)
	nullToType(s.AdditionalProperties.Schema, seen)
}
