package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/connector"
)

// connectorProblems bounds the failed and rejected deliveries shown
// under each connector; the rest are a click away.
const connectorProblems = 10

// connectorsPage is the owner's page of the shop platforms connected
// to shopcare: each connector's state, the address to paste into the
// platform, its latest problems with their payloads; ?name= lists one
// connector's deliveries (?state=, ?before= narrow and page them) and
// ?delivery= shows one delivery as it came.
type connectorsPage struct {
	adminPage
	Connectors []connectorView
	States     []connector.State
	// Name, State and the page of Deliveries are the list asked for.
	Name       string
	State      connector.State
	Deliveries []connector.Record
	Next       string
	// Delivery is the delivery asked for, with its Payload and Headers
	// for reading.
	Delivery *connector.Record
	Payload  string
	Headers  []string
	Replayed bool
}

// connectorView is one connector with its latest problems, bodies read.
type connectorView struct {
	connector.Status
	Problems []connector.Record
	Payloads map[int64]string
}

// connectorList shows the connectors page.
func (h *Handler) connectorList(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx, qs, svc := r.Context(), r.URL.Query(), h.app.Connectors
	p := &connectorsPage{adminPage: h.adminPage(v, auth.AreaSettings), States: connector.States,
		Replayed: qs.Get("replayed") != ""}
	p.current("/connectors")
	statuses, err := svc.Status(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, st := range statuses {
		cv := connectorView{Status: st, Payloads: map[int64]string{}}
		if cv.Problems, err = h.connectorProblems(r, st.Name); err != nil {
			h.fail(w, r, err)
			return
		}
		for _, rec := range cv.Problems {
			full, err := svc.Delivery(ctx, rec.ID)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			cv.Payloads[rec.ID] = payload(full.Body)
		}
		p.Connectors = append(p.Connectors, cv)
	}
	if name := qs.Get("name"); name != "" {
		if _, ok := svc.Connector(name); !ok {
			h.notFound(w, r)
			return
		}
		p.Name = name
		if st := connector.State(qs.Get("state")); slices.Contains(connector.States, st) {
			p.State = st
		}
		page, err := svc.Deliveries(ctx, name, connector.Filter{State: p.State, Before: qs.Get("before")})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Deliveries, p.Next = page.Deliveries, page.Next
	}
	if raw := qs.Get("delivery"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		var rec connector.Record
		if err == nil {
			rec, err = svc.Delivery(ctx, id)
		}
		if err != nil && (errors.Is(err, app.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange)) {
			h.notFound(w, r)
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Delivery, p.Payload = &rec, payload(rec.Body)
		for _, name := range sortedKeys(rec.Header) {
			p.Headers = append(p.Headers, name+": "+strings.Join(rec.Header[name], ", "))
		}
	}
	h.render(w, r, http.StatusOK, "connectors", p)
}

// connectorProblems returns a connector's newest failed and rejected
// deliveries.
func (h *Handler) connectorProblems(r *http.Request, name string) ([]connector.Record, error) {
	var out []connector.Record
	for _, st := range []connector.State{connector.StateFailed, connector.StateRejected} {
		page, err := h.app.Connectors.Deliveries(r.Context(), name, connector.Filter{State: st, Limit: connectorProblems})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Deliveries...)
	}
	slices.SortFunc(out, func(a, b connector.Record) int { return int(b.ID - a.ID) })
	return out[:min(len(out), connectorProblems)], nil
}

// connectorReplay applies a delivery again and shows it with its new
// outcome.
func (h *Handler) connectorReplay(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var rec connector.Record
	if err == nil {
		rec, err = h.app.Connectors.Replay(r.Context(), id)
	}
	if err != nil && (errors.Is(err, app.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange)) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "connector delivery replayed", "delivery", id, "connector", rec.Connector, "state", rec.State, "by", v.User.Email)
	http.Redirect(w, r, "/connectors?name="+rec.Connector+"&delivery="+strconv.FormatInt(id, 10)+"&replayed=1#delivery", http.StatusSeeOther)
}

// payload is a delivery's body for reading: JSON indented, anything
// else as text with what is not UTF-8 replaced.
func payload(body []byte) string {
	var buf bytes.Buffer
	if json.Valid(body) && json.Indent(&buf, body, "", "  ") == nil {
		return buf.String()
	}
	return strings.ToValidUTF8(string(body), "\uFFFD")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
