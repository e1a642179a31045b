package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/insider"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// exportJSON answers GET /customers/{id}/export: everything shopcare
// holds about a customer, for their right of access and portability
// (GDPR art. 15 and 20): the profile and consents, orders, messages and
// loyalty, and since issue 24's customer's voice their survey answers,
// reviews, negative experiences and the club's memberships with their
// consents. New sections are new fields; the arrays are never null.
type exportJSON struct {
	ExportedAt          time.Time                `json:"exported_at"`
	Customer            exportProfileJSON        `json:"customer"`
	Consent             map[string]consentJSON   `json:"consent"`
	Orders              []orderJSON              `json:"orders"`
	Messages            []exportMessageJSON      `json:"messages"`
	Loyalty             exportLoyaltyJSON        `json:"loyalty"`
	Surveys             []exportSurveyJSON       `json:"surveys" doc:"The customer's survey answers (NPS, CSAT), confirmed or not, the newest first."`
	Reviews             []exportReviewJSON       `json:"reviews" doc:"The customer's product reviews in every state, the newest first."`
	NegativeExperiences []negativeExperienceJSON `json:"negative_experiences" doc:"The customer's rows of the negative-experience register, latest first, as GET /customers/{id} shows them."`
	InsiderProjects     []exportInsiderJSON      `json:"insider_projects" doc:"Every membership of the club's projects the customer has had, with the consent it was given on and its withdrawal."`
}

// exportSurveyJSON is one of the customer's survey answers.
type exportSurveyJSON struct {
	ID             int64      `json:"id"`
	Kind           string     `json:"kind" doc:"nps (0 to 10) or csat (1 to 5)."`
	Trigger        string     `json:"trigger" doc:"What was asked about: delivery (an order) or conversation (a support conversation)."`
	OrderID        *int64     `json:"order_id" doc:"The order asked about; null when the survey was about a conversation."`
	ConversationID *int64     `json:"conversation_id" doc:"The conversation asked about; null when the survey was about an order."`
	Language       string     `json:"language"`
	Channel        string     `json:"channel,omitempty" doc:"Where the answer came from: email, sms, telegram or web."`
	Score          int        `json:"score"`
	Confirmed      bool       `json:"confirmed" doc:"The customer confirmed the score on the survey's page; an unconfirmed score (a link's click only) does not count."`
	Suspect        string     `json:"suspect,omitempty" doc:"Why the click looked like a mail scanner's: too_soon, burst or prefetch."`
	AskedAt        *time.Time `json:"asked_at"`
	ScoredAt       time.Time  `json:"scored_at"`
	ConfirmedAt    *time.Time `json:"confirmed_at"`
	Comment        string     `json:"comment" doc:"The customer's own words on the survey's page."`
	CommentAt      *time.Time `json:"comment_at"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// exportReviewJSON is one of the customer's product reviews.
type exportReviewJSON struct {
	ID           int64      `json:"id"`
	OrderID      int64      `json:"order_id"`
	OrderNumber  string     `json:"order_number"`
	Line         int        `json:"line" doc:"The order's line reviewed, from 1."`
	SKU          string     `json:"sku"`
	ProductName  string     `json:"product_name"`
	Rating       int        `json:"rating" doc:"Stars, 1 to 5."`
	Text         string     `json:"text"`
	Author       string     `json:"author" doc:"The name shown with the review."`
	Language     string     `json:"language"`
	Source       string     `json:"source" doc:"Where it was written: link (a message's link) or my (the customer's page)."`
	Status       string     `json:"status" doc:"pending, published or rejected."`
	RejectReason string     `json:"reject_reason,omitempty"`
	PublishedAt  *time.Time `json:"published_at"`
	Reply        string     `json:"reply,omitempty" doc:"The shop's public reply."`
	ReplyAt      *time.Time `json:"reply_at"`
	Photo        bool       `json:"photo" doc:"The review has a photo; the photo itself is not in the export."`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// exportInsiderJSON is a membership of a project of the club, as GET
// /customers/{id} shows it, with its consent.
type exportInsiderJSON struct {
	customerInsiderJSON
	Source         insider.Source `json:"source" doc:"Where the customer joined: my_page or message_link."`
	ConsentVersion int            `json:"consent_version" doc:"The version of the consent's wording the customer agreed to."`
	ConsentLang    string         `json:"consent_language"`
	LeftAt         *time.Time     `json:"left_at" doc:"When the customer left the project (withdrew the consent); null while a member."`
}

// exportProfileJSON is the customer's whole row.
type exportProfileJSON struct {
	customerJSON
	TelegramChatID      string      `json:"telegram_chat_id,omitempty"`
	Birthday            string      `json:"birthday,omitempty" doc:"MM-DD: only the day is kept, for a birthday bonus."`
	ChannelOrder        string      `json:"channel_order,omitempty" doc:"The channels in the order the customer likes to be reached."`
	OrdersCount         int64       `json:"orders_count"`
	LTV                 json.Number `json:"ltv"`
	Currency            string      `json:"currency"`
	FirstOrderAt        *time.Time  `json:"first_order_at"`
	LastOrderAt         *time.Time  `json:"last_order_at"`
	MarketingOptedOutAt *time.Time  `json:"marketing_opted_out_at"`
	ErasedAt            *time.Time  `json:"erased_at"`
	CreatedAt           time.Time   `json:"created_at"`
	UpdatedAt           time.Time   `json:"updated_at"`
}

// exportMessageJSON is a message to the customer, with its text.
type exportMessageJSON struct {
	messageJSON
	OrderID *int64 `json:"order_id"`
	Body    string `json:"body"`
}

// exportLoyaltyJSON is the customer's points: the balance and every
// transaction.
type exportLoyaltyJSON struct {
	Balance int64             `json:"balance"`
	Ledger  []ledgerEntryJSON `json:"ledger"`
}

// exportPage is how many rows each read of the export takes.
const exportPage = 200

// Exports builds a customer's copy of everything shopcare holds about
// them. The API's GET /customers/{id}/export and the customer's own page
// (/my/data/export) both answer with it, byte for byte: the orders in it
// are the API's order view, so the building stays beside that view.
type Exports struct{ h *Handler }

// NewExports returns the exports of a's customers.
func NewExports(a *app.App) *Exports {
	return &Exports{h: &Handler{services: servicesOf(a), app: a, log: a.Log.With("component", "api"), human: clock.System{}}}
}

// Export returns customer id's export as the API answers it (JSON, one
// line). The orders' texts are in the customer's language, as the API's
// without ?lang=.
func (e *Exports) Export(ctx context.Context, id int64) ([]byte, error) {
	out, err := e.h.export(ctx, "", id)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as writeJSON
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("export customer %d: %w", id, err)
	}
	return buf.Bytes(), nil
}

// customerExport answers with everything shopcare holds about a customer.
func (h *Handler) customerExport(w http.ResponseWriter, r *http.Request) {
	id, err := h.customers.ResolveID(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out, err := h.export(r.Context(), r.URL.Query().Get("lang"), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Personal data leaves the shop: logged before it is sent, so a
	// copy without its line cannot exist.
	if err := h.app.Actions.Record(r.Context(), actionlog.Entry{Action: actionlog.CustomerExported,
		Detail: map[string]any{"orders": len(out.Orders)}}.Target(actionlog.TargetCustomer, id)); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="customer-`+itoa(id)+`.json"`)
	writeJSON(w, http.StatusOK, out)
}

