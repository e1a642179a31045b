package mailin

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/inbox"
)

// TestParseFeedback: an abuse report (RFC 5965) is a complaint about the
// quoted message, by the original recipient; other feedback types and a
// report without its part are no complaint.
func TestParseFeedback(t *testing.T) {
	t.Parallel()
	in, err := Parse(fixture(t, "mailru_arf_abuse.eml"))
	if err != nil {
		t.Fatal(err)
	}
	want := inbox.BounceReport{Recipient: "olga@mail.ru", Status: "abuse", Complaint: true, Diagnostic: "Mail.Ru-FBL/1.0",
		OriginalMessageID: "k12-345@shopcare"}
	if in.Auto != inbox.Bounce || in.Bounce == nil || *in.Bounce != want {
		t.Fatalf("auto %q, report %+v, want %+v", in.Auto, in.Bounce, want)
	}
	for _, a := range in.Attachments {
		t.Errorf("the report kept as an attachment: %s %s", a.Name, a.ContentType)
	}
	report := func(fields string) string {
		return "From: fbl@yahoo.com\r\nTo: abuse@shop.lv\r\nSubject: complaint\r\n" +
			"Content-Type: multipart/report; report-type=feedback-report; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nA report.\r\n" +
			"--b\r\nContent-Type: message/feedback-report\r\n\r\n" + fields + "\r\n" +
			"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nTo: redacted@yahoo.com\r\nMessage-ID: <k3-4@shopcare>\r\n--b--\r\n"
	}
	for _, tc := range []struct {
		name, raw string
		want      *inbox.BounceReport
	}{
		{"redacted recipient: the quoted To", report("Feedback-Type: abuse\r\nVersion: 1\r\nUser-Agent: YahooFBL/1.0\r\n"),
			&inbox.BounceReport{Recipient: "redacted@yahoo.com", Status: "abuse", Complaint: true, Diagnostic: "YahooFBL/1.0", OriginalMessageID: "k3-4@shopcare"}},
		{"removed recipient", report("Feedback-Type: Fraud\r\nRemoved-Recipient: rfc822; Ann@Example.lv\r\n"),
			&inbox.BounceReport{Recipient: "ann@example.lv", Status: "fraud", Complaint: true, OriginalMessageID: "k3-4@shopcare"}},
		{"not spam", report("Feedback-Type: not-spam\r\nOriginal-Rcpt-To: a@b.lv\r\n"), nil},
		{"no type", report("Version: 1\r\n"), nil},
	} {
		in, err := Parse([]byte(tc.raw))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		switch {
		case tc.want == nil && in.Bounce != nil:
			t.Errorf("%s: taken for a report: %+v", tc.name, in.Bounce)
		case tc.want != nil && (in.Bounce == nil || *in.Bounce != *tc.want || in.Auto != inbox.Bounce):
			t.Errorf("%s: report %+v, want %+v", tc.name, in.Bounce, *tc.want)
		}
	}
}

// FuzzFeedbackReport: no report part makes the ARF parser panic; what it
// reports is a complaint with a UTF-8 address.
func FuzzFeedbackReport(f *testing.F) {
	for _, s := range []string{"Feedback-Type: abuse\r\nOriginal-Rcpt-To: a@b.lv\r\n", "Feedback-Type: abuse\n", "Feedback-Type: abuse\r\n Original-Rcpt-To:\r\n",
		"", "\x00\xff: x\r\n", "Feedback-Type: other\r\n\r\nFeedback-Type: abuse\r\n", strings.Repeat("X-A: b\r\n", 200)} {
		f.Add([]byte(s), "<k1-2@shopcare>", "To: c@d.ee")
	}
	f.Fuzz(func(t *testing.T, content []byte, id, to string) {
		b := feedbackReport(content, id, to)
		if b == nil {
			return
		}
		if !b.Complaint || b.Permanent || !utf8.ValidString(b.Recipient) && utf8.ValidString(to) && utf8.Valid(content) {
			t.Fatalf("report %+v", b)
		}
	})
}
