package notify

import (
	"archive/zip"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/config"
)

var daytime = config.TimeRange{From: 9 * 60, To: 21 * 60}

func TestNextContact(t *testing.T) {
	t.Parallel()
	riga, _ := time.LoadLocation("Europe/Riga")
	vlad, _ := time.LoadLocation("Asia/Vladivostok")
	tests := []struct {
		name string
		at   string
		loc  *time.Location
		want string
	}{
		{"03:00 in Riga waits for 09:00", "2026-11-24T03:00:00+02:00", riga, "2026-11-24T09:00:00+02:00"},
		{"inside the window goes at once", "2026-11-24T12:34:56+02:00", riga, "2026-11-24T12:34:56+02:00"},
		{"21:00 is closed: next morning", "2026-11-24T21:00:00+02:00", riga, "2026-11-25T09:00:00+02:00"},
		{"20:59:59 is still open", "2026-11-24T20:59:59+02:00", riga, "2026-11-24T20:59:59+02:00"},
		{"15:00 in Moscow is 22:00 in Vladivostok", "2026-11-24T15:00:00+03:00", vlad, "2026-11-25T09:00:00+10:00"},
		{"the night of the spring change in Riga", "2026-03-29T02:30:00+02:00", riga, "2026-03-29T09:00:00+03:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, tt.at)
			want, _ := time.Parse(time.RFC3339, tt.want)
			if got := NextContact(at, tt.loc, daytime); !got.Equal(want) {
				t.Errorf("NextContact(%s) = %s, want %s", tt.at, got.In(tt.loc), want)
			}
		})
	}
}

// zones lists every IANA zone in Go's own time zone database.
func zones(t *testing.T) []string {
	t.Helper()
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	r, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Fatalf("Go's zone database: %v", err)
	}
	defer r.Close()
	var names []string
	for _, f := range r.File {
		if !strings.HasSuffix(f.Name, "/") && strings.Contains(f.Name, "/") && !strings.HasPrefix(f.Name, "Etc/") {
			names = append(names, f.Name)
		}
	}
	if len(names) < 300 {
		t.Fatalf("only %d zones found", len(names))
	}
	return names
}

// TestNextContactEveryZoneEveryMinute: for every zone, every minute of an
// ordinary day and of the days its clocks change in 2026, the time chosen
// is inside the customer's daytime, not before the event, and the earliest
// such minute.
func TestNextContactEveryZoneEveryMinute(t *testing.T) {
	t.Parallel()
	windows := []config.TimeRange{daytime, {From: 0, To: 6 * 60}, {From: 2*60 + 30, To: 3 * 60}}
	checked := 0
	for _, name := range zones(t) {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		days := []time.Time{time.Date(2026, 11, 24, 0, 0, 0, 0, loc)}
		days = append(days, clockChanges(loc)...)
		for _, w := range windows {
			for _, day := range days {
				for m := range 24 * 60 {
					at := day.Add(time.Duration(m)*time.Minute + 17*time.Second)
					got := NextContact(at, loc, w)
					switch {
					case got.Before(at):
						t.Fatalf("%s %s: %s is before the event %s", name, w, got, at)
					case !inWindow(got.In(loc), w):
						t.Fatalf("%s %s: %s is outside the window", name, w, got.In(loc))
					case got.Sub(at) > 48*time.Hour:
						t.Fatalf("%s %s: %s waits more than two days after %s", name, w, got, at)
					}
					if prev := got.Add(-time.Minute).Truncate(time.Minute); !prev.Before(at) && inWindow(prev.In(loc), w) {
						t.Fatalf("%s %s: %s is not the earliest; %s was open", name, w, got.In(loc), prev.In(loc))
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d instants checked", checked)
}

// clockChanges returns the local midnights of the days in 2026 on which
// loc's offset changes.
func clockChanges(loc *time.Location) []time.Time {
	var days []time.Time
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	_, off := t.Zone()
	for ; t.Year() == 2026; t = t.Add(time.Hour) {
		if _, o := t.Zone(); o != off {
			off = o
			y, m, d := t.Date()
			days = append(days, time.Date(y, m, d, 0, 0, 0, 0, loc))
		}
	}
	return days
}
