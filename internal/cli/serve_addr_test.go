package cli_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/storetest"
)

// TestBusyPortSaysWhatToChange: serve and demo on a port in use fail at
// once, naming the variable and the flag that move them.
func TestBusyPortSaysWhatToChange(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	for _, args := range [][]string{{"serve"}, {"demo"}} {
		t.Run(args[0], func(t *testing.T) {
			// Not parallel: the port must stay taken while it runs.
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, args...)
			cmd.Env = append(sqliteEnv(t), "SHOPCARE_ADDR="+addr)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("%s on a busy port succeeded:\n%s", args[0], out)
			}
			want := addr + " is in use: set SHOPCARE_ADDR or --addr"
			if !strings.Contains(string(out), want) {
				t.Fatalf("%s on a busy port said:\n%s\nwant it to contain %q", args[0], out, want)
			}
		})
	}
}

// TestServeStopsQuietly: a serve that worked and is stopped by SIGINT or
// SIGTERM logs its stop at INFO, with no WARN or ERROR from the
// cancellation, and River's routine messages stay out of the default log.
func TestServeStopsQuietly(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			t.Run(string(engine)+"/"+sig.String(), func(t *testing.T) {
				t.Parallel()
				db, opts := storetest.OpenTest(t, engine)
				db.Close()
				env := append(shopEnv(opts), "SHOPCARE_LOG_LEVEL=info")
				token := lastLine(runShopcare(t, env, "", "token", "add", "quiet"))
				addr := freeAddr(t)
				cmd := exec.Command(binary, "serve")
				cmd.Env = append(env, "SHOPCARE_ADDR="+addr)
				var logs bytes.Buffer
				cmd.Stdout, cmd.Stderr = &logs, &logs
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				waitHealthy(t, addr, cmd)
				// Work for the jobs: an order and its journal.
				body := `{"external_id":"q-1","customer":{"external_id":"c-1","email":"c1@example.com"},"total":"10.00"}`
				req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/orders", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					t.Fatalf("POST /orders: %s", resp.Status)
				}
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				if err := cmd.Wait(); err != nil {
					t.Fatalf("serve after %s: %v\n%s", sig, err, logs.String())
				}
				log := logs.String()
				for _, line := range strings.Split(log, "\n") {
					// The start's notices (no channel, a public address on
					// this computer) are warnings the owner should see;
					// the stop must add none.
					if strings.Contains(line, "component=notices") {
						continue
					}
					if strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") {
						t.Errorf("serve logged %q", line)
					}
					for _, routine := range []string{"Producer job counts", "Elector", "River client"} {
						if strings.Contains(line, routine) {
							t.Errorf("River's routine message at INFO: %q", line)
						}
					}
				}
				for _, want := range []string{`msg="shopcare stopping"`, `msg="shopcare stopped"`} {
					if !strings.Contains(log, want) {
						t.Errorf("serve's log lacks %s:\n%s", want, log)
					}
				}
			})
		}
	}
}

// waitHealthy returns once /healthz of the child answers 200.
func waitHealthy(t *testing.T, addr string, cmd *exec.Cmd) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("serve did not become healthy: %v", err)
		}
		pollPause()
	}
}
