package campaign_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/campaign"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// The environment of TestSendKill's child: the database and the SMTP
// server it sends to.
const (
	killChildData = "SHOPCARE_TEST_CAMPAIGN_CHILD_DATA"
	killChildURL  = "SHOPCARE_TEST_CAMPAIGN_CHILD_URL"
	killChildSMTP = "SHOPCARE_TEST_CAMPAIGN_CHILD_SMTP"
)

// killSettings are the settings of the processes of TestSendKill: real
// time, every hour a contact hour, a pace that makes the campaign last.
func killSettings(smtpURL string) []string {
	return []string{
		"shop:",
		"  name: Кастрюля",
		"  public_url: https://care.example.com",
		"  timezone: Europe/Riga",
		`  contact_hours: "00:00-23:59"`,
		"channels:",
		"  email:",
		"    smtp_url: " + smtpURL,
		`    from: "Кастрюля <shop@example.com>"`,
		"campaigns:",
		"  email_rate: 250",
	}
}

func killApp(t testing.TB, db *store.DB, smtpURL string, work bool) *app.App {
	t.Helper()
	settings, err := config.Parse([]byte(strings.Join(killSettings(smtpURL), "\n")))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Wire(context.Background(), db, app.Options{Settings: settings, Clock: clock.System{},
		Log: slog.New(slog.DiscardHandler), Work: work})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSendKillChild is the process TestSendKill kills: an App working
// the job queue on the parent's database until it is killed.
func TestSendKillChild(t *testing.T) {
	smtpURL := os.Getenv(killChildSMTP)
	if smtpURL == "" {
		t.Skip("the child process of TestSendKill")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: os.Getenv(killChildData), URL: os.Getenv(killChildURL)})
	if err != nil {
		t.Fatal(err)
	}
	a := killApp(t, db, smtpURL, true)
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	fmt.Println("ready")
	select {}
}

// TestSendKill kills the process sending a campaign with SIGKILL twice
// and starts it again: every recipient gets the campaign exactly once. A
// copy may only be a message the SMTP server took in the instant of the
// kill, before its outcome was recorded: sent again with the same
// Message-ID. The test counts such copies.
func TestSendKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a child process: about a minute per kill")
	}
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			const n = 2500
			srv := smtptest.Start(t)
			db, opts := storetest.OpenTest(t, engine)
			seedCustomers(t, db, n, time.Now())
			a := killApp(t, db, srv.URL(), false)
			t.Cleanup(func() { _ = a.Stop(context.Background()) })
			ctx := context.Background()
			id, err := a.Campaigns.Create(ctx, campaign.Input{Name: "Kill", Channel: campaign.Email,
				Audience: campaign.Audience{All: true}, Schedule: campaign.Now,
				Content: campaign.Contents{"ru": {Subject: "Скидки", Text: "Здравствуйте!", Markdown: "Здравствуйте!"}}})
			if err != nil {
				t.Fatal(err)
			}
			if err := a.Campaigns.Start(ctx, id, "owner"); err != nil {
				t.Fatal(err)
			}
			env := append(os.Environ(), killChildData+"="+opts.DataDir, killChildURL+"="+opts.URL, killChildSMTP+"="+srv.URL())
			for _, killAt := range []int{400, 1200} {
				child := startKillChild(t, env)
				srv.Wait(t, killAt, 3*time.Minute)
				if err := child.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				_ = child.Wait()
				t.Logf("killed at %d mails", srv.Count())
			}
			child := startKillChild(t, env)
			defer func() {
				_ = child.Process.Signal(syscall.SIGKILL)
				_ = child.Wait()
			}()
			deadline := time.Now().Add(5 * time.Minute)
			for {
				c, err := a.Campaigns.Get(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if c.Status == campaign.Sent {
					break
				}
				if time.Now().After(deadline) {
					p, _ := a.Campaigns.Progress(ctx, id)
					t.Fatalf("the campaign is %s after the kills: %+v, %d mails", c.Status, p, srv.Count())
				}
				<-time.After(100 * time.Millisecond) // polling another process's work
			}
			byEmail := map[string]int64{}
			if err := store.Each(ctx, db.Read(), `SELECT id, email FROM customers`, nil, func(r store.Rows) error {
				var id int64
				var email string
				if err := r.Scan(&id, &email); err != nil {
					return err
				}
				byEmail[email] = id
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			ids := map[string][]string{}
			copies := 0
			for _, m := range srv.Mails() {
				mid := m.Header("Message-Id")
				to := m.To[0]
				if len(ids[to]) > 0 && ids[to][0] == mid {
					copies++
					continue
				}
				ids[to] = append(ids[to], mid)
			}
			if len(ids) != n {
				t.Fatalf("%d of %d recipients got the campaign", len(ids), n)
			}
			for to, got := range ids {
				if len(got) != 1 {
					t.Fatalf("%s got %d distinct messages: %v", to, len(got), got)
				}
				if want := fmt.Sprintf("<%s@shopcare>", campaign.MessageID(id, byEmail[to])); got[0] != want {
					t.Fatalf("%s got %s, want %s", to, got[0], want)
				}
			}
			p, err := a.Campaigns.Progress(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if p.Sent != n {
				t.Fatalf("progress %+v", p)
			}
			t.Logf("%d recipients, each once; %d copies of a message taken in the instant of a kill (same Message-ID)", n, copies)
		})
	}
}

// startKillChild starts the child process and waits for it to be ready.
func startKillChild(t *testing.T, env []string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSendKillChild$", "-test.v")
	cmd.Env = env
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "ready") {
			go func() {
				for sc.Scan() {
				}
			}()
			return cmd
		}
	}
	_ = cmd.Wait()
	t.Fatal("the child process ended before it was ready")
	return nil
}
