package mailin

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/backend"
	"github.com/emersion/go-imap/backend/memory"
	"github.com/emersion/go-imap/commands"
	"github.com/emersion/go-imap/server"
)

// imapServer is a real IMAP server in the test process: go-imap's server
// over its memory backend, with a lock around the backend (it has none of
// its own and the poller's connection and the test's appends run at
// once), a UIDVALIDITY the test can change, and an IDLE that tells the
// idling client of new mail ("* n EXISTS") as a real server does. (The
// library's own way, backend updates, reads each connection's state
// without a lock while LOGIN and SELECT write it: a data race under
// -race. This IDLE reads only its own connection's state, in its own
// goroutine.)
type imapServer struct {
	mu       sync.Mutex
	be       *memory.Backend
	validity uint32
	newMail  chan struct{} // closed and replaced on each delivery
	selects  chan struct{} // a connection selected a mailbox
	srv      *server.Server
	addr     string
}

// The memory backend's one user.
const imapUser, imapPassword = "username", "password"

// startIMAP serves the memory backend on 127.0.0.1 with TLS as mode says
// (implicit, starttls or none), its INBOX emptied.
func startIMAP(t testing.TB, mode string, tlsServer *tls.Config) *imapServer {
	t.Helper()
	s := &imapServer{be: memory.New(), validity: 1, newMail: make(chan struct{}), selects: make(chan struct{}, 64)}
	s.inbox().Messages = nil // the backend's sample message is not the test's
	s.srv = server.New(s)
	s.srv.ErrorLog = discardLogger{}
	idle := &idleExtension{s: s}
	s.srv.Enable(idle) // Enable ignores an extension that offers IDLE: arm it after
	idle.armed.Store(true)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case TLSImplicit:
		l = tls.NewListener(l, tlsServer)
	case TLSStartTLS:
		s.srv.TLSConfig = tlsServer
	default:
		s.srv.AllowInsecureAuth = true
	}
	s.addr = l.Addr().String()
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

func (s *imapServer) inbox() *memory.Mailbox { return s.folder("INBOX") }

// folder returns a mailbox of the user, made when missing.
func (s *imapServer) folder(name string) *memory.Mailbox {
	u, err := s.be.Login(nil, imapUser, imapPassword)
	if err != nil {
		panic(err)
	}
	m, err := u.GetMailbox(name)
	if err != nil {
		if err := u.CreateMailbox(name); err != nil {
			panic(err)
		}
		if m, err = u.GetMailbox(name); err != nil {
			panic(err)
		}
	}
	return m.(*memory.Mailbox)
}

// deliver appends a message to INBOX, as the shop's mail server does
// when mail comes, and wakes the idling connections.
func (s *imapServer) deliver(t testing.TB, raw string) {
	t.Helper()
	s.deliverTo(t, "INBOX", raw)
}

// deliverTo appends a message to a folder (a filter's "Support").
func (s *imapServer) deliverTo(t testing.TB, folder, raw string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.folder(folder).CreateMessage(nil, time.Now(), newLiteral(raw)); err != nil {
		t.Fatal(err)
	}
	close(s.newMail)
	s.newMail = make(chan struct{})
}

// idleExtension replaces the server's IDLE with notifyingIdle.
type idleExtension struct {
	s     *imapServer
	armed atomic.Bool
}

func (e *idleExtension) Capabilities(server.Conn) []string { return nil }
func (e *idleExtension) Command(name string) server.HandlerFactory {
	if name != "IDLE" || !e.armed.Load() {
		return nil
	}
	return func() server.Handler { return &notifyingIdle{s: e.s} }
}

// notifyingIdle is RFC 2177's IDLE: it waits for DONE and meanwhile says
// "* n EXISTS" once when the mailbox holds more messages than the
// client's last SEARCH saw.
type notifyingIdle struct {
	commands.Idle
	s *imapServer
}

func (cmd *notifyingIdle) Handle(conn server.Conn) error {
	if err := conn.WriteResp(&imap.ContinuationReq{Info: "idling"}); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(conn)
		switch {
		case !sc.Scan():
			done <- fmt.Errorf("idle: %w", sc.Err())
		case !strings.EqualFold(sc.Text(), "DONE"):
			done <- errors.New("expected DONE")
		default:
			done <- nil
		}
	}()
	mb, _ := conn.Context().Mailbox.(*lockedMailbox)
	told := false
	for {
		cmd.s.mu.Lock()
		n, wake, unseen := 0, cmd.s.newMail, false
		if mb != nil {
			n = mb.count()
			unseen = n > mb.searched
		}
		cmd.s.mu.Unlock()
		if unseen && !told {
			if err := conn.WriteResp(imap.NewUntaggedResp([]any{uint32(n), imap.RawString("EXISTS")})); err != nil {
				return err
			}
			told = true
		}
		select {
		case err := <-done:
			return err
		case <-wake:
		}
	}
}

// renumber gives the folder a new UIDVALIDITY and new UIDs, as a server
// does after its index was rebuilt, and drops every connection.
func (s *imapServer) renumber(t *testing.T, validity uint32) {
	// The connections close under the lock that every command takes, so
	// no command of the old session sees the new UIDs: a renumbering
	// server ends its sessions, as RFC 3501 has UIDVALIDITY change only
	// between them.
	s.mu.Lock()
	s.validity = validity
	for i, msg := range s.inbox().Messages {
		msg.Uid = uint32(1000 + i)
	}
	s.closeConnections()
	s.mu.Unlock()
	s.awaitSelect(t)
}

