package cli

import (
	"fmt"

	"github.com/shopcare/shopcare/internal/version"
)

// VersionCmd prints the build's version.
type VersionCmd struct {
	Short bool `help:"Print the version only."`
}

// Run prints the version, the commit and the Go it was built with.
func (c *VersionCmd) Run(g *Globals) error {
	v := version.Get()
	if c.Short {
		_, err := fmt.Fprintln(g.stdout, v.Version)
		return err
	}
	_, err := fmt.Fprintln(g.stdout, v.String())
	return err
}
