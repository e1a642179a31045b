// Package trend works out the expected level of a shop's daily orders and
// warns early when orders drop clearly below it — but not on an ordinary
// quiet Sunday, a normal slow day, or because one outlier day (a Black
// Friday) sits in the history.
//
// # Input
//
// A history is a slice of [Day], one per shop-local calendar day, in
// strictly increasing date order; only the year, month and day of Date are
// read (its clock and location are not). A date out of order or given twice
// is an error naming that date ([DayError], [ErrUnsorted],
// [ErrDuplicateDate]); so is a value that is negative, NaN or infinite
// ([ErrInvalidValue]). A date missing between two given days is a day with
// no orders, value 0 — which is what a GROUP BY over the orders table
// produces. A caller whose data feed has a hole must not pass it as a gap.
// [Options.Through] extends the history with zero days up to the last
// complete day, so that a shop whose orders stopped altogether, and whose
// query therefore returns nothing for the last days, is still warned about.
// Values are counts of orders; fractions are allowed, but the band's floor
// assumes count units.
//
// # Method
//
// Every day d gets its expectation from the days before it only
// (one-step-ahead), so the band on a chart is what Check would have said on
// that day, not a fit that has seen the day. From the last Window days
// before d, rounded down to whole weeks (nw weeks, each holding each
// weekday once):
//
//  1. Weekly reference level m_w: the trimmed mean of the week's seven
//     values (the lowest and highest dropped). A single spike never enters it.
//  2. Day-of-week factor s_k: the median, over the weeks, of value / m_w
//     for that weekday. One Black Friday is one ratio of nw, and moves the
//     median by at most one rank. A weekday that is always zero gets factor
//     0 (a closed day: expected 0, never a warning).
//  3. Level: each week's trimmed mean of the deseasonalised values
//     value / s_k, then a Theil–Sen line (median of the pairwise slopes,
//     median intercept) through those weekly levels, read at day d. The
//     median slope ignores a whole odd week, and follows a real trend.
//  4. Expected(d) = level(d) · s_k(d), never below 0.
//  5. Scale, on the square-root scale u(x) = 2·sqrt(x + 3/8) (Anscombe),
//     where Poisson counts have standard deviation 1 whatever their mean:
//     τ = max(1, 1.4826 · MAD of u(value) − u(fitted) over the window),
//     inflated by sqrt(1 + 2/nw) for the error of factors estimated from
//     nw ratios each. The floor of 1 is the Poisson floor: a shop that
//     usually has 3 orders on a Sunday and gets 1 is well inside the band,
//     however tidy its past Sundays were; the MAD takes over when the shop
//     varies more than Poisson (weather, campaigns).
//  6. Band: Lower and Upper are u⁻¹(u(Expected) ∓ k·τ) with k =
//     [Options.Sensitivity], clamped at 0. It is asymmetric, as count
//     noise is: wider above than below.
//
// # The warning rule
//
// [Check] looks at the latest day T of the history (which must be a
// complete day; see Options.Through) and, with z = (u(actual) −
// u(expected)) / τ and k = Sensitivity (default 3), raises a [Warning] when
// either
//
//   - the day is far below: z(T) < −(k + 1). With eight weeks of history
//     a zero day warns from about 8 expected orders up; a shop expecting 2
//     is never warned about one empty day; or
//   - the drop is sustained: for the last 2 or the last 3 days, each day
//     is at least a sigma below its expectation (z < −1) and their sum is
//     below the band of the sum by half a sigma more, z(Σ actual,
//     Σ expected) < −(k + 0.5). Here the expectations and τ come from the
//     fit to the days before the run, so the first days of a drop do not
//     lower the bar for the later ones; τ is also the scale of the sum on
//     the root scale, as the sum of counts is itself a count.
//
// The extra margins are there because the expectation is itself an
// estimate, which gives z heavier tails than a normal variable's: in
// simulated ordinary shops a 2- or 3-day sum falls below −3 on about 3 days
// in 1000 and below −3.5 on about 1 in 1000; the whole rule warns on about
// 1 ordinary day in 1000. The per-day margin makes one very bad day after
// two ordinary ones a day far below, not a run. What that buys and costs,
// at k = 3: orders halved at 50 a weekday are caught within three days
// (most on the first or second); at 20 a weekday about 3 halvings in 4 are,
// as Poisson noise can make a halved day look nearly ordinary; at 10 a day
// three days rarely suffice. Three empty days where seven orders were
// expected are reported, as they happen by chance only about once in 1100
// days; two empty days where four were expected are not.
//
// Nothing else warns: not a day merely below the band, and not days a
// little low. When both parts fire, the sustained one is reported.
// Warning.Days is how long the drop has lasted: the days the rule judged
// (1, or the 2 or 3 of the run, the longer when both fire) and the
// consecutive days before them below their band; Warning.Drop is the share
// of the expected orders missing over those days, against the chart's
// one-step-ahead expectations.
//
// Without [Options.MinHistory] days before a day there is no expectation for
// it, and Check and Expect return [ErrTooLittleHistory] rather than guess.
package trend
