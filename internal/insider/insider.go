package insider

import (
	"errors"
	"time"
)

// Kind is what a project offers its members.
type Kind string

// The kinds of project.
const (
	// BetaTest: members try a product before it is sold, and say what
	// they think.
	BetaTest Kind = "beta_test"
	// EarlyAccess: members may buy a new product before everyone else.
	EarlyAccess Kind = "early_access"
	// PreOrder: members put their name down for a product still to come.
	PreOrder Kind = "pre_order"
	// Crowdfunding: a product is made once enough members sign up.
	Crowdfunding Kind = "crowdfunding"
)

// Kinds are the kinds of project, in the order the admin offers them.
var Kinds = []Kind{PreOrder, EarlyAccess, BetaTest, Crowdfunding}

// Source is where a customer joined a project.
type Source string

// The places a customer joins from. The shop never joins anyone: the
// consent is the customer's own act.
const (
	// FromMyPage: the customer's own page (/my/insiders).
	FromMyPage Source = "my_page"
	// FromLink: a signed invitation link in a message (/i/{token}),
	// confirmed by a button (a GET joins no one).
	FromLink Source = "message_link"
)

// ConsentVersion is the version of the consent wording the customer's
// page and the invitation page show beside the button (the i18n text
// insider.consent.v<N>). A new wording gets a new version, so each
// membership keeps the words its customer agreed to.
const ConsentVersion = 1

// Limits of a project's texts, in characters, and of its goal.
const (
	MaxTitle       = 120
	MaxDescription = 2000
	MaxGoal        = 1_000_000
)

// ErrClosed refuses a sign-up to a project that is closed, not started
// yet or over.
var ErrClosed = errors.New("the project takes no sign-ups now")

// Project is a project of the club.
type Project struct {
	ID   int64
	Kind Kind
	// Title and Description are per language (ru, lv, en); a language
	// left empty falls back to another (Text).
	Title       map[string]string
	Description map[string]string
	// Goal is the sign-ups the shop hopes for, 0 for none.
	Goal int64
	// StartsOn and EndsOn are shop-local days (YYYY-MM-DD), "" for open
	// ended.
	StartsOn, EndsOn string
	ClosedAt         *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// Members is how many customers are in it now (left ones not
	// counted); filled by the lists.
	Members int64
}

// Closed says the shop closed the project.
func (p Project) Closed() bool { return p.ClosedAt != nil }

// Open says the project takes sign-ups on day today (YYYY-MM-DD,
// shop-local): not closed, started and not over.
func (p Project) Open(today string) bool {
	return p.ClosedAt == nil && (p.StartsOn == "" || p.StartsOn <= today) && (p.EndsOn == "" || today <= p.EndsOn)
}

// Progress is the members as a percentage of the goal (0–100, capped),
// 0 without a goal.
func (p Project) Progress() int64 {
	if p.Goal <= 0 {
		return 0
	}
	return min(100, p.Members*100/p.Goal)
}

// langs are the languages a project's texts are written in, in the
// order a missing one falls back through.
var langs = []string{"ru", "lv", "en"}

// TitleIn is the project's title in lang, or in another language when
// the shop wrote none in lang.
func (p Project) TitleIn(lang string) string { return pick(p.Title, lang) }

// DescriptionIn is the project's description in lang, falling back as
// TitleIn does (to the language its title came from first).
func (p Project) DescriptionIn(lang string) string {
	if p.Title[lang] != "" || p.Description[lang] != "" {
		return p.Description[lang]
	}
	return pick(p.Description, lang)
}

// pick is m[lang], or the first language's text that is not empty.
func pick(m map[string]string, lang string) string {
	if s := m[lang]; s != "" {
		return s
	}
	for _, l := range langs {
		if s := m[l]; s != "" {
			return s
		}
	}
	return ""
}

// Member is a customer's membership of a project.
type Member struct {
	ProjectID  int64
	CustomerID int64
	Source     Source
	// ConsentVersion and ConsentLang are the wording the customer agreed
	// to, and its language.
	ConsentVersion int
	ConsentLang    string
	JoinedAt       time.Time
	// LeftAt is when the customer left (withdrew the consent), nil while
	// a member.
	LeftAt *time.Time
	// The customer's name and contacts, for the admin's list and the
	// campaigns' export.
	Name, Email, Phone, Language, ExternalID string
}

// Membership is one project as the customer's page shows it: the
// project and whether the customer is in it.
type Membership struct {
	Project
	Joined   bool
	JoinedAt *time.Time
}

// State is where the project stands on day today: open, upcoming (not
// started), over (past its last day) or closed (by the shop).
func (p Project) State(today string) string {
	switch {
	case p.ClosedAt != nil:
		return "closed"
	case p.StartsOn != "" && today < p.StartsOn:
		return "upcoming"
	case p.EndsOn != "" && today > p.EndsOn:
		return "over"
	}
	return "open"
}
