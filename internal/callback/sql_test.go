package callback

import (
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// The queries whose plans TestQueryPlans checks; the task package owns
// them.
const (
	queueSQL = task.CallbackQueueSQL
	statsSQL = task.CallbackStatsSQL
)

func waitSQL(engine store.Engine) string { return task.CallbackWaitSQL(engine) }
