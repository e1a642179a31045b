package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/auth"
)

// UserAddCmd adds a user; the password comes from standard input when it is
// not a terminal, else it is asked for twice without echo.
type UserAddCmd struct {
	Email string `arg:"" help:"The user's e-mail, their login."`
	Role  string `help:"owner, operator or packer." required:"" enum:"owner,operator,packer"`
}

// Run adds the user.
func (c *UserAddCmd) Run(g *Globals) error {
	password, err := readPassword(g)
	if err != nil {
		return err
	}
	ctx := actionlog.WithActor(context.Background(), actionlog.CLIActor())
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(ctx)
	if err := auth.UserAdd(ctx, a.DB, c.Email, password, auth.Role(c.Role), a.Clock.Now()); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "user %s (%s) saved\n", strings.ToLower(c.Email), c.Role)
	return nil
}

func readPassword(g *Globals) (string, error) {
	if f, ok := g.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(g.stderr, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(g.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(g.stderr, "Again: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(g.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(second) {
			return "", fmt.Errorf("the passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(g.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
