// Package invalid describes input a user must correct: which field is wrong,
// a stable code for translation and machines, and a message for people.
package invalid

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a validation error about one field of an input.
type Error struct {
	Field   string // path of the field, such as "customer.email" or "total"
	Code    string // stable machine code, such as "required" or "negative"
	Message string // English sentence for people
}

// Error returns "field: message".
func (e *Error) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// Field returns an Error about field.
func Field(field, code, format string, args ...any) *Error {
	return &Error{Field: field, Code: code, Message: fmt.Sprintf(format, args...)}
}

// List collects several validation errors; it is itself an error.
type List []*Error

// Add appends an error for field.
func (l *List) Add(field, code, format string, args ...any) {
	*l = append(*l, Field(field, code, format, args...))
}

// Err returns the list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error joins the messages of the list.
func (l List) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// First returns the first *Error inside err (a single Error or a List).
func First(err error) (*Error, bool) {
	var list List
	if errors.As(err, &list) && len(list) > 0 {
		return list[0], true
	}
	var one *Error
	if errors.As(err, &one) {
		return one, true
	}
	return nil, false
}
