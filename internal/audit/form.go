package audit

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/shopcare/shopcare/internal/invalid"
)

// ItemField is the form field of an item's answer: "item-<id>", valued
// pass or fail (left out: the item was not looked at).
func ItemField(id int64) string { return "item-" + strconv.FormatInt(id, 10) }

// MaxFormItems bounds the answers a form may carry, so a forged form
// with thousands of fields costs nothing.
const MaxFormItems = 2 * MaxItems

// ParseForm reads a check of point from the admin's form: day, kind,
// who, score (empty for none), notes and the items' answers (ItemField).
// What cannot be read is an invalid.List naming the field; the rest is
// checked by CheckAdd.
func ParseForm(point Point, form url.Values) (CheckInput, invalid.List) {
	in := CheckInput{Point: point, Day: form.Get("day"), Kind: Kind(form.Get("kind")), Who: form.Get("who"),
		Notes: form.Get("notes")}
	var l invalid.List
	if s := strings.TrimSpace(form.Get("score")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 5 {
			l.Add("score", "out_of_range", "must be between 1 and 5")
		} else {
			in.Score = n
		}
	}
	keys := make([]string, 0, len(form))
	for k := range form {
		if strings.HasPrefix(k, "item-") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if len(keys) > MaxFormItems {
		l.Add("results", "too_many", "at most %d items", MaxFormItems)
		return in, l
	}
	for _, k := range keys {
		id, err := strconv.ParseInt(strings.TrimPrefix(k, "item-"), 10, 64)
		v := form[k]
		if err != nil || id <= 0 || len(v) != 1 || (v[0] != "pass" && v[0] != "fail" && v[0] != "") {
			l.Add("results", "invalid", "%q is not an item's answer (pass or fail)", k)
			break
		}
		if v[0] != "" {
			in.Results = append(in.Results, ResultInput{ItemID: id, Passed: v[0] == "pass"})
		}
	}
	return in, l
}
