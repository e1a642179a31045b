package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the reference's SQLite driver, the one shopcare uses
)

// benchReference is the minimal intake server issue 22 measures shopcare
// against: net/http, modernc SQLite in WAL with synchronous=NORMAL, one
// prepared insert, and a group commit of up to 256 waiting requests. It
// reads the same JSON order body as POST /api/v1/orders, checks it
// lightly, keeps it idempotent on external_id, and answers 201 only once
// its transaction committed. It runs in the bench process, beside the
// load generator, on its own fresh SQLite file.
type benchReference struct {
	db    *sql.DB
	stmt  *sql.Stmt
	queue chan *benchReferenceRequest
	srv   *http.Server
	ln    net.Listener
	done  sync.WaitGroup
	base  string
	token string
}

// benchReferenceGroup is how many waiting requests one transaction takes
// at most.
const benchReferenceGroup = 256

type benchReferenceRequest struct {
	ext, customer, currency, body string
	total                         string
	done                          chan benchReferenceReply
}

type benchReferenceReply struct {
	id  int64
	err error
}

// startBenchReference opens a fresh SQLite file in dir and serves the
// reference intake on a loopback port.
func startBenchReference(dir string) (*benchReference, error) {
	path := filepath.Join(dir, "reference.db")
	_ = os.Remove(path)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("reference: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE intake (
		id INTEGER PRIMARY KEY,
		external_id TEXT NOT NULL UNIQUE,
		customer_external_id TEXT NOT NULL,
		total TEXT NOT NULL,
		currency TEXT NOT NULL,
		body TEXT NOT NULL,
		created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("reference: create the table: %w", err)
	}
	stmt, err := db.PrepareContext(ctx, `INSERT INTO intake (external_id, customer_external_id, total, currency, body)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (external_id) DO UPDATE SET external_id = excluded.external_id RETURNING id`)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("reference: prepare the insert: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("reference: listen: %w", err)
	}
	r := &benchReference{db: db, stmt: stmt, queue: make(chan *benchReferenceRequest, 4*benchReferenceGroup),
		ln: ln, base: "http://" + ln.Addr().String(), token: "reference"}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/orders", r.create)
	r.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	r.done.Add(2)
	go func() {
		defer r.done.Done()
		r.commitLoop()
	}()
	go func() {
		defer r.done.Done()
		_ = r.srv.Serve(ln)
	}()
	return r, nil
}

// stop ends the server and its committer and closes the database.
func (r *benchReference) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	close(r.queue)
	r.done.Wait()
	return errors.Join(err, r.db.Close())
}

// create is POST /api/v1/orders of the reference.
func (r *benchReference) create(w http.ResponseWriter, req *http.Request) {
	if req.Header.Get("Authorization") != "Bearer "+r.token {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, 1<<20))
	if err != nil {
		http.Error(w, `{"error":"body"}`, http.StatusBadRequest)
		return
	}
	var o benchOrderJSON
	if err := json.Unmarshal(body, &o); err != nil || o.ExternalID == "" || len(o.Items) == 0 || o.Total == "" {
		http.Error(w, `{"error":"invalid order"}`, http.StatusUnprocessableEntity)
		return
	}
	q := &benchReferenceRequest{ext: o.ExternalID, customer: o.Customer.ExternalID, currency: o.Currency,
		total: o.Total.String(), body: string(body), done: make(chan benchReferenceReply, 1)}
	r.queue <- q
	rep := <-q.done
	if rep.err != nil {
		http.Error(w, `{"error":"internal"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", "/api/v1/orders/"+strconv.FormatInt(rep.id, 10))
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write([]byte(`{"id":` + strconv.FormatInt(rep.id, 10) + `,"external_id":` + strconv.Quote(o.ExternalID) + `}`))
}

// commitLoop takes the first waiting request, everything queued behind it
// up to benchReferenceGroup, and commits them in one transaction.
func (r *benchReference) commitLoop() {
	group := make([]*benchReferenceRequest, 0, benchReferenceGroup)
	for first := range r.queue {
		group = append(group[:0], first)
	fill:
		for len(group) < benchReferenceGroup {
			select {
			case q, ok := <-r.queue:
				if !ok {
					break fill
				}
				group = append(group, q)
			default:
				break fill
			}
		}
		r.commit(group)
	}
}

func (r *benchReference) commit(group []*benchReferenceRequest) {
	ctx := context.Background()
	ids := make([]int64, len(group))
	err := func() error {
		tx, err := r.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		stmt := tx.StmtContext(ctx, r.stmt)
		defer func() { _ = stmt.Close() }()
		for i, q := range group {
			if err := stmt.QueryRowContext(ctx, q.ext, q.customer, q.total, q.currency, q.body).Scan(&ids[i]); err != nil {
				_ = tx.Rollback()
				return err
			}
		}
		return tx.Commit()
	}()
	for i, q := range group {
		q.done <- benchReferenceReply{id: ids[i], err: err}
	}
}
