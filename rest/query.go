package rest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorgon-commerce/gorgon/store"
)

// query reads URL query parameters the way Medusa's qs + class-validator pipeline does:
// `id[]=a&id[]=b` and `id=a,b` are arrays, `created_at[gt]=…` are operator maps, and every
// parameter a handler does not read is refused ("property x should not exist").
type query struct {
	values url.Values
	order  []string // parameter names in the order of the query string
	used   map[string]bool
	msgs   []string
}

func newQuery(r *http.Request) *query {
	q := &query{values: r.URL.Query(), used: map[string]bool{}}
	for _, part := range strings.Split(r.URL.RawQuery, "&") {
		k, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(k); err == nil && k != "" {
			q.order = append(q.order, k)
		}
	}
	return q
}

func (q *query) fail(format string, args ...any) {
	q.msgs = append(q.msgs, fmt.Sprintf(format, args...))
}

// raw returns the values of key, accepting both `key` and `key[]`.
func (q *query) raw(key string) ([]string, bool) {
	var out []string
	found := false
	for _, k := range []string{key, key + "[]"} {
		if vs, ok := q.values[k]; ok {
			q.used[k] = true
			out = append(out, vs...)
			found = true
		}
	}
	return out, found
}

// String reads an optional string parameter.
func (q *query) String(key string) *string {
	vs, ok := q.raw(key)
	if !ok {
		return nil
	}
	if len(vs) != 1 {
		q.fail("%s must be a string", key)
		return nil
	}
	return &vs[0]
}

// Strings reads an array parameter: repeated, bracketed or comma-separated.
func (q *query) Strings(key string) []string {
	vs, ok := q.raw(key)
	if !ok {
		return nil
	}
	out := []string{}
	for _, v := range vs {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// Int reads an optional number parameter.
func (q *query) Int(key string, def int) int {
	s := q.String(key)
	if s == nil {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(*s))
	if err != nil {
		q.fail("%s must be a number conforming to the specified constraints", key)
		return def
	}
	return n
}

// Bool reads an optional boolean ("true"/"false").
func (q *query) Bool(key string) *bool {
	s := q.String(key)
	if s == nil {
		return nil
	}
	switch *s {
	case "true":
		b := true
		return &b
	case "false":
		b := false
		return &b
	}
	q.fail("%s must be a boolean value", key)
	return nil
}

// DateRange reads `key[lt]`, `key[gt]`, `key[lte]`, `key[gte]`.
func (q *query) DateRange(key string) *store.TimeRange {
	var tr store.TimeRange
	any := false
	for _, op := range []string{"lt", "gt", "lte", "gte"} {
		k := key + "[" + op + "]"
		vs, ok := q.values[k]
		if !ok {
			continue
		}
		q.used[k] = true
		t, err := parseDate(vs[0])
		if err != nil {
			q.fail("%s must be a Date instance", op)
			continue
		}
		any = true
		switch op {
		case "lt":
			tr.Lt = &t
		case "gt":
			tr.Gt = &t
		case "lte":
			tr.Lte = &t
		case "gte":
			tr.Gte = &t
		}
	}
	if !any {
		return nil
	}
	return &tr
}

// parseDate accepts what JavaScript's Date constructor commonly gets: RFC 3339, a date, or epoch ms.
func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	return time.Time{}, fmt.Errorf("bad date %q", s)
}

// Find reads `expand` and `fields` (Medusa's FindParams).
func (q *query) Find() store.Find {
	return store.Find{Expand: q.Strings("expand"), Fields: q.Strings("fields")}
}

// Page reads `offset`, `limit`, `order`, `expand`, `fields` with the endpoint's default limit.
func (q *query) Page(defaultLimit int) store.Page {
	p := store.Page{Offset: q.Int("offset", 0), Limit: q.Int("limit", defaultLimit), Find: q.Find()}
	if o := q.String("order"); o != nil {
		p.Order = *o
	}
	return p
}

// Err reports the collected failures plus unread parameters as one invalid_data error.
func (q *query) Err() error {
	var unknown []string
	seen := map[string]bool{}
	// In query string order, as class-validator reports them (qs keeps the order).
	keys := append(append([]string(nil), q.order...), sortedKeys(q.values)...)
	for _, k := range keys {
		if _, ok := q.values[k]; !ok || q.used[k] || seen[k] {
			continue
		}
		seen[k] = true
		name := k
		if i := strings.IndexByte(k, '['); i > 0 {
			name = k[:i]
		}
		unknown = append(unknown, fmt.Sprintf("property %s should not exist", name))
	}
	// class-validator reports properties that should not exist before any other failure.
	msgs := append(unknown, q.msgs...)
	if len(msgs) == 0 {
		return nil
	}
	return store.Invalidf("%s", strings.Join(msgs, ", "))
}
