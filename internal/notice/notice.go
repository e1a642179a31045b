// Package notice keeps what the shop's owner must be told about the shop's
// own setup and data, as opposed to its business: a setting that makes a
// whole class of messages impossible, no message channel at all, a stored
// row that no longer validates and was skipped at start. A notice never
// stops shopcare; it is logged with its key when it is raised and shown to
// the owner above every admin page until the cause is gone (the board is
// rebuilt with the app at every start and settings reload).
package notice

import (
	"log/slog"
	"slices"
	"sync"

	"github.com/shopcare/shopcare/internal/i18n"
)

// Notice is one thing the owner should see to.
type Notice struct {
	// Key names what it is about, stable across starts: "settings.public_url_http",
	// "shop_day.17". A second notice with the same key replaces the first.
	Key string
	// Message is the i18n id of the sentence the owner reads.
	Message string
	// Args fill the sentence's placeholders.
	Args map[string]any
}

// Board collects the notices of one running app. It is safe for
// concurrent use.
type Board struct {
	log   *slog.Logger
	mu    sync.RWMutex
	items []Notice
}

// NewBoard returns an empty board that logs each notice raised on log
// (nil: not logged).
func NewBoard(log *slog.Logger) *Board { return &Board{log: log} }

// Add raises n, or replaces the notice with its key; a new one is logged
// as a warning, in English, with its key.
func (b *Board) Add(n Notice) {
	b.mu.Lock()
	i := slices.IndexFunc(b.items, func(x Notice) bool { return x.Key == n.Key })
	if i >= 0 {
		b.items[i] = n
	} else {
		b.items = append(b.items, n)
	}
	b.mu.Unlock()
	if i < 0 && b.log != nil {
		b.log.Warn(i18n.Text(i18n.EN, n.Message, n.Args), "notice", n.Key)
	}
}

// Clear takes the notice with key down, when its cause is gone.
func (b *Board) Clear(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.items = slices.DeleteFunc(b.items, func(x Notice) bool { return x.Key == key })
}

// List returns the notices in the order they were raised.
func (b *Board) List() []Notice {
	if b == nil {
		return nil
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	return slices.Clone(b.items)
}
