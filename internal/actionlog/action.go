package actionlog

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Action is the code of what was done, such as "settings.saved". The
// admin page shows each in the reader's language (actions.*.yaml).
type Action string

// The actions recorded.
const (
	SettingsSaved     Action = "settings.saved"
	SettingsRestored  Action = "settings.restored"
	PointsGranted     Action = "points.granted"
	CustomersExported Action = "customers.exported"
	CustomerExported  Action = "customer.exported"
	CustomerErased    Action = "customer.erased"
	CustomerChanged   Action = "customer.changed"
	UserAdded         Action = "user.added"
	UserRemoved       Action = "user.removed"
	TokenAdded        Action = "token.added"
	TokenRevoked      Action = "token.revoked"
	CampaignStarted   Action = "campaign.started"
	CampaignCancelled Action = "campaign.cancelled"
	ReviewPublished   Action = "review.published"
	ReviewRejected    Action = "review.rejected"
	OrderStatusSet    Action = "order.status_changed"
	ActionsExported   Action = "actions.exported"
	// StockSet and StockImported are a SKU's level set by hand and a
	// stock file uploaded in the admin (issue 27).
	StockSet      Action = "stock.set"
	StockImported Action = "stock.imported"
)

// Actions lists every action, in the order the page's filter offers them.
var Actions = []Action{
	SettingsSaved, SettingsRestored, PointsGranted, CustomersExported, CustomerExported, CustomerErased,
	CustomerChanged, UserAdded, UserRemoved, TokenAdded, TokenRevoked, CampaignStarted, CampaignCancelled,
	ReviewPublished, ReviewRejected, OrderStatusSet, ActionsExported, StockSet, StockImported,
}

// Target kinds: what an action was done to.
const (
	TargetCustomer = "customer"
	TargetOrder    = "order"
	TargetCampaign = "campaign"
	TargetReview   = "review"
	TargetUser     = "user"
	TargetToken    = "token"
	TargetSettings = "settings"
	TargetSegment  = "segment"
	TargetStock    = "stock" // a SKU, or the whole stock (no id)
)

// Entry is one action to record.
type Entry struct {
	Action Action
	// TargetKind and TargetID name what was acted on ("customer", "42").
	TargetKind, TargetID string
	// Detail is what changed, kept as a short JSON object: the settings'
	// sections, the points and their reason, the rows exported.
	Detail map[string]any
}

// Target returns e with its target set to kind and the id.
func (e Entry) Target(kind string, id int64) Entry {
	e.TargetKind, e.TargetID = kind, strconv.FormatInt(id, 10)
	return e
}

// maxDetail bounds the stored JSON of a detail: a line says what
// changed, it does not keep a copy of it.
const maxDetail = 2000

// now is the real clock: people's actions happen in real time, whatever
// the shop's clock says. Tests do not move it.
var now = time.Now

// Record writes e as done by the actor ctx carries, through q: the
// transaction of the action itself, so that one is never without the
// other. Without an actor in ctx it writes nothing (the shop's own
// machinery acting, not a person).
func Record(ctx context.Context, q store.Querier, e Entry) error {
	a, ok := ActorFrom(ctx)
	if !ok {
		return nil
	}
	detail := "{}"
	if len(e.Detail) > 0 {
		b, err := json.Marshal(e.Detail)
		if err != nil {
			return fmt.Errorf("record %s: detail: %w", e.Action, err)
		}
		if len(b) > maxDetail {
			b, _ = json.Marshal(map[string]any{"truncated": true})
		}
		detail = string(b)
	}
	var shopAt *time.Time
	if a.ShopNow != nil {
		t := a.ShopNow().UTC()
		shopAt = &t
	}
	_, err := q.Exec(ctx, `INSERT INTO admin_actions (at, shop_at, actor_kind, actor_id, actor_name, action,
		target_kind, target_id, detail, remote_addr, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		now().UTC(), shopAt, string(a.Kind), a.UserID, clip(a.Name, maxName), string(e.Action),
		clip(e.TargetKind, 40), clip(e.TargetID, 100), detail, clip(a.Addr, 100), clip(a.RequestID, 100))
	if err != nil {
		return fmt.Errorf("record %s: %w", e.Action, err)
	}
	return nil
}

// RecordDone records an action that wrote nothing itself (an export),
// once it has succeeded, in a transaction of its own.
func RecordDone(ctx context.Context, db *store.DB, e Entry) error {
	if _, ok := ActorFrom(ctx); !ok {
		return nil
	}
	return db.InTx(ctx, func(tx *store.Tx) error { return Record(ctx, tx, e) })
}
