package web

import (
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// harmlessTypes are the content types an attachment is served as when
// the sender said so: pictures and documents a browser shows without
// running anything. Anything else (HTML, SVG, scripts, unknown) goes out
// as application/octet-stream, and every file as a download.
var harmlessTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"application/pdf": true, "text/plain": true,
}

// attachmentType is the content type an attachment is served as: the
// stored one when harmless (its parameters dropped, but a text's
// charset), else application/octet-stream.
func attachmentType(stored string) string {
	mt, params, err := mime.ParseMediaType(stored)
	if err != nil || !harmlessTypes[mt] {
		return "application/octet-stream"
	}
	if cs := params["charset"]; mt == "text/plain" && cs != "" {
		if out := mime.FormatMediaType(mt, map[string]string{"charset": cs}); out != "" {
			return out
		}
	}
	return mt
}

// attachmentName is a file name safe to suggest: its last path element,
// without control characters, at most 200 bytes; "attachment" when
// nothing is left.
func attachmentName(name string) string {
	name = path.Base(strings.ReplaceAll(strings.ToValidUTF8(name, ""), "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	for len(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == "/" || name == ".." {
		return "attachment"
	}
	return name
}

// attachmentDisposition is the Content-Disposition of a download: the
// name quoted, or RFC 2231-encoded when it is not plain ASCII.
func attachmentDisposition(name string) string {
	if d := mime.FormatMediaType("attachment", map[string]string{"filename": attachmentName(name)}); d != "" {
		return d
	}
	return "attachment"
}

// inboxAttachment downloads a file a customer sent: always as a download,
// as a harmless type or as bytes, and sandboxed should a browser open it.
func (h *Handler) inboxAttachment(w http.ResponseWriter, r *http.Request, _ *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return
	}
	a, data, err := h.app.Inbox.Attachment(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", attachmentType(a.ContentType))
	hd.Set("Content-Disposition", attachmentDisposition(a.Name))
	hd.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}
