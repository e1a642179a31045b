// Command gen writes docs/settings.md from the config types; go generate
// ./internal/config/ runs it.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/shopcare/shopcare/internal/config/settingsdoc"
)

func main() {
	src := flag.String("src", ".", "the config package's directory")
	out := flag.String("out", "../../docs/settings.md", "the page to write")
	flag.Parse()
	b, err := settingsdoc.Render(*src)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}
