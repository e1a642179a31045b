package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
)

// patchBody reads a JSON merge patch (RFC 7396) into v and reports which
// fields were sent as null (by JSON path: "customer.email"), for the
// fields where null means "clear". A field the patch cannot change is
// named in a 422 rather than ignored, so a client that sends "status"
// here learns where to send it; known lists the fields of each object
// ("" the top level) and why others are refused.
func patchBody(r *http.Request, v any, known map[string][]string, elsewhere map[string]string) (nulls map[string]bool, err error) {
	body, err := jsonBody(r)
	if err != nil {
		return nil, err
	}
	if err := decodeJSON(bytes.NewReader(body), v); err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, invalid.Field("", "malformed_json", "the body must be a JSON object")
	}
	nulls = map[string]bool{}
	if err := walkPatch(top, "", known, elsewhere, nulls); err != nil {
		return nil, err
	}
	return nulls, nil
}

// walkPatch checks the keys of one object of a patch and notes its nulls.
func walkPatch(obj map[string]json.RawMessage, path string, known map[string][]string, elsewhere map[string]string, nulls map[string]bool) error {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		field := joinPath(path, k)
		fields, isObject := known[path]
		if isObject && fields != nil && !slices.Contains(fields, k) {
			if why, ok := elsewhere[field]; ok {
				return invalid.Field(field, "read_only", "cannot be changed here: %s", why)
			}
			return invalid.Field(field, "unknown", "is not a field that can be changed; the fields are %s", strings.Join(fields, ", "))
		}
		raw := bytes.TrimSpace(obj[k])
		if string(raw) == "null" {
			nulls[field] = true
			continue
		}
		if _, nested := known[field]; nested && len(raw) > 0 && raw[0] == '{' {
			var sub map[string]json.RawMessage
			if err := json.Unmarshal(raw, &sub); err == nil {
				if err := walkPatch(sub, field, known, elsewhere, nulls); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// notNull refuses a null for fields that cannot be cleared.
func notNull(nulls map[string]bool, fields ...string) error {
	var errs invalid.List
	for _, f := range fields {
		if nulls[f] {
			errs.Add(f, "null", "cannot be null: leave it out to keep it as it is")
		}
	}
	return errs.Err()
}
