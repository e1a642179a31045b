// Package clv predicts customer lifetime value from purchase histories.
//
// Two models from Fader, Hardie and Lee are combined:
//
//   - BG/NBD ("Counting Your Customers the Easy Way", 2005) for the number
//     of repeat purchases. While alive a customer buys as a Poisson process
//     with rate λ ~ Gamma(r, α) (shape r, rate α); after each repeat purchase
//     they drop out for good with probability p ~ Beta(a, b).
//   - Gamma-Gamma ("RFM and CLV", 2005, in the parametrisation of the
//     lifetimes library) for the spend per purchase: a purchase is worth
//     z ~ Gamma(p, ν) (shape p, rate ν) with ν ~ Gamma(q, γ) per customer,
//     independent of the purchase process.
//
// A customer is summarised as (x, t_x, T, m): x repeat purchases (distinct
// purchase days after the first), the last of them t_x after the first
// purchase, an observation period of T since the first purchase and a mean
// repeat spend m. Times are in whatever unit the caller picks (days, weeks);
// the fitted α and the horizons passed to the predictions are in the same
// unit.
//
// Both models are fitted by maximum likelihood with BFGS on the logarithms
// of the parameters, which keeps them positive. Customers with
// identical summaries are aggregated first and the log-likelihood and its
// analytic gradient are computed in one pass over the distinct summaries,
// so a fit over a million customers with day-granular data (some 400,000
// distinct summaries over three years) takes about two seconds on one core.
// Standard errors come from the inverse Hessian of the negative
// log-likelihood (by finite differences of the analytic gradient)
// in log-parameter space; the 95% intervals are Wald intervals there,
// mapped back with exp, so they are asymmetric and always positive.
//
// The package is pure computation: no database, no clock.
package clv
