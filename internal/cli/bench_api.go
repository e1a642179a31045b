package cli

import (
	"time"

	"github.com/shopcare/shopcare/internal/bench"
)

// BenchAPICmd is `shopcare bench api`: its flags, for bench.API.
type BenchAPICmd struct {
	Concurrency int           `help:"Clients sending orders at once, each waiting for its answer before the next." default:"32"`
	Duration    time.Duration `help:"How long to measure." default:"10s"`
	Warmup      time.Duration `help:"How long to send orders before measuring; their results are discarded." default:"2s"`
	Keep        bool          `help:"Keep the temporary directory (logs, SQLite database) and the PostgreSQL schema."`
	JSON        bool          `help:"Print the figures as JSON on standard output (the report goes to standard error)." name:"json"`
}

// Run runs the benchmark.
func (c *BenchAPICmd) Run(g *Globals) error {
	b := bench.API(*c)
	return b.Run(g.benchEnv())
}
