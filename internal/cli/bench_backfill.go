package cli

import "github.com/shopcare/shopcare/internal/bench"

// BenchBackfillCmd is `shopcare bench backfill`: its flags, for bench.Backfill.
type BenchBackfillCmd struct {
	Orders   int  `help:"Orders the platform's shop has." default:"100000"`
	PageSize int  `help:"Orders per page of the platform's API." default:"250"`
	Keep     bool `help:"Keep the temporary directory and the PostgreSQL schema."`
	JSON     bool `help:"Print the figures as JSON on standard output (the report goes to standard error)." name:"json"`
}

// Run runs the benchmark.
func (c *BenchBackfillCmd) Run(g *Globals) error {
	b := bench.Backfill(*c)
	return b.Run(g.benchEnv())
}
