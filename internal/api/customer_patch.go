package api

import (
	"net/http"
	"strings"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
)

// customerPatchRequest is the body of PATCH /customers/{id}: a JSON merge
// patch of the customer's contacts, language and consents.
type customerPatchRequest struct {
	Name           *string `json:"name"`
	Email          *string `json:"email" doc:"null or \"\" clears it; a customer keeps an e-mail, a phone or an external id."`
	Phone          *string `json:"phone" doc:"Any common notation; stored in E.164. null or \"\" clears it."`
	Language       *string `json:"language" doc:"ISO 639-1: ru, lv, en…; null resets it to the shop's first language."`
	Timezone       *string `json:"timezone" doc:"An IANA time zone such as Europe/Riga: the customer is messaged in their own hours."`
	TelegramChatID *string `json:"telegram_chat_id" doc:"The customer's chat with the shop's bot; null or \"\" unlinks it."`
	Birthday       *string `json:"birthday" doc:"YYYY-MM-DD or MM-DD; only the day and month are kept (for a birthday bonus). null or \"\" forgets it."`
	// Consent changes the consent per channel.
	Consent *consentChannelsJSON `json:"consent"`
	// ConsentSource is where the consents were given: required with a
	// marketing grant, kept with its time as proof.
	ConsentSource *string `json:"consent_source" doc:"Where the customer gave the consents (\"checkout checkbox\", \"newsletter form\"): required with a marketing grant and kept as proof."`
}

// consentChannelsJSON changes the consents of the channels sent. The
// marketing_* entries are the short form of {"email": {"marketing": …}},
// named as in an order's consent list.
type consentChannelsJSON struct {
	Email             *consentPatchJSON `json:"email"`
	SMS               *consentPatchJSON `json:"sms"`
	Telegram          *consentPatchJSON `json:"telegram"`
	MarketingEmail    *bool             `json:"marketing_email" doc:"Campaigns and offers by e-mail: true grants (pending its confirmation when campaigns.double_opt_in is on), false withdraws; the same as email.marketing."`
	MarketingSMS      *bool             `json:"marketing_sms" doc:"Campaigns and offers by SMS: true grants, false withdraws; the same as sms.marketing."`
	MarketingTelegram *bool             `json:"marketing_telegram" doc:"Campaigns and offers on Telegram: true grants, false withdraws; the same as telegram.marketing."`
}

// consentPatchJSON changes the consent on one channel.
type consentPatchJSON struct {
	Transactional *bool `json:"transactional" doc:"Order news on the channel: true gives consent (and lifts a stop), false stops every message on it."`
	Marketing     *bool `json:"marketing" doc:"Campaigns and offers on the channel (opt-in): true grants, false withdraws."`
}

// customerPatchFields are the fields PATCH /customers/{id} reads.
var customerPatchFields = map[string][]string{
	"":                 {"name", "email", "phone", "language", "timezone", "telegram_chat_id", "birthday", "consent", "consent_source"},
	"consent":          {"email", "sms", "telegram", "marketing_email", "marketing_sms", "marketing_telegram"},
	"consent.email":    {"transactional", "marketing"},
	"consent.sms":      {"transactional", "marketing"},
	"consent.telegram": {"transactional", "marketing"},
}

// customerPatchElsewhere says where the customer's other fields change.
var customerPatchElsewhere = map[string]string{
	"external_id":  "it is the customer's identity in the shop",
	"orders_count": "it is counted from the orders",
	"ltv":          "it is counted from the orders",
	"loyalty":      "POST /api/v1/loyalty/grants and /redeem change the balance",
}

// customerPatch changes a customer and answers them as GET does.
func (h *Handler) customerPatch(w http.ResponseWriter, r *http.Request) {
	var req customerPatchRequest
	nulls, err := patchBody(r, &req, customerPatchFields, customerPatchElsewhere)
	if err == nil {
		err = notNull(nulls, "name", "timezone", "consent")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	id, err := h.customers.ResolveID(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := req.patch(nulls)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.DoubleOptIn = h.app.Settings.Campaigns.DoubleOptIn
	if tok, ok := tokenOf(ctx); ok && p.ConsentSource != "" {
		p.ConsentSource += " (api:" + tok + ")"
	}
	s := h.app.Settings
	def := customer.Defaults{Country: s.Shop.Country, Language: s.Shop.Languages[0], Timezone: s.Shop.Timezone}
	_, err = h.customers.Patch(ctx, customer.PatchParams{ID: id, Patch: p, Defaults: def, Source: "api", Now: h.app.Clock.Now()})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeCustomer(w, r, id)
}

// patch turns the request into the domain's patch: a null clears. A
// marketing_* entry and its channel's "marketing" saying different things
// is an error.
func (req *customerPatchRequest) patch(nulls map[string]bool) (customer.Patch, error) {
	empty := ""
	p := customer.Patch{Name: req.Name, Email: req.Email, Phone: req.Phone, Language: req.Language,
		Timezone: req.Timezone, TelegramChatID: req.TelegramChatID, Birthday: req.Birthday}
	for field, dst := range map[string]**string{"email": &p.Email, "phone": &p.Phone, "language": &p.Language,
		"telegram_chat_id": &p.TelegramChatID, "birthday": &p.Birthday} {
		if nulls[field] {
			*dst = &empty
		}
	}
	if req.ConsentSource != nil {
		p.ConsentSource = strings.TrimSpace(*req.ConsentSource)
	}
	if c := req.Consent; c != nil {
		p.Consent = map[string]customer.ConsentPatch{}
		for ch, v := range map[string]*consentPatchJSON{"email": c.Email, "sms": c.SMS, "telegram": c.Telegram} {
			if v != nil {
				p.Consent[ch] = customer.ConsentPatch{Transactional: v.Transactional, Marketing: v.Marketing}
			}
		}
		for _, ch := range []string{"email", "sms", "telegram"} {
			m := map[string]*bool{"email": c.MarketingEmail, "sms": c.MarketingSMS, "telegram": c.MarketingTelegram}[ch]
			if m == nil {
				continue
			}
			cur := p.Consent[ch]
			if cur.Marketing != nil && *cur.Marketing != *m {
				return p, invalid.Field("consent.marketing_"+ch, "invalid", "says the opposite of consent.%s.marketing", ch)
			}
			cur.Marketing = m
			p.Consent[ch] = cur
		}
	}
	return p, nil
}
