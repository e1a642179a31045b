package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/emersion/go-smtp"
)

// Crash measures what a crash costs the customers: orders go to a
// `shopcare serve` child whose order confirmations go to a real SMTP
// server in this process, while the child is killed with SIGKILL again
// and again and started again, as long as orders come in. It counts the
// e-mails that arrived twice (by Message-ID) and how late the copy came.
type Crash struct {
	Sends       int           // Orders to send, each bringing one order confirmation e-mail.
	KillEvery   time.Duration // Mean time between two SIGKILLs of serve while orders come in (each between half and one and a half of it).
	Concurrency int           // Clients sending orders at once.
	Settle      time.Duration // How long to watch for late copies after the last kill.
	Keep        bool          // Keep the temporary directory (logs, SQLite database) and the PostgreSQL schema.
	JSON        bool          // Print the figures as JSON on standard output (the report goes to standard error).
}

// benchCrashFigures are the figures of bench crash.
type benchCrashFigures struct {
	benchMachine
	Orders            int     `json:"orders"`
	Kills             int     `json:"kills"`
	Mails             int     `json:"mails"`
	Distinct          int     `json:"distinct_messages"`
	Missing           int     `json:"missing"`
	Duplicates        int     `json:"duplicates"`
	DuplicatesPer10k  float64 `json:"duplicates_per_10000"`
	DuplicatesPerKill float64 `json:"duplicates_per_kill"`
	LatestDuplicateS  float64 `json:"latest_duplicate_seconds"`
	DurationSeconds   float64 `json:"duration_seconds"`
	RestartMeanMS     float64 `json:"restart_mean_ms"`
	SendsPerSecond    float64 `json:"sends_per_second"`
	OrdersAfterRetry  int     `json:"orders_resent_after_a_kill"`
	DuplicateDelaysMS []int64 `json:"duplicate_delays_ms,omitempty"`
}

