package cli

import "github.com/shopcare/shopcare/internal/bench"

// BenchCmd measures shopcare on this machine, for BENCHMARKS.md. Every
// benchmark runs shopcare itself as a child process on a fresh store (a
// temporary directory for SQLite, or a new schema when a database URL is
// set; --data is not used), so the load comes from a second process and the
// child's figures are its own.
type BenchCmd struct {
	Import   BenchImportCmd   `cmd:"" help:"Import a generated orders CSV in a child process, then time serve's start-up on the result."`
	API      BenchAPICmd      `cmd:"" name:"api" help:"Send orders to POST /api/v1/orders of a serve child; report throughput and latency."`
	Pages    BenchPagesCmd    `cmd:"" help:"Seed a store of a million orders, then time the admin pages in this process (server time) and weigh their JavaScript."`
	Loyalty  BenchLoyaltyCmd  `cmd:"" help:"Post accruals through the loyalty ledger, seed ten million entries set-based, then time balance lookups and ledger pages, and audit the books."`
	Metrics  BenchMetricsCmd  `cmd:"" help:"Seed ten million orders of three million customers set-based, then time report metrics, the dashboard and report clv."`
	Parcels  BenchParcelsCmd  `cmd:"" help:"Send carrier events to POST /api/v1/parcels/events of a serve child, then time the promise watch over a million open orders and the parcel watch."`
	Crash    BenchCrashCmd    `cmd:"" help:"Send orders to a serve child killed with SIGKILL again and again; count the order e-mails that arrive twice and how late."`
	Backfill BenchBackfillCmd `cmd:"" help:"Backfill a connector from a local platform serving generated orders in pages; report time and memory."`
	Drain    BenchDrainCmd    `cmd:"" help:"Import a million orders of history in this process, then time the journal drain until the customers' figures are current."`
	Collect  BenchCollectCmd  `cmd:"" help:"Send page-view beacons to POST /collect of a serve child; report beacons per second and latency, and check they were all written."`
	Soak     BenchSoakCmd     `cmd:"" help:"The fault suite: a mixed load through the API and a connector while serve is killed, PostgreSQL cut, SMTP stopped and the disk filled; checks nothing acknowledged is lost."`
}

// benchEnv is what the benchmarks take from the global settings.
func (g *Globals) benchEnv() *bench.Env {
	return &bench.Env{Config: g.Config, DatabaseURL: g.DatabaseURL, LogLevel: g.LogLevel, LogFormat: g.LogFormat,
		Stdout: g.stdout, Stderr: g.stderr, Handler: serveHandler}
}
