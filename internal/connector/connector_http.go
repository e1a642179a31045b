package connector

import (
	"errors"
	"io"
	"net/http"
)

// MaxBody bounds a delivery's body: a platform's order with hundreds of
// lines is well under it; more is refused with 413.
const MaxBody = 4 << 20

// Handler serves POST /hooks/{name} and POST /hooks/{name}/{secret}, the
// addresses the platforms deliver their webhooks to. They carry no
// bearer token: each delivery is checked the platform's way on its raw
// body. The answer is quick (the delivery is stored, then applied):
// 200 "ok" (Tilda wants that body, Ecwid exactly 200) for a stored or a
// replayed delivery and for a ping; 401 for a wrong signature, 404 for
// an unknown name or a wrong secret in the address (the same answer,
// so names cannot be probed), 413 for a body too large, 422 for a body
// that is not the platform's format, 503 when the connector cannot take
// deliveries now. Nothing is stored unless the answer is 200.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hooks/{name}", s.hook)
	mux.HandleFunc("POST /hooks/{name}/{secret}", s.hook)
	return mux
}

func (s *Service) hook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		plain(w, http.StatusRequestEntityTooLarge, "the delivery is larger than shopcare takes")
		return
	case err != nil:
		plain(w, http.StatusBadRequest, "the delivery could not be read")
		return
	}
	req := Request{Header: r.Header, Query: r.URL.Query(), PathSecret: r.PathValue("secret"), Body: body,
		ReceivedAt: s.clock.Now()}
	_, err = s.Intake(r.Context(), r.PathValue("name"), req)
	var perr *ParseError
	switch {
	case err == nil:
		plain(w, http.StatusOK, "ok")
	case errors.Is(err, ErrUnknown), errors.Is(err, ErrUnauthorized) && req.PathSecret != "":
		plain(w, http.StatusNotFound, ErrUnknown.Error())
	case errors.Is(err, ErrUnauthorized):
		plain(w, http.StatusUnauthorized, ErrUnauthorized.Error())
	case errors.As(err, &perr):
		s.log.Warn("connector delivery refused", "connector", r.PathValue("name"), "error", err)
		plain(w, http.StatusUnprocessableEntity, perr.Error())
	case errors.Is(err, ErrUnavailable):
		plain(w, http.StatusServiceUnavailable, ErrUnavailable.Error())
	default:
		if r.Context().Err() == nil {
			s.log.Error("store connector delivery", "connector", r.PathValue("name"), "error", err)
		}
		plain(w, http.StatusServiceUnavailable, "the delivery could not be stored now; please send it again")
	}
}

// plain answers with a line of text.
func plain(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text) // exactly "ok" on success: Tilda reads the body
}
