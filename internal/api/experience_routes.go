package api

import "github.com/shopcare/shopcare/internal/auth"

// experienceRoutes are the API routes of package experience.
func (h *Handler) experienceRoutes() []route {
	read := []auth.Scope{auth.ScopeRead}
	return []route{
		{Method: "GET", Path: "/api/v1/analytics/experiences", Tag: "analytics", Scopes: read, handle: h.experienceWorthGet,
			Summary: "What care is worth: customers with none, one or several negative experiences",
			Description: "Every customer who bought, grouped by how many negative experiences the register holds for them " +
				"(none, one, several): how many bought twice or more, how many bought again after their first negative experience, " +
				"their average spend and average CLV (of those the CLV scoring has scored); and the register's rows by kind. " +
				"from, to and kind narrow the negative experiences counted.",
			Query: []param{{Name: "from", Format: "date", Description: "First day of the negative experiences counted (YYYY-MM-DD, shop-local)."},
				{Name: "to", Format: "date", Description: "Last day of the negative experiences counted (YYYY-MM-DD, shop-local)."},
				{Name: "kind", Description: "Count only negative experiences of this kind.", Enum: experienceKinds()}},
			Response: experienceWorthJSON{}, Status: 200, Errors: []int{s422}},
	}
}
