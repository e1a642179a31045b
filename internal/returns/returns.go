package returns

import (
	"errors"
	"fmt"
	"time"
)

// State is where a return request is.
type State string

// The states of a return request. A request starts requested, and its
// return_request task asks an operator to arrange it with the customer;
// once the operator closes the task, the request reads handled.
const (
	Requested State = "requested"
	Handled   State = "handled"
)

// MaxComment bounds the customer's comment, in characters.
const MaxComment = 2000

// maxLines bounds the lines of one request: an order with more lines is
// returned in several requests.
const maxLines = 200

// ErrNotDelivered refuses a return of an order that is not delivered:
// there is nothing to send back yet (or it came back already).
var ErrNotDelivered = errors.New("the order is not delivered")

// ClosedError refuses a return asked after the window closed, or when the
// shop takes no returns on the customer's page (Days 0).
type ClosedError struct {
	// Until is the last day returns were open (YYYY-MM-DD, shop-local),
	// "" when the shop takes none on the page.
	Until string
}

func (e *ClosedError) Error() string {
	if e.Until == "" {
		return "the shop takes no returns on the customer's page"
	}
	return fmt.Sprintf("returns were open until %s", e.Until)
}

// Line is one line of a return request.
type Line struct {
	// Line is the item's position on the order, from 1.
	Line int
	SKU  string
	Name string
	Qty  int64
}

// Request is a customer's request to return items.
type Request struct {
	ID         int64
	OrderID    int64
	CustomerID int64
	Reason     string
	Comment    string
	State      State
	CreatedAt  time.Time
	Lines      []Line
}

// Units is how many units the request asks back.
func (r Request) Units() int64 {
	var n int64
	for _, l := range r.Lines {
		n += l.Qty
	}
	return n
}

// Window is an order's return window.
type Window struct {
	// Delivered says the order is delivered (and not returned since);
	// DeliveredOn is its shop-local delivery day.
	Delivered   bool
	DeliveredOn string
	// Returned says the whole order came back to the shop already.
	Returned bool
	// Until is the last day a return may be asked (DeliveredOn plus the
	// window's days), "" when not delivered or when the shop takes no
	// returns on the page.
	Until string
	// Open says a return may be asked today.
	Open bool
	// Days is the days since the delivery.
	Days int
}

// Returnable is one line of the order as the return form shows it.
type Returnable struct {
	Line      int
	SKU       string
	Name      string
	Ordered   int64
	Requested int64 // by earlier requests
}

// Left is how many units of the line may still be asked back.
func (r Returnable) Left() int64 { return max(r.Ordered-r.Requested, 0) }

// Form is what the customer's return page shows: the window, the order's
// lines with what is left to return, the reasons offered and the
// requests made before.
type Form struct {
	Window   Window
	Lines    []Returnable
	Reasons  []string
	Requests []Request
}

// Any tells whether some unit is left to return.
func (f Form) Any() bool {
	for _, l := range f.Lines {
		if l.Left() > 0 {
			return true
		}
	}
	return false
}

// Input is a customer's return form.
type Input struct {
	OrderID    int64
	CustomerID int64
	// Qty maps an order line (from 1) to the units asked back; lines at
	// 0 are not asked.
	Qty     map[int]int64
	Reason  string
	Comment string
	// FormID is the form's random id: the same form posted twice makes
	// one request.
	FormID string
}
