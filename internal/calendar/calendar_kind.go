package calendar

import "strconv"

// Kind says why a day is working or not.
type Kind uint8

// The kinds of day. Workday, WorkingWeekend and ShopWorkday are working days;
// the others are not.
const (
	// Workday is a plain Monday to Friday.
	Workday Kind = iota
	// Weekend is a plain Saturday or Sunday.
	Weekend
	// Holiday is a public holiday, whatever the day of the week.
	Holiday
	// MovedDayOff is a weekday off by a transfer or substitute rule: an
	// observed holiday, a day off moved by decree, a bridge day.
	MovedDayOff
	// WorkingWeekend is a Saturday or Sunday that is a working day by decree
	// or government order, in exchange for a MovedDayOff.
	WorkingWeekend
	// ShopDayOff is a day the shop itself does not work (Override).
	ShopDayOff
	// ShopWorkday is a day the shop itself works (Override).
	ShopWorkday
)

var kindNames = [...]string{
	Workday:        "workday",
	Weekend:        "weekend",
	Holiday:        "holiday",
	MovedDayOff:    "moved_day_off",
	WorkingWeekend: "working_weekend",
	ShopDayOff:     "shop_day_off",
	ShopWorkday:    "shop_workday",
}

// String returns the kind's snake_case name, such as "moved_day_off".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Working reports whether days of this kind are working days.
func (k Kind) Working() bool {
	return k == Workday || k == WorkingWeekend || k == ShopWorkday
}

// Info explains a day: what kind it is and why.
type Info struct {
	Kind Kind
	// Name is the holiday's English name or the override's reason; "" for a
	// plain workday or weekend.
	Name string
	// MovedFrom links a moved day to its pair when known: for a
	// MovedDayOff, the weekend day or holiday whose rest was moved to it;
	// for a WorkingWeekend, the weekday that became a day off in its place.
	// It is 0 otherwise.
	MovedFrom Day
	// Provisional is true when the day's year is past the country's last
	// decreed year, so moved days off are computed by law and may change.
	Provisional bool
}
