package store

import (
	"net/mail"
	"strings"
)

// Violations collects input-rule failures in class-validator's wording ("email must be an email"),
// which Medusa's API returns joined by ", " as one invalid_data error. Both adapters surface them:
// rest as Medusa's error body, graph as userErrors.
type Violations struct {
	msgs   []string
	fields [][]string
}

// Add records msg about field when bad is true.
func (v *Violations) Add(bad bool, field, msg string) {
	if bad {
		v.msgs = append(v.msgs, msg)
		v.fields = append(v.fields, []string{field})
	}
}

// Has reports whether a message about field was recorded already (e.g. a type error found while
// decoding), so later checks do not repeat it.
func (v *Violations) Has(field string) bool {
	for _, f := range v.fields {
		if len(f) > 0 && f[0] == field {
			return true
		}
	}
	return false
}

// Err returns nil or one invalid_data Error with every message.
func (v *Violations) Err() error {
	if len(v.msgs) == 0 {
		return nil
	}
	e := Invalidf("%s", strings.Join(v.msgs, ", "))
	e.Field = v.fields[0]
	return e
}

// IsEmail reports whether s is an email address of the usual form (class-validator's IsEmail is
// stricter than RFC 5322 about display names, so those are refused too).
func IsEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}
