package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/promise"
)

// PromiseCmd groups the promise engine's commands.
type PromiseCmd struct {
	Quote    PromiseQuoteCmd    `cmd:"" help:"Show the dates a cart ordered now (or --at) would be promised, and why."`
	Calendar PromiseCalendarCmd `cmd:"" help:"List the shop's days off and moved working days of a year."`
}

// PromiseQuoteCmd quotes a cart.
type PromiseQuoteCmd struct {
	Carrier        string `help:"Carrier code (default: the shop's first)."`
	Country        string `help:"Destination country (default: the shop's)."`
	ProductionDays int    `help:"Working days to make the items (made to order)." default:"-1"`
	At             string `help:"When the order is placed, like 2026-12-31T19:40:00+03:00 (default: now)."`
	Lang           string `help:"Language of the explanation: ru, lv or en (default: the shop's first)."`
}

// langFlag checks a --lang flag: "" (the shop's first language) or one
// shopcare writes in.
func langFlag(lang string) error {
	if lang == "" {
		return nil
	}
	if _, ok := i18n.Parse(lang); !ok {
		return fmt.Errorf("--lang: %q is not a language shopcare writes in: ru, lv or en", lang)
	}
	return nil
}

// Run prints the quote.
func (c *PromiseQuoteCmd) Run(g *Globals) error {
	if err := langFlag(c.Lang); err != nil {
		return err
	}
	var at time.Time
	if c.At != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, c.At); err != nil {
			return fmt.Errorf("--at: %q is not a time like 2026-12-31T19:40:00+03:00", c.At)
		}
		if !invalid.InRange(at) {
			return fmt.Errorf("--at: %s is outside the years %d–%d the calendars cover", c.At, invalid.FirstYear, invalid.LastYear)
		}
	}
	ctx := context.Background()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	e := a.Promises.Engine()
	req := promise.Request{PlacedAt: a.Clock.Now(), Carrier: c.Carrier, Country: strings.ToUpper(c.Country)}
	if !at.IsZero() {
		req.PlacedAt = at
	}
	if c.ProductionDays >= 0 {
		req.MadeToOrder, req.ProductionDays = true, c.ProductionDays
	}
	lang := i18n.Pick(c.Lang, i18n.Pick(a.Settings.Shop.Languages[0], i18n.EN))
	d, steps, err := e.Explain(req, lang)
	if errors.Is(err, promise.ErrUnknownCarrier) {
		return fmt.Errorf("--carrier: %q is not one of the shop's carriers", c.Carrier)
	}
	if err != nil {
		return err
	}
	w := g.stdout
	fmt.Fprintf(w, "placed         %s\n", req.PlacedAt.In(e.Location()).Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "received       %s\n", d.Received)
	if d.Made {
		fmt.Fprintf(w, "made by        %s\n", d.Production)
	}
	fmt.Fprintf(w, "ships          %s\n", d.Ship)
	fmt.Fprintf(w, "arrives        %s – %s\n", d.DeliveryFrom, d.DeliveryTo)
	if d.Provisional {
		fmt.Fprintln(w, "provisional    yes: the holiday calendar is not decreed yet")
	}
	fmt.Fprintln(w)
	for _, s := range steps {
		fmt.Fprintln(w, "  "+s)
	}
	return nil
}

// PromiseCalendarCmd lists a year's special days.
type PromiseCalendarCmd struct {
	Year int    `help:"Year (default: this year)."`
	Lang string `help:"Language of the dates: ru, lv or en (default: the shop's first)."`
}

// Run prints every day of the year that is not what its weekday suggests:
// holidays and days off on weekdays, working Saturdays and Sundays.
func (c *PromiseCalendarCmd) Run(g *Globals) error {
	if err := langFlag(c.Lang); err != nil {
		return err
	}
	if c.Year != 0 && (c.Year < invalid.FirstYear || c.Year > invalid.LastYear) {
		return fmt.Errorf("--year: %d is outside the years %d–%d the calendars cover", c.Year, invalid.FirstYear, invalid.LastYear)
	}
	ctx := context.Background()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	cal := a.Promises.Engine().Calendar()
	year := c.Year
	if year == 0 {
		year = a.Promises.Today().Year()
	}
	lang := i18n.Pick(c.Lang, i18n.Pick(a.Settings.Shop.Languages[0], i18n.EN))
	w := g.stdout
	fmt.Fprintf(w, "%s %d: %s\n", cal.Country(), year,
		i18n.WorkingDays(lang, cal.WorkdaysBetween(calendar.Date(year, 1, 0), calendar.Date(year, 12, 31))))
	for d := calendar.Date(year, 1, 1); d.Year() == year; d++ {
		info := cal.Info(d)
		if info.Kind == calendar.Workday || info.Kind == calendar.Weekend {
			continue
		}
		line := fmt.Sprintf("%s  %s %s %s", d, pad(i18n.FormatDay(lang, d), 28), pad(i18n.DayKind(lang, info.Kind.String()), 22),
			i18n.HolidayName(lang, info.Name))
		if info.MovedFrom != 0 {
			line += " " + i18n.Text(lang, "format.moved_from", map[string]any{"Day": info.MovedFrom.String()})
		}
		if info.Provisional {
			line += " " + i18n.Text(lang, "format.provisional", nil)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	return nil
}

// pad fills s with spaces to n letters (not bytes: "четверг" is seven).
func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}
