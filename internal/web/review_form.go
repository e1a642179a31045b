package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/review"
)

// reviewForm is the review form of one order, as the verified buyer's
// page (/rv/{token}) and the customer's own page both show it
// (templates/parts/review_form.html).
type reviewForm struct {
	Action    string
	CSRFField string // the customer's page's form token, "" on the signed link's page
	Number    string
	Lines     []reviewFormLine
	// Problems are what to correct, in the customer's language.
	Problems     []reviewProblem
	Sent         bool
	NotDelivered bool
	// PhotoMax is the photo cap in words ("5 MB"), "" when the shop takes
	// no photos.
	PhotoMax string
	MaxText  int
}

// reviewFormLine is one product of the order on the form.
type reviewFormLine struct {
	Line      int
	Name, SKU string
	Rating    int
	Text      string
	HasPhoto  bool
	// Status is the review's state in words ("" before one is written).
	Status                             string
	RatingError, TextError, PhotoError string
	// Choices are the five stars to pick from, the most first.
	Choices []reviewStar
}

// reviewStar is one choice of stars: 5 is "★★★★★".
type reviewStar struct {
	Value   int
	Checked bool
	Glyphs  string
}

// starGlyphs draws a rating as five stars, n of them full.
func starGlyphs(n int) string {
	n = min(max(n, 0), 5)
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// reviewProblem is one thing to correct, with the field it is about and
// the id of the input the summary links to.
type reviewProblem struct{ Field, Text, Anchor string }

// reviewAnchor is the input a problem of field links to: the first star
// of a rating, the first line's stars for the whole form.
func reviewAnchor(field string) string {
	switch {
	case field == "lines":
		return "rating_1_5"
	case strings.HasPrefix(field, "rating_"):
		return field + "_5"
	}
	return field
}

// reviewBodyLimit bounds a review form's body: the photos at the cap and
// the texts.
func (h *Handler) reviewBodyLimit(lines int) int64 {
	return int64(lines)*(h.app.Settings.Reviews.PhotoMaxBytes+int64(review.MaxText)*4) + 1<<20
}

// reviewBuild fills the form from the order's lines and reviews, with
// what was sent (in) and its problems over it when the form comes back.
func (h *Handler) reviewBuild(lang i18n.Lang, f review.Form, in *review.Input, problems invalid.List) reviewForm {
	out := reviewForm{Number: f.OrderNumber, NotDelivered: !f.Delivered, MaxText: review.MaxText}
	if max := h.app.Settings.Reviews.PhotoMaxBytes; max > 0 {
		out.PhotoMax = i18n.Text(lang, "review.form.photo_max", map[string]any{"MB": strconv.FormatFloat(float64(max)/(1<<20), 'f', -1, 64)})
	}
	byField := map[string]string{}
	for _, e := range problems {
		text := reviewProblemText(lang, e)
		byField[e.Field] = text
		out.Problems = append(out.Problems, reviewProblem{Field: e.Field, Text: text, Anchor: reviewAnchor(e.Field)})
	}
	for _, l := range f.Lines {
		row := reviewFormLine{Line: l.Line, Name: l.Name, SKU: l.SKU}
		if l.Review != nil {
			row.Rating, row.Text, row.HasPhoto = l.Review.Rating, l.Review.Text, l.Review.Photo != nil
			row.Status = label(lang, "review_status", l.Review.Status)
		}
		if in != nil {
			for _, li := range in.Lines {
				if li.Line == l.Line {
					row.Rating, row.Text = li.Rating, li.Text
				}
			}
		}
		row.RatingError = byField[fmt.Sprintf("rating_%d", l.Line)]
		row.TextError = byField[fmt.Sprintf("text_%d", l.Line)]
		row.PhotoError = byField[fmt.Sprintf("photo_%d", l.Line)]
		for v := 5; v >= 1; v-- {
			row.Choices = append(row.Choices, reviewStar{Value: v, Checked: v == row.Rating, Glyphs: starGlyphs(v)})
		}
		out.Lines = append(out.Lines, row)
	}
	return out
}

// reviewProblemText words a problem for the customer: review.error.<code>
// by the field's kind (rating, text, photo, lines).
func reviewProblemText(lang i18n.Lang, e *invalid.Error) string {
	kind, _, _ := strings.Cut(e.Field, "_")
	id := "review.error." + kind + "." + e.Code
	if s := i18n.Text(lang, id, map[string]any{"Max": review.MaxText}); s != "["+id+"]" {
		return s
	}
	return i18n.Text(lang, "review.error.other", nil)
}

// parseReviewForm reads the form's lines 1..lines: rating_N (1–5),
// text_N and the file photo_N. A rating that is no number is a problem
// here; the rest is checked by the review service.
func parseReviewForm(r *http.Request, lines int) (review.Input, invalid.List) {
	var in review.Input
	var problems invalid.List
	for n := 1; n <= lines; n++ {
		li := review.LineInput{Line: n, Text: r.PostFormValue(fmt.Sprintf("text_%d", n))}
		if s := strings.TrimSpace(r.PostFormValue(fmt.Sprintf("rating_%d", n))); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 1 || v > 5 {
				problems.Add(fmt.Sprintf("rating_%d", n), "required", "choose 1 to 5 stars")
				continue
			}
			li.Rating = v
		}
		if r.MultipartForm != nil {
			if fhs := r.MultipartForm.File[fmt.Sprintf("photo_%d", n)]; len(fhs) > 0 && fhs[0].Size > 0 {
				b, err := readPart(fhs[0])
				if err != nil {
					problems.Add(fmt.Sprintf("photo_%d", n), "broken", "cannot be read")
					continue
				}
				li.Photo = b
			}
		}
		in.Lines = append(in.Lines, li)
	}
	return in, problems
}

// readPart reads an uploaded file whole.
func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open uploaded photo: %w", err)
	}
	defer func() { _ = f.Close() }()
	return io.ReadAll(f)
}

// reviewSubmitProblems turns the service's answer into the form's
// problems: nil when err is none of the customer's to correct.
func reviewSubmitProblems(err error) (invalid.List, bool) {
	var list invalid.List
	var one *invalid.Error
	switch {
	case errors.As(err, &list):
		return list, true
	case errors.As(err, &one):
		return invalid.List{one}, true
	}
	return nil, false
}
