package api

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/returns"
	"github.com/shopcare/shopcare/internal/review"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/survey"
	"github.com/shopcare/shopcare/internal/task"
	"github.com/shopcare/shopcare/internal/webhook"
)

// The services the api surface calls, each declared as the small
// interface of what its handlers use; the App's services implement them.
// A handler never holds the database: reads and writes, each write in its
// own transaction, go through these.

// accountService is the users, sessions and API tokens.
type accountService interface {
	TokenCheck(ctx context.Context, token string) (auth.Token, error)
	TokenTouch(ctx context.Context, id int64, now time.Time) error
}

// customerService is the customers.
type customerService interface {
	GetProfile(ctx context.Context, id int64) (*customer.Profile, error)
	List(ctx context.Context, f customer.ListFilter) ([]*customer.Customer, bool, error)
	Patch(ctx context.Context, p customer.PatchParams) (customer.Changed, error)
	ResolveID(ctx context.Context, ref string) (int64, error)
}

// loyaltyProgram is the loyalty program.
type loyaltyProgram interface {
	Balance(ctx context.Context, customerID int64) (int64, error)
	CouponCreate(ctx context.Context, r loyalty.CouponRequest) (loyalty.Coupon, bool, error)
	Grant(ctx context.Context, r loyalty.GrantRequest) (loyalty.GrantResult, error)
	Ledger(ctx context.Context, customerID, before int64, limit int) ([]loyalty.Transaction, error)
	MemberGet(ctx context.Context, customerID int64) (loyalty.Member, error)
	Redeem(ctx context.Context, r loyalty.RedeemRequest) (loyalty.Redeemed, error)
	RedeemCoupon(ctx context.Context, code string, orderID int64) (loyalty.CouponUse, error)
	ReferralCode(ctx context.Context, customerID int64) (string, error)
	ReferralLink(code string) string
	Review(ctx context.Context, customerID, orderID int64) (bool, error)
	ValidateCoupon(ctx context.Context, code string, customerID, totalMinor int64, currency string) (loyalty.Quote, error)
}

// messageLog is the messages sent and the customers' opt-outs.
type messageLog interface {
	Attempts(ctx context.Context, messageID int64) ([]message.Attempt, error)
	ListByCustomer(ctx context.Context, customerID int64, limit int) ([]message.Message, error)
	ListByOrder(ctx context.Context, orderID int64) ([]message.Message, error)
}

// orderService is the orders.
type orderService interface {
	ChangeStatus(ctx context.Context, id int64, u order.StatusUpdate) (changed bool, err error)
	Create(ctx context.Context, n order.NewOrder) (order.Result, error)
	CreateRead(ctx context.Context, n order.NewOrder) (order.Result, *order.Order, error)
	EraseCustomer(ctx context.Context, id int64, force bool, source order.Source, erasers ...order.Eraser) (order.Erasure, error)
	ExplainOrder(ctx context.Context, o *order.Order, lang i18n.Lang) (order.Explanation, error)
	Find(ctx context.Context, ref string) (*order.Order, error)
	Get(ctx context.Context, id int64) (*order.Order, error)
	List(ctx context.Context, f order.ListFilter) ([]order.ListItem, bool, error)
	ResolveID(ctx context.Context, ref string) (int64, error)
	Today() string
	Update(ctx context.Context, id int64, c order.Change) (order.Updated, error)
}

// parcelService is the parcels.
type parcelService interface {
	Add(ctx context.Context, orderID int64, carrierCode, tracking string) (p parcel.Parcel, created bool, err error)
	ByOrder(ctx context.Context, orderID int64) ([]parcel.Parcel, error)
	ByTrackingNumber(ctx context.Context, tracking string) (parcel.Parcel, error)
	Events(ctx context.Context, parcelID int64) ([]parcel.Event, error)
	Ingest(ctx context.Context, reports []parcel.Report) ([]parcel.Outcome, error)
	KeptUntil(carrierCode string, arrived time.Time) string
	Tracks(carrierCode string) bool
	Webhook(carrierCode string) (h carrier.Webhook, secret string, ok bool)
}

// webhookLog is the webhook deliveries.
type webhookLog interface {
	Deliveries(ctx context.Context, f webhook.Filter) ([]webhook.Delivery, error)
}

// database is the health check's view of the database.
type database interface {
	Ping(ctx context.Context) error
	Engine() string
	Ready(ctx context.Context) []app.Check
}

// returnDesk is the return requests customers make on their page.
type returnDesk interface {
	ListByOrder(ctx context.Context, orderID int64) ([]returns.Request, error)
}

// surveyArchive is the customers' survey answers, for their export.
type surveyArchive interface {
	ForCustomer(ctx context.Context, customerID int64) ([]survey.Survey, error)
}

// reviewArchive is the customers' product reviews, for their export.
type reviewArchive interface {
	ForCustomer(ctx context.Context, customerID int64) ([]review.Review, error)
}

// taskBoard is the shop's tasks, for an order's (issue 27).
type taskBoard interface {
	ListByOrder(ctx context.Context, orderID int64) ([]task.Task, error)
}

// stockKeeper is the shop's stock: a SKU's availability from memory for
// a quote, and what an order holds and waits for (issue 27).
type stockKeeper interface {
	Available(sku string) (a stock.Availability, tracked bool)
	Holds(ctx context.Context, orderID int64) ([]stock.Hold, error)
}

// services are the collaborators of the handlers, taken from the App.
type services struct {
	database  database
	accounts  accountService
	customers customerService
	loyalty   loyaltyProgram
	messages  messageLog
	orders    orderService
	parcels   parcelService
	webhooks  webhookLog
	returns   returnDesk
	surveys   surveyArchive
	reviews   reviewArchive
	tasks     taskBoard
	stock     stockKeeper
}

func servicesOf(a *app.App) services {
	return services{database: a, accounts: a.Accounts, customers: a.Customers, loyalty: a.Loyalty, messages: a.Messages, orders: a.Orders, parcels: a.Parcels, webhooks: a.Webhooks, returns: a.Returns,
		surveys: a.Surveys, reviews: a.Reviews, tasks: a.Tasks, stock: a.Stock}
}
