package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// orderPatchRequest is the body of PATCH /orders/{id}: a JSON merge patch
// of the fields that may change after intake. Absent fields stay.
type orderPatchRequest struct {
	DeliveryAddress *string           `json:"delivery_address" doc:"Where the order goes; null or \"\" clears it."`
	Payment         *paymentPatchJSON `json:"payment"`
	Items           *[]itemRequest    `json:"items" doc:"Replaces every line of the order; the total becomes their sum unless total is sent too."`
	Total           *json.Number      `json:"total"`
	Carrier         *string           `json:"carrier" doc:"One of the shop's carriers; null or \"\" for the shop's first. Another carrier re-promises the order."`
	Customer        *contactPatchJSON `json:"customer" doc:"The customer's name and contacts (their other orders see the change too)."`
}

// paymentPatchJSON changes an order's payment.
type paymentPatchJSON struct {
	Method *string `json:"method" doc:"cod or prepaid."`
	Paid   *bool   `json:"paid" doc:"true once the customer has paid (a cash on delivery order at the door)."`
}

// contactPatchJSON changes a customer's name and contacts.
type contactPatchJSON struct {
	Name  *string `json:"name"`
	Email *string `json:"email" doc:"null or \"\" clears it; a customer keeps an e-mail, a phone or an external id."`
	Phone *string `json:"phone" doc:"Any common notation; stored in E.164. null or \"\" clears it."`
}

// orderPatchFields are the fields PATCH /orders/{id} reads, per object.
var orderPatchFields = map[string][]string{
	"":         {"delivery_address", "payment", "items", "total", "carrier", "customer"},
	"payment":  {"method", "paid"},
	"customer": {"name", "email", "phone"},
}

// orderPatchElsewhere says where the fields of an order that cannot be
// patched are changed.
var orderPatchElsewhere = map[string]string{
	"status":          "POST /api/v1/orders/{id}/status moves an order through its lifecycle",
	"tracking_number": "POST /api/v1/orders/{id}/status or /parcels sets it",
	"external_id":     "it is the order's identity",
	"currency":        "an order keeps the currency it was placed in",
	"address":         "send delivery_address",
}

// orderPatch changes an order and answers it as GET does.
func (h *Handler) orderPatch(w http.ResponseWriter, r *http.Request) {
	var req orderPatchRequest
	nulls, err := patchBody(r, &req, orderPatchFields, orderPatchElsewhere)
	if err == nil {
		err = notNull(nulls, "payment", "items", "total", "customer", "payment.method", "payment.paid", "customer.name")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	o, err := h.orders.Find(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := req.change(o.Currency, nulls)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.orders.Update(ctx, o.ID, c); err != nil {
		h.fail(w, r, err)
		return
	}
	o, err = h.orders.Get(ctx, o.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeOrder(w, r, http.StatusOK, o)
}

// change turns the patch into the domain's change; prices and the total
// are read in the order's currency.
func (req *orderPatchRequest) change(currency string, nulls map[string]bool) (order.Change, error) {
	var errs invalid.List
	c := order.Change{Address: req.DeliveryAddress, Carrier: req.Carrier, Source: order.SourceAPI}
	empty := ""
	if nulls["delivery_address"] {
		c.Address = &empty
	}
	if nulls["carrier"] {
		c.Carrier = &empty
	}
	if p := req.Payment; p != nil {
		c.Payment = &order.PaymentChange{Method: p.Method, Paid: p.Paid}
	}
	if cu := req.Customer; cu != nil {
		c.Contact = &customer.Contact{Name: cu.Name, Email: cu.Email, Phone: cu.Phone}
		if nulls["customer.email"] {
			c.Contact.Email = &empty
		}
		if nulls["customer.phone"] {
			c.Contact.Phone = &empty
		}
	}
	scale := money.Scale(currency)
	if req.Total != nil {
		v, err := money.Parse(strings.TrimSpace(req.Total.String()), scale)
		if err != nil {
			errs.Add("total", "invalid", "%q: %v", *req.Total, err)
		}
		c.Total = &v
	}
	if req.Items != nil {
		items := make([]order.Item, 0, len(*req.Items))
		for i, it := range *req.Items {
			price, err := money.Parse(it.Price.String(), scale)
			if err != nil {
				errs.Add("items["+strconv.Itoa(i)+"].price", "invalid", "%q: %v", it.Price, err)
			}
			items = append(items, order.Item{SKU: it.SKU, Name: it.Name, Qty: it.Qty,
				PriceMinor: price, MadeToOrder: it.MadeToOrder, ProductionDays: it.ProductionDays, VariantID: it.VariantID})
		}
		c.Items = &items
	}
	return c, errs.Err()
}
