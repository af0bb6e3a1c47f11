package store

import (
	"net/mail"
	"sort"
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

// Sort puts the messages in class-validator's order, whatever order the checks ran in:
// unknown properties (recorded without a field) first, then by field in the order given, which is
// the order the request class declares its properties; messages about one field keep their order.
// Fields not listed go last.
func (v *Violations) Sort(fields ...string) {
	rank := func(f []string) int {
		if len(f) == 0 || f[0] == "" {
			return -1
		}
		for i, name := range fields {
			if f[0] == name {
				return i
			}
		}
		return len(fields)
	}
	idx := make([]int, len(v.msgs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return rank(v.fields[idx[a]]) < rank(v.fields[idx[b]]) })
	msgs, fs := make([]string, len(idx)), make([][]string, len(idx))
	for i, j := range idx {
		msgs[i], fs[i] = v.msgs[j], v.fields[j]
	}
	v.msgs, v.fields = msgs, fs
}
