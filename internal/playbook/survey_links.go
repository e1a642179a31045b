package playbook

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/survey"
)

// SurveyRule is the rule whose message is the NPS survey after a
// delivery.
const SurveyRule = "delivered_followup"

// LowScoreRule is the rule that apologises for a low survey score; the
// shop switches it on.
const LowScoreRule = "low_score_apology"

// Surveys signs the survey links a message carries (survey.Service).
type Surveys interface {
	Enabled() bool
	Links(a survey.Ask) []survey.Link
	PageURL(a survey.Ask) string
}

// SurveyData is the NPS survey a delivery follow-up carries; empty when
// the shop asks no surveys.
type SurveyData struct {
	// PageURL opens the survey's page to pick a score (the e-mail's
	// text; its HTML shows a row of the scores instead).
	PageURL string
	// SMSURL is PageURL for an SMS.
	SMSURL string
	// Links are the one-click links of every score, 0 to 10 (e-mail).
	Links []survey.Link
}

// surveyData fills d.Survey for the delivery survey of m, and says why
// the message must not go when the customer was surveyed within the
// quiet days.
func (p *Playbook) surveyData(ctx context.Context, q store.Querier, m *message.Message, c *message.Contact, d *Data) (string, error) {
	if p.surveys == nil || !p.surveys.Enabled() || m.OrderID == 0 || m.CustomerID == 0 {
		return "", nil
	}
	if !m.Transactional && c.Marketing() != "" {
		return "", nil // the sender suppresses it, saying why
	}
	now := p.clock.Now()
	if days := p.settings.Surveys.QuietDays; days > 0 {
		last, ok, err := message.LastSentByRule(ctx, q, m.CustomerID, m.Rule, m.ID)
		if err != nil {
			return "", err
		}
		if ok && now.Sub(last) < time.Duration(days)*24*time.Hour {
			return fmt.Sprintf("the customer was asked for a survey on %s, within surveys.quiet_days (%d)",
				last.Format("2006-01-02"), days), nil
		}
	}
	a := survey.Ask{Kind: survey.NPS, Trigger: survey.Delivery, SubjectID: m.OrderID, CustomerID: m.CustomerID,
		AskedAt: now.Truncate(time.Second), Channel: survey.ChannelEmail}
	d.Survey.Links = p.surveys.Links(a)
	d.Survey.PageURL = p.surveys.PageURL(a)
	a.Channel = survey.ChannelSMS
	d.Survey.SMSURL = p.surveys.PageURL(a)
	return "", nil
}

// surveyButtons are Telegram's inline buttons of the survey: the scores
// in rows of at most six, each a link.
func (p *Playbook) surveyButtons(m *message.Message, d Data) [][]notify.Button {
	if len(d.Survey.Links) == 0 {
		return nil
	}
	a := survey.Ask{Kind: survey.NPS, Trigger: survey.Delivery, SubjectID: m.OrderID, CustomerID: m.CustomerID,
		AskedAt: p.clock.Now().Truncate(time.Second), Channel: survey.ChannelTelegram}
	links := p.surveys.Links(a)
	var rows [][]notify.Button
	per := (len(links) + 1) / 2
	for len(links) > 0 {
		n := min(per, len(links))
		row := make([]notify.Button, 0, n)
		for _, l := range links[:n] {
			row = append(row, notify.Button{Text: fmt.Sprint(l.Score), URL: l.URL})
		}
		rows = append(rows, row)
		links = links[n:]
	}
	return rows
}

// scoresAt is the paragraph of the e-mail's HTML that the survey's row of
// scores replaces: the one that is only the survey page's link; -1 for
// none.
func scoresAt(paras []paragraph, s SurveyData) int {
	if s.PageURL == "" || len(s.Links) == 0 {
		return -1
	}
	for i, p := range paras {
		if len(p) != 1 {
			continue
		}
		var links []string
		for _, seg := range p[0] {
			if seg.Link {
				links = append(links, seg.Text)
			} else if strings.TrimSpace(seg.Text) != "" {
				links = append(links, "")
			}
		}
		if len(links) == 1 && links[0] == s.PageURL {
			return i
		}
	}
	return -1
}

// sampleSurvey is the survey of SampleData.
func sampleSurvey() SurveyData {
	const page = "https://care.example.com/s/AW5kAAAAAAAABBIAAAAAAAAAKgAAAABpVq3kX2mKp8WnR5sLd7YbE1cH4g"
	d := SurveyData{PageURL: page + "?c=e", SMSURL: page + "?c=s"}
	for n := 0; n <= 10; n++ {
		d.Links = append(d.Links, survey.Link{Score: n, URL: fmt.Sprintf("%s?c=e&score=%d", page, n)})
	}
	return d
}
