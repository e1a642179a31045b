package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: RFC 9106's second recommended option, scaled to a
// small server (64 MiB, 3 passes).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
)

// hashMemoryBudget is the most memory the argon2id hashes running at once
// may take together. Each takes argonMemory; a login form answered by as
// many hashes as there are requests would let any stranger exhaust the
// server's memory (32 concurrent logins once took it past 2 GB).
const hashMemoryBudget = 128 << 20

// LoginQueue is how many logins may wait for a hashing slot, per slot;
// a login beyond them is answered ErrBusy at once. Admission by the
// queue's length, not by a timer, keeps a busy server's answers the same
// however slow its processors are.
const LoginQueue = 8

// LoginWait is the longest a login waits in the queue (a ceiling against
// a stuck hash, not the admission rule).
const LoginWait = 30 * time.Second

// ErrBusy reports that every password-hashing slot stayed taken for the
// whole wait: the caller answers "try again in a moment" (HTTP 429).
var ErrBusy = errors.New("password hashing is busy; try again in a moment")

// HashSlots is how many argon2id hashes may run at once: one per
// argonThreads of the processors Go uses, at most what hashMemoryBudget
// (or a quarter of GOMEMLIMIT, when that is lower) holds, at least one.
func HashSlots() int {
	budget := int64(hashMemoryBudget)
	if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 && limit/4 < budget {
		budget = limit / 4
	}
	n := min(runtime.GOMAXPROCS(0)/argonThreads, int(budget/(argonMemory<<10)))
	return max(n, 1)
}

// hashSlots is the process's semaphore of argon2id hashes. It is one per
// process, like the memory it guards: every App, handler and command of
// the process shares it.
var hashSlots = make(chan struct{}, HashSlots())

// hashWaiting counts the logins waiting for or holding a slot.
var hashWaiting atomic.Int64

// withHashSlot runs fn in a hashing slot. With a wait (a login), it is
// refused at once when the queue is full, and waits at most wait or until
// ctx ends; without (a password set by a signed-in owner or a command), it
// waits as long as it takes.
func withHashSlot(ctx context.Context, wait time.Duration, fn func()) error {
	var timeout <-chan time.Time
	if wait > 0 {
		if hashWaiting.Add(1) > int64(cap(hashSlots)*(LoginQueue+1)) {
			hashWaiting.Add(-1)
			return ErrBusy
		}
		defer hashWaiting.Add(-1)
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case hashSlots <- struct{}{}:
	case <-timeout:
		return ErrBusy
	case <-ctx.Done():
		return fmt.Errorf("wait for a hashing slot: %w", ctx.Err())
	}
	defer func() { <-hashSlots }()
	fn()
	// The hash's 64 MiB are garbage the moment it returns; collecting
	// them before the next hash takes the slot keeps the heap at the
	// slots' worth instead of letting it grow to twice that before the
	// collector's own pace catches up. A collection of a small live
	// heap costs milliseconds against the hash's tenths of a second.
	runtime.GC()
	return nil
}

// HashPassword returns an argon2id hash in the PHC string format. It
// waits for a hashing slot as long as it takes.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	var key []byte
	_ = withHashSlot(context.Background(), 0, func() {
		key = argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	})
	return phc(argonMemory, argonTime, argonThreads, salt, key), nil
}

func phc(m, t uint32, p uint8, salt, key []byte) string {
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p,
		enc.EncodeToString(salt), enc.EncodeToString(key))
}

// CheckPassword tells whether password matches a hash from HashPassword.
// It waits for a hashing slot as long as it takes.
func CheckPassword(hash, password string) bool {
	ok, _ := checkPassword(context.Background(), 0, hash, password)
	return ok
}

// checkPassword is CheckPassword waiting at most wait for a slot.
func checkPassword(ctx context.Context, wait time.Duration, hash, password string) (bool, error) {
	ph, ok := parsePHC(hash)
	if !ok {
		return false, nil
	}
	var got []byte
	if err := withHashSlot(ctx, wait, func() {
		got = argon2.IDKey([]byte(password), ph.salt, ph.t, ph.m, ph.p, uint32(len(ph.key)))
	}); err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, ph.key) == 1, nil
}

// phcHash is an argon2id hash in the PHC string format, parsed.
type phcHash struct {
	m, t      uint32
	p         uint8
	salt, key []byte
}

func parsePHC(hash string) (phcHash, bool) {
	var ph phcHash
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return ph, false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &ph.m, &ph.t, &ph.p); err != nil || ph.m == 0 || ph.t == 0 || ph.p == 0 {
		return ph, false
	}
	enc := base64.RawStdEncoding
	var err1, err2 error
	ph.salt, err1 = enc.DecodeString(parts[4])
	ph.key, err2 = enc.DecodeString(parts[5])
	return ph, err1 == nil && err2 == nil && len(ph.key) > 0
}

// dummyHash is checked against when the e-mail is unknown, so a login
// takes as long whether or not the user exists. It needs no hashing of
// its own: a random salt and key with the current parameters cost the
// same to check as a real hash, and match no password.
var dummyHash = func() string {
	salt, key := make([]byte, 16), make([]byte, argonKeyLen)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(key)
	return phc(argonMemory, argonTime, argonThreads, salt, key)
}()
