package web

import (
	"mime"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/inbox"
)

// FuzzSnooze: any preset and date give a moment after now and within a
// year at the shop's opening time, or an error naming the field; never a
// panic.
func FuzzSnooze(f *testing.F) {
	for _, s := range [][2]string{{"tomorrow", ""}, {"3days", ""}, {"date", "2026-12-24"}, {"date", "2020-01-01"},
		{"date", "31.12.2026"}, {"date", "2026-02-30"}, {"date", "+2026-12-24"}, {"someday", "x"}, {"", ""}} {
		f.Add(s[0], s[1])
	}
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, preset, date string) {
		until, err := parseSnooze(preset, date, now, loc, 9*60)
		if err != nil {
			if !strings.Contains(err.Error(), "until") && !strings.Contains(err.Error(), "date") {
				t.Fatalf("error %q names no field", err)
			}
			return
		}
		local := until.In(loc)
		if !until.After(now) || until.Sub(now) > maxSnooze || local.Hour() != 9 || local.Minute() != 0 {
			t.Fatalf("snooze %q %q: %s", preset, date, local)
		}
	})
}

// FuzzAttachmentHeaders: any stored name and content type give a
// download whose name has no path and no control character, and a type
// from the harmless list or application/octet-stream.
func FuzzAttachmentHeaders(f *testing.F) {
	f.Add("фото посылки.jpg", "image/jpeg")
	f.Add("../../evil.html", "text/html; charset=utf-8")
	f.Add("a\"b\r\nContent-Type: text/html", "text/plain; charset=koi8-r")
	f.Add("..", "image/svg+xml")
	f.Add("C:\\Windows\\x.exe", "application/x-msdownload")
	f.Add(strings.Repeat("ж", 300), "")
	f.Add("\xff\xfe.pdf", "application/pdf; name=\"x\"")
	f.Fuzz(func(t *testing.T, name, ct string) {
		n := attachmentName(name)
		if n == "" || strings.ContainsAny(n, "/\\\"\r\n\x00") || !utf8.ValidString(n) || len(n) > 200 {
			t.Fatalf("name %q from %q", n, name)
		}
		d := attachmentDisposition(name)
		if strings.ContainsAny(d, "\r\n") || !strings.HasPrefix(d, "attachment") {
			t.Fatalf("disposition %q", d)
		}
		if _, params, err := mime.ParseMediaType(d); err != nil || params["filename"] != n && d != "attachment" {
			t.Fatalf("disposition %q does not read back as %q: %v", d, n, err)
		}
		typ := attachmentType(ct)
		mt, _, err := mime.ParseMediaType(typ)
		if err != nil || !harmlessTypes[mt] && typ != "application/octet-stream" || strings.ContainsAny(typ, "\r\n") {
			t.Fatalf("type %q from %q", typ, ct)
		}
	})
}

// FuzzInboxFilter: any query gives a filter of known values whose links
// read back as the same filter.
func FuzzInboxFilter(f *testing.F) {
	f.Add("status=pending&whose=mine&lang=lv")
	f.Add("status=any&whose=unassigned")
	f.Add("status=bogus&whose=%00&lang=de")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		fl := parseInboxFilter(q)
		if fl.Status != "" && !slices.Contains(inbox.Statuses, fl.Status) ||
			!slices.Contains([]string{whoseAll, whoseMine, whoseUnassigned}, fl.Whose) ||
			fl.Language != "" && !inbox.Supported(fl.Language) {
			t.Fatalf("filter %+v from %q", fl, raw)
		}
		if again := parseInboxFilter(fl.query()); again != fl {
			t.Fatalf("filter %+v reads back as %+v", fl, again)
		}
	})
}
