package inbox

import (
	"testing"
)

// FuzzThreadingParsers feeds the parsers of what senders write — order
// numbers in the subject and text, shopcare's own Message-IDs, the
// references and the language — with anything: they must never panic,
// and what they return must be usable.
func FuzzThreadingParsers(f *testing.F) {
	for _, seed := range [][2]string{
		{"Where is order #A-1001?", "c12@shopcare"},
		{"Заказ № 5521", "<m7@shopcare>"},
		{"Pasūtījums Nr. 9981", "m99999999999999999999@shopcare"},
		{"Re: Re: #", "<>"},
		{"\xff\xfe заказ", "c-1@shopcare"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, text, id string) {
		for _, n := range orderNumbers(&Inbound{Subject: text, Text: text}) {
			if n == "" || len(n) > 41 {
				t.Fatalf("order number %q from %q", n, text)
			}
		}
		if _, n, ok := ownID(id); ok && n <= 0 {
			t.Fatalf("ownID(%q) = %d", id, n)
		}
		refs := threadRefs(&Inbound{InReplyTo: id, References: []string{text, id}})
		if len(refs) > 50 {
			t.Fatalf("%d references", len(refs))
		}
		if l := detectLanguage(text); l != "" && !Supported(l) {
			t.Fatalf("detectLanguage(%q) = %q", text, l)
		}
		in := Inbound{Channel: ChannelEmail, From: id + "@x", Subject: text, Text: text, MessageID: id}
		if err := normalize(&in); err == nil && len(in.Subject) > 500 {
			t.Fatalf("subject of %d bytes kept", len(in.Subject))
		}
	})
}
