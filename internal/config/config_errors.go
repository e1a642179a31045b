package config

import (
	"errors"
	"strings"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/invalid"
)

// FieldError is one setting that does not validate: the key it is about,
// a translation id with its arguments, so the admin says it in the
// owner's language next to the field, and the English sentence that
// `serve` and the other commands print with the key.
type FieldError struct {
	Field string // the key's path: "carriers[1].transit_days"
	Code  string // stable machine code: "invalid", "required", "duplicate"
	// Key is the message's i18n id ("settings.error.country"), empty for
	// a message that has no translation yet; Args fill its placeholders.
	Key     string
	Args    map[string]any
	Message string // English
}

// Error returns "field: message", as the commands print it (the message
// alone for a problem of the document as a whole).
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// Text returns the message in lang: the translation when the error has
// one, else a translated sentence for its code (never English in a
// Russian or Latvian page).
func (e *FieldError) Text(lang i18n.Lang) string {
	if e.Key != "" {
		return i18n.Text(lang, e.Key, e.Args)
	}
	if lang == i18n.EN {
		return e.Message
	}
	if e.Code == "required" {
		return i18n.Text(lang, "settings.error.required", nil)
	}
	return i18n.Text(lang, "settings.error.invalid", nil)
}

// Errors are all the problems of one settings document, in the order of
// the keys. It is an error; errors.As also finds it as an invalid.List.
type Errors []*FieldError

// Error joins the problems, each naming its key.
func (l Errors) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// As lets callers that know only package invalid find the problems.
func (l Errors) As(target any) bool {
	list, ok := target.(*invalid.List)
	if !ok {
		return false
	}
	*list = make(invalid.List, len(l))
	for i, e := range l {
		(*list)[i] = &invalid.Error{Field: e.Field, Code: e.Code, Message: e.Message}
	}
	return true
}

// problems collects the errors of a validation.
type problems struct{ list Errors }

// add records a problem with its translation; the English message is the
// same text in English.
func (p *problems) add(field, code, key string, args map[string]any) {
	p.list = append(p.list, &FieldError{Field: field, Code: code, Key: key, Args: args,
		Message: i18n.Text(i18n.EN, key, args)})
}

// merge takes the errors of a check that has no translations yet.
func (p *problems) merge(l invalid.List) {
	for _, e := range l {
		p.list = append(p.list, &FieldError{Field: e.Field, Code: e.Code, Message: e.Message})
	}
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return p.list
}

// Problems returns the problems inside err (an Errors, an invalid.List or
// one *invalid.Error), each as a FieldError; nil when err holds none.
func Problems(err error) Errors {
	var list Errors
	if errors.As(err, &list) {
		return list
	}
	var il invalid.List
	if errors.As(err, &il) {
		var p problems
		p.merge(il)
		return p.list
	}
	var one *invalid.Error
	if errors.As(err, &one) {
		return Errors{{Field: one.Field, Code: one.Code, Message: one.Message}}
	}
	return nil
}
