package store

import (
	"strconv"
	"strings"
	"time"
)

// Cursor writes where a keyset page ordered by (time, id) stops: after the
// row at t with id. It is short and URL-safe ("m5x1k2q0.9ix"), and only
// ParseCursor reads it.
func Cursor(t time.Time, id int64) string {
	return strconv.FormatInt(t.UnixMicro(), 36) + "." + strconv.FormatInt(id, 36)
}

// ParseCursor reads a Cursor; ok is false for "" or anything else it did
// not write, which lists take as "from the start".
func ParseCursor(c string) (t time.Time, id int64, ok bool) {
	a, b, found := strings.Cut(c, ".")
	if !found {
		return time.Time{}, 0, false
	}
	us, err1 := strconv.ParseInt(a, 36, 64)
	id, err2 := strconv.ParseInt(b, 36, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, 0, false
	}
	return time.UnixMicro(us).UTC(), id, true
}
