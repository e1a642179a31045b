package order

import "testing"

func TestCanMove(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to Status
		want     bool
	}{
		{New, Processing, true},
		{New, Shipped, true},
		{Processing, New, false},
		{Delivered, New, false},
		{Delivered, Returned, true},
		{Shipped, Cancelled, false},
		{ReadyToShip, Cancelled, true},
		{New, Returned, false},
		{Cancelled, Processing, false},
		{Returned, Delivered, false},
		{ReadyForPickup, Delivered, true},
		{Delivered, Delivered, false},
	}
	for _, tt := range tests {
		if got := CanMove(tt.from, tt.to); got != tt.want {
			t.Errorf("CanMove(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}
