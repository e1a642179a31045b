package cli

import "github.com/shopcare/shopcare/internal/bench"

// BenchMetricsCmd is `shopcare bench metrics`: its flags, for bench.Metrics.
type BenchMetricsCmd struct {
	Orders    int  `help:"Orders to seed, over three years." default:"10000000"`
	Customers int  `help:"Customers they belong to." default:"3000000"`
	Runs      int  `help:"Runs of each report." default:"3"`
	CLV       bool `help:"Also time report clv over all the customers." default:"true" negatable:""`
	JSON      bool `help:"Print the figures as JSON on standard output." name:"json"`
	Keep      bool `help:"Keep the store (and print where it is)."`
}

// Run runs the benchmark.
func (c *BenchMetricsCmd) Run(g *Globals) error {
	b := bench.Metrics(*c)
	return b.Run(g.benchEnv())
}
