package web_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/web"
)

// TestCampaignImage serves an uploaded image with its sniffed type,
// cached for a year; an unknown token is not found.
func TestCampaignImage(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, engine)
			var b bytes.Buffer
			if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
				t.Fatal(err)
			}
			img, err := e.app.Campaigns.SaveImage(context.Background(), "logo.png", "image/png", b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			res, err := http.Get(e.srv.URL + "/ci/" + img.Token)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(res.Body)
			_ = res.Body.Close()
			if res.StatusCode != http.StatusOK || !bytes.Equal(data, b.Bytes()) || res.Header.Get("Content-Type") != "image/png" ||
				!strings.Contains(res.Header.Get("Cache-Control"), "max-age=31536000") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("GET /ci/%s = %d %v, %d bytes", img.Token, res.StatusCode, res.Header, len(data))
			}
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/ci/"+img.Token, nil)
			req.Header.Set("If-None-Match", res.Header.Get("ETag"))
			if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusNotModified {
				t.Errorf("conditional GET: %v %v", res, err)
			} else {
				_ = res.Body.Close()
			}
			for _, tok := range []string{strings.Repeat("A", 24), "x", img.Token + "A"} {
				res, err := http.Get(e.srv.URL + "/ci/" + tok)
				if err != nil {
					t.Fatal(err)
				}
				_ = res.Body.Close()
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("GET /ci/%s = %d", tok, res.StatusCode)
				}
			}
		})
	}
}

// FuzzCampaignImage asks /ci/ for any token: an image or not found,
// never a server error.
func FuzzCampaignImage(f *testing.F) {
	a, _ := apptest.New(f, store.SQLite, false)
	img, err := a.Campaigns.SaveImage(context.Background(), "x.gif", "", []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
	if err != nil {
		f.Fatal(err)
	}
	pages := web.New(a)
	for _, seed := range []string{img.Token, "", "x", strings.Repeat("A", 24), "%00", "../x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		if strings.ContainsAny(tok, "/?#") {
			return
		}
		req := httptest.NewRequest(http.MethodGet, "/ci/placeholder", nil)
		req.URL.Path, req.URL.RawPath = "/ci/"+tok, ""
		rec := httptest.NewRecorder()
		pages.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusNotFound && rec.Code != http.StatusMovedPermanently {
			t.Fatalf("GET /ci/%q = %d", tok, rec.Code)
		}
		if rec.Code == http.StatusOK && tok != img.Token {
			t.Fatalf("GET /ci/%q served an image", tok)
		}
	})
}
