package cli

import "github.com/shopcare/shopcare/internal/bench"

// BenchDrainCmd is `shopcare bench drain`: its flags, for bench.Drain.
type BenchDrainCmd struct {
	Orders    int    `help:"Orders of history to import (three years, as bench import generates them)." default:"1000000"`
	Customers int    `help:"Customers they belong to (at most 10,000,000)." default:"300000"`
	Batch     int    `help:"Events a drain transaction handles when they are all history (0: the dispatcher's own)." default:"0"`
	Keep      bool   `help:"Keep the temporary directory (SQLite database) and the PostgreSQL schema."`
	Profile   string `help:"Write a CPU profile of the drain to this file (go tool pprof reads it)." placeholder:"FILE"`
	JSON      bool   `help:"Print the figures as JSON on standard output (the report goes to standard error)." name:"json"`
}

// Run runs the benchmark.
func (c *BenchDrainCmd) Run(g *Globals) error {
	b := bench.Drain(*c)
	return b.Run(g.benchEnv())
}
