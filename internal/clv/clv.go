package clv

import (
	"errors"
	"fmt"
	"math"
)

// Customer is one customer's purchase summary in model time units.
type Customer struct {
	ID        int64   // opaque, carried through
	Frequency float64 // x: number of repeat purchases (distinct purchase days after the first)
	Recency   float64 // t_x: time from the first purchase to the last one (ignored when Frequency is 0)
	T         float64 // time from the first purchase to the end of observation
	Monetary  float64 // mean spend of the repeat purchases (0 when Frequency is 0)
}

// Params are the BG/NBD parameters: the purchase rate λ ~ Gamma(R, Alpha)
// (shape R, rate Alpha in inverse time units) and the dropout probability
// p ~ Beta(A, B).
type Params struct{ R, Alpha, A, B float64 }

// SpendParams are the Gamma-Gamma parameters: a purchase's value is
// Gamma(P, ν) (shape P, rate ν) and ν is Gamma(Q, Gamma) across customers.
type SpendParams struct{ P, Q, Gamma float64 }

// ErrNotEnoughData is returned by the fits when the data cannot identify the
// model, e.g. no repeat buyers or no observation time at all. The wrapping
// error says how many customers and repeat buyers there were.
var ErrNotEnoughData = errors.New("not enough data")

// ErrInvalidCustomer is wrapped by every CustomerError.
var ErrInvalidCustomer = errors.New("invalid customer")

// CustomerError reports a customer summary the models cannot take: a
// negative or non-finite field, or a recency beyond the observation period.
type CustomerError struct {
	ID     int64   // the customer's ID
	Field  string  // "frequency", "recency", "T" or "monetary"
	Value  float64 // the offending value
	Reason string  // what is wrong with it
}

// Error implements error.
func (e *CustomerError) Error() string {
	return fmt.Sprintf("customer %d: %s %v %s", e.ID, e.Field, e.Value, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalidCustomer) hold.
func (e *CustomerError) Unwrap() error { return ErrInvalidCustomer }

// Validate checks that c's fields are finite and non-negative and that its
// recency does not exceed T.
func (c Customer) Validate() error {
	fields := []struct {
		name string
		v    float64
	}{{"frequency", c.Frequency}, {"recency", c.Recency}, {"T", c.T}, {"monetary", c.Monetary}}
	for _, f := range fields {
		switch {
		case math.IsNaN(f.v) || math.IsInf(f.v, 0):
			return &CustomerError{ID: c.ID, Field: f.name, Value: f.v, Reason: "is not a finite number"}
		case f.v < 0:
			return &CustomerError{ID: c.ID, Field: f.name, Value: f.v, Reason: "is negative"}
		}
	}
	if c.Frequency > 0 && c.Recency > c.T {
		return &CustomerError{ID: c.ID, Field: "recency", Value: c.Recency, Reason: fmt.Sprintf("exceeds T %v", c.T)}
	}
	return nil
}

// Fit is a fitted BG/NBD model with its uncertainty.
type Fit struct {
	Params        Params
	StdErr        Params  // standard errors (delta method from log-parameter space)
	Lower, Upper  Params  // 95% confidence intervals
	LogLikelihood float64 // total log-likelihood at Params
	Customers     int     // customers fitted
	Repeaters     int     // customers with Frequency > 0
	Distinct      int     // distinct (x, t_x, T) summaries the likelihood was evaluated over
	Converged     bool    // the optimiser stopped at a stationary point
	Iterations    int     // optimiser major iterations
	// Degenerate, when not empty, says why the optimum is no estimate to
	// report as a result: a parameter ran to the edge of its range
	// (towards 0 or infinity), the optimiser did not converge, or the
	// Hessian is not positive definite. Such a fit is never Reliable.
	Degenerate string
	// Reliable is false when the data are small or the estimate is poorly
	// determined or degenerate; Warnings says why.
	Reliable bool
	Warnings []string
}

// SpendFit is a fitted Gamma-Gamma model with its uncertainty.
type SpendFit struct {
	Params        SpendParams
	StdErr        SpendParams // standard errors (delta method from log-parameter space)
	Lower, Upper  SpendParams // 95% confidence intervals
	LogLikelihood float64     // total log-likelihood at Params
	Customers     int         // customers used: Frequency > 0 and Monetary > 0
	Excluded      int         // customers left out: no repeat purchase or zero spend
	Distinct      int         // distinct (x, m) pairs the likelihood was evaluated over
	Converged     bool        // the optimiser stopped at a stationary point
	Iterations    int         // optimiser major iterations
	// Degenerate, when not empty, says why the optimum is no estimate to
	// report as a result: a parameter ran to the edge of its range
	// (towards 0 or infinity), the optimiser did not converge, or the
	// Hessian is not positive definite. Such a fit is never Reliable.
	Degenerate string
	// Reliable is false when the data are small or the estimate is poorly
	// determined or degenerate; Warnings says why.
	Reliable bool
	Warnings []string
}
