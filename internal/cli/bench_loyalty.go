package cli

import "github.com/shopcare/shopcare/internal/bench"

// BenchLoyaltyCmd is `shopcare bench loyalty`: its flags, for bench.Loyalty.
type BenchLoyaltyCmd struct {
	Customers    int    `help:"Customers of the shop; the seeded history is spread over all of them." default:"1000000"`
	Transactions int    `help:"Ledger transactions of history to seed set-based, two entries each." default:"5000000"`
	Members      int    `help:"Customers the accruals on the fresh ledger go to (the first of --customers)." default:"100000"`
	Accruals     int    `help:"Accruals posted through Service.Post in each of the two runs, --batch a transaction, one order each." default:"100000"`
	Batch        int    `help:"Postings per transaction (the journal handler posts up to 1,000 events' worth a transaction)." default:"1000"`
	Singles      int    `help:"Accruals more posted one per transaction in each run." default:"2000"`
	Lookups      int    `help:"Balance lookups, and as many first ledger pages, of random customers." default:"10000"`
	Reuse        string `help:"Measure the store a --keep run left (its directory for SQLite, its schema with --database-url) instead of seeding one: lookups, posting on the full ledger, audit." placeholder:"DIR|SCHEMA"`
	Audit        bool   `help:"Audit the books at the end (--no-audit skips it: two minutes on SQLite with ten million entries)." default:"true" negatable:""`
	Keep         bool   `help:"Keep the temporary directory (SQLite database) and the PostgreSQL schema."`
	Profile      string `help:"Write a CPU profile of the posting on the full ledger to this file (go tool pprof reads it)." placeholder:"FILE"`
	JSON         bool   `help:"Print the figures as JSON on standard output (the report goes to standard error)." name:"json"`
}

// Run runs the benchmark.
func (c *BenchLoyaltyCmd) Run(g *Globals) error {
	b := bench.Loyalty(*c)
	return b.Run(g.benchEnv())
}
