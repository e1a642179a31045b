// Command shopcare is the customer-care engine for online shops.
package main

import (
	"os"

	"github.com/shopcare/shopcare/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
