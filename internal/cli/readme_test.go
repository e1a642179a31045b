package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readmeBlock is a fenced block of README.md.
type readmeBlock struct {
	lang  string
	first int      // the README line of its first line of content
	lines []string // its content
	skip  string   // why the README test does not run it, from the marker before it
}

// skipMarker, on the line before a block's fence, keeps the README test from
// running it, saying why: `<!-- readme-test: skip (needs SMTP) -->`.
const skipMarker = "<!-- readme-test: skip ("

// repoRoot is the repository's top directory, where README.md is.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("repository root: %v", err)
	}
	return dir
}

// readmeBlocks returns README.md's lines and its fenced blocks.
func readmeBlocks(t *testing.T, root string) ([]string, []readmeBlock) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var blocks []readmeBlock
	var open *readmeBlock
	for i, line := range lines {
		n := i + 1
		switch {
		case open == nil && strings.HasPrefix(line, "```"):
			open = &readmeBlock{lang: strings.TrimSpace(strings.TrimPrefix(line, "```")), first: n + 1}
			if i > 0 {
				prev := strings.TrimSpace(lines[i-1])
				if strings.HasPrefix(prev, "<!-- readme-test:") {
					reason, ok := strings.CutPrefix(prev, skipMarker)
					if !ok || !strings.HasSuffix(reason, ") -->") || len(reason) <= len(") -->") {
						t.Fatalf("README.md:%d: a marker is %q, with the reason", i, skipMarker+"why) -->")
					}
					open.skip = strings.TrimSuffix(reason, ") -->")
				}
			}
		case open != nil && strings.HasPrefix(line, "```"):
			blocks = append(blocks, *open)
			open = nil
		case open != nil:
			open.lines = append(open.lines, line)
		}
	}
	if open != nil {
		t.Fatalf("README.md:%d: a block is never closed", open.first-1)
	}
	return lines, blocks
}

// readmeEnv is the environment of the README's commands: none of the
// caller's SHOPCARE_ settings, a fresh data directory and no settings file,
// and shopcare on PATH as an installed program would be.
func readmeEnv(t *testing.T, binDir, addr string) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SHOPCARE_") && !strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	return append(env,
		"PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"SHOPCARE_DATA="+filepath.Join(t.TempDir(), "data"),
		"SHOPCARE_CONFIG=",
		"SHOPCARE_ADDR="+addr,
		"SHOPCARE_LOG_LEVEL=warn",
	)
}

// needTool finds a program the README test needs; without it the test
// skips, except in CI.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is needed to run the README's commands: %v", name, err)
		}
		t.Skipf("%s is not installed: the README's commands are not run", name)
	}
	return path
}

// TestReadmeCommandsWork runs every ```sh block of README.md, verbatim and
// in order, in one bash with `set -e` at the repository's top (as on a
// fresh clone) against a serve of its own on a free port: localhost:8080
// and 127.0.0.1:8080 are that port. curl fails on an HTTP error, and a
// failing command names its README line. Blocks marked with skipMarker
// (long-running commands, external services) are left out.
func TestReadmeCommandsWork(t *testing.T) {
	t.Parallel()
	bash := needTool(t, "bash")
	curl := needTool(t, "curl")
	root := repoRoot(t)
	lines, blocks := readmeBlocks(t, root)

	// The installed shopcare is the test's build; curl answers an HTTP
	// error with a failure, as a person reading the answer would.
	binDir := t.TempDir()
	if err := os.Symlink(binary, filepath.Join(binDir, "shopcare")); err != nil {
		t.Fatal(err)
	}
	wrapper := "#!/bin/sh\nexec " + curl + " --fail-with-body --show-error \"$@\"\n"
	if err := os.WriteFile(filepath.Join(binDir, "curl"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}

	addr := freeAddr(t)
	env := readmeEnv(t, binDir, addr)
	srv := exec.Command(binary, "serve")
	srv.Env = env
	var srvLog bytes.Buffer
	srv.Stdout, srv.Stderr = &srvLog, &srvLog
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = srv.Process.Signal(syscall.SIGTERM)
		if err := srv.Wait(); err != nil {
			t.Errorf("serve: %v\n%s", err, srvLog.String())
		}
	})
	waitHealthy(t, addr, srv)

	// The script has the README's line numbers: line n of the script is
	// line n of README.md, blank where it is not a command to run.
	script := make([]string, len(lines))
	script[0] = `set -e -o pipefail; trap 'echo "README.md:$LINENO: failed (exit $?)" >&2' ERR`
	run := 0
	for _, b := range blocks {
		if b.lang != "sh" {
			continue
		}
		if b.skip != "" {
			t.Logf("README.md:%d: not run: %s", b.first, b.skip)
			continue
		}
		run++
		for i, line := range b.lines {
			line = strings.ReplaceAll(line, "localhost:8080", addr)
			script[b.first-1+i] = strings.ReplaceAll(line, "127.0.0.1:8080", addr)
		}
	}
	if run == 0 {
		t.Fatal("README.md has no ```sh block to run")
	}

	// What the commands leave at the top of the repository is removed.
	before := topEntries(t, root)
	t.Cleanup(func() {
		for name := range topEntries(t, root) {
			if !before[name] {
				if err := os.RemoveAll(filepath.Join(root, name)); err != nil {
					t.Error(err)
				}
			}
		}
	})

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-c", strings.Join(script, "\n"))
	cmd.Dir, cmd.Env = root, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README.md's commands: %v\n%s", err, lastLines(string(out), 40))
	}
	t.Logf("%d blocks of README.md ran:\n%s", run, lastLines(string(out), 20))
}

// TestReadmeSettingsStart: every ```yaml block of README.md is a settings
// file serve starts with as it stands.
func TestReadmeSettingsStart(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	_, blocks := readmeBlocks(t, root)
	n := 0
	for _, b := range blocks {
		if b.lang != "yaml" || b.skip != "" {
			continue
		}
		n++
		t.Run(strings.Fields(b.lines[0])[0], func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(t.TempDir(), "shopcare.yaml")
			if err := os.WriteFile(file, []byte(strings.Join(b.lines, "\n")), 0o600); err != nil {
				t.Fatal(err)
			}
			addr := freeAddr(t)
			cmd := exec.Command(binary, "serve", "--config", file)
			cmd.Env = readmeEnv(t, t.TempDir(), addr)
			var logs bytes.Buffer
			cmd.Stdout, cmd.Stderr = &logs, &logs
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			healthy := make(chan struct{})
			go func() {
				defer close(healthy)
				waitHealthy(t, addr, cmd)
			}()
			select {
			case err := <-exited:
				t.Fatalf("README.md:%d: serve --config with this block stopped: %v\n%s", b.first-1, err, logs.String())
			case <-healthy:
			}
			_ = cmd.Process.Signal(syscall.SIGTERM)
			if err := <-exited; err != nil {
				t.Fatalf("README.md:%d: serve --config with this block: %v\n%s", b.first-1, err, logs.String())
			}
		})
	}
	if n == 0 {
		t.Fatal("README.md has no ```yaml block of settings")
	}
}

// topEntries lists the names at the top of dir.
func topEntries(t *testing.T, dir string) map[string]bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make(map[string]bool, len(entries))
	for _, e := range entries {
		names[e.Name()] = true
	}
	return names
}

// lastLines is the end of a command's output, n lines at most.
func lastLines(s string, n int) string {
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
