// Package calendar answers "is this a working day?" and "which day is n
// working days after that one?" for a shop's country, fast enough for the
// promise engine to quote delivery dates in a tight loop.
//
// A country's public holidays, substitute days, moved days off and working
// Saturdays are compiled once, for 2000-01-01 through 2099-12-31, into a
// bitmap of working days plus a rank index and a list of the working days.
// The hot-path methods (IsWorkday, NextWorkday, AddWorkdays, WorkdaysBetween)
// are then a few array reads: no maps, no time.Time, no allocation. Outside
// the compiled range they fall back to plain Saturday/Sunday weekends,
// computed arithmetically.
//
// The holidays come from github.com/rickar/cal/v2 where it knows them, with
// tables of our own for what it does not: Estonia, Russia's yearly decrees on
// moved days off (Постановления Правительства РФ о переносе выходных дней),
// and Latvia's Cabinet orders moving a working day to a Saturday. A year past
// the last Russian decree we ship is computed by the Labour Code alone and
// reported as provisional.
//
// A shop's own days off and extra working days (Override) apply last.
// Compiled country calendars are cached, so New for a country already seen
// copies the cached tables only when there are overrides to patch in. A
// Calendar never changes after New and is safe for concurrent use.
package calendar
