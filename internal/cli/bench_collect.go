package cli

import (
	"time"

	"github.com/shopcare/shopcare/internal/bench"
)

// BenchCollectCmd is `shopcare bench collect`: its flags, for
// bench.Collect.
type BenchCollectCmd struct {
	Concurrency int           `help:"Clients sending beacons at once, each waiting for its answer before the next." default:"32"`
	Duration    time.Duration `help:"How long to measure." default:"10s"`
	Warmup      time.Duration `help:"How long to send beacons before measuring." default:"2s"`
	Visitors    int           `help:"Distinct visitors the beacons come from." default:"20000"`
	Keep        bool          `help:"Keep the temporary directory (logs, SQLite database) and the PostgreSQL schema."`
	JSON        bool          `help:"Print the figures as JSON on standard output (the report goes to standard error)." name:"json"`
}

// Run runs the benchmark.
func (c *BenchCollectCmd) Run(g *Globals) error {
	b := bench.Collect(*c)
	return b.Run(g.benchEnv())
}
