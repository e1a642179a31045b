package web

import (
	"bytes"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzReviewForm: any body of the review form, urlencoded or multipart,
// parses without a panic into lines of the order only, each rated 0 to 5,
// and a problem naming each rating that was not one.
func FuzzReviewForm(f *testing.F) {
	f.Add("rating_1=5&text_1=%D0%BE%D1%82%D0%BB%D0%B8%D1%87%D0%BD%D0%BE&rating_2=", 2, false)
	f.Add("rating_1=seven&rating_3=1&text_1=%00%ff", 1, false)
	f.Add("rating_1=-1&rating_1=4&rating_0=5", 3, false)
	f.Add("rating_2=99999999999999999999&photo_2=x", 2, true)
	f.Add("%zz=&&;=", 0, true)
	f.Fuzz(func(t *testing.T, body string, lines int, multi bool) {
		if lines < 0 || lines > 200 {
			return
		}
		req := httptest.NewRequest("POST", "/rv/x", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if multi {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			for _, pair := range strings.Split(body, "&") {
				k, v, _ := strings.Cut(pair, "=")
				if strings.HasPrefix(k, "photo_") {
					w, _ := mw.CreateFormFile(k, "p.png")
					_, _ = w.Write([]byte(v))
					continue
				}
				_ = mw.WriteField(k, v)
			}
			_ = mw.Close()
			req = httptest.NewRequest("POST", "/rv/x", &b)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			_ = req.ParseMultipartForm(1 << 20)
		}
		in, problems := parseReviewForm(req, lines)
		for _, l := range in.Lines {
			if l.Line < 1 || l.Line > lines || l.Rating < 0 || l.Rating > 5 {
				t.Fatalf("line %+v of an order of %d lines", l, lines)
			}
		}
		for _, p := range problems {
			if !strings.HasPrefix(p.Field, "rating_") && !strings.HasPrefix(p.Field, "photo_") {
				t.Fatalf("problem %+v from %q", p, body)
			}
		}
	})
}
