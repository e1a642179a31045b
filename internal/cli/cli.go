// Package cli is the shopcare command line: one file per command, each a
// thin shell over the app and the domain packages.
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/requestid"
	"github.com/shopcare/shopcare/internal/store"
)

// Globals are the settings every command reads.
type Globals struct {
	Config      string `help:"Shop settings file (YAML)." env:"SHOPCARE_CONFIG" placeholder:"FILE"`
	Data        string `help:"Data directory (the SQLite database lives here)." env:"SHOPCARE_DATA" default:"./shopcare-data" placeholder:"DIR"`
	DatabaseURL string `help:"PostgreSQL URL (postgres://…); SQLite in the data directory when empty." env:"SHOPCARE_DATABASE_URL" name:"database-url" placeholder:"URL"`
	LogLevel    string `help:"Log level: debug, info, warn or error." env:"SHOPCARE_LOG_LEVEL" default:"info" enum:"debug,info,warn,error"`
	LogFormat   string `help:"Log format: text or json." env:"SHOPCARE_LOG_FORMAT" default:"text" enum:"text,json"`

	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// CLI is the command tree.
type CLI struct {
	Globals

	Serve     ServeCmd     `cmd:"" help:"Serve the API and run the jobs (HTTP on SHOPCARE_ADDR, default 127.0.0.1:8080)."`
	Demo      DemoCmd      `cmd:"" help:"Run a demo shop: a year of history, live orders on a fast clock, the admin and its outbox."`
	Import    ImportCmd    `cmd:"" help:"Import data from files."`
	User      UserCmd      `cmd:"" help:"Manage the shop's users."`
	Token     TokenCmd     `cmd:"" help:"Manage API tokens."`
	Report    ReportCmd    `cmd:"" help:"Print reports."`
	Spend     SpendCmd     `cmd:"" help:"Enter the marketing spend per acquisition channel and month (for CAC)."`
	Promise   PromiseCmd   `cmd:"" help:"Quote delivery dates and show the shop's business calendar."`
	Parcels   ParcelsCmd   `cmd:"" help:"Ask a carrier about a parcel; register the carrier's push address."`
	Connect   ConnectCmd   `cmd:"" help:"Connect a shop platform: check it, read its history, try a webhook payload."`
	Bench     BenchCmd     `cmd:"" help:"Measure shopcare's speed on this machine."`
	MigrateTo MigrateToCmd `cmd:"" name:"migrate-to" help:"Move the shop from SQLite to an empty PostgreSQL database: copy, verify, print the settings to switch (stop serve first)."`
	Backup    BackupCmd    `cmd:"" help:"Back the database up while serve runs: a checked, compressed archive with a manifest (--to FILE|DIR)."`
	Restore   RestoreCmd   `cmd:"" help:"Restore a backup archive into an empty data directory (--data), checking it first."`
	Version   VersionCmd   `cmd:"" help:"Print shopcare's version, commit and Go version."`
	Help      HelpCmd      `cmd:"" help:"Show this help."`
}

// ImportCmd groups the importers.
type ImportCmd struct {
	Orders ImportOrdersCmd `cmd:"" help:"Import orders from a CSV file (history: never messages anyone)."`
	Stock  ImportStockCmd  `cmd:"" help:"Import stock levels from a CSV file (sku, on_hand, name, incoming_qty, incoming_date)."`
}

// UserCmd groups user commands.
type UserCmd struct {
	Add UserAddCmd `cmd:"" help:"Add a user, or reset their password and role."`
}

// TokenCmd groups token commands.
type TokenCmd struct {
	Add    TokenAddCmd    `cmd:"" help:"Create an API token (optionally limited to --scope orders:write, read, loyalty, shop) and print it as the last line."`
	List   TokenListCmd   `cmd:"" help:"List the API tokens: name, scopes, created, last used (never the token)."`
	Revoke TokenRevokeCmd `cmd:"" help:"Revoke an API token by its name."`
}

// ReportCmd groups reports.
type ReportCmd struct {
	Metrics ReportMetricsCmd `cmd:"" help:"Orders, customers, revenue, repeat rate, return goal, cohorts, CAC, on-time rate."`
	CLV     ReportCLVCmd     `cmd:"" name:"clv" help:"Predicted customer value: the BG/NBD and Gamma-Gamma models fitted to the shop's customers."`
}

// SpendCmd groups the marketing spend commands.
type SpendCmd struct {
	Set  SpendSetCmd  `cmd:"" help:"Record a month's marketing spend on an acquisition channel (replaces what it had)."`
	List SpendListCmd `cmd:"" help:"List the marketing spend entered."`
}

// HelpCmd prints the usage.
type HelpCmd struct{}

// Run prints the usage of the whole command tree.
func (HelpCmd) Run(k *kong.Context) error {
	root, err := kong.Trace(k.Kong, nil)
	if err != nil {
		return err
	}
	return root.PrintUsage(false)
}

// Main runs the command line and returns the exit code.
func Main(args []string) int {
	return run(args, os.Stdin, os.Stdout, os.Stderr)
}

// exitCode carries kong's request to exit (after --help) out of Parse.
type exitCode int

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(exitCode)
			if !ok {
				panic(r)
			}
			code = int(c)
		}
	}()
	var c CLI
	c.stdin, c.stdout, c.stderr = stdin, stdout, stderr
	parser, err := kong.New(&c,
		kong.Name("shopcare"),
		kong.Description("shopcare keeps a shop's promises to its customers: dates, messages, care, and the figures that show it pays."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { panic(exitCode(code)) }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	)
	if err != nil {
		fmt.Fprintln(stderr, "shopcare:", err)
		return 2
	}
	if len(args) == 0 {
		args = []string{"help"}
	}
	k, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintln(stderr, "shopcare:", err)
		return 2
	}
	k.Bind(&c.Globals)
	if err := k.Run(&c.Globals); err != nil {
		fmt.Fprintln(stderr, "shopcare:", err)
		return 1
	}
	return 0
}

// logger builds the one logger of the process.
func (g *Globals) logger() *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(g.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	// requestid adds request_id to the lines logged in a request's
	// context; other lines are as they were.
	if g.LogFormat == "json" {
		return slog.New(requestid.NewHandler(slog.NewJSONHandler(g.stderr, opts)))
	}
	return slog.New(requestid.NewHandler(slog.NewTextHandler(g.stderr, opts)))
}

// settings reads and validates the shop settings.
func (g *Globals) settings() (config.Settings, error) {
	return config.Load(g.Config)
}

// open opens the app the settings describe; work makes it run jobs.
func (g *Globals) open(ctx context.Context, log *slog.Logger, work bool) (*app.App, error) {
	settings, err := g.settings()
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, app.Options{
		Store:    store.Options{URL: strings.TrimSpace(g.DatabaseURL), DataDir: g.Data},
		Settings: settings,
		Clock:    clock.System{},
		Log:      log,
		Work:     work,
	})
}
