package mailin

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/inbox"
)

// recorder is the Receiver of these tests: it stores each message once
// by Message-ID, as the conversations' service does, and counts every
// call. fail, when set, is asked before storing; an error from it is the
// Receiver failing.
type recorder struct {
	mu       sync.Mutex
	stored   []inbox.Inbound
	storedID map[string]bool
	calls    map[string]int
	fail     func(ctx context.Context, in inbox.Inbound, call int) error
	got      chan string // each Message-ID done with, once (done)
	doneID   map[string]bool
}

func newRecorder() *recorder {
	return &recorder{calls: map[string]int{}, storedID: map[string]bool{}, got: make(chan string, 100), doneID: map[string]bool{}}
}

// Receive implements inbox.Receiver.
func (r *recorder) Receive(ctx context.Context, in inbox.Inbound) error {
	r.mu.Lock()
	r.calls[in.MessageID]++
	call := r.calls[in.MessageID]
	fail := r.fail
	r.mu.Unlock()
	if fail != nil {
		if err := fail(ctx, in, call); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.storedID[in.MessageID] {
		return nil
	}
	r.storedID[in.MessageID] = true
	r.stored = append(r.stored, in)
	return nil
}

// done tells await that a message is done with: taken, and its channel's
// bookkeeping finished (the IMAP UID stored, the SMTP answer given). A
// message done with again (read again after a UIDVALIDITY change) is not
// told twice.
func (r *recorder) done(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.doneID[id] {
		r.doneID[id] = true
		r.got <- id
	}
}

// all returns the stored messages in the order they came.
func (r *recorder) all() []inbox.Inbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.stored)
}

// ids returns the stored messages' ids in the order they came.
func (r *recorder) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.stored))
	for i, s := range r.stored {
		out[i] = s.MessageID
	}
	return out
}

func (r *recorder) callsOf(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[id]
}

// await waits for the next message done with; the deadline only keeps a
// broken test from hanging, it asserts no timing.
func (r *recorder) await(t *testing.T, want string) {
	t.Helper()
	select {
	case id := <-r.got:
		if id != want {
			t.Fatalf("stored %q, want %q next", id, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("%q was never stored; stored %v", want, r.ids())
	}
}

// testCert makes a self-signed certificate for 127.0.0.1 and the client
// configuration that trusts it.
func testCert(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mail.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"mail.test"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// instant is a Wait that does not wait: reconnects in tests happen at
// once.
func instant(ctx context.Context, _ time.Duration) error { return ctx.Err() }
