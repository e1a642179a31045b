package api

import (
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/survey"
)

// insightRoutes are the routes of the survey results: what the customers'
// answers say.
func (h *Handler) insightRoutes() []route {
	read := []auth.Scope{auth.ScopeRead}
	return []route{
		{Method: "GET", Path: "/api/v1/surveys/summary", Tag: "surveys", Scopes: read, handle: h.surveySummaryGet,
			Summary: "What the customers' survey answers say",
			Description: "The confirmed answers of a window of shop days (the last 90 by default): the number of responses, " +
				"the NPS (score −100..100 with promoters, passives and detractors) and the CSAT (average, percent satisfied " +
				"with 4–5), broken down by week (by month past half a year), carrier, product and CLV segment; the themes of " +
				"the comments per language (words and phrases that rose against the window before); and the comments " +
				"themselves, newest first, in pages, each with its order and customer. A click a mail scanner made and no " +
				"customer confirmed counts nowhere.",
			Query: []param{
				{Name: "from", Format: "date", Description: "First day, shop-local (YYYY-MM-DD); default 89 days before to."},
				{Name: "to", Format: "date", Description: "Last day, shop-local (YYYY-MM-DD); default today."},
				{Name: "kind", Enum: []string{"nps", "csat"}, Description: "List only the answers of this kind of survey."},
				{Name: "theme", Description: "List only the answers carrying this theme (its key)."},
				{Name: "theme_lang", Enum: []string{"ru", "lv", "en"}, Description: "The theme's language; needed with theme."},
				{Name: "cursor", Description: "Where the page of answers starts: the answers' next_cursor of the page before."},
				{Name: "limit", Type: "integer", Description: "Answers per page, 1 to 200 (default 50)."},
			},
			Response: survey.Summary{}, Status: 200, Errors: []int{s422}},
	}
}
