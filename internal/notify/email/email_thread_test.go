package email

import "testing"

// TestThreadID: ids from a sender's headers go into In-Reply-To and
// References only when they cannot break the header.
func TestThreadID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"q1@mail.example":             "<q1@mail.example>",
		"<q1@mail.example>":           "<q1@mail.example>",
		"":                            "",
		"a b@x":                       "",
		"a@x>\r\nBcc: victim@example": "",
		`"quoted"@x`:                  "",
	} {
		if got := threadID(in); got != want {
			t.Errorf("threadID(%q) = %q, want %q", in, got, want)
		}
	}
}
