package cli

import "github.com/shopcare/shopcare/internal/bench"

// BenchImportCmd is `shopcare bench import`: its flags, for bench.Import.
type BenchImportCmd struct {
	Orders    int  `help:"Orders to generate." default:"1000000"`
	Customers int  `help:"Customers they belong to (at most 10,000,000)." default:"300000"`
	Keep      bool `help:"Keep the temporary directory (CSV, logs, SQLite database) and the PostgreSQL schema."`
	JSON      bool `help:"Print the figures as JSON on standard output (the report goes to standard error)." name:"json"`
}

// Run runs the benchmark.
func (c *BenchImportCmd) Run(g *Globals) error {
	b := bench.Import(*c)
	return b.Run(g.benchEnv())
}
