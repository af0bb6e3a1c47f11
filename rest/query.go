package rest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorgon-commerce/gorgon/rest/jsdate"
	"github.com/gorgon-commerce/gorgon/rest/qs"
	"github.com/gorgon-commerce/gorgon/store"
)

// query reads URL query parameters as Medusa 1.3.8 sees them: Express parses the query string
// with qs into strings, arrays (`id[]=a`, `id[0]=a`, a repeated `id`) and objects
// (`created_at[gt]=…`), and each route's class-validator class checks that tree. Handlers read
// every parameter through these accessors, named for the validator decorators they follow; a
// top-level parameter no handler reads is refused ("property x should not exist").
type query struct {
	root *qs.Object
	used map[string]bool
	msgs []string
}

func newQuery(r *http.Request) *query {
	return &query{root: qs.Parse(r.URL.RawQuery), used: map[string]bool{}}
}

// normalized applies Medusa's normalizeQuery, which the routes built on its transformQuery
// middleware run before validating: a one-element array of a string becomes that string split
// at commas (`fields[]=id,title` is ["id", "title"]). Other routes validate the query as qs left
// it.
func (q *query) normalized() *query {
	for _, k := range q.root.Keys() {
		v, _ := q.root.Get(k)
		a, ok := v.(qs.Array)
		if !ok || len(a) != 1 {
			continue
		}
		s, ok := a[0].(qs.String)
		if !ok {
			continue // Medusa's split throws here (a 500); the validators refuse it instead
		}
		parts := strings.Split(string(s), ",")
		arr := make(qs.Array, len(parts))
		for i, p := range parts {
			arr[i] = qs.String(p)
		}
		q.root.Set(k, arr)
	}
	return q
}

func (q *query) fail(format string, args ...any) {
	q.msgs = append(q.msgs, fmt.Sprintf(format, args...))
}

// value returns the parsed value of a top-level parameter and marks it as read.
func (q *query) value(key string) (qs.Value, bool) {
	v, ok := q.root.Get(key)
	if ok {
		q.used[key] = true
	}
	return v, ok
}

// String reads an optional `@IsString()` parameter: an array or object is refused.
func (q *query) String(key string) *string {
	v, ok := q.value(key)
	if !ok {
		return nil
	}
	s, isString := v.(qs.String)
	if !isString {
		q.fail("%s must be a string", key)
		return nil
	}
	out := string(s)
	return &out
}

// Strings reads a parameter given either as one string split at commas or as an array of such
// strings, empty parts dropped. It refuses nothing: only for parameters Medusa takes that
// loosely.
func (q *query) Strings(key string) []string {
	v, ok := q.value(key)
	if !ok {
		return nil
	}
	out := []string{}
	add := func(v qs.Value) {
		if s, ok := v.(qs.String); ok {
			out = append(out, splitList(string(s))...)
		}
	}
	if a, ok := v.(qs.Array); ok {
		for _, e := range a {
			add(e)
		}
	} else {
		add(v)
	}
	return out
}

// list reads a parameter that may be a string or an array: its strings, whether it was an
// array, and whether it was sent. bad reports an object, or an array holding anything but
// strings; each caller words that as its validator does.
func (q *query) list(key string) (vals []string, isArray, found, bad bool) {
	v, ok := q.value(key)
	if !ok {
		return nil, false, false, false
	}
	switch v := v.(type) {
	case qs.String:
		return []string{string(v)}, false, true, false
	case qs.Array:
		vals, ok := qs.Strings(v)
		return vals, true, true, !ok
	}
	return nil, false, true, true
}

// Array reads an optional `@IsArray()` parameter of strings: a plain string or an object is
// refused with "key must be an array".
func (q *query) Array(key string) []string {
	vals, isArray, found, bad := q.list(key)
	switch {
	case !found:
		return nil
	case !isArray:
		q.fail("%s must be an array", key)
		return nil
	case bad:
		q.fail("each value in %s must be a string", key)
		return nil
	}
	return vals
}

// Int reads an optional `@Type(() => Number) @IsNumber()` parameter: JavaScript's Number() of a
// string (so an empty value is 0), rounded as PostgreSQL rounds a fractional LIMIT; NaN,
// Infinity, arrays and objects are refused.
func (q *query) Int(key string, def int) int {
	return q.number(key, def, false, "must be a number conforming to the specified constraints")
}

// Integer reads an optional `@Type(() => Number) @IsInt()` parameter.
func (q *query) Integer(key string, def int) int {
	return q.number(key, def, true, "must be an integer number")
}

func (q *query) number(key string, def int, integer bool, msg string) int {
	v, ok := q.value(key)
	if !ok {
		return def
	}
	s, isString := v.(qs.String)
	n, isNumber := jsNumber(string(s))
	// Beyond ±2^63 Medusa's database refuses the number (a 500); Gorgon refuses it here.
	if !isString || !isNumber || math.IsInf(n, 0) || (integer && n != math.Trunc(n)) || math.Abs(n) >= 1<<63 {
		q.fail("%s %s", key, msg)
		return def
	}
	return int(math.Round(n))
}

