package clv

// Summaries collects customer summaries one at a time for both fits, so
// a caller streaming millions of customers never holds them all: the
// BG/NBD keeps one count per distinct (x, t_x, T), the Gamma-Gamma 16
// bytes per repeat buyer with spend. Fitting from Summaries gives exactly
// the result of FitBGNBD and FitGammaGamma over the same customers in
// the same order. The zero value is empty and ready to use.
type Summaries struct {
	bg    bgBuilder
	spend spendBuilder
}

// Add validates c and counts it; an invalid summary is a CustomerError
// and is not counted.
func (s *Summaries) Add(c Customer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	s.bg.add(c)
	s.spend.add(c)
	return nil
}

// Len is the number of customers added.
func (s *Summaries) Len() int { return s.bg.d.customers }

// FitBGNBD fits the BG/NBD model to the customers added, as FitBGNBD.
func (s *Summaries) FitBGNBD() (*Fit, error) { return fitBGNBD(s.bg.data()) }

// FitGammaGamma fits the Gamma-Gamma model to the customers added, as
// FitGammaGamma.
func (s *Summaries) FitGammaGamma() (*SpendFit, error) { return fitGammaGamma(s.spend.data()) }
