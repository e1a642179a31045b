package backup

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// archived is one archive found in a backup directory.
type archived struct {
	Name string
	At   time.Time
}

// listArchives returns the archives in dir, newest first, by the time in
// their names; other files are left out.
func listArchives(dir string) ([]archived, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var out []archived
	for _, e := range entries {
		if at, ok := archiveTime(e.Name()); ok && e.Type().IsRegular() {
			out = append(out, archived{e.Name(), at})
		}
	}
	slices.SortFunc(out, func(a, b archived) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return len(b.Name) - len(a.Name) // name-2 after name in the same second
	})
	return out, nil
}

// Retain splits the archive names into those the retention keeps and
// those it drops: the newest archive of each of the daily latest days
// that have one, then the newest of each of the weekly latest ISO weeks
// before the oldest day kept. Days and weeks are the shop's (loc). Names
// that are not archives' are neither kept nor dropped.
func Retain(names []string, daily, weekly int, loc *time.Location) (keep, drop []string) {
	var all []archived
	for _, n := range names {
		if at, ok := archiveTime(n); ok {
			all = append(all, archived{n, at})
		}
	}
	slices.SortFunc(all, func(a, b archived) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return len(b.Name) - len(a.Name)
	})
	days := map[string]bool{}
	weeks := map[string]bool{}
	var oldestDay string
	for _, a := range all {
		t := a.At.In(loc)
		day := t.Format(time.DateOnly)
		y, w := t.ISOWeek()
		week := fmt.Sprintf("%d-W%02d", y, w)
		switch {
		case days[day] || weeks[week]:
			drop = append(drop, a.Name)
		case len(days) < daily:
			days[day] = true
			oldestDay = day
			keep = append(keep, a.Name)
		case day < oldestDay && len(weeks) < weekly && !sameWeekAsKeptDay(week, days, loc):
			weeks[week] = true
			keep = append(keep, a.Name)
		default:
			drop = append(drop, a.Name)
		}
	}
	return keep, drop
}

// sameWeekAsKeptDay reports whether a kept day falls in week: the
// weekly archives are of the weeks before the daily ones.
func sameWeekAsKeptDay(week string, days map[string]bool, loc *time.Location) bool {
	for d := range days {
		t, err := time.ParseInLocation(time.DateOnly, d, loc)
		if err != nil {
			continue
		}
		y, w := t.ISOWeek()
		if fmt.Sprintf("%d-W%02d", y, w) == week {
			return true
		}
	}
	return false
}

// Prune deletes the archives in dir the retention drops and returns
// their names.
func Prune(dir string, daily, weekly int, loc *time.Location) ([]string, error) {
	list, err := listArchives(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(list))
	for i, a := range list {
		names[i] = a.Name
	}
	_, drop := Retain(names, daily, weekly, loc)
	for _, n := range drop {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("remove old backup: %w", err)
		}
	}
	return drop, nil
}
