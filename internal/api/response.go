package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/order"
)

// errorBody is the one error shape of the API.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// writeJSON answers with v. It encodes v before it writes the status, so a
// value that cannot be encoded (a time past year 9999) is a logged 500 with
// an error body, never a 2xx with an empty one.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Error("encode API answer", "status", status, "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		_ = enc.Encode(errorBody{Error: errorDetail{Code: "internal", Message: "something went wrong on our side; it has been logged"}})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeError(w http.ResponseWriter, _ *http.Request, status int, code, message, field string) {
	writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: message, Field: field}})
}

// fail maps an error from the domain to its HTTP answer: the one place
// where errors become statuses. A 5xx logs the real error and shows a plain
// message.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var te *order.TransitionError
	var mbe *http.MaxBytesError
	var short *loyalty.InsufficientError
	var clash *loyalty.ConflictError
	var ce *loyalty.CouponError
	var nj *notJSONError
	var open *order.OpenOrdersError
	var state *campaign.StateError
	switch {
	case errors.As(err, &state):
		writeError(w, r, http.StatusConflict, "invalid_state", state.Error(), "status")
	case errors.As(err, &open):
		writeError(w, r, http.StatusConflict, "open_orders", open.Error()+"; send force=true to erase anyway", "force")
	case errors.As(err, &short):
		writeError(w, r, http.StatusConflict, "insufficient_points",
			fmt.Sprintf("the balance is %d points, %d asked for", short.Balance, short.Wanted), "points")
	case errors.As(err, &clash):
		writeError(w, r, http.StatusConflict, "already_redeemed", clash.Message, "order_id")
	case errors.As(err, &ce):
		status := http.StatusUnprocessableEntity
		switch ce.Code {
		case "used_up":
			status = http.StatusConflict
		case "not_found":
			status = http.StatusNotFound
		}
		writeError(w, r, status, ce.Code, ce.Message, "code")
	case errors.As(err, &nj):
		writeError(w, r, http.StatusUnsupportedMediaType, "unsupported_media_type", nj.Error(), "")
	case errors.As(err, &mbe):
		writeError(w, r, http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the request body is over %d bytes", mbe.Limit), "")
	case errors.As(err, &te):
		writeError(w, r, http.StatusConflict, "invalid_transition", te.Error(), "status")
	case errors.Is(err, order.ErrIdempotencyConflict):
		writeError(w, r, http.StatusConflict, "idempotency_conflict",
			"an order with this external_id was already received with different content", "external_id")
	case errors.Is(err, app.ErrNotFound):
		writeError(w, r, http.StatusNotFound, "not_found", "not found", "")
	case errors.Is(err, auth.ErrBadToken):
		writeError(w, r, http.StatusUnauthorized, "unauthorized", "the API token is not valid", "")
	default:
		if ie, ok := invalid.First(err); ok {
			writeError(w, r, http.StatusUnprocessableEntity, ie.Code, err.Error(), ie.Field)
			return
		}
		h.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, r, http.StatusInternalServerError, "internal", "something went wrong on our side; it has been logged", "")
	}
}

// decode reads a JSON body into v, turning every way it can be wrong into
// an error naming the field or the byte offset, and checks every text
// field of v by invalid.Text.
func decode(r *http.Request, v any) error {
	body, err := jsonBody(r)
	if err != nil {
		return err
	}
	return decodeJSON(bytes.NewReader(body), v)
}

// notJSONError is a body that is not JSON at all: 415.
type notJSONError struct{ contentType string }

func (e *notJSONError) Error() string {
	if e.contentType == "" {
		return "the body is not JSON; send it as application/json"
	}
	return "the body is not JSON; send it as application/json, not " + e.contentType
}

// jsonBody reads the body of a request that must be JSON. A body declared
// as another media type is refused (415), but for curl's default of
// application/x-www-form-urlencoded (curl -d '{…}') when the body is JSON;
// so is a body that does not even begin like JSON. Text that is not UTF-8
// is a 422.
func jsonBody(r *http.Request) ([]byte, error) {
	ct := r.Header.Get("Content-Type")
	media, _, _ := mime.ParseMediaType(ct)
	jsonType := media == "" || media == "application/json" || strings.HasSuffix(media, "+json")
	if !jsonType && media != "application/x-www-form-urlencoded" {
		return nil, &notJSONError{contentType: ct}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if !beginsLikeJSON(body) || (!jsonType && !json.Valid(body)) {
		return nil, &notJSONError{contentType: ct}
	}
	if !utf8.Valid(body) {
		return nil, invalid.Field("", "invalid_utf8", "the body is not valid UTF-8")
	}
	return body, nil
}

// beginsLikeJSON reports whether body, past white space, starts a JSON
// value; an empty body does (decode names it as empty).
func beginsLikeJSON(body []byte) bool {
	b := bytes.TrimLeft(body, " \t\r\n")
	if len(b) == 0 {
		return true
	}
	return bytes.IndexByte([]byte(`{["-0123456789tfn`), b[0]) >= 0
}

// decodeJSON reads one JSON value from body into v, with decode's errors,
// then checks the text in v.
func decodeJSON(body io.Reader, v any) error {
	if err := decodeValue(body, v); err != nil {
		return err
	}
	return checkText(reflect.ValueOf(v), "")
}

func decodeValue(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return err
		case errors.As(err, &syn):
			return invalid.Field("", "malformed_json", "the body is not valid JSON (at byte %d): %v", syn.Offset, syn)
		case errors.As(err, &typ):
			return invalid.Field(typ.Field, "wrong_type", "must be %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)
		case errors.Is(err, io.EOF):
			return invalid.Field("", "malformed_json", "the body is empty; send a JSON object")
		default:
			var fe *invalid.Error
			if errors.As(err, &fe) {
				return fe
			}
			return invalid.Field("", "malformed_json", "the body is not valid JSON: %v", err)
		}
	}
	if dec.More() {
		return invalid.Field("", "malformed_json", "the body has data after the JSON object")
	}
	return nil
}

// checkText walks a decoded request and applies invalid.Text to every
// string in it, naming it by its JSON path: items[2].sku.
func checkText(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkText(v.Elem(), path)
	case reflect.String:
		if v.Type() == reflect.TypeFor[json.Number]() {
			return nil // a number's syntax is checked where it is read
		}
		if e := invalid.Text(path, v.String()); e != nil {
			return e
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if err := checkText(v.Field(i), joinPath(path, name)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // raw JSON, kept as it came
		}
		for i := range v.Len() {
			if err := checkText(v.Index(i), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := fmt.Sprint(iter.Key().Interface())
			if e := invalid.Text(joinPath(path, "key"), k); e != nil {
				return e
			}
			if err := checkText(iter.Value(), joinPath(path, k)); err != nil {
				return err
			}
		}
	}
	return nil
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int64", "int32", "float64", "uint":
		return "a number"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return goKind
}
