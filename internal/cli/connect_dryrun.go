package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/money"
	"github.com/shopcare/shopcare/internal/order"
)

// ConnectDryRunCmd shows what a sample payload maps to.
type ConnectDryRunCmd struct {
	Name   string   `arg:"" help:"The connector's name in the settings."`
	File   string   `arg:"" help:"A sample webhook body, as the platform sends it." type:"existingfile"`
	Header []string `help:"A header of the delivery, 'Name: value' (the topic, for platforms that send it in a header); repeat for more." placeholder:"'K: V'"`
	JSON   bool     `help:"Print what it maps to as JSON." name:"json"`

	build connector.AdapterFunc // tests replace platforms.New
}

// maxSampleBytes bounds the sample read, as the intake bounds a body.
const maxSampleBytes = 4 << 20

// dryRun is what a payload maps to, as --json prints it.
type dryRun struct {
	DeliveryID string `json:"delivery_id,omitempty"`
	Topic      string `json:"topic,omitempty"`
	Event      string `json:"event"`
	OrderID    string `json:"order_id,omitempty"`
	// ExternalID and CustomerExternalID are shopcare's ids of the order
	// and its customer; Carrier the shop's carrier the shipping maps to.
	ExternalID         string           `json:"external_id,omitempty"`
	CustomerExternalID string           `json:"customer_external_id,omitempty"`
	Carrier            string           `json:"carrier,omitempty"`
	Order              *connector.Order `json:"order,omitempty"`
	// Refused says why shopcare would refuse the order, naming the field.
	Refused string `json:"refused,omitempty"`
	// Dropped are the customer's details shopcare would leave out, each
	// with why (a phone number it cannot read).
	Dropped []string `json:"dropped,omitempty"`
}

// Run parses the sample with the adapter, skipping the signature check.
func (c *ConnectDryRunCmd) Run(g *Globals) error {
	s, err := g.settings()
	if err != nil {
		return err
	}
	cn, err := findConnector(s, c.Name)
	if err != nil {
		return err
	}
	ad, err := buildAdapter(c.build, cn)
	if err != nil {
		return err
	}
	if ad.Webhook == nil {
		return fmt.Errorf("%s: %s takes no webhooks", cn.Name, platformName(cn.Platform))
	}
	f, err := os.Open(c.File)
	if err != nil {
		return err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxSampleBytes+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", c.File, err)
	}
	if len(body) > maxSampleBytes {
		return fmt.Errorf("%s is over %d MiB: no platform sends a webhook that large", c.File, maxSampleBytes>>20)
	}
	h := http.Header{}
	for i, kv := range c.Header {
		k, v, ok := strings.Cut(kv, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return fmt.Errorf("--header %d (%q): write it as 'Name: value'", i+1, kv)
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	d, err := ad.Webhook.Parse(connector.Request{Header: h, Body: body, ReceivedAt: time.Now()})
	if err != nil {
		return fmt.Errorf("%s does not map as a %s delivery: %w", c.File, platformName(cn.Platform), err)
	}
	r := dryRun{DeliveryID: d.ID, Topic: d.Topic, Event: string(d.Event), OrderID: d.OrderID, Order: d.Order}
	if d.Order != nil {
		n := connector.HistoryOrder(cn, s, *d.Order)
		r.ExternalID, r.CustomerExternalID, r.Carrier = n.ExternalID, n.Customer.ExternalID, n.Carrier
		n.History = false
		dropped, err := connector.Normalize(&n, s, order.APIFields, time.Now())
		if err != nil {
			r.Refused = err.Error()
		}
		r.Dropped = dropped
	} else if d.OrderID != "" {
		r.ExternalID = connector.ExternalID(cn.Name, d.OrderID)
	}
	if c.JSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return printDryRun(g.stdout, s, r)
}

// printDryRun writes the mapping for people.
func printDryRun(w io.Writer, s config.Settings, r dryRun) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	line("event", r.Event)
	line("topic", r.Topic)
	line("delivery id", r.DeliveryID)
	line("platform order id", r.OrderID)
	line("external id", r.ExternalID)
	if o := r.Order; o != nil {
		loc := s.Shop.Location()
		line("number", o.Number)
		if !o.PlacedAt.IsZero() {
			line("placed", o.PlacedAt.In(loc).Format("2006-01-02 15:04 MST"))
		}
		status := string(o.Status)
		if status == "" {
			status = "(unchanged; new when it is new)"
		}
		line("status", status)
		paid := "not paid"
		if o.Payment.Paid {
			paid = "paid"
		}
		line("payment", strings.TrimSpace(o.Payment.Method+", "+paid))
		cur := o.Currency
		if cur == "" {
			cur = s.Shop.Currency
		}
		line("total", money.Format(o.TotalMinor, money.Scale(cur))+" "+cur)
		line("customer", strings.Join(nonEmpty(o.Customer.Name, o.Customer.Email, o.Customer.Phone), ", "))
		line("customer id", r.CustomerExternalID)
		line("language", o.Customer.Language)
		if o.MarketingConsent != nil {
			line("marketing consent", fmt.Sprint(*o.MarketingConsent))
		}
		line("address", o.Address)
		carrier := r.Carrier
		if carrier == "" && o.Shipping != "" {
			carrier = "(none: map it under the connector's carriers:)"
		}
		if o.Shipping != "" || carrier != "" {
			line("shipping", strings.TrimSpace(o.Shipping+" → "+carrier))
		}
		for i, it := range o.Items {
			line(fmt.Sprintf("items[%d]", i), fmt.Sprintf("%s %q × %d at %s", it.SKU, it.Name, it.Qty, money.Format(it.PriceMinor, money.Scale(cur))))
		}
		for i, f := range o.Fulfillments {
			line(fmt.Sprintf("fulfillments[%d]", i), strings.Join(nonEmpty(f.Carrier, f.TrackingNumber, f.TrackingURL), ", "))
		}
		line("note", o.Note)
	}
	for _, d := range r.Dropped {
		line("left out", d)
	}
	if r.Refused != "" {
		line("shopcare would refuse it", r.Refused)
	}
	return errors.Join(tw.Flush())
}

func nonEmpty(s ...string) []string {
	out := s[:0:0]
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}
