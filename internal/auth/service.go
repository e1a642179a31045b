package auth

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Service is the users, sessions and API tokens of the shop, for the
// HTTP surfaces: they call it instead of holding the database. Each
// method reads through the read pool or writes through the write pool
// of one database, like the free functions it wraps.
type Service struct {
	db *store.DB
}

// NewService returns the accounts of db.
func NewService(db *store.DB) *Service { return &Service{db: db} }

// Login checks an email and password (see Login).
func (s *Service) Login(ctx context.Context, email, password string) (User, error) {
	return Login(ctx, s.db.Read(), email, password)
}

// SessionCreate starts a session for the user (see SessionCreate).
func (s *Service) SessionCreate(ctx context.Context, userID int64, now time.Time) (Session, error) {
	return SessionCreate(ctx, s.db, userID, now)
}

// SessionGet returns the user and session of a token (see SessionGet).
func (s *Service) SessionGet(ctx context.Context, token string, now time.Time) (User, Session, error) {
	return SessionGet(ctx, s.db.Read(), token, now)
}

// SessionDelete ends a session (see SessionDelete).
func (s *Service) SessionDelete(ctx context.Context, token string) error {
	return SessionDelete(ctx, s.db, token)
}

// PasswordChange changes a user's password (see PasswordChange).
func (s *Service) PasswordChange(ctx context.Context, u User, keepToken, current, next string, now time.Time) error {
	return PasswordChange(ctx, s.db, u, keepToken, current, next, now)
}

// UserSetLanguage sets the admin language of a user (see UserSetLanguage).
func (s *Service) UserSetLanguage(ctx context.Context, userID int64, lang string, now time.Time) error {
	return UserSetLanguage(ctx, s.db, userID, lang, now)
}

// UserList returns the users (see UserList).
func (s *Service) UserList(ctx context.Context) ([]User, error) {
	return UserList(ctx, s.db.Read())
}

// UserAdd adds a user (see UserAdd).
func (s *Service) UserAdd(ctx context.Context, email, password string, role Role, now time.Time) error {
	return UserAdd(ctx, s.db, email, password, role, now)
}

// UserDelete removes a user (see UserDelete).
func (s *Service) UserDelete(ctx context.Context, id int64) error {
	return UserDelete(ctx, s.db, id)
}

// ProfileGet returns a user's profile (see ProfileGet).
func (s *Service) ProfileGet(ctx context.Context, userID int64) (Profile, error) {
	return ProfileGet(ctx, s.db.Read(), userID)
}

// ProfileList returns every user's profile (see ProfileList).
func (s *Service) ProfileList(ctx context.Context) ([]Profile, error) {
	return ProfileList(ctx, s.db.Read())
}

// ProfileSave saves a user's profile (see ProfileSave).
func (s *Service) ProfileSave(ctx context.Context, userID int64, name string, languages []string, now time.Time) error {
	return ProfileSave(ctx, s.db, userID, name, languages, now)
}

// TokenCheck returns the API token of a secret (see TokenCheck).
func (s *Service) TokenCheck(ctx context.Context, token string) (Token, error) {
	return TokenCheck(ctx, s.db.Read(), token)
}

// TokenTouch records a token's last use (see TokenTouch).
func (s *Service) TokenTouch(ctx context.Context, id int64, now time.Time) error {
	return TokenTouch(ctx, s.db, id, now)
}

// TokenList returns the API tokens (see TokenList).
func (s *Service) TokenList(ctx context.Context) ([]Token, error) {
	return TokenList(ctx, s.db.Read())
}

// TokenAdd creates an API token and returns its secret (see TokenAdd).
func (s *Service) TokenAdd(ctx context.Context, name string, scopes []Scope, now time.Time) (string, error) {
	return TokenAdd(ctx, s.db, name, scopes, now)
}

// TokenRevokeID revokes an API token (see TokenRevokeID).
func (s *Service) TokenRevokeID(ctx context.Context, id int64) error {
	return TokenRevokeID(ctx, s.db, id)
}
