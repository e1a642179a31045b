package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
)

// FuzzCampaignForm: any body of the compose form parses without a panic;
// every problem names one of the service's fields with a code, and its
// words are never a raw code; what parses keeps the shop's languages
// only.
func FuzzCampaignForm(f *testing.F) {
	f.Add("name=%D0%9E%D1%81%D0%B5%D0%BD%D1%8C&channel=email&segment=at_risk&content_ru_subject=a&content_ru_markdown=b&schedule=customer_morning")
	f.Add("ab=1&test_share=20&test_metric=clicks&test_wait=1,5&b_en_subject=x&holdout=10&window=3&attribution_days=7&cost=1+000,50")
	f.Add("schedule=at&send_at=2026-12-24T09:00&min_clv=abc&max_clv=1e400&saved=-1&languages=ru&languages=xx&countries=lv,+ee;lt")
	f.Add("schedule=at&send_at=2026-02-30T25:61&test_share=99999999999999999999&holdout=%00&cost=NaN&window=Inf")
	f.Add("%zz=&&;=&content_ru_html=%3Cscript%3E")
	fields := map[string]bool{"audience.min_clv": true, "audience.max_clv": true, "audience.saved": true, "test.share": true,
		"test.wait": true, "holdout": true, "send_at": true, "window": true, "attribution_days": true, "cost": true}
	loc := time.FixedZone("MSK", 3*60*60)
	f.Fuzz(func(t *testing.T, body string) {
		form, _ := url.ParseQuery(body)
		_, in, problems := parseCampaignForm(form, []string{"ru", "en"}, loc)
		for _, p := range problems {
			if !fields[p.Field] || p.Code == "" {
				t.Fatalf("problem %+v from %q", p, body)
			}
			for _, lang := range []string{"ru", "lv", "en"} {
				if s := campaignProblemText(i18n.Lang(lang), p); strings.Contains(s, "[") || strings.Contains(s, "admin.") {
					t.Fatalf("problem %+v in words: %q", p, s)
				}
			}
		}
		for lang := range in.Content {
			if lang != "ru" && lang != "en" {
				t.Fatalf("content in %q from %q", lang, body)
			}
		}
		for _, l := range in.Audience.Languages {
			if l != "ru" && l != "lv" && l != "en" {
				t.Fatalf("audience language %q from %q", l, body)
			}
		}
		if in.TrackClicks == nil {
			t.Fatal("the form always says whether to count clicks")
		}
	})
}
