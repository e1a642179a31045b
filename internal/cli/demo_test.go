package cli_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDemoServesAndStops runs `shopcare demo` on a free port: it prints
// the real address, the outbox and a login per role, serves /healthz,
// leaves SHOPCARE_DATA alone, and on SIGINT stops cleanly and removes its
// temporary data directory.
func TestDemoServesAndStops(t *testing.T) {
	t.Parallel()
	shopData := t.TempDir()
	cmd := exec.Command(binary, "demo", "--addr", "127.0.0.1:0", "--seed", "42")
	cmd.Env = append(os.Environ(), "SHOPCARE_DATA="+shopData, "SHOPCARE_LOG_LEVEL=warn", "SHOPCARE_SMTP_URL=", "SHOPCARE_CONFIG=")
	var logs bytes.Buffer
	cmd.Stderr = &logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()

	fields := map[string]string{}
	var banner []string
	timeout := time.After(60 * time.Second) // a safety net, not a wait
read:
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("demo ended before it was ready:\n%s\n%s", strings.Join(banner, "\n"), logs.String())
			}
			banner = append(banner, line)
			if key, value, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && len(strings.Fields(value)) > 0 {
				fields[key] = strings.Fields(value)[0]
			}
			if strings.HasPrefix(line, "Stop with Ctrl-C") {
				break read
			}
		case <-timeout:
			t.Fatalf("demo did not print its banner:\n%s\n%s", strings.Join(banner, "\n"), logs.String())
		}
	}
	out := strings.Join(banner, "\n")
	base := strings.TrimSuffix(fields["admin"], "/")
	if !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, ":0") {
		t.Fatalf("admin URL %q is not the real address:\n%s", fields["admin"], out)
	}
	if fields["outbox"] != base+"/outbox" {
		t.Errorf("outbox %q, want %s/outbox", fields["outbox"], base)
	}
	for _, login := range []string{"owner@demo.shop", "operator@demo.shop", "packer@demo.shop"} {
		if !strings.Contains(out, login) {
			t.Errorf("no login for %s:\n%s", login, out)
		}
	}
	if !strings.Contains(out, "1500 customers") || !strings.Contains(out, "seed:") {
		t.Errorf("banner:\n%s", out)
	}
	// The loyalty program opened on the history: members with points and
	// cards, and where to look.
	if fields["stock"] != base+"/stock" {
		t.Errorf("stock %q, want %s/stock", fields["stock"], base)
	}
	if fields["loyalty"] != base+"/loyalty" {
		t.Errorf("loyalty %q, want %s/loyalty", fields["loyalty"], base)
	}
	var members, points, cards int
	for _, line := range banner {
		if _, rest, ok := strings.Cut(line, "loyalty program opened on that history: "); ok {
			_, _ = fmt.Sscanf(rest, "%d members hold %d points, %d of them a tier card", &members, &points, &cards)
		}
	}
	if members == 0 || points == 0 || cards == 0 {
		t.Errorf("the banner does not show the loyalty program's opening (%d members, %d points, %d cards):\n%s", members, points, cards, out)
	}
	data := fields["data"]
	if data == "" || data == shopData {
		t.Fatalf("data directory %q: want a fresh temporary one, not SHOPCARE_DATA", data)
	}

	// The metrics on the public address, behind the token the banner
	// prints, and the readiness.
	var metricsToken string
	for _, line := range banner {
		if _, rest, ok := strings.Cut(line, "metrics:  curl -H 'Authorization: Bearer "); ok {
			metricsToken, _, _ = strings.Cut(rest, "'")
		}
	}
	if metricsToken == "" || !strings.Contains(out, base+"/system") || !strings.Contains(out, base+"/readyz") {
		t.Errorf("the banner does not say where the metrics, readiness and system page are:\n%s", out)
	}
	req, _ := http.NewRequest("GET", base+"/internal/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+metricsToken)
	if mresp, err := http.DefaultClient.Do(req); err != nil {
		t.Error(err)
	} else {
		body, _ := io.ReadAll(mresp.Body)
		mresp.Body.Close()
		if mresp.StatusCode != http.StatusOK || !strings.Contains(string(body), "shopcare_build_info") {
			t.Errorf("the demo's metrics: %s\n%.300s", mresp.Status, body)
		}
	}
	if mresp, err := http.Get(base + "/internal/metrics"); err == nil {
		mresp.Body.Close()
		if mresp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the demo's metrics without the token: %s, want 401", mresp.Status)
		}
	}

	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %d", resp.StatusCode)
	}
	// A customer's own page, by the banner's signed link: its GET shows
	// the Continue button.
	var my []string
	for _, line := range banner {
		if strings.HasPrefix(strings.TrimSpace(line), "my page:") {
			my = strings.Fields(line)
		}
	}
	if len(my) < 3 || !strings.HasPrefix(my[2], base+"/my/in/") {
		t.Fatalf("no customer's page in the banner:\n%s", out)
	}
	resp, err = http.Get(my[2])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d", my[2], resp.StatusCode)
	}
	// The shop window: the shop's own product page with shopcare's two
	// scripts on it.
	if fields["shop window"] != base+"/demo/shop" {
		t.Errorf("shop window %q, want %s/demo/shop", fields["shop window"], base)
	}
	resp, err = http.Get(base + "/demo/shop")
	if err != nil {
		t.Fatal(err)
	}
	window, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(window, []byte(`src="/delivery.js"`)) ||
		!bytes.Contains(window, []byte("data-shopcare-delivery")) || !bytes.Contains(window, []byte(`src="/widget.js"`)) ||
		!bytes.Contains(window, []byte(`data-shopcare-stock data-sku="STONE-1000"`)) || !bytes.Contains(window, []byte(`src="/stock.js"`)) ||
		!bytes.Contains(window, []byte(`src="/count.js"`)) {
		t.Errorf("GET /demo/shop: %d\n%s", resp.StatusCode, window)
	}
	// The admin's login page, once the admin is there.
	resp, err = http.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
		t.Errorf("/login: %d", resp.StatusCode)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("demo did not stop cleanly: %v\n%s", err, logs.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("demo did not stop on SIGINT:\n%s", logs.String())
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("the temporary data directory %s is still there (%v)", data, err)
	}
	if entries, err := os.ReadDir(shopData); err != nil || len(entries) != 0 {
		t.Errorf("the demo wrote into SHOPCARE_DATA: %v %v", entries, err)
	}
}

