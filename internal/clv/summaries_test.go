package clv

import (
	"errors"
	"reflect"
	"testing"
)

// TestSummariesFitAsTheSlice: customers added one at a time fit to
// exactly the result of the slice functions, both models.
func TestSummariesFitAsTheSlice(t *testing.T) {
	t.Parallel()
	pop := Population{Params: cdnowDays, Spend: cdnowSpend, MaxT: 700, Step: 1}
	cs := pop.Simulate(newRand(7), 20_000)
	var s Summaries
	for _, c := range cs {
		if err := s.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	if s.Len() != len(cs) {
		t.Errorf("Len %d, want %d", s.Len(), len(cs))
	}
	want, err := FitBGNBD(cs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.FitBGNBD()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BG/NBD from Summaries %+v, from the slice %+v", got, want)
	}
	wantSpend, err := FitGammaGamma(cs)
	if err != nil {
		t.Fatal(err)
	}
	gotSpend, err := s.FitGammaGamma()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotSpend, wantSpend) {
		t.Errorf("Gamma-Gamma from Summaries %+v, from the slice %+v", gotSpend, wantSpend)
	}
}

// TestSummariesRejectAndCountNothing: an invalid summary is refused
// and left out; too few customers are not enough data.
func TestSummariesRejectAndCountNothing(t *testing.T) {
	t.Parallel()
	var s Summaries
	if err := s.Add(Customer{ID: 3, Frequency: 2, Recency: 9, T: 5}); !errors.Is(err, ErrInvalidCustomer) {
		t.Errorf("recency beyond T: %v, want ErrInvalidCustomer", err)
	}
	if err := s.Add(Customer{ID: 4, Frequency: 1, Recency: 2, T: 5, Monetary: 10}); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 1 {
		t.Errorf("Len %d, want 1", s.Len())
	}
	if _, err := s.FitBGNBD(); !errors.Is(err, ErrNotEnoughData) {
		t.Errorf("BG/NBD of one customer: %v, want ErrNotEnoughData", err)
	}
	if _, err := s.FitGammaGamma(); !errors.Is(err, ErrNotEnoughData) {
		t.Errorf("Gamma-Gamma of one customer: %v, want ErrNotEnoughData", err)
	}
}
