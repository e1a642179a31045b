package web

import (
	"context"
	"net/http"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/version"
)

// systemArea is the owner's system page's area: the owner's alone.
const systemArea = auth.AreaSettings

// systemPage is the owner's view of the running shopcare: what runs,
// on what database, how far behind the journal and the job queue are,
// and how the last day's messages went.
type systemPage struct {
	adminPage
	Version, GoVersion string
	Engine             string
	Schema, Latest     int64
	SchemaErr          bool
	DataDir            string
	Files              []systemFile
	Started            time.Time
	Uptime             time.Duration
	GaugesErr          bool
	JournalPending     string
	JournalLag         time.Duration
	Jobs               []systemCount // by state
	Messages           []systemMessages
	MessagesErr        bool
	// Backup is when the last good backup was made and its size; empty
	// when there is none (PostgreSQL, or none yet).
	Backup string
}

// systemFile is one of the database's files with its size in words.
type systemFile struct{ Name, Size string }

// systemCount is a count with its label's code.
type systemCount struct {
	Code string
	N    string
}

// systemMessages are one channel's messages of the last day by status.
type systemMessages struct {
	Channel string
	Counts  []systemCount
}

// jobStates are the job queue's states in the order the page lists them.
var jobStates = []string{"available", "scheduled", "retryable", "running", "pending", "completed", "discarded", "cancelled"}

// systemShow shows the system page.
func (h *Handler) systemShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	p := systemPage{adminPage: h.adminPage(v, systemArea), Version: version.Get().Short(), GoVersion: runtime.Version(),
		Engine: h.app.Engine(), Started: h.app.Metrics.Started()}
	p.current("/system")
	p.Uptime = time.Since(p.Started)
	var err error
	if p.Schema, p.Latest, err = h.app.SchemaVersions(ctx); err != nil {
		h.log.WarnContext(ctx, "system page: schema version", "err", err)
		p.SchemaErr = true
	}
	if dir, files := h.app.DataFiles(); dir != "" {
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		p.DataDir = dir
		for _, f := range files {
			p.Files = append(p.Files, systemFile{Name: f.Name, Size: sizeText(v.Lang, f.Size)})
		}
	}
	g, err := h.app.Metrics.Snapshot(ctx)
	if err != nil {
		h.log.WarnContext(ctx, "system page: the database's figures", "err", err)
		p.GaugesErr = g.ReadAt.IsZero()
	}
	if !g.ReadAt.IsZero() {
		p.JournalPending, p.JournalLag = i18n.Number(v.Lang, g.JournalPending), g.JournalLag
		by := g.ByState()
		for _, s := range jobStates {
			if n, ok := by[s]; ok || s == "available" || s == "scheduled" || s == "retryable" {
				p.Jobs = append(p.Jobs, systemCount{Code: s, N: i18n.Number(v.Lang, n)})
			}
		}
	}
	counts, err := h.app.MessagesSince(ctx, h.app.Clock.Now().Add(-24*time.Hour))
	if err != nil {
		h.log.WarnContext(ctx, "system page: messages", "err", err)
		p.MessagesErr = true
	}
	p.Messages = messagesByChannel(v.Lang, counts)
	if st, err := h.backups().Status(ctx); err != nil {
		h.log.WarnContext(ctx, "system page: backups", "err", err)
	} else if st.LastGood != nil {
		p.Backup = formatWhen(v.Lang, p.Loc, st.LastGood.StartedAt) + ", " + sizeText(v.Lang, st.LastGood.Size)
	}
	h.render(w, r, http.StatusOK, "system", p)
}

// messagesByChannel groups the counts by channel, in the order they come.
func messagesByChannel(lang i18n.Lang, counts []message.Count) []systemMessages {
	var out []systemMessages
	for _, c := range counts {
		if len(out) == 0 || out[len(out)-1].Channel != c.Channel {
			out = append(out, systemMessages{Channel: c.Channel})
		}
		last := &out[len(out)-1]
		last.Counts = append(last.Counts, systemCount{Code: string(c.Status), N: i18n.Number(lang, c.N)})
	}
	return out
}

// sizeText writes a size in bytes the way the language does: "512 B",
// "12.5 MB", "12,5 МБ".
func sizeText(lang i18n.Lang, n int64) string {
	units := []string{"system.size.b", "system.size.kb", "system.size.mb", "system.size.gb", "system.size.tb"}
	if n < 1024 {
		return i18n.Number(lang, n) + "\u00a0" + i18n.Text(lang, units[0], nil)
	}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v, u = v/1024, u+1
	}
	tenths := int64(v*10 + 0.5)
	s := i18n.Number(lang, tenths/10)
	if tenths%10 != 0 && tenths < 1000 {
		sep := "."
		if lang != i18n.EN {
			sep = ","
		}
		s += sep + strconv.FormatInt(tenths%10, 10)
	}
	return strings.TrimSpace(s) + "\u00a0" + i18n.Text(lang, units[u], nil)
}
