package api

import (
	"testing"

	"github.com/shopcare/shopcare/internal/audit"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/service"
)

// FuzzAuditCheckRequest feeds arbitrary bodies to POST /audit/checks'
// decoding and the checks made before the database: nothing panics,
// every refusal names a field, and what passes has a touch point, a day
// not after today, a known kind, a named person, a score 0–5 (or
// answers) and texts within their limits.
func FuzzAuditCheckRequest(f *testing.F) {
	f.Add(`{"point":"call","day":"2026-11-20","kind":"self","who":"Anna","score":4,"note":"ok\nfine","results":[{"item_id":1,"passed":true}]}`)
	f.Add(`{"point":"lobby","day":"2026-13-01","kind":"x","who":"","score":9}`)
	f.Add(`{"point":"site","day":"2026-11-24","kind":"mystery","who":"A\u0000","results":[{"item_id":1},{"item_id":1}]}`)
	f.Add(`{"point":"pickup","results":null,"score":-1,"note":"` + "\xff" + `"}`)
	svc := audit.New(service.Deps{Settings: config.Default()}, audit.Params{})
	f.Fuzz(func(t *testing.T, body string) {
		var req auditCheckRequest
		if !decodeFuzz(t, body, &req) {
			return
		}
		in := audit.CheckInput{Point: audit.Point(req.Point), Day: req.Day, Kind: audit.Kind(req.Kind), Who: req.Who,
			Score: req.Score, Notes: req.Notes, Results: req.Results}
		if l := svc.Validate(in, fuzzNow); len(l) > 0 {
			for _, p := range l {
				if p.Field == "" {
					t.Fatalf("a problem without its field: %v", p)
				}
			}
			return
		}
		if _, ok := audit.ParsePoint(req.Point); !ok || req.Day > "2026-11-23" || (req.Kind != "self" && req.Kind != "mystery") {
			t.Fatalf("took %+v", req)
		}
		if req.Score < 0 || req.Score > 5 || (req.Score == 0 && len(req.Results) == 0) {
			t.Fatalf("took %+v", req)
		}
	})
}
