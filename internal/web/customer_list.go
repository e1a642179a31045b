package web

import (
	"github.com/shopcare/shopcare/internal/insider"
	"net/http"
	"strconv"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
)

// customerListPage is the customer list.
type customerListPage struct {
	adminPage
	Query     string
	Customers []*customer.Customer
	Currency  string
	Pages     pageLinks
}

// customerList shows customers, the most recent buyers first, or those a
// search finds.
func (h *Handler) customerList(w http.ResponseWriter, r *http.Request, v *visitor) {
	qs := r.URL.Query()
	q := qs.Get("q")
	list, more, err := h.customers.List(r.Context(), customer.ListFilter{Query: q, After: qs.Get("after"),
		Limit: pageSize})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := customerListPage{adminPage: h.adminPage(v, auth.AreaCustomers), Query: q, Customers: list,
		Currency: h.app.Settings.Shop.Currency}
	last := ""
	if len(list) > 0 {
		last = list[len(list)-1].Cursor()
	}
	p.Pages = newPager("/customers", qs).links(last, more)
	h.render(w, r, http.StatusOK, "customer_list", p)
}

// customerShowPage is one customer: contact, consent per channel, orders,
// messages and their standing in the loyalty program.
type customerShowPage struct {
	adminPage
	Customer *customer.Customer
	Contact  *message.Contact
	Channels []channelStanding
	Orders   []order.ListItem
	Messages []message.Message
	Loyalty  *customerLoyalty
	Currency string
	// Experiences is the customer's part of the negative-experience
	// register.
	Experiences *experienceSection
	// Insiders are the club's projects the customer is in (customer_insider.go).
	Insiders []insider.Membership
}

// channelStanding is a customer's standing on one channel, for the page.
type channelStanding struct {
	Channel  string
	Address  string // where it reaches them, "" when it cannot
	Why      string // why it cannot
	Standing message.Standing
}

// customerShow shows a customer; ?before= pages back through their
// loyalty ledger.
func (h *Handler) customerShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	p, err := h.customerShowData(r, v, id, before)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch r.URL.Query().Get("saved") {
	case "1":
		p.Flash = "admin.saved"
	case "again":
		p.Loyalty.Again = true
	}
	h.render(w, r, http.StatusOK, "customer_show", p)
}

func (h *Handler) customerShowData(r *http.Request, v *visitor, id, before int64) (*customerShowPage, error) {
	ctx := r.Context()
	c, err := h.customers.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &customerShowPage{adminPage: h.adminPage(v, auth.AreaCustomers), Customer: c, Currency: h.app.Settings.Shop.Currency}
	if p.Contact, err = h.messages.LoadContact(ctx, id); err != nil {
		return nil, err
	}
	for _, ch := range config.ChannelNames {
		addr, why := p.Contact.Address(ch)
		p.Channels = append(p.Channels, channelStanding{Channel: ch, Address: addr, Why: why, Standing: p.Contact.Standing[ch]})
	}
	if p.Orders, _, err = h.orders.List(ctx, order.ListFilter{CustomerID: id, Limit: 100}); err != nil {
		return nil, err
	}
	if p.Experiences, err = h.experienceSectionData(ctx, v.Lang, id, p.Orders); err != nil {
		return nil, err
	}
	if p.Messages, err = h.messages.ListByCustomer(ctx, id, 100); err != nil {
		return nil, err
	}
	if p.Loyalty, err = h.customerLoyaltyData(ctx, v, id, before, p.Orders); err != nil {
		return nil, err
	}
	if p.Insiders, err = h.customerInsiders(ctx, id); err != nil {
		return nil, err
	}
	return p, nil
}
