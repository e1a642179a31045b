package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// analyticsArea is the area of the analytics pages: the shop's figures
// (revenue, spend, what each customer is worth) are the owner's, as the
// settings are.
const analyticsArea = auth.AreaSettings

// analyticsNav marks the analytics entry of the menu as the page on show;
// the layout puts that entry before the settings, which the owner alone
// sees. It is no area of its own: analyticsArea guards the routes.
const analyticsNav auth.Area = "analytics"

// cohortColumns bounds the months after acquisition the cohort table
// shows: a year, and the acquisition month itself.
const cohortColumns = 13

// analyticsPage is the owner's dashboard: the headline figures of a
// window, the return goal, the cohorts, the channels with their spend,
// the CLV segments and the charts' data.
type analyticsPage struct {
	adminPage
	N numbers
	// From and To are the window as typed; Errors holds what is wrong
	// with them (the whole history is shown then).
	From, To string
	Errors   map[string]string
	D        *analytics.Dashboard
	M        *analytics.Metrics
	Cohorts  []cohortRow
	Ages     []int // the cohort table's month columns: 0, 1, 2…
	LTVAges  []string
	Spend    spendForm
	Spent    []analytics.Spend // the spend entered, newest first
	Known    []string          // the channels of the shop, for the form
	Chart    chartData
	// OtherRevenue is the revenue in currencies other than the shop's.
	OtherRevenue []currencyAmount
	// Worth is the block "what care is worth" (experience_worth.go).
	Worth *experienceWorthBlock
	// Traffic is the visitors beside the orders (analytics_traffic.go).
	Traffic *trafficBlock
}

// currencyAmount is an amount in a named currency.
type currencyAmount struct {
	Currency string
	Amount   string
}

// cohortRow is one acquisition month of the cohort table, its retention
// by month after as shaded cells.
type cohortRow struct {
	analytics.Cohort
	Cells []cohortCell
}

// cohortCell is a month of a cohort: the share still buying, shaded in
// steps of 10 % (heat-0 … heat-10); Known is false past today.
type cohortCell struct {
	Share  float64
	Active int64
	Heat   int
	Known  bool
}

// spendForm is the form that enters a month's spend on a channel.
type spendForm struct {
	Month, Channel, Amount string
	Errors                 map[string]string // field → what is wrong
}

// analyticsShow shows the dashboard for ?from=&to= (shop days, both
// included; the whole history by default). A day that cannot be read is
// an error on its field, with a 400, and the whole history is shown.
func (h *Handler) analyticsShow(w http.ResponseWriter, r *http.Request, v *visitor) {
	q := r.URL.Query()
	p, err := h.analyticsData(r.Context(), v, q.Get("from"), q.Get("to"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if q.Get("saved") != "" {
		p.Flash = "admin.saved"
	}
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusBadRequest
	}
	h.render(w, r, status, "analytics", p)
}

// analyticsData reads the dashboard of the window as typed.
func (h *Handler) analyticsData(ctx context.Context, v *visitor, from, to string) (*analyticsPage, error) {
	p := &analyticsPage{adminPage: h.adminPage(v, analyticsNav), From: from, To: to, Errors: map[string]string{},
		N: h.numbers(v.Lang), Spend: spendForm{Month: h.app.Clock.Now().In(h.app.Settings.Shop.Location()).Format("2006-01"),
			Errors: map[string]string{}}}
	win, err := analytics.ParseWindow(from, to)
	var bad *invalid.Error
	switch {
	case errors.As(err, &bad):
		p.Errors[bad.Field] = windowErrorText(v.Lang, bad.Field, from, to)
	case err != nil:
		return nil, err
	}
	if p.D, err = h.app.Analytics.Dashboard(ctx, win); err != nil {
		return nil, err
	}
	if p.Spent, err = h.app.Analytics.SpendList(ctx); err != nil {
		return nil, err
	}
	p.M = p.D.Metrics
	p.Ages, p.Cohorts = cohortTable(p.M.Cohorts, h.app.Clock.Now().In(h.app.Settings.Shop.Location()))
	for _, n := range analytics.LTVMonths {
		p.LTVAges = append(p.LTVAges, strconv.Itoa(n))
	}
	for cur, amount := range p.M.RevenueByCurrency {
		if cur != p.M.Currency {
			p.OtherRevenue = append(p.OtherRevenue, currencyAmount{Currency: cur, Amount: p.N.MoneyIn(amount, cur)})
		}
	}
	slices.SortFunc(p.OtherRevenue, func(a, b currencyAmount) int { return strings.Compare(a.Currency, b.Currency) })
	for _, c := range p.M.Channels {
		if c.Channel != "" {
			p.Known = append(p.Known, c.Channel)
		}
	}
	p.Chart = h.chartData(v.Lang, p.D)
	p.Traffic = trafficBlockOf(p.N, p.M.Traffic)
	if p.Worth, err = h.experienceWorthData(ctx, v.Lang, p.N); err != nil {
		return nil, err
	}
	return p, nil
}

func (h *Handler) numbers(lang i18n.Lang) numbers {
	return numbers{lang: lang, currency: h.app.Settings.Shop.Currency}
}

// windowErrorText says what is wrong with a day of the window form.
func windowErrorText(lang i18n.Lang, field, from, to string) string {
	_, errFrom := time.Parse(time.DateOnly, from)
	_, errTo := time.Parse(time.DateOnly, to)
	if field == "to" && errFrom == nil && errTo == nil {
		return i18n.Text(lang, "analytics.error.order_of_days", nil)
	}
	return i18n.Text(lang, "analytics.error.day", nil)
}

// cohortTable lays the cohorts out as rows of cohortColumns cells at
// most; a month not yet come is no cell of data.
func cohortTable(cs []analytics.Cohort, now time.Time) ([]int, []cohortRow) {
	width := 0
	for _, c := range cs {
		width = max(width, len(c.Retention))
	}
	width = min(width, cohortColumns)
	ages := make([]int, width)
	for k := range ages {
		ages[k] = k
	}
	thisMonth := now.Format("2006-01")
	rows := make([]cohortRow, 0, len(cs))
	for _, c := range cs {
		row := cohortRow{Cohort: c, Cells: make([]cohortCell, width)}
		start, err := time.Parse("2006-01", c.Month)
		for k := range row.Cells {
			if k >= len(c.Retention) || (err == nil && start.AddDate(0, k, 0).Format("2006-01") > thisMonth) {
				continue
			}
			share := c.Retention[k]
			cell := cohortCell{Share: share, Heat: min(max(int(share*10), 0), 10), Known: true}
			if k < len(c.Active) {
				cell.Active = c.Active[k]
			}
			row.Cells[k] = cell
		}
		rows = append(rows, row)
	}
	return ages, rows
}
