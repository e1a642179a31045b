package audit

import "slices"

// Point is a touch point of the customer's journey, where the shop meets
// the customer and can check itself. The points are fixed: a shop edits
// their checklists, not the list of points.
type Point string

// The touch points, in the order of the journey.
const (
	PointSite         Point = "site"
	PointCheckout     Point = "checkout"
	PointConfirmation Point = "confirmation"
	PointCall         Point = "call"
	PointPacking      Point = "packing"
	PointDelivery     Point = "delivery"
	PointPickup       Point = "pickup"
	PointSupport      Point = "support"
	PointFollowUp     Point = "follow_up"
)

// Points returns the touch points in the order of the journey.
func Points() []Point {
	return []Point{PointSite, PointCheckout, PointConfirmation, PointCall, PointPacking, PointDelivery,
		PointPickup, PointSupport, PointFollowUp}
}

// ParsePoint reads a point's code; ok is false for anything else.
func ParsePoint(s string) (Point, bool) {
	p := Point(s)
	return p, slices.Contains(Points(), p)
}

// Kind is how a check was made.
type Kind string

// The kinds of check: the shop's own monthly walk through the point, or
// a mystery shopper's visit.
const (
	KindSelf    Kind = "self"
	KindMystery Kind = "mystery"
)

// Kinds returns the kinds of check.
func Kinds() []Kind { return []Kind{KindSelf, KindMystery} }

// defaultItems is how many built-in checklist items each point has; their
// texts are the locale ids admin.audit.default.<point>.<n>, 1-based, so the
// shop's checklist starts in its own language.
var defaultItems = map[Point]int{
	PointSite: 4, PointCheckout: 4, PointConfirmation: 3, PointCall: 4, PointPacking: 4,
	PointDelivery: 4, PointPickup: 3, PointSupport: 4, PointFollowUp: 3,
}