// jsNumber is JavaScript's Number(s) (jsdate.Number); ok is false where that is NaN.
func jsNumber(s string) (float64, bool) {
	n := jsdate.Number(s)
	return n, !math.IsNaN(n)
}

// DateRange reads an optional `@ValidateNested() @Type(() => DateComparisonOperator)`
// parameter: `key[lt|gt|gte|lte]=date`. A plain value or an array element that is not an object
// is refused as class-validator does, an unknown operator by its own name (the nested
// whitelist), a value that is no date with "op must be a Date instance".
func (q *query) DateRange(key string) *store.TimeRange {
	v, ok := q.value(key)
	if !ok {
		return nil
	}
	nested := func() { q.fail("nested property %s must be either object or array", key) }
	switch v := v.(type) {
	case *qs.Object:
		tr, msgs := dateOperators(v)
		q.msgs = append(q.msgs, msgs...)
		if len(msgs) > 0 {
			return nil
		}
		return tr
	case qs.Array:
		// class-validator checks each element; an array of operator objects is no filter Medusa
		// can run either.
		for _, e := range v {
			if o, isObject := e.(*qs.Object); isObject {
				_, msgs := dateOperators(o)
				q.msgs = append(q.msgs, msgs...)
			} else {
				nested()
			}
		}
		return nil
	}
	nested()
	return nil
}

// dateOperators checks a DateComparisonOperator object: unknown properties first (in key
// order), then lt, gt, gte, lte (the class's order).
func dateOperators(o *qs.Object) (*store.TimeRange, []string) {
	var msgs []string
	for _, k := range o.Keys() {
		switch k {
		case "lt", "gt", "gte", "lte":
		default:
			msgs = append(msgs, "property "+k+" should not exist")
		}
	}
	var tr store.TimeRange
	for _, op := range []string{"lt", "gt", "gte", "lte"} {
		v, ok := o.Get(op)
		if !ok {
			continue
		}
		t, err := transformDate(jsString(v))
		if err != nil {
			msgs = append(msgs, op+" must be a Date instance")
			continue
		}
		switch op {
		case "lt":
			tr.Lt = &t
		case "gt":
			tr.Gt = &t
		case "gte":
			tr.Gte = &t
		case "lte":
			tr.Lte = &t
		}
	}
	return &tr, msgs
}

// jsString is JavaScript's String(v) of a parsed query value: arrays join their elements with
// commas (so `created_at[gt][]=2020-01-01` is a date, as in Medusa).
func jsString(v qs.Value) string {
	switch v := v.(type) {
	case qs.String:
		return string(v)
	case qs.Bool:
		return strconv.FormatBool(bool(v))
	case qs.Array:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = jsString(e)
		}
		return strings.Join(parts, ",")
	}
	return "[object Object]"
}

// transformDate is Medusa's transformDate for DateComparisonOperator values: a string
// JavaScript's Date can parse (in the server's zone, as node would), else Number(value) seconds
// since the epoch (so an empty value is the epoch itself).
func transformDate(s string) (time.Time, error) {
	if t, ok := jsdate.ParseOrSeconds(s, time.Local); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("bad date %q", s)
}

// nonEmpty drops an empty string, as Medusa's pickBy(filters, identity) drops falsy filters.
func nonEmpty(s *string) *string {
	if s == nil || *s == "" {
		return nil
	}
	return s
}

// Find reads Medusa's FindParams: `expand` and `fields`, strings split at commas.
func (q *query) Find() store.Find {
	var f store.Find
	if e := q.String("expand"); e != nil {
		f.Expand = splitList(*e)
	}
	if fl := q.String("fields"); fl != nil {
		f.Fields = splitList(*fl)
	}
	return f
}

// Page reads `offset`, `limit` (IsNumber), `order` (IsString) and FindParams with the endpoint's
// default limit.
func (q *query) Page(defaultLimit int) store.Page {
	p := store.Page{Offset: q.Int("offset", 0), Limit: q.Int("limit", defaultLimit), Find: q.Find()}
	p.All = p.Limit == 0 // TypeORM's take: 0
	if o := q.String("order"); o != nil {
		p.Order = *o
	}
	return p
}

// Err reports the parameters no handler read, then the collected failures, as one invalid_data
// error: class-validator's whitelist reports unknown properties first, in the order of the
// query object's keys (JavaScript's: integer-like names first).
func (q *query) Err() error {
	var msgs []string
	for _, k := range q.root.Keys() {
		if !q.used[k] {
			msgs = append(msgs, fmt.Sprintf("property %s should not exist", k))
		}
	}
	msgs = append(msgs, q.msgs...)
	if len(msgs) == 0 {
		return nil
	}
	return store.Invalidf("%s", strings.Join(msgs, ", "))
}
