package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file under its content-hashed name.
type asset struct {
	body        []byte
	contentType string
}

// assets maps each static file's hashed name (app.3f9c0a1b2d4e.css) to the
// file; hashedNames maps its plain name (app.css) to the hashed one.
var assets, hashedNames = mustHashAssets(staticFS)

func mustHashAssets(fsys fs.FS) (map[string]asset, map[string]string) {
	byHash, names := map[string]asset{}, map[string]string{}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		byHash[hashed] = asset{body: body, contentType: ct}
		names[name] = hashed
		return nil
	})
	if err != nil {
		panic(err)
	}
	return byHash, names
}

// assetURL returns the URL of the static file name under its hashed name.
// An unknown name is a programming error: it fails the page's rendering,
// which the tests catch.
func assetURL(name string) (string, error) {
	hashed, ok := hashedNames[name]
	if !ok {
		return "", &fs.PathError{Op: "asset", Path: name, Err: fs.ErrNotExist}
	}
	return "/static/" + hashed, nil
}

// staticGet serves a static file by its hashed name. The name changes with
// the content, so the file may be cached for a year; an old or unknown
// name is a 404.
func staticGet(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(a.body)
	}
}
