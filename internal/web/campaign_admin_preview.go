package web

import (
	"context"
	"errors"
	"html/template"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// campaignPreviewCSP lets the preview be framed by the admin's own
// compose page only, and lets the message's HTML do nothing but show
// itself: its inline styles and images, no script, no form, no
// navigation out of the frame (sandbox).
const campaignPreviewCSP = "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; " +
	"frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox"

// campaignPreviewShell shows a text message (SMS, Telegram, the plain
// part) or why there is nothing to show, in the preview's frame.
var campaignPreviewShell = template.Must(template.New("preview").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:1rem;color:#1a1a1a;background:#fff}
pre{white-space:pre-wrap;font:inherit;background:#f3f3f3;border-radius:.75rem;padding:.75rem 1rem;max-width:28rem}
.note{color:#5a5a5a}</style></head>
<body>{{with .Subject}}<p><strong>{{.}}</strong></p>{{end}}{{if .Note}}<p class="note">{{.Note}}</p>{{else}}<pre>{{.Text}}</pre>{{end}}</body></html>`))

// campaignPreview renders the draft for a real customer in a language,
// as they would get it, for the compose page's frame: ?customer=&lang=
// &variant=. Nothing is sent or counted.
func (h *Handler) campaignPreview(w http.ResponseWriter, r *http.Request, v *visitor) {
	c, ok := h.campaignGet(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	lang := q.Get("lang")
	if lang == "" && len(h.app.Settings.Shop.Languages) > 0 {
		lang = h.app.Settings.Shop.Languages[0]
	}
	variant := q.Get("variant")
	if variant != campaign.VariantB {
		variant = campaign.VariantA
	}
	who, _ := strconv.ParseInt(q.Get("customer"), 10, 64)
	if who <= 0 {
		list, _, err := h.customers.List(ctx, customer.ListFilter{Limit: 1})
		if err == nil && len(list) > 0 {
			who = list[0].ID
		}
	}
	hd := w.Header()
	hd.Set("Content-Security-Policy", campaignPreviewCSP)
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	hd.Set("Content-Type", "text/html; charset=utf-8")
	shell := struct{ Lang, Title, Subject, Text, Note string }{Lang: lang, Title: c.Name}
	msg, err := h.campaigns().Preview(ctx, c.ID, who, lang, variant)
	switch {
	case err == nil && msg.HTML != "":
		// The content part renders the message's HTML from the
		// shop's Markdown, sanitized: it is the e-mail as sent.
		_, _ = io.WriteString(w, msg.HTML)
		return
	case err == nil:
		shell.Subject, shell.Text = msg.Subject, msg.Text
	case errors.Is(err, context.Canceled):
		return
	default:
		var problems invalid.List
		if errors.As(err, &problems) && len(problems) > 0 {
			shell.Note = campaignProblemText(v.Lang, problems[0])
		} else {
			h.log.WarnContext(r.Context(), "campaign preview", "campaign", c.ID, "err", err)
			shell.Note = i18n.Text(v.Lang, "admin.campaign.preview_unavailable", nil)
		}
	}
	if err := campaignPreviewShell.Execute(w, shell); err != nil {
		h.log.ErrorContext(r.Context(), "campaign preview shell", "err", err)
	}
}

// campaignTest sends the draft to the address the owner gives, marked as
// a test, and comes back to the form.
func (h *Handler) campaignTest(w http.ResponseWriter, r *http.Request, v *visitor) {
	c, ok := h.campaignGet(w, r)
	if !ok {
		return
	}
	to, lang, variant := strings.TrimSpace(r.PostFormValue("to")), r.PostFormValue("lang"), r.PostFormValue("variant")
	if variant != campaign.VariantB {
		variant = campaign.VariantA
	}
	err := h.campaigns().TestSend(r.Context(), c.ID, to, lang, variant)
	if err == nil {
		http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(c.ID, 10)+"/edit?tested=1", http.StatusSeeOther)
		return
	}
	p := campaignEditPage{Campaign: c, Form: campaignFormOf(c, h.app.Settings.Shop.Location())}
	var problems invalid.List
	status := http.StatusUnprocessableEntity
	switch {
	case to == "":
		p.Problem = "admin.campaign.problem.test_to"
	case errors.As(err, &problems):
		p = campaignFormProblems(v.Lang, p, problems)
	default:
		h.log.WarnContext(r.Context(), "campaign test send", "campaign", c.ID, "err", err)
		p.Problem, status = "admin.campaign.problem.test_failed", http.StatusServiceUnavailable
	}
	h.campaignEditRender(w, r, v, status, p)
}

// campaignImageSlack is what a multipart form adds to an image's bytes.
const campaignImageSlack = 64 << 10

// campaignImageUpload stores an uploaded image (htmx) and answers the Markdown
// that shows it, which the page inserts where the owner was writing.
func (h *Handler) campaignImageUpload(w http.ResponseWriter, r *http.Request, v *visitor) {
	c, ok := h.campaignGet(w, r)
	if !ok {
		return
	}
	p := campaignEditPage{Campaign: c, adminPage: h.campaignPage(v)}
	max := h.app.Settings.Campaigns.ImageMaxBytes
	r.Body = http.MaxBytesReader(w, r.Body, max+campaignImageSlack)
	file, head, err := r.FormFile("image")
	var data []byte
	if err == nil {
		defer func() { _ = file.Close() }()
		data, err = io.ReadAll(io.LimitReader(file, max+1))
	}
	switch {
	case max <= 0:
		p.Problem = "admin.campaign.problem.images_off"
	case err != nil && !errors.Is(err, http.ErrMissingFile):
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.Problem = "admin.campaign.problem.image_too_big"
		} else {
			p.Problem = "admin.campaign.problem.image"
		}
	case err != nil || len(data) == 0:
		p.Problem = "admin.campaign.problem.image_missing"
	case int64(len(data)) > max:
		p.Problem = "admin.campaign.problem.image_too_big"
	default:
		url, err := h.saveCampaignImage(r.Context(), head, data)
		var problems invalid.List
		switch {
		case err == nil:
			alt := strings.TrimSuffix(filepath.Base(head.Filename), filepath.Ext(head.Filename))
			alt = strings.NewReplacer("[", "", "]", "", "\n", " ").Replace(alt)
			p.Notice = "![" + alt + "](" + url + ")"
		case errors.As(err, &problems):
			p.Problem = "admin.campaign.problem.image"
		default:
			h.log.WarnContext(r.Context(), "campaign image", "campaign", c.ID, "err", err)
			p.Problem = "admin.campaign.problem.images_unavailable"
		}
	}
	h.renderPart(w, r, "campaign_edit", "campaign_image", p)
}

// saveCampaignImage stores the image and returns the address it is
// served at.
func (h *Handler) saveCampaignImage(ctx context.Context, head *multipart.FileHeader, data []byte) (string, error) {
	img, err := h.campaigns().SaveImage(ctx, head.Filename, head.Header.Get("Content-Type"), data)
	if err != nil {
		return "", err
	}
	return h.campaigns().ImageURL(img.Token), nil
}
