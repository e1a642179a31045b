package cli

import "github.com/shopcare/shopcare/internal/bench"

// BenchPagesCmd is `shopcare bench pages`: its flags, for bench.Pages.
type BenchPagesCmd struct {
	Orders    int    `help:"Orders of history to import (three years, as bench import generates them)." default:"1000000"`
	Customers int    `help:"Customers the history belongs to (at most 10,000,000)." default:"300000"`
	Callbacks int    `help:"Live orders of the last day and a half left new, each with its call-back open." default:"5000"`
	Packing   int    `help:"Live orders more whose call-back reached the customer, waiting in processing to be packed." default:"2000"`
	Requests  int    `help:"Requests per page, each with its own parameters." default:"200"`
	Reuse     string `help:"Measure the store a --keep run left (its directory for SQLite, its schema with --database-url) instead of seeding one." placeholder:"DIR|SCHEMA"`
	Keep      bool   `help:"Keep the temporary directory (SQLite database) and the PostgreSQL schema."`
	Profile   string `help:"Write a CPU profile of the measured requests to this file (go tool pprof reads it)." placeholder:"FILE"`
	JSON      bool   `help:"Print the figures as JSON on standard output (the report goes to standard error)." name:"json"`
}

// Run runs the benchmark.
func (c *BenchPagesCmd) Run(g *Globals) error {
	b := bench.Pages(*c)
	return b.Run(g.benchEnv())
}