// Run starts the SMTP server, then the serve child, sends the orders while
// killing and restarting the child, waits for every confirmation and for
// late copies, and reports.
func (c *Crash) Run(g *Env) error {
	if c.Sends < 1 || c.KillEvery < 500*time.Millisecond || c.Concurrency < 1 || c.Concurrency > 1000 || c.Settle < 0 {
		return errors.New("bench crash needs --sends of at least 1, --kill-every of at least 500ms, --concurrency between 1 and 1000 and a --settle of at least 0")
	}
	return runBench(g, "bench crash", c.Keep, func(ctx context.Context, exe string, st *benchStore) error {
		fig := benchCrashFigures{benchMachine: newBenchMachine(st.engine()), Orders: c.Sends}
		mail, err := startCrashSMTP()
		if err != nil {
			return err
		}
		defer mail.close()
		settings := filepath.Join(st.dir, "settings.yaml")
		doc := strings.Join([]string{
			"shop:",
			`  contact_hours: "00:00-23:59"`, // the confirmations go at once, whenever the bench runs
			"  public_url: https://care.example.com",
			"channels:",
			"  email:",
			"    smtp_url: smtp://" + mail.addr,
			`    from: "Bench <shop@example.com>"`,
			"",
		}, "\n")
		if err := os.WriteFile(settings, []byte(doc), 0o600); err != nil {
			return fmt.Errorf("write the bench settings: %w", err)
		}
		fmt.Fprintf(g.Stderr, "bench crash: fresh %s store: %s; SMTP server at %s\n", st.engine(), st.where(), mail.addr)
		token, err := benchToken(ctx, exe, g, st)
		if err != nil {
			return err
		}
		addr, err := benchFreeAddr()
		if err != nil {
			return err
		}
		env := st.env(g, "SHOPCARE_ADDR="+addr, "SHOPCARE_CONFIG="+settings)
		start := func(n int) (*benchServe, error) {
			child, err := startBenchChild(ctx, exe, env, filepath.Join(st.dir, fmt.Sprintf("serve-%d.log", n)), nil, "serve")
			if err != nil {
				return nil, err
			}
			s := &benchServe{benchChild: child, base: "http://" + addr}
			if err := s.waitHealthy(ctx); err != nil {
				child.kill()
				return nil, err
			}
			return s, nil
		}
		srv, err := start(0)
		if err != nil {
			return err
		}
		defer func() { srv.kill() }()

		began := time.Now()
		loadCtx, stopLoad := context.WithCancel(ctx)
		defer stopLoad()
		var acked, resent atomic.Int64
		var next atomic.Int64
		var wg sync.WaitGroup
		client := &http.Client{Timeout: 10 * time.Second}
		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 17))
		bodies := make([][]byte, c.Sends)
		for i := range bodies {
			if bodies[i], err = benchOrderBody(0, i, rng, c.Sends); err != nil {
				return err
			}
		}
		for range c.Concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= c.Sends {
						return
					}
					// An order whose answer a kill cut off is sent again
					// (the API takes it once), until it is acknowledged.
					for tries := 0; ; tries++ {
						if loadCtx.Err() != nil {
							return
						}
						if benchPost(loadCtx, client, "http://"+addr+"/api/v1/orders", token, bodies[i]) == "" {
							acked.Add(1)
							if tries > 0 {
								resent.Add(1)
							}
							break
						}
						select {
						case <-loadCtx.Done():
							return
						case <-time.After(50 * time.Millisecond):
						}
					}
				}
			}()
		}
		loaded := make(chan struct{})
		go func() { wg.Wait(); close(loaded) }()

		// Kill and restart while orders come in; then let every
		// confirmation go.
		var restarts time.Duration
		lastKill := time.Now()
	kills:
		for {
			wait := c.KillEvery/2 + time.Duration(rng.Int64N(int64(c.KillEvery)))
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-srv.done:
				return srv.failed(fmt.Errorf("exited unexpectedly (%w)", srv.err))
			case <-loaded:
				break kills
			case <-time.After(wait):
			}
			_ = srv.cmd.Process.Signal(syscall.SIGKILL)
			<-srv.done
			lastKill = time.Now()
			fig.Kills++
			if srv, err = start(fig.Kills); err != nil {
				return err
			}
			restarts += srv.startup
			fmt.Fprintf(g.Stderr, "bench crash: kill %d: %d orders in, %d confirmations, %d copies so far\n",
				fig.Kills, acked.Load(), mail.distinct(), mail.duplicates())
		}
		for deadline := time.Now().Add(10 * time.Minute); mail.distinct() < c.Sends && time.Now().Before(deadline); {
			if err := benchSleep(ctx, srv.benchChild, 100*time.Millisecond); err != nil {
				return err
			}
		}
		<-loaded
		sentAll := time.Since(began)
		// Copies of messages caught in the last kill arrive after its
		// rescue: watch for them.
		if rest := c.Settle - time.Since(lastKill); rest > 0 {
			fmt.Fprintf(g.Stderr, "bench crash: every confirmation went; watching %s for late copies\n", rest.Round(time.Second))
			if err := benchSleep(ctx, srv.benchChild, rest); err != nil {
				return err
			}
		}
		_, stopErr := srv.stop(benchStopTimeout)

		delays := mail.delays()
		fig.Mails, fig.Distinct, fig.Duplicates = mail.total(), mail.distinct(), len(delays)
		fig.Missing = c.Sends - fig.Distinct
		fig.DuplicatesPer10k = round1(float64(fig.Duplicates) * 10000 / float64(c.Sends))
		if fig.Kills > 0 {
			fig.DuplicatesPerKill = round1(float64(fig.Duplicates) / float64(fig.Kills))
		}
		for _, d := range delays {
			fig.DuplicateDelaysMS = append(fig.DuplicateDelaysMS, d.Milliseconds())
			fig.LatestDuplicateS = max(fig.LatestDuplicateS, round1(d.Seconds()))
		}
		fig.DurationSeconds = round1(sentAll.Seconds())
		fig.SendsPerSecond = round1(float64(c.Sends) / sentAll.Seconds())
		fig.OrdersAfterRetry = int(resent.Load())
		if fig.Kills > 0 {
			fig.RestartMeanMS = ms(restarts / time.Duration(fig.Kills))
		}

		w := benchReport(g, c.JSON)
		fmt.Fprintf(w, "shopcare bench crash (%s)\n", fig.benchMachine)
		fmt.Fprintf(w, "  load            %d orders by %d clients, each confirmed by e-mail to an SMTP server in this process\n",
			c.Sends, c.Concurrency)
		fmt.Fprintf(w, "  kills           %d SIGKILLs of serve, one every %s on average; restart to /healthz %.0fms on average\n",
			fig.Kills, c.KillEvery, fig.RestartMeanMS)
		fmt.Fprintf(w, "  delivered       %d of %d confirmations in %.1fs (%.1f/s), %d missing\n",
			fig.Distinct, c.Sends, fig.DurationSeconds, fig.SendsPerSecond, fig.Missing)
		fmt.Fprintf(w, "  duplicates      %d (%.1f per 10,000 sends, %.1f per kill); the latest %.1fs after the first copy\n",
			fig.Duplicates, fig.DuplicatesPer10k, fig.DuplicatesPerKill, fig.LatestDuplicateS)
		if c.JSON {
			if err := benchPrintJSON(g.Stdout, fig); err != nil {
				return err
			}
		}
		if fig.Missing > 0 {
			return errors.Join(fmt.Errorf("%d confirmations never arrived", fig.Missing), stopErr)
		}
		return stopErr
	})
}

