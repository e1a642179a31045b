package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
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
	switch {
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
	case errors.As(err, &mbe):
		writeError(w, r, http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the request body is over %d bytes", mbe.Limit), "")
	case errors.As(err, &te):
		writeError(w, r, http.StatusConflict, "invalid_transition", te.Error(), "status")
	case errors.Is(err, order.ErrIdempotencyConflict):
		writeError(w, r, http.StatusConflict, "idempotency_conflict",
			"an order with this external_id was already received with different content", "external_id")
	case errors.Is(err, store.ErrNotFound):
		writeError(w, r, http.StatusNotFound, "not_found", "not found", "")
	case errors.Is(err, auth.ErrBadToken):
		writeError(w, r, http.StatusUnauthorized, "unauthorized", "the API token is not valid", "")
	default:
		if ie, ok := invalid.First(err); ok {
			writeError(w, r, http.StatusUnprocessableEntity, ie.Code, err.Error(), ie.Field)
			return
		}
		h.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, r, http.StatusInternalServerError, "internal", "something went wrong on our side; it has been logged", "")
	}
}

// decode reads a JSON body into v, turning every way it can be wrong into
// an error naming the field or the byte offset.
func decode(r *http.Request, v any) error {
	if err := jsonBody(r); err != nil {
		return err
	}
	return decodeJSON(r.Body, v)
}

// jsonBody refuses a body sent as anything but JSON.
func jsonBody(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return invalid.Field("", "unsupported_media_type", "send the body as application/json, not %s", ct)
	}
	return nil
}

// decodeJSON reads one JSON value from body into v, with decode's errors.
func decodeJSON(body io.Reader, v any) error {
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