// TestDemoRefusesABadSpeed: a shop clock that stands still, runs
// backwards or absurdly fast is refused before anything is set up, with
// a message naming the flag.
func TestDemoRefusesABadSpeed(t *testing.T) {
	t.Parallel()
	for _, speed := range []string{"-5", "0", "1e7", "NaN"} {
		t.Run(speed, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(binary, "demo", "--addr", "127.0.0.1:0", "--speed", speed)
			cmd.Env = append(os.Environ(), "SHOPCARE_DATA="+t.TempDir(), "SHOPCARE_SMTP_URL=", "SHOPCARE_CONFIG=")
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("demo --speed %s ran:\n%s", speed, out)
			}
			if !strings.Contains(string(out), "--speed") || strings.Contains(string(out), "admin:") {
				t.Errorf("demo --speed %s: want a message naming --speed and nothing started:\n%s", speed, out)
			}
		})
	}
}

// TestDemoListensOnShopcareAddr: without --addr the demo listens where
// SHOPCARE_ADDR says, as serve does.
func TestDemoListensOnShopcareAddr(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	cmd := exec.Command(binary, "demo", "--customers", "40")
	cmd.Env = append(os.Environ(), "SHOPCARE_ADDR="+addr, "SHOPCARE_DATA="+t.TempDir(), "SHOPCARE_LOG_LEVEL=warn",
		"SHOPCARE_SMTP_URL=", "SHOPCARE_CONFIG=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		_ = cmd.Wait()
	}()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if key, value, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":"); ok && key == "admin" {
			if got := strings.TrimSpace(value); got != "http://"+addr+"/" {
				t.Errorf("admin at %s, want http://%s/ from SHOPCARE_ADDR", got, addr)
			}
			return
		}
	}
	t.Fatal("demo printed no admin address")
}
