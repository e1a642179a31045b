package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
)

// myOrdersPerPage is how many orders a page of the customer's list
// shows: a phone screen or two, with a link to the older ones.
const myOrdersPerPage = 20

// myHomePage is the customer's own page: a greeting and their orders,
// newest first, a page at a time.
type myHomePage struct {
	myPage
	FirstName string
	Orders    []myOrderRow
	// Next is the link to the older orders, "" on the last page; Later
	// says this is not the first page, which then links back to it.
	Next  string
	Later bool
}

// myOrderRow is one order of the list as its customer reads it.
type myOrderRow struct {
	URL    string
	Number string
	Placed string // the day it was placed, in the customer's time zone
	Total  string
	Status string // in the words of its delivery
	// State is a CSS class: open (on its way), done (delivered) or
	// stopped (cancelled, returned).
	State string
	// Delivery is the promised window of an order on its way; Late says
	// the window has passed. Delivered is the day it came.
	Delivery  string
	Late      bool
	Delivered string
	Parcels   []myParcelRow
}

// myParcelRow is one parcel of an order in the list: where it is, in
// words.
type myParcelRow struct {
	TrackingNumber, Carrier, Status string
}

// myHome lists the signed-in customer's orders, newest first, from the
// index on the customer's orders (?after= is the cursor of the page
// before).
func (h *Handler) myHome(w http.ResponseWriter, r *http.Request, v *myVisit) {
	ctx := r.Context()
	after := r.URL.Query().Get("after")
	list, more, err := h.orders.ListOfCustomer(ctx, v.Customer.ID, after, myOrdersPerPage)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := myHomePage{myPage: h.myPageOf(r, v, v.Lang, "orders"), FirstName: myFirstName(v.Customer), Later: after != ""}
	loc := notify.Location(v.Customer.Timezone, h.app.Settings.Shop.Location())
	ids := make([]int64, len(list))
	for i, o := range list {
		ids[i] = o.ID
	}
	parcels, err := h.parcels.ByOrders(ctx, ids)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.orders.Today()
	for _, o := range list {
		p.Orders = append(p.Orders, h.myOrderRow(o, parcels[o.ID], v.Lang, loc, today))
	}
	if more && len(list) > 0 {
		p.Next = "/my?after=" + url.QueryEscape(list[len(list)-1].Cursor())
	}
	h.render(w, r, http.StatusOK, "my_home", p)
}

// myOrderRow says one order of the list in the customer's words: its
// status as the tracking page names it, the promise of an order on its
// way, and where each of its parcels ps is.
func (h *Handler) myOrderRow(o order.CustomerOrder, ps []parcel.Parcel, lang i18n.Lang, loc *time.Location, today string) myOrderRow {
	row := myOrderRow{
		URL: myOrderURL(o.ID), Number: order.Number(o.ExternalID),
		Total: i18n.Money(lang, o.TotalMinor, o.Currency), Status: h.statusWords(lang, o.Status, o.Carrier), State: "open",
	}
	if !o.PlacedAt.IsZero() {
		row.Placed = i18n.FormatDay(lang, calendar.DayOf(o.PlacedAt.In(loc)))
	}
	switch o.Status {
	case order.Cancelled, order.Returned:
		row.State = "stopped"
	case order.Delivered:
		row.State = "done"
		row.Delivered = formatDay(lang, o.DeliveredOn)
	default:
		row.Delivery = formatWindow(lang, o.DeliveryFrom, o.PromisedTo)
		state := (&order.Order{Status: o.Status, PromisedTo: o.PromisedTo, DeliveredOn: o.DeliveredOn}).
			PromiseState(today, h.app.Settings.Compensation.LateGraceDays)
		row.Late = state == order.Late
	}
	for _, p := range ps {
		row.Parcels = append(row.Parcels, myParcelRow{TrackingNumber: p.TrackingNumber, Carrier: h.carrierWords(lang, p.Carrier),
			Status: parcelStatusText(lang, p.Status)})
	}
	if len(ps) == 0 && o.TrackingNumber != "" {
		// A carrier shopcare does not track: the number the shop gave is
		// all there is, and the order's status says where it is.
		row.Parcels = []myParcelRow{{TrackingNumber: o.TrackingNumber, Carrier: h.carrierWords(lang, o.Carrier)}}
	}
	return row
}