// export gathers customer id's export: the row, consents, every order,
// message and loyalty transaction, survey answer, review, negative
// experience and club membership; the orders' texts and the projects'
// titles in lang (?lang=, "" for the customer's own).
func (h *Handler) export(ctx context.Context, lang string, id int64) (exportJSON, error) {
	p, err := h.customers.GetProfile(ctx, id)
	if err != nil {
		return exportJSON{}, err
	}
	cur := h.app.Settings.Shop.Currency
	out := exportJSON{ExportedAt: h.app.Clock.Now().In(h.app.Settings.Shop.Location()), Consent: consentView(p.Channels),
		Customer: exportProfileJSON{
			customerJSON: customerJSON{ID: p.ID, ExternalID: p.ExternalID, Name: p.Name, Email: p.Email, Phone: p.Phone,
				Language: p.Language, Country: p.Country, City: p.City, Timezone: p.Timezone},
			TelegramChatID: p.TelegramChatID, Birthday: p.Birthday, ChannelOrder: p.ChannelOrder, OrdersCount: p.OrdersCount,
			LTV: json.Number(money.Format(p.SpentMinor, money.Scale(cur))), Currency: cur, FirstOrderAt: p.FirstOrderAt,
			LastOrderAt: p.LastOrderAt, MarketingOptedOutAt: p.MarketingOptedOutAt, ErasedAt: p.ErasedAt,
			CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt},
		Orders: []orderJSON{}, Messages: []exportMessageJSON{}, Loyalty: exportLoyaltyJSON{Ledger: []ledgerEntryJSON{}},
		Surveys: []exportSurveyJSON{}, Reviews: []exportReviewJSON{}, NegativeExperiences: []negativeExperienceJSON{},
		InsiderProjects: []exportInsiderJSON{}}

	for after := ""; ; {
		page, more, err := h.orders.List(ctx, order.ListFilter{CustomerID: id, After: after, Limit: exportPage})
		if err != nil {
			return exportJSON{}, err
		}
		for _, it := range page {
			o, err := h.orders.Get(ctx, it.ID)
			if err != nil {
				return exportJSON{}, err
			}
			v, err := h.view(ctx, lang, o)
			if err != nil {
				return exportJSON{}, err
			}
			out.Orders = append(out.Orders, v)
		}
		if !more || len(page) == 0 {
			break
		}
		after = page[len(page)-1].Cursor()
	}

	ms, err := h.messages.ListByCustomer(ctx, id, 1<<30)
	if err != nil {
		return exportJSON{}, err
	}
	for _, m := range ms {
		attempts, err := h.messages.Attempts(ctx, m.ID)
		if err != nil {
			return exportJSON{}, err
		}
		j := exportMessageJSON{messageJSON: messageJSON{ID: m.ID, Rule: m.Rule, Template: m.Template, Channel: m.Channel,
			Language: m.Language, Transactional: m.Transactional, Status: string(m.Status), ScheduledAt: m.ScheduledAt.UTC(),
			SentAt: m.SentAt, Reason: m.Reason, Subject: m.Subject, Attempts: make([]attemptJSON, len(attempts))},
			OrderID: nonZero(m.OrderID), Body: m.Body}
		for k, a := range attempts {
			j.Attempts[k] = attemptJSON{Channel: a.Channel, Outcome: a.Outcome, Detail: a.Detail, At: a.At.UTC()}
		}
		out.Messages = append(out.Messages, j)
	}

	if out.Loyalty.Balance, err = h.loyalty.Balance(ctx, id); err != nil {
		return exportJSON{}, err
	}
	for before := int64(0); ; {
		ts, err := h.loyalty.Ledger(ctx, id, before, exportPage)
		if err != nil {
			return exportJSON{}, err
		}
		for _, t := range ts {
			out.Loyalty.Ledger = append(out.Loyalty.Ledger, ledgerEntry(t))
		}
		if len(ts) < exportPage {
			break
		}
		before = ts[len(ts)-1].ID
	}

	if out.Surveys, err = h.exportSurveys(ctx, id); err != nil {
		return exportJSON{}, err
	}
	if out.Reviews, err = h.exportReviews(ctx, id); err != nil {
		return exportJSON{}, err
	}
	if out.NegativeExperiences, err = h.negativeExperiences(ctx, id); err != nil {
		return exportJSON{}, err
	}
	if lang == "" {
		lang = p.Language
	}
	if out.InsiderProjects, err = h.exportInsiders(ctx, id, lang); err != nil {
		return exportJSON{}, err
	}
	return out, nil
}

