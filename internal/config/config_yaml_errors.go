package config

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	yamlLine   = regexp.MustCompile(`line (\d+)`)
	yamlQuoted = regexp.MustCompile(`"([^"]*)"|` + "`([^`]*)`")
)

// documentProblems turns what the YAML decoder found into problems with
// translations: the line and what is wrong on it (an unknown key, a value
// that is not of its key's kind, broken YAML). The English message is
// the decoder's, in the words of a settings file.
func documentProblems(err error) Errors {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		out := make(Errors, len(te.Errors))
		for i, m := range te.Errors {
			english := strings.ReplaceAll(unknownField.ReplaceAllString(m, `unknown key "$1"`), "cannot unmarshal", "cannot read")
			args := map[string]any{"Line": lineOf(m), "Value": quotedIn(m)}
			key := "settings.error.yaml_value"
			if k := unknownField.FindStringSubmatch(m); k != nil {
				key, args["Value"] = "settings.error.unknown_key", k[1]
			}
			out[i] = &FieldError{Code: "invalid", Key: key, Args: args, Message: english}
		}
		return out
	}
	msg := err.Error()
	key := "settings.error.yaml_value" // a value its key's own reader refused: "25:00" as a time
	if strings.HasPrefix(msg, "yaml: ") {
		key = "settings.error.yaml_syntax"
	}
	return Errors{{Code: "invalid", Key: key, Args: map[string]any{"Line": lineOf(msg), "Value": quotedIn(msg)},
		Message: "not valid YAML: " + msg}}
}

// lineOf is the line number a decoder's message names, 0 when none.
func lineOf(msg string) int {
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// quotedIn is the first quoted value of a decoder's message.
func quotedIn(msg string) string {
	if m := yamlQuoted.FindStringSubmatch(msg); m != nil {
		return m[1] + m[2]
	}
	return ""
}
