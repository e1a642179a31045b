package cli_test

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMakeServeTakesADDR: `make serve ADDR=…` serves on that address, and
// `make run ADDR=…` hands it to the demo.
func TestMakeServeTakesADDR(t *testing.T) {
	t.Parallel()
	mk := needTool(t, "make")
	root := repoRoot(t)
	addr := freeAddr(t)

	dry, err := exec.Command(mk, "-s", "-n", "-C", root, "run", "ADDR="+addr).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dry), "demo --addr="+addr) {
		t.Fatalf("make run ADDR=%s runs %q", addr, dry)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, mk, "-s", "-C", root, "serve", "ADDR="+addr)
	// ADDR wins over SHOPCARE_ADDR.
	cmd.Env = append(readmeEnv(t, t.TempDir(), "127.0.0.1:1"), "SHOPCARE_LOG_LEVEL=info")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitHealthy(t, addr, cmd)
	// make, go run and serve are one process group: the signal a terminal's
	// Ctrl-C would send them all.
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	// make reports the interrupt as its own failure; serve stopped in order.
	_ = cmd.Wait()
	for _, want := range []string{"http://" + addr, `msg="shopcare stopped"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("make serve ADDR=%s logged no %s:\n%s", addr, want, logs.String())
		}
	}
}

// TestMakeHelpPrintsNoMakeSyntax: make help shows its text as a person
// reads it, without make's own escapes.
func TestMakeHelpPrintsNoMakeSyntax(t *testing.T) {
	t.Parallel()
	mk := needTool(t, "make")
	out, err := exec.Command(mk, "-s", "-C", repoRoot(t), "help").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"run ", "serve ", "test ", "lint "} {
		if !strings.Contains(string(out), want) {
			t.Errorf("make help lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "$$") || strings.Contains(string(out), "$(") {
		t.Errorf("make help prints make's syntax:\n%s", out)
	}
}
