package web

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/api"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/faq"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/packing"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/returns"
	"github.com/shopcare/shopcare/internal/signin"
	"github.com/shopcare/shopcare/internal/task"
)

// The services the web surface calls, each declared as the small
// interface of what its handlers use; the App's services implement them.
// A handler never holds the database: reads and writes, each write in its
// own transaction, go through these.

// accountService is the users, sessions and API tokens.
type accountService interface {
	Login(ctx context.Context, email, password string) (auth.User, error)
	PasswordChange(ctx context.Context, u auth.User, keepToken, current, next string, now time.Time) error
	ProfileGet(ctx context.Context, userID int64) (auth.Profile, error)
	ProfileList(ctx context.Context) ([]auth.Profile, error)
	ProfileSave(ctx context.Context, userID int64, name string, languages []string, now time.Time) error
	SessionCreate(ctx context.Context, userID int64, now time.Time) (auth.Session, error)
	SessionDelete(ctx context.Context, token string) error
	SessionGet(ctx context.Context, token string, now time.Time) (auth.User, auth.Session, error)
	TokenAdd(ctx context.Context, name string, scopes []auth.Scope, now time.Time) (string, error)
	TokenList(ctx context.Context) ([]auth.Token, error)
	TokenRevokeID(ctx context.Context, id int64) error
	UserAdd(ctx context.Context, email, password string, role auth.Role, now time.Time) error
	UserDelete(ctx context.Context, id int64) error
	UserList(ctx context.Context) ([]auth.User, error)
	UserSetLanguage(ctx context.Context, userID int64, lang string, now time.Time) error
}

// customerService is the customers.
type customerService interface {
	Get(ctx context.Context, id int64) (*customer.Customer, error)
	GetProfile(ctx context.Context, id int64) (*customer.Profile, error)
	List(ctx context.Context, f customer.ListFilter) ([]*customer.Customer, bool, error)
	Patch(ctx context.Context, p customer.PatchParams) (customer.Changed, error)
}

// customerExports builds a customer's copy of their data, the API's
// export (the customer's page offers it as a download).
type customerExports interface {
	Export(ctx context.Context, id int64) ([]byte, error)
}

// loyaltyProgram is the loyalty program.
type loyaltyProgram interface {
	CouponCreate(ctx context.Context, r loyalty.CouponRequest) (loyalty.Coupon, bool, error)
	Coupons(ctx context.Context, customerID int64, limit int) ([]loyalty.Coupon, error)
	FiguresBetween(ctx context.Context, from, to time.Time) (loyalty.Figures, error)
	Grant(ctx context.Context, r loyalty.GrantRequest) (loyalty.GrantResult, error)
	Ledger(ctx context.Context, customerID, before int64, limit int) ([]loyalty.Transaction, error)
	MemberGet(ctx context.Context, customerID int64) (loyalty.Member, error)
	ReferralCode(ctx context.Context, customerID int64) (string, error)
	ReferralLanding(ctx context.Context, code string) (string, bool, error)
	ReferralLink(code string) string
	Settings() config.Loyalty
}

// messageLog is the messages sent and the customers' opt-outs.
type messageLog interface {
	Get(ctx context.Context, id int64) (*message.Message, error)
	GetByUnsubscribeToken(ctx context.Context, token string) (*message.Message, error)
	ListByCustomer(ctx context.Context, customerID int64, limit int) ([]message.Message, error)
	ListByOrder(ctx context.Context, orderID int64) ([]message.Message, error)
	ListPage(ctx context.Context, after string, limit int) ([]message.Listed, bool, error)
	LoadContact(ctx context.Context, customerID int64) (*message.Contact, error)
	StopAll(ctx context.Context, token string, at time.Time) (*message.Message, error)
	Unsubscribe(ctx context.Context, token string, at time.Time) (*message.Message, error)
}

// orderService is the orders.
type orderService interface {
	ChangeStatus(ctx context.Context, id int64, u order.StatusUpdate) (changed bool, err error)
	EraseCustomer(ctx context.Context, id int64, force bool, source order.Source, erasers ...order.Eraser) (order.Erasure, error)
	ExplainOrder(ctx context.Context, o *order.Order, lang i18n.Lang) (order.Explanation, error)
	ExternalIDs(ctx context.Context, ids []int64) (map[int64]string, error)
	Get(ctx context.Context, id int64) (*order.Order, error)
	GetByTrackingToken(ctx context.Context, token string) (*order.Order, error)
	List(ctx context.Context, f order.ListFilter) ([]order.ListItem, bool, error)
	ListOfCustomer(ctx context.Context, customerID int64, after string, limit int) ([]order.CustomerOrder, bool, error)
	Notes(ctx context.Context, orderID int64) ([]order.Note, error)
	Reorder(ctx context.Context, src *order.Order, key string) (order.Result, *order.Order, error)
	Today() string
	TrackingToken(ctx context.Context, id int64) (string, error)
}