// crashSMTP is the bench's SMTP server: it takes every message and keeps,
// per Message-ID, when the first copy arrived and how late each further
// copy came.
type crashSMTP struct {
	addr string
	srv  *smtp.Server

	mu     sync.Mutex
	first  map[string]time.Time
	copies []time.Duration
	count  int
}

func startCrashSMTP() (*crashSMTP, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the SMTP server: %w", err)
	}
	s := &crashSMTP{addr: l.Addr().String(), first: map[string]time.Time{}}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = time.Minute
	s.srv.WriteTimeout = time.Minute
	go func() { _ = s.srv.Serve(l) }()
	return s, nil
}

func (s *crashSMTP) close() { _ = s.srv.Close() }

// NewSession starts an SMTP session.
func (s *crashSMTP) NewSession(*smtp.Conn) (smtp.Session, error) { return &crashSession{s: s}, nil }

func (s *crashSMTP) took(id string) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count++
	if at, ok := s.first[id]; ok {
		s.copies = append(s.copies, now.Sub(at))
		return
	}
	s.first[id] = now
}

func (s *crashSMTP) distinct() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.first)
}

func (s *crashSMTP) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

func (s *crashSMTP) duplicates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.copies)
}

// delays returns how late each copy came after the first, shortest first.
func (s *crashSMTP) delays() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := slices.Clone(s.copies)
	slices.Sort(d)
	return d
}

type crashSession struct{ s *crashSMTP }

func (c *crashSession) Mail(string, *smtp.MailOptions) error { return nil }
func (c *crashSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (c *crashSession) Reset()                               {}
func (c *crashSession) Logout() error                        { return nil }

// Data reads the message's Message-ID and drains the body.
func (c *crashSession) Data(r io.Reader) error {
	id, err := messageID(r)
	if err != nil {
		return err
	}
	c.s.took(id)
	return nil
}

// messageID reads a message's header for its Message-ID and drains the
// body: what the benches' mail servers keep of a message.
func messageID(r io.Reader) (string, error) {
	br := bufio.NewReader(r)
	h, err := textproto.NewReader(br).ReadMIMEHeader()
	if err != nil {
		return "", fmt.Errorf("read the header: %w", err)
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return "", err
	}
	id := h.Get("Message-Id")
	if id == "" {
		return "", errors.New("no Message-ID")
	}
	return id, nil
}
