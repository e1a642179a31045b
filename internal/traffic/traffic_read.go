package traffic

import "context"

// Daily returns the traffic of each day from..to (YYYY-MM-DD, inclusive)
// per source, earliest first: a day the shop or its platform pushed
// stands in for the counter's.
func (s *Service) Daily(ctx context.Context, from, to string) ([]Day, error) {
	return nil, nil
}

// Hourly returns the counter's traffic of each hour from..to (Unix
// seconds of the hours' starts, inclusive) that had any, earliest first.
func (s *Service) Hourly(ctx context.Context, from, to int64) ([]Hour, error) {
	return nil, nil
}