// packingStation is the packing station.
type packingStation interface {
	Build(ctx context.Context, settings config.Settings, cal *calendar.Calendar, orderID int64, now time.Time) (*packing.Sheet, error)
	Finish(ctx context.Context, sheet *packing.Sheet, checked []string, author string, now time.Time) (packing.Finished, error)
	Queue(ctx context.Context, limit int) ([]packing.QueueItem, error)
}

// parcelService is the parcels.
type parcelService interface {
	Add(ctx context.Context, orderID int64, carrierCode, tracking string) (p parcel.Parcel, created bool, err error)
	ByOrder(ctx context.Context, orderID int64) ([]parcel.Parcel, error)
	ByOrders(ctx context.Context, orderIDs []int64) (map[int64][]parcel.Parcel, error)
	Events(ctx context.Context, parcelID int64) ([]parcel.Event, error)
	Ingest(ctx context.Context, reports []parcel.Report) ([]parcel.Outcome, error)
	KeptUntil(carrierCode string, arrived time.Time) string
	ListStuck(ctx context.Context, pg parcel.ListPage) ([]parcel.Listed, bool, error)
	ListWaiting(ctx context.Context, pg parcel.ListPage) ([]parcel.Listed, bool, error)
	Reminders(ctx context.Context, parcelID int64) ([]parcel.Reminder, error)
	Tracks(carrierCode string) bool
}

// signinService lets customers into their own page.
type signinService interface {
	SessionCreate(ctx context.Context, customerID int64, via string, now time.Time) (signin.Session, error)
	SessionDelete(ctx context.Context, token string) error
	SessionGet(ctx context.Context, token string, now time.Time) (signin.Session, error)
	Request(ctx context.Context, c signin.Contact, now time.Time) error
	CodeSpend(ctx context.Context, c signin.Contact, code string, now time.Time) (signin.Session, error)
	LinkCheck(ctx context.Context, token string, now time.Time) error
	Enter(ctx context.Context, token string, now time.Time) (signin.Session, error)
	URL(customerID int64, via string, now time.Time) string
	SignInList(ctx context.Context, p signin.ListPage, now time.Time) ([]signin.SignIn, bool, error)
	CodesSince(ctx context.Context, since time.Time) (signin.CodeFigures, error)
}

// faqService is the shop's FAQ: written in the admin, read and searched
// on the customers' help page.
type faqService interface {
	Count(ctx context.Context, lang i18n.Lang, query string, found bool, now time.Time) error
	Delete(ctx context.Context, id int64) error
	Get(ctx context.Context, id int64) (faq.Entry, error)
	List(ctx context.Context, lang i18n.Lang) ([]faq.Entry, error)
	Move(ctx context.Context, id int64, up bool, now time.Time) error
	Save(ctx context.Context, e faq.Entry, now time.Time) (faq.Entry, error)
	Search(ctx context.Context, lang i18n.Lang, query string) ([]faq.Hit, error)
	Unanswered(ctx context.Context, limit int) ([]faq.Searched, error)
}

// settingsHistory is the saved settings and their versions.
type settingsHistory interface {
	Get(ctx context.Context, id int64) (config.Version, error)
	List(ctx context.Context, limit int) ([]config.Version, error)
	Save(ctx context.Context, p config.SaveParams) (config.Settings, config.Version, error)
	Saved(ctx context.Context) ([]byte, bool, error)
}

// taskService is the operators' tasks.
type taskService interface {
	Add(ctx context.Context, tasks []task.Task, now time.Time) (int, error)
	ListByOrder(ctx context.Context, orderID int64) ([]task.Task, error)
	ListOpen(ctx context.Context, p task.ListOpenParams) ([]task.Listed, int64, bool, error)
	Resolve(ctx context.Context, id int64, kind task.Kind, by string, now time.Time) (orderID int64, err error)
}

// returnDesk is the return requests customers make on their page.
type returnDesk interface {
	Create(ctx context.Context, in returns.Input) (returns.Request, error)
	Form(ctx context.Context, o *order.Order) (returns.Form, error)
	ListByOrder(ctx context.Context, orderID int64) ([]returns.Request, error)
}

// services are the collaborators of the handlers, taken from the App.
type services struct {
	accounts  accountService
	customers customerService
	exports   customerExports
	loyalty   loyaltyProgram
	messages  messageLog
	orders    orderService
	packing   packingStation
	parcels   parcelService
	signins   signinService
	versions  settingsHistory
	tasks     taskService
	returns   returnDesk
	faq       faqService // set by newHandler: servicesOf stays one line per helper's merge
}

func servicesOf(a *app.App) services {
	return services{accounts: a.Accounts, customers: a.Customers, exports: api.NewExports(a), loyalty: a.Loyalty, messages: a.Messages, orders: a.Orders, packing: a.Packing, parcels: a.Parcels, signins: a.SignIns, versions: a.SettingsVersions, tasks: a.Tasks, returns: a.Returns}
}
