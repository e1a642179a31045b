package api

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestAnswerNeverEmpty: an answer that cannot be encoded (a time past year
// 9999, as the order of 9999-12-31T23:59:59Z gave in a later time zone) is
// a 500 with an error body, not a 201 or 200 with no body at all.
func TestAnswerNeverEmpty(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	writeJSON(rec, 201, map[string]any{"created_at": time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"internal"`) {
		t.Errorf("answer = %d %q, want 500 with an error body", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	writeJSON(rec, 201, map[string]any{"ok": true})
	if rec.Code != 201 || rec.Body.String() != "{\"ok\":true}\n" {
		t.Errorf("answer = %d %q", rec.Code, rec.Body.String())
	}
}
