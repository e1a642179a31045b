package cli

import (
	"time"

	"github.com/shopcare/shopcare/internal/bench"
)

// BenchCrashCmd is `shopcare bench crash`: its flags, for bench.Crash.
type BenchCrashCmd struct {
	Sends       int           `help:"Orders to send, each bringing one order confirmation e-mail." default:"10000"`
	KillEvery   time.Duration `help:"Mean time between two SIGKILLs of serve while orders come in (each between half and one and a half of it)." default:"15s"`
	Concurrency int           `help:"Clients sending orders at once." default:"8"`
	Settle      time.Duration `help:"How long to watch for late copies after the last kill." default:"75s"`
	Keep        bool          `help:"Keep the temporary directory (logs, SQLite database) and the PostgreSQL schema."`
	JSON        bool          `help:"Print the figures as JSON on standard output (the report goes to standard error)." name:"json"`
}

// Run runs the benchmark.
func (c *BenchCrashCmd) Run(g *Globals) error {
	b := bench.Crash(*c)
	return b.Run(g.benchEnv())
}
