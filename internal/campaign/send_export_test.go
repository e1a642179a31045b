package campaign

import (
	"context"
	"errors"

	"github.com/riverqueue/river/rivertype"
)

// SendOnce runs campaign id's send job once, as River would; snoozed
// tells whether it asked to run again (and when, in business time).
func SendOnce(ctx context.Context, s *Service, id int64) (snoozed bool, err error) {
	err = s.sendRun(ctx, id)
	var sn *rivertype.JobSnoozeError
	if errors.As(err, &sn) {
		return true, nil
	}
	return false, err
}
