package cli

import (
	"time"

	"github.com/shopcare/shopcare/internal/bench"
)

// BenchSoakCmd is `shopcare bench soak`: its flags, for bench.Soak.
type BenchSoakCmd struct {
	Duration    time.Duration `help:"How long the load and the faults go on." default:"10m"`
	Seed        uint64        `help:"Draws the load and the faults' schedule; 0 draws one from the clock (printed, to run the same again)." default:"0"`
	Concurrency int           `help:"Clients sending requests at once." default:"4"`
	FaultEvery  time.Duration `help:"Mean time between two faults (each between half and one and a half of it)." default:"20s"`
	Outage      time.Duration `help:"Mean time the SMTP server stays down and the disk stays full." default:"10s"`
	Disk        int           `help:"Size in MiB of the tmpfs the SQLite data directory is mounted on (as root)." default:"256"`
	Drain       time.Duration `help:"At most how long to wait for the work to drain after the load." default:"5m"`
	Keep        bool          `help:"Keep the temporary directory (logs, SQLite database) and the PostgreSQL schema."`
	JSON        bool          `help:"Print the figures as JSON on standard output (the report goes to standard error)." name:"json"`
}

// Run runs the fault suite.
func (c *BenchSoakCmd) Run(g *Globals) error {
	b := bench.Soak{Duration: c.Duration, Seed: c.Seed, Concurrency: c.Concurrency, FaultEvery: c.FaultEvery, Outage: c.Outage,
		DiskMiB: c.Disk, Drain: c.Drain, Keep: c.Keep, JSON: c.JSON}
	return b.Run(g.benchEnv())
}
