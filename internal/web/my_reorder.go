package web

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/order"
)

// myReorderField is the "Order again" form's field with its nonce: the
// order page puts a fresh myReorderKey() in it, so a double click (or a
// reload of the answer) makes one order, and a click next week another.
const myReorderField = "key"

// myReorderWindow bounds a form without its nonce: its clicks within the
// same window of real time make one order.
const myReorderWindow = 10 * time.Minute

var myReorderKeyForm = regexp.MustCompile(`^[A-Za-z0-9]{6,32}$`)

// myReorderKey returns a fresh nonce for an "Order again" form: 10
// random digits, unique enough among the clicks on one order, and digits
// because the new order's number carries it and a customer reads it.
func myReorderKey() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1e10)) // crypto/rand never fails
	return fmt.Sprintf("%010d", n)
}

// myReorderPage is the answer to "Order again" in a shop without a cart
// link: the new order, and that the shop will call to confirm it.
type myReorderPage struct {
	myPage
	Source  string // the number of the order made again
	Number  string // the new order's number
	OrderID int64
	Total   int64
	Curr    string
	Phone   string // the customer's phone the shop will call, "" when none
	Promise *trackingPromise
	// Again says the order had been made by an earlier click already.
	Again bool
	// Error says why nothing was ordered, in the customer's language.
	Error string
}

// myReorder is "Order again" on an order of the customer's own. With the
// shop's cart link (settings reorder) it sends the customer to the shop's
// cart holding the order's lines: the link is built from the settings
// and the order only, never from the request, so it cannot lead
// elsewhere. Without one, it makes a new order in shopcare with the same
// lines, which an operator confirms on the call-back, and says so.
func (h *Handler) myReorder(w http.ResponseWriter, r *http.Request, v *myVisit) {
	src, err := h.myOrder(r, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// No link when a line lacks what the platform's link names it by (a
	// Shopify or WooCommerce variant id, say, for an order from before it
	// was kept): the order is then made in shopcare below, never sent to
	// a cart missing a line or holding the wrong product.
	if link, ok := h.app.Settings.Reorder.CartLink(src.CartLines()); ok {
		http.Redirect(w, r, link, http.StatusSeeOther)
		return
	}
	key := r.PostFormValue(myReorderField)
	if !myReorderKeyForm.MatchString(key) {
		key = strconv.FormatInt(h.human.Now().Unix()/int64(myReorderWindow/time.Second), 10)
	}
	p := myReorderPage{myPage: h.myPageOf(r, v, v.Lang, "orders"), Source: order.Number(src.ExternalID), Phone: v.Customer.Phone}
	res, o, err := h.orders.Reorder(r.Context(), src, key)
	var list invalid.List
	if errors.As(err, &list) {
		p.Error = myReorderError(v, list)
		h.render(w, r, http.StatusUnprocessableEntity, "my_reorder", p)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Number, p.OrderID, p.Total, p.Curr, p.Again = order.Number(o.ExternalID), o.ID, o.TotalMinor, o.Currency, !res.Created
	ex, err := h.orders.ExplainOrder(r.Context(), o, v.Lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Promise = h.promiseView(o, ex, v.Lang, notify.Location(v.Customer.Timezone, h.app.Settings.Shop.Location()))
	h.render(w, r, http.StatusOK, "my_reorder", p)
}

// myReorderError words why an order cannot be made again.
func myReorderError(v *myVisit, list invalid.List) string {
	for _, e := range list {
		if e.Field == "items" {
			return i18n.Text(v.Lang, "my_reorder.error.no_items", nil)
		}
	}
	return i18n.Text(v.Lang, "my_reorder.error.other", nil)
}
