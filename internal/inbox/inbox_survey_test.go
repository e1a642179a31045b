package inbox_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/survey"
)

var surveyLink = regexp.MustCompile(`https://care\.example\.com/s/([A-Za-z0-9_-]+)\?score=([1-5])`)

// TestCloseAsksThroughSurveys: with surveys on (the default), closing
// asks the CSAT question through the survey engine: five /s/ links of
// one survey; the confirmed answer lives in surveys and shows on the
// conversation's rating too.
func TestCloseAsksThroughSurveys(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		a, clk, srv := shop(t, engine)
		_, anna := place(t, a, "A-1", customer.Input{Name: "Анна", Email: "anna@example.com", Language: "ru"})
		receive(t, a, inbox.Inbound{Channel: inbox.ChannelEmail, From: "anna@example.com", FromName: "Анна",
			Subject: "Вопрос", Text: "Когда привезут?", MessageID: "s1@mail.example"})
		c := convOf(t, a, "s1@mail.example")
		if err := a.Inbox.CloseWith(ctx, c.ID, inbox.CloseOptions{AskRating: true}); err != nil {
			t.Fatal(err)
		}
		ms := messagesOf(t, a, c.ID)
		if err := a.Inbox.Deliver(ctx, ms[len(ms)-1].ID); err != nil {
			t.Fatal(err)
		}
		body := srv.Wait(t, 1, 10*time.Second)[0].Text()
		links := surveyLink.FindAllStringSubmatch(body, -1)
		if len(links) != 5 {
			t.Fatalf("want five survey links, got %q", body)
		}
		token := links[0][1]
		clk.Advance(time.Hour)
		if _, err := a.Surveys.Record(ctx, token, 2, survey.Click{}); err != nil {
			t.Fatal(err)
		}
		v, err := a.Surveys.Confirm(ctx, token, survey.Answer{Score: 5, Comment: "Спасибо!"})
		if err != nil {
			t.Fatal(err)
		}
		if v.Kind != survey.CSAT || v.Trigger != survey.Conversation || v.ConversationID != c.ID || v.CustomerID != anna {
			t.Fatalf("survey %+v", v)
		}
		g, err := a.Inbox.RatingOf(ctx, c.ID)
		if err != nil || g == nil || g.Score != 5 || g.Comment != "Спасибо!" {
			t.Fatalf("conversation's rating %+v %v", g, err)
		}
	})
}
