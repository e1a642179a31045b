package config

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/invalid"
)

// CannedReply is one of the support inbox's ready answers (support.canned),
// written once per language; an operator inserts it into a reply in the
// conversation's language with the conversation's order filled in:
//
//	support:
//	  canned:
//	    - name: Where is my parcel
//	      text:
//	        ru: "{{.Customer.FirstName}}, заказ {{.Order.Number}} в пути: {{.TrackingURL}}"
//	        en: "{{.Customer.FirstName}}, order {{.Order.Number}} is on its way: {{.TrackingURL}}"
type CannedReply struct {
	// Name is what the operator picks it by; unique.
	Name string `yaml:"name"`
	// Text is the reply by language (ru, lv, en), a Go text/template over
	// CannedData.
	Text map[string]string `yaml:"text"`
}

// CannedData is what a canned reply's template reads. Dates and amounts
// are written out in the conversation's language already, so a shop's
// text needs no functions: {{.Promise.Delivery}} is "4–6 December".
type CannedData struct {
	Shop     CannedShop
	Customer CannedCustomer
	Order    CannedOrder
	Promise  CannedPromise
	// TrackingURL opens the order's tracking page; "" without an order.
	TrackingURL string
	// Operator is the person answering.
	Operator CannedOperator
}

// CannedShop is the shop in a canned reply.
type CannedShop struct{ Name, Phone string }

// CannedCustomer is the customer: their name as the shop has it (or as
// they gave it), and its first word.
type CannedCustomer struct{ Name, FirstName string }

// CannedOrder is the conversation's order (else the customer's latest);
// every field is "" when there is none.
type CannedOrder struct {
	Number         string // the shop's order number
	Status         string // in words: "Shipped"
	Total          string // "1 250,00 €"
	Carrier        string // the carrier's name
	TrackingNumber string
}

// CannedPromise is the order's promise in words; "" when not known.
type CannedPromise struct {
	Ships    string // "Friday 4 December"
	Delivery string // "4–6 December"
}

// CannedOperator is the person who answers.
type CannedOperator struct{ Name string }

// CannedSample is an example of CannedData: every canned reply is tried
// on it when the settings are read, so a field that does not exist fails
// at start, not in front of a customer.
func CannedSample() CannedData {
	return CannedData{
		Shop:        CannedShop{Name: "Кастрюля и сковородка", Phone: "+7 495 123-45-67"},
		Customer:    CannedCustomer{Name: "Андрей Петров", FirstName: "Андрей"},
		Order:       CannedOrder{Number: "1042", Status: "Отправлен", Total: "4 990,00 ₽", Carrier: "Почта России", TrackingNumber: "RA123456789RU"},
		Promise:     CannedPromise{Ships: "вторник, 1 декабря", Delivery: "с 6 по 8 декабря"},
		TrackingURL: "https://care.example.com/t/Xq3v9T2mKp8WnR5sLd7YbE1cH4gJ6aZ0uF2iO8eQwNt",
		Operator:    CannedOperator{Name: "Мария"},
	}
}

// Canned reply limits.
const (
	maxCannedReplies = 200
	maxCannedName    = 100
	maxCannedText    = 8 << 10
)

// ParseCanned parses one canned text as a template; missing keys fail.
func ParseCanned(name, text string) (*template.Template, error) {
	return template.New(name).Option("missingkey=error").Parse(text)
}

// validateCanned checks support.canned: each reply named once, in the
// languages shopcare writes in, and each text a template that runs on
// CannedSample.
func (s *Settings) validateCanned(errs *invalid.List) {
	if len(s.Support.Canned) > maxCannedReplies {
		errs.Add("support.canned", "too_many", "at most %d canned replies", maxCannedReplies)
		return
	}
	seen := map[string]bool{}
	sample := CannedSample()
	for i, c := range s.Support.Canned {
		key := fmt.Sprintf("support.canned[%d]", i)
		name := strings.TrimSpace(c.Name)
		switch {
		case name == "":
			errs.Add(key+".name", "required", "a canned reply needs a name")
		case utf8.RuneCountInString(name) > maxCannedName || strings.ContainsAny(name, "\x00\r\n"):
			errs.Add(key+".name", "invalid", "must be one line of at most %d characters", maxCannedName)
		case seen[name]:
			errs.Add(key+".name", "duplicate", "%q names another canned reply already", name)
		}
		seen[name] = true
		if len(c.Text) == 0 {
			errs.Add(key+".text", "required", "give the text in at least one of ru, lv, en")
		}
		for _, lang := range []string{"ru", "lv", "en"} {
			text, ok := c.Text[lang]
			if !ok {
				continue
			}
			tkey := key + ".text." + lang
			if len(text) > maxCannedText || !utf8.ValidString(text) {
				errs.Add(tkey, "invalid", "must be UTF-8 text of at most %d bytes", maxCannedText)
				continue
			}
			t, err := ParseCanned(tkey, text)
			if err == nil {
				err = t.Execute(io.Discard, sample)
			}
			if err != nil {
				errs.Add(tkey, "invalid", "%v", err)
			}
		}
		for _, lang := range slices.Sorted(maps.Keys(c.Text)) {
			if lang != "ru" && lang != "lv" && lang != "en" {
				errs.Add(key+".text."+lang, "invalid", "%q is not ru, lv or en", lang)
			}
		}
	}
}
