package telegramin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"

	"github.com/go-telegram/bot"

	"github.com/shopcare/shopcare/internal/inbox"
)

// fileRef is one file of a message to fetch.
type fileRef struct {
	id, uniqueID string
	name, ctype  string
	size         int64 // as the message says; 0 when it does not
}

// attachmentsOf lists the files of m worth fetching: the largest size of
// a photo within the cap, a document, a voice message.
func attachmentsOf(m *Message, maxBytes int64) []fileRef {
	var out []fileRef
	if len(m.Photo) > 0 {
		best := m.Photo[0]
		for _, p := range m.Photo[1:] {
			if p.FileSize <= maxBytes && p.Width*p.Height >= best.Width*best.Height {
				best = p
			}
		}
		out = append(out, fileRef{id: best.FileID, uniqueID: best.FileUniqueID, name: "photo-" + best.FileUniqueID + ".jpg",
			ctype: "image/jpeg", size: best.FileSize})
	}
	for _, d := range []*FileRef{m.Document, m.Voice} {
		if d == nil || d.FileID == "" {
			continue
		}
		f := fileRef{id: d.FileID, uniqueID: d.FileUniqueID, name: path.Base("/" + d.FileName), ctype: d.MimeType, size: d.FileSize}
		if d == m.Voice && d.FileName == "" {
			f.name = "voice-" + d.FileUniqueID + ".ogg"
		}
		if f.name == "/" || f.name == "." {
			f.name = "file-" + d.FileUniqueID
		}
		out = append(out, f)
	}
	return out
}

// download fetches m's files within the size cap: getFile for each file's
// path, then the file itself. A file over the cap, or one Telegram will
// not serve (getFile refuses files over 20 MB), is left out and logged;
// a network failure is returned, so that the update is fetched again.
func (b *Bot) download(ctx context.Context, m *Message) ([]inbox.Attachment, error) {
	var out []inbox.Attachment
	for _, f := range attachmentsOf(m, b.opts.MaxFileBytes) {
		if f.size > b.opts.MaxFileBytes {
			b.opts.Log.Info("telegram file over the cap left out", "file", f.name, "bytes", f.size, "cap", b.opts.MaxFileBytes)
			continue
		}
		file, err := b.api.GetFile(ctx, &bot.GetFileParams{FileID: f.id})
		if errors.Is(err, bot.ErrorBadRequest) {
			b.opts.Log.Info("telegram file refused by getFile", "file", f.name, "err", b.redact(err))
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("telegram getFile %s: %w", f.name, b.redact(err))
		}
		if file.FileSize > b.opts.MaxFileBytes || file.FilePath == "" {
			b.opts.Log.Info("telegram file over the cap left out", "file", f.name, "bytes", file.FileSize)
			continue
		}
		data, err := b.fetch(ctx, b.api.FileDownloadLink(file))
		if errors.Is(err, errTooBig) {
			b.opts.Log.Info("telegram file over the cap left out", "file", f.name, "cap", b.opts.MaxFileBytes)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("telegram download %s: %w", f.name, b.redact(err))
		}
		ctype := f.ctype
		if ctype == "" {
			ctype = mime.TypeByExtension(path.Ext(f.name))
		}
		if ctype == "" {
			ctype = http.DetectContentType(data)
		}
		out = append(out, inbox.Attachment{Name: f.name, ContentType: ctype, Data: data})
	}
	return out, nil
}

var errTooBig = errors.New("file over the size cap")

// fetch downloads one file, reading no more than the cap.
func (b *Bot) fetch(ctx context.Context, link string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, err
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("bot api file server answered %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, b.opts.MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > b.opts.MaxFileBytes {
		return nil, errTooBig
	}
	return data, nil
}
