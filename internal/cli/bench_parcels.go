package cli

import (
	"time"

	"github.com/shopcare/shopcare/internal/bench"
)

// BenchParcelsCmd is `shopcare bench parcels`: its flags, for bench.Parcels.
type BenchParcelsCmd struct {
	Orders      int           `help:"Shipped orders with a parcel each, seeded set-based, that the carrier events are for." default:"100000"`
	OpenOrders  int           `help:"Open orders seeded set-based for the promise watch, promised from 40 days before today to 30 after." default:"1000000" name:"open-orders"`
	Concurrency int           `help:"Clients sending events at once, each waiting for its answer before the next." default:"32"`
	Batch       int           `help:"Events per request in the batch mode (the API takes up to 1,000)." default:"100"`
	Duration    time.Duration `help:"How long to measure each mode." default:"10s"`
	Warmup      time.Duration `help:"How long to send events before measuring each mode; their figures are discarded (their events are counted)." default:"2s"`
	Sweeps      int           `help:"Daily passes of the promise watch, the clock a day on before each; as many passes that find nothing follow." default:"5"`
	Keep        bool          `help:"Keep the temporary directory (logs, SQLite database) and the PostgreSQL schema."`
	Profile     string        `help:"Write a CPU profile of the promise and parcel watch passes to this file (go tool pprof reads it)." placeholder:"FILE"`
	JSON        bool          `help:"Print the figures as JSON on standard output (the report goes to standard error)." name:"json"`
}

// Run runs the benchmark.
func (c *BenchParcelsCmd) Run(g *Globals) error {
	b := bench.Parcels(*c)
	return b.Run(g.benchEnv())
}