// exportSurveys are customer id's survey answers, never nil.
func (h *Handler) exportSurveys(ctx context.Context, id int64) ([]exportSurveyJSON, error) {
	list, err := h.surveys.ForCustomer(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]exportSurveyJSON, 0, len(list))
	for _, v := range list {
		out = append(out, exportSurveyJSON{ID: v.ID, Kind: v.Kind, Trigger: v.Trigger, OrderID: nonZero(v.OrderID),
			ConversationID: nonZero(v.ConversationID), Language: v.Language, Channel: v.Channel, Score: v.Score,
			Confirmed: v.Confirmed(), Suspect: v.Suspect, AskedAt: v.AskedAt, ScoredAt: v.ScoredAt, ConfirmedAt: v.ConfirmedAt,
			Comment: v.Comment, CommentAt: v.CommentAt, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt})
	}
	return out, nil
}

// exportReviews are customer id's reviews, whether each has a photo but
// not the photo, never nil.
func (h *Handler) exportReviews(ctx context.Context, id int64) ([]exportReviewJSON, error) {
	list, err := h.reviews.ForCustomer(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]exportReviewJSON, 0, len(list))
	for _, r := range list {
		out = append(out, exportReviewJSON{ID: r.ID, OrderID: r.OrderID, OrderNumber: r.OrderNumber, Line: r.Line, SKU: r.SKU,
			ProductName: r.ProductName, Rating: r.Rating, Text: r.Text, Author: r.Author, Language: r.Language, Source: r.Source,
			Status: r.Status, RejectReason: r.RejectReason, PublishedAt: r.PublishedAt, Reply: r.Reply, ReplyAt: r.ReplyAt,
			Photo: r.Photo != nil, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
	}
	return out, nil
}

// exportInsiders are customer id's memberships of the club's projects,
// present and past, with their consents, titled in lang; never nil.
func (h *Handler) exportInsiders(ctx context.Context, id int64, lang string) ([]exportInsiderJSON, error) {
	ms, err := h.insiders().Consents(ctx, id)
	if err != nil || len(ms) == 0 {
		return []exportInsiderJSON{}, err
	}
	ps, err := h.insiders().ProjectList(ctx)
	if err != nil {
		return nil, err
	}
	projects := make(map[int64]insider.Project, len(ps))
	for _, p := range ps {
		projects[p.ID] = p
	}
	loc := h.app.Settings.Shop.Location()
	out := make([]exportInsiderJSON, 0, len(ms))
	for _, m := range ms {
		p := projects[m.ProjectID]
		v := exportInsiderJSON{customerInsiderJSON: customerInsiderJSON{ProjectID: m.ProjectID, Kind: p.Kind, Title: p.TitleIn(lang),
			JoinedAt: m.JoinedAt.In(loc)}, Source: m.Source, ConsentVersion: m.ConsentVersion, ConsentLang: m.ConsentLang}
		if m.LeftAt != nil {
			at := m.LeftAt.In(loc)
			v.LeftAt = &at
		}
		out = append(out, v)
	}
	return out, nil
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
