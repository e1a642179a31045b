package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/survey"
)

// surveyPage is the customer's page of a survey: the scale with the
// score they clicked, the open question and the comment box, a Send
// button that confirms; then the thanks (with an invitation to review a
// happy delivery).
type surveyPage struct {
	page
	Token   string
	Channel string // the link's c=, kept for the form
	Kind    string
	Scores  []int
	Chosen  int // -1: none chosen yet
	// Low and High label the two ends of the scale.
	Confirmed bool
	Saved     bool
	Comment   string
	Question  string // the score's band (low, middle, high) the open question fits; "" before a score
	ReviewURL string
	BadScore  bool
	Error     string // the i18n key of the form's error, beside its field
	ErrField  string
}

// surveyAnswer serves GET (and HEAD) /s/{token}: a score link's click
// records the score as an unconfirmed intent (HEAD or a prefetch as a
// suspect one) and shows the page that confirms it. No score shows the
// scale to pick from (the SMS's one link). An unknown or forged token is
// the 404 page; a score off the scale the 422 page, which changes
// nothing.
func (h *Handler) surveyAnswer(w http.ResponseWriter, r *http.Request) {
	ctx, token := r.Context(), r.PathValue("token")
	if len(token) > survey.MaxTokenLength {
		h.notFound(w, r)
		return
	}
	pg, err := h.app.Surveys.PageOf(ctx, token)
	if err != nil {
		h.surveyFail(w, r, err)
		return
	}
	lang := h.customerLanguage(r, pg.Language)
	p := h.surveyPageOf(lang, token, r.URL.Query().Get("c"), pg.Ask.Kind, pg.Survey)
	raw, asked := r.URL.Query()["score"]
	if !asked {
		h.render(w, r, http.StatusOK, "survey", p)
		return
	}
	score, err := strconv.Atoi(strings.TrimSpace(firstOf(raw)))
	if err == nil {
		err = survey.CheckScore(pg.Ask.Kind, score)
	}
	if err != nil {
		p.BadScore, p.Chosen = true, -1
		h.render(w, r, http.StatusUnprocessableEntity, "survey", p)
		return
	}
	sv, err := h.app.Surveys.Record(ctx, token, score, survey.Click{Channel: survey.ChannelOf(p.Channel), Prefetch: prefetch(r)})
	if err != nil {
		h.surveyFail(w, r, err)
		return
	}
	p = h.surveyPageOf(lang, token, p.Channel, pg.Ask.Kind, sv)
	if p.Chosen != score { // a confirmed answer waits for Send to change
		p.Chosen, p.Confirmed = score, false
		p.Question = surveyQuestion(pg.Ask.Kind, score)
	}
	h.render(w, r, http.StatusOK, "survey", p)
}

// surveySend serves POST /s/{token}: the page's Send (or, with auto=1,
// the page's script on the customer's first interaction) confirms the
// score with the comment. A bad score or comment is the 422 page naming
// it, and changes nothing.
func (h *Handler) surveySend(w http.ResponseWriter, r *http.Request) {
	ctx, token := r.Context(), r.PathValue("token")
	if len(token) > survey.MaxTokenLength {
		h.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, survey.MaxComment+4<<10)
	pg, err := h.app.Surveys.PageOf(ctx, token)
	if err != nil {
		h.surveyFail(w, r, err)
		return
	}
	lang := h.customerLanguage(r, pg.Language)
	if err := r.ParseForm(); err != nil {
		p := h.surveyPageOf(lang, token, "", pg.Ask.Kind, pg.Survey)
		p.Error, p.ErrField = "survey.page.error.comment", "comment"
		h.render(w, r, http.StatusRequestEntityTooLarge, "survey", p)
		return
	}
	channel := r.PostFormValue("c")
	auto := r.PostFormValue("auto") == "1"
	score, perr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("score")))
	ans := survey.Answer{Score: score, Comment: r.PostFormValue("comment"), Channel: survey.ChannelOf(channel)}
	if perr != nil {
		ans.Score = -1
	}
	if auto && pg.Survey != nil {
		ans.Comment = pg.Survey.Comment // the script confirms the score, not a half-typed comment
	}
	sv, err := h.app.Surveys.Confirm(ctx, token, ans)
	var bad *invalid.Error
	if errors.As(err, &bad) {
		if auto {
			w.WriteHeader(http.StatusUnprocessableEntity)
			return
		}
		p := h.surveyPageOf(lang, token, channel, pg.Ask.Kind, pg.Survey)
		p.Comment = r.PostFormValue("comment")
		p.Error, p.ErrField = "survey.page.error."+bad.Field, bad.Field
		if bad.Field == "score" {
			p.Chosen = -1
		} else {
			p.Chosen = score
		}
		h.render(w, r, http.StatusUnprocessableEntity, "survey", p)
		return
	}
	if err != nil {
		h.surveyFail(w, r, err)
		return
	}
	if auto {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	p := h.surveyPageOf(lang, token, channel, sv.Kind, sv)
	p.Saved = true
	p.ReviewURL = h.app.Surveys.ReviewURL(sv, time.Now())
	h.render(w, r, http.StatusOK, "survey", p)
}

// surveyPageOf is the page of a survey's answer so far.
func (h *Handler) surveyPageOf(lang i18n.Lang, token, channel, kind string, sv *survey.Survey) surveyPage {
	lo, hi := survey.Scale(kind)
	p := surveyPage{page: h.page(lang), Token: token, Channel: channelParam(channel), Kind: kind, Chosen: -1}
	for n := lo; n <= hi; n++ {
		p.Scores = append(p.Scores, n)
	}
	p.Question = ""
	if sv != nil {
		p.Chosen, p.Confirmed, p.Comment = sv.Score, sv.Confirmed(), sv.Comment
		p.Question = surveyQuestion(kind, sv.Score)
	}
	return p
}

// surveyQuestion is the band whose open question fits a score: what annoyed a
// detractor, what to do better for the middle, what a promoter liked.
func surveyQuestion(kind string, score int) string {
	return survey.Band(kind, score)
}

// channelParam keeps a link's c= when it is one of ours.
func channelParam(c string) string {
	if survey.ChannelOf(c) == survey.ChannelWeb {
		return ""
	}
	return c
}

// prefetch tells a HEAD request or a browser's prefetch from a person's
// click.
func prefetch(r *http.Request) bool {
	if r.Method == http.MethodHead {
		return true
	}
	for _, h := range []string{"Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"} {
		if v := strings.ToLower(r.Header.Get(h)); strings.Contains(v, "prefetch") || strings.Contains(v, "preview") {
			return true
		}
	}
	return false
}

func firstOf(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func (h *Handler) surveyFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, survey.ErrUnknown) {
		h.notFound(w, r)
		return
	}
	h.fail(w, r, err)
}
