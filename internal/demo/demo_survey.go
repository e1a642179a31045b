package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/survey"
)

// surveyComments are what demo customers write on the survey's page, by
// language and band: the themes a tea and kitchenware shop hears — a
// late courier, the packaging, the taste.
var surveyComments = map[string]map[string][]string{
	"ru": {
		"low": {"Курьер опоздал на два дня, и никто не предупредил.", "Упаковка была помята, одна банка треснула.",
			"Чай оказался не таким ароматным, как в прошлый раз.", "Долго ждал ответа на письмо, курьер опоздал."},
		"middle": {"Всё нормально, но доставка могла бы быть быстрее.", "Хотелось бы упаковку поплотнее.",
			"Вкус хороший, но цена кусается."},
		"high": {"Очень вкусный чай, и пришло вовремя!", "Аккуратная упаковка и милая открытка. Спасибо!",
			"Курьер приехал точно в срок, очень вежливый.", "Вкус отличный, закажу ещё."},
	},
	"lv": {
		"low": {"Kurjers kavējās divas dienas, neviens nebrīdināja.", "Iepakojums bija saspiests, viena burka saplaisājusi.",
			"Tējai šoreiz nebija tāda aromāta kā iepriekš."},
		"middle": {"Viss kārtībā, bet piegāde varētu būt ātrāka.", "Gribētos stingrāku iepakojumu."},
		"high": {"Ļoti garšīga tēja, un atnāca laikā!", "Rūpīgs iepakojums un jauka kartīte. Paldies!",
			"Kurjers ieradās tieši laikā, ļoti pieklājīgs."},
	},
	"en": {
		"low": {"The courier was two days late and nobody told me.", "The packaging was crushed and one jar cracked.",
			"The tea did not taste as good as last time."},
		"middle": {"All fine, but delivery could be faster.", "The packaging could be sturdier."},
		"high": {"Lovely tea, and it came on time!", "Careful packaging and a sweet card. Thank you!",
			"The courier came right on time, very polite."},
	},
}

// npsScore draws a believable NPS answer: about 58 % promoters, 29 %
// passives and 13 % detractors (an NPS near 45).
func npsScore(rnd *rand.Rand) int {
	switch p := rnd.IntN(100); {
	case p < 58:
		return 9 + rnd.IntN(2)
	case p < 87:
		return 7 + rnd.IntN(2)
	default:
		return []int{2, 3, 4, 5, 5, 6, 6, 6}[rnd.IntN(8)]
	}
}

// surveyComment is a comment for score in lang, or "" (half the answers
// come without words).
func surveyComment(rnd *rand.Rand, lang string, score int) string {
	byBand, ok := surveyComments[lang]
	if !ok {
		byBand = surveyComments["en"]
	}
	band := survey.Band(survey.NPS, score)
	if rnd.IntN(100) >= 55 && band != "low" {
		return ""
	}
	list := byBand[band]
	return list[rnd.IntN(len(list))]
}

// seedSurveys gives the history's delivered orders their NPS answers:
// about four customers in ten answer the survey that went three days
// after the delivery, half of them with a few words.
func seedSurveys(ctx context.Context, a *app.App, rnd *rand.Rand, until time.Time) error {
	if a.Surveys == nil || !a.Settings.Surveys.On() {
		return nil
	}
	loc := a.Settings.Shop.Location()
	var items []order.ListItem
	f := order.ListFilter{Status: order.Delivered, Limit: 100}
	for len(items) < 600 {
		page, more, err := a.Orders.List(ctx, f)
		if err != nil {
			return fmt.Errorf("demo surveys: delivered orders: %w", err)
		}
		items = append(items, page...)
		if !more || len(page) == 0 {
			break
		}
		f.After = page[len(page)-1].Cursor()
	}
	var past []survey.Past
	for _, it := range items {
		day, err := time.ParseInLocation(time.DateOnly, it.DeliveredOn, loc)
		if err != nil || rnd.IntN(100) >= 42 {
			continue
		}
		asked := day.Add(14*time.Hour).AddDate(0, 0, 3)
		if !asked.Add(24 * time.Hour).Before(until) {
			continue
		}
		o, err := a.Orders.Get(ctx, it.ID)
		if err != nil || o.Customer == nil {
			continue
		}
		score := npsScore(rnd)
		past = append(past, survey.Past{Score: score, Comment: surveyComment(rnd, o.Customer.Language, score),
			Ask: survey.Ask{Kind: survey.NPS, Trigger: survey.Delivery, SubjectID: it.ID, CustomerID: it.CustomerID,
				AskedAt: asked.Truncate(time.Second), Channel: survey.ChannelEmail}})
	}
	if _, err := a.Surveys.Import(ctx, past); err != nil {
		return fmt.Errorf("demo surveys: %w", err)
	}
	return nil
}

// surveyAnswerPercent is the share of live orders whose customer answers
// the delivery survey.
const surveyAnswerPercent = 40

// surveysLive answers the surveys of live orders as time passes: a few
// hours after the survey went (three days after the delivery), about
// four customers in ten click a score and send it from the page, as a
// person does — through the same engine as the links in the messages.
func (l *Live) surveysLive(ctx context.Context, now time.Time) error {
	if l.a.Surveys == nil || !l.a.Surveys.Enabled() {
		return nil
	}
	loc := l.a.Settings.Shop.Location()
	items, _, err := l.a.Orders.List(ctx, order.ListFilter{Status: order.Delivered, From: now.AddDate(0, 0, -21), Limit: 100})
	if err != nil {
		return fmt.Errorf("demo surveys: delivered orders: %w", err)
	}
	var due []order.ListItem
	for _, it := range items {
		day, err := time.ParseInLocation(time.DateOnly, it.DeliveredOn, loc)
		if err != nil || l.jitter(it.ID, 0x5e)%100 >= surveyAnswerPercent {
			continue
		}
		answerAt := day.AddDate(0, 0, 3).Add(time.Duration(10+l.jitter(it.ID, 0x5f)%10) * time.Hour)
		if answerAt.Before(now) {
			due = append(due, it)
		}
	}
	if len(due) == 0 {
		return nil
	}
	ids := make([]int64, len(due))
	for i, it := range due {
		ids[i] = it.ID
	}
	answered, err := l.a.Surveys.Answered(ctx, survey.Delivery, ids)
	if err != nil {
		return err
	}
	for _, it := range due {
		if answered[it.ID] {
			continue
		}
		o, err := l.a.Orders.Get(ctx, it.ID)
		if err != nil || o.Customer == nil {
			continue
		}
		rnd := rand.New(rand.NewPCG(l.jitter(it.ID, 0x60), uint64(it.ID)))
		score := npsScore(rnd)
		token := l.a.Surveys.Token(survey.Ask{Kind: survey.NPS, Trigger: survey.Delivery, SubjectID: it.ID,
			CustomerID: it.CustomerID, AskedAt: now.Add(-6 * time.Hour).Truncate(time.Second)})
		if _, err := l.a.Surveys.Record(ctx, token, score, survey.Click{Channel: survey.ChannelEmail}); err != nil {
			return fmt.Errorf("demo surveys: order %s: %w", it.ExternalID, err)
		}
		if _, err := l.a.Surveys.Confirm(ctx, token, survey.Answer{Score: score, Channel: survey.ChannelEmail,
			Comment: surveyComment(rnd, o.Customer.Language, score)}); err != nil {
			return fmt.Errorf("demo surveys: order %s: %w", it.ExternalID, err)
		}
	}
	return nil
}