// dropConnections closes every client connection, as a server restart
// or a broken network does, and waits until the poller has logged in
// and selected its mailbox again. (go-imap's server reads a connection's
// user for an update without a lock while LOGIN writes it: an update
// sent during a login is a data race inside the library, so none is.)
func (s *imapServer) dropConnections(t *testing.T) {
	t.Helper()
	s.closeConnections()
	s.awaitSelect(t)
}

// awaitSelect waits until the poller has selected its mailbox again.
func (s *imapServer) awaitSelect(t *testing.T) {
	t.Helper()
	select {
	case <-s.selects:
	case <-time.After(20 * time.Second):
		t.Fatal("the poller never came back")
	}
}

func (s *imapServer) closeConnections() {
	for len(s.selects) > 0 {
		<-s.selects
	}
	var conns []server.Conn
	s.srv.ForEachConn(func(c server.Conn) { conns = append(conns, c) })
	for _, c := range conns {
		_ = c.Close()
	}
}

// seen reports which messages carry \Seen, by position.
func (s *imapServer) seen() []bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bool
	for _, m := range s.inbox().Messages {
		f := false
		for _, flag := range m.Flags {
			f = f || flag == imap.SeenFlag
		}
		out = append(out, f)
	}
	return out
}

// Login implements backend.Backend.
func (s *imapServer) Login(ci *imap.ConnInfo, username, password string) (backend.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.be.Login(ci, username, password)
	if err != nil {
		return nil, err
	}
	return &lockedUser{s: s, u: u}, nil
}

type lockedUser struct {
	s *imapServer
	u backend.User
}

func (l *lockedUser) Username() string { return l.u.Username() }
func (l *lockedUser) ListMailboxes(sub bool) ([]backend.Mailbox, error) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	list, err := l.u.ListMailboxes(sub)
	for i, m := range list {
		list[i] = &lockedMailbox{s: l.s, m: m}
	}
	return list, err
}
func (l *lockedUser) GetMailbox(name string) (backend.Mailbox, error) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	m, err := l.u.GetMailbox(name)
	if err != nil {
		return nil, err
	}
	select {
	case l.s.selects <- struct{}{}:
	default:
	}
	lm := &lockedMailbox{s: l.s, m: m}
	lm.searched = lm.count()
	return lm, nil
}
func (l *lockedUser) CreateMailbox(name string) error {
	return l.locked(func() error { return l.u.CreateMailbox(name) })
}
func (l *lockedUser) DeleteMailbox(name string) error {
	return l.locked(func() error { return l.u.DeleteMailbox(name) })
}
func (l *lockedUser) RenameMailbox(a, b string) error {
	return l.locked(func() error { return l.u.RenameMailbox(a, b) })
}
func (l *lockedUser) Logout() error { return nil }
func (l *lockedUser) locked(f func() error) error {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	return f()
}

type lockedMailbox struct {
	s        *imapServer
	m        backend.Mailbox
	searched int // how many messages the mailbox held at the client's last SEARCH
}

// count is how many messages the folder holds; the caller holds the lock.
func (l *lockedMailbox) count() int { return len(l.m.(*memory.Mailbox).Messages) }

func (l *lockedMailbox) locked(f func() error) error {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	return f()
}
func (l *lockedMailbox) Name() string { return l.m.Name() }
func (l *lockedMailbox) Info() (info *imap.MailboxInfo, err error) {
	err = l.locked(func() error { info, err = l.m.Info(); return err })
	return info, err
}
func (l *lockedMailbox) Status(items []imap.StatusItem) (st *imap.MailboxStatus, err error) {
	err = l.locked(func() error {
		st, err = l.m.Status(items)
		if st != nil {
			st.UidValidity = l.s.validity
		}
		return err
	})
	return st, err
}
func (l *lockedMailbox) SetSubscribed(sub bool) error {
	return l.locked(func() error { return l.m.SetSubscribed(sub) })
}
func (l *lockedMailbox) Check() error { return l.locked(l.m.Check) }
func (l *lockedMailbox) ListMessages(uid bool, set *imap.SeqSet, items []imap.FetchItem, ch chan<- *imap.Message) error {
	return l.locked(func() error { return l.m.ListMessages(uid, set, items, ch) })
}
func (l *lockedMailbox) SearchMessages(uid bool, c *imap.SearchCriteria) (ids []uint32, err error) {
	err = l.locked(func() error {
		l.searched = l.count()
		ids, err = l.m.SearchMessages(uid, c)
		return err
	})
	return ids, err
}
func (l *lockedMailbox) CreateMessage(flags []string, date time.Time, body imap.Literal) error {
	return l.locked(func() error { return l.m.CreateMessage(flags, date, body) })
}
func (l *lockedMailbox) UpdateMessagesFlags(uid bool, set *imap.SeqSet, op imap.FlagsOp, flags []string) error {
	return l.locked(func() error { return l.m.UpdateMessagesFlags(uid, set, op, flags) })
}
func (l *lockedMailbox) CopyMessages(uid bool, set *imap.SeqSet, dest string) error {
	return l.locked(func() error { return l.m.CopyMessages(uid, set, dest) })
}
func (l *lockedMailbox) Expunge() error { return l.locked(l.m.Expunge) }

type literal struct{ *strings.Reader }

func (l literal) Len() int { return int(l.Size()) }

func newLiteral(s string) imap.Literal { return literal{strings.NewReader(s)} }
