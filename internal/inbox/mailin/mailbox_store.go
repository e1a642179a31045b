package mailin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// cursor is how far a mailbox has been read: its UIDVALIDITY and the
// highest UID handed to the Receiver. The mailboxes table (migration
// 00020) is this package's own.
type cursor struct {
	UIDValidity uint32
	LastUID     uint32
	UpdatedAt   time.Time
}

// mailboxGet returns the stored cursor of a mailbox; found is false for
// a mailbox never read.
func mailboxGet(ctx context.Context, q store.Querier, mailbox string) (c cursor, found bool, err error) {
	var validity, last int64
	var bad bool
	err = q.QueryRow(ctx, `SELECT uid_validity, last_uid, updated_at FROM mailboxes WHERE mailbox = $1`, mailbox).
		Scan(&validity, &last, store.LenientTime{T: &c.UpdatedAt, Bad: &bad})
	if errors.Is(err, store.ErrNotFound) {
		return cursor{}, false, nil
	}
	if err != nil {
		return cursor{}, false, fmt.Errorf("load mailbox %s: %w", mailbox, err)
	}
	c.UIDValidity, c.LastUID = uint32(validity), uint32(last)
	return c, true, nil
}

// mailboxSave stores a mailbox's cursor.
func mailboxSave(ctx context.Context, db *store.DB, mailbox string, c cursor) error {
	err := db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO mailboxes (mailbox, uid_validity, last_uid, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
			mailbox, int64(c.UIDValidity), int64(c.LastUID), c.UpdatedAt.UTC())
		return err
	})
	if err != nil {
		return fmt.Errorf("save mailbox %s at uid %d: %w", mailbox, c.LastUID, err)
	}
	return nil
}
