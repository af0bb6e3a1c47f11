package rest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest/qs"
	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/product-tags", a.listProductTags)
	})
}

// valueListFields are the columns Medusa's tag and type lists select.
var valueListFields = []string{"id", "value", "created_at", "updated_at"}

// GET /admin/product-tags (AdminGetProductTagsParams).
func (a *API) listProductTags(w http.ResponseWriter, r *http.Request) {
	f, offset, limit, order, err := valueListQuery(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	tags, n, err := a.store.ListProductTagsPage(r.Context(), f, offset, limit, order)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, "product_tags", tags, n, store.Page{Offset: offset, Limit: limit, Find: store.Find{Fields: valueListFields}})
}

// valueListQuery reads the parameters of the tag and type lists. Their id, value, created_at and
// updated_at use Medusa's IsType validator, which throws on the first bad one (in the class's
// order) and so reports it alone, in its own JSON-in-a-string wording. Falsy filters (an empty
// id, value or q) are dropped, as Medusa's pickBy(identity) does.
func valueListQuery(r *http.Request) (f store.ValueFilter, offset, limit int, order string, err error) {
	q := newQuery(r)
	var typeErr error
	keep := func(e error) {
		if typeErr == nil {
			typeErr = e
		}
	}
	var e error
	f.ID, e = isTypeStrings(q, "id")
	keep(e)
	f.Q = nonEmpty(cvQueryString(q, "q"))
	f.Value, e = isTypeStrings(q, "value")
	keep(e)
	f.CreatedAt, e = isTypeDates(q, "created_at")
	keep(e)
	f.UpdatedAt, e = isTypeDates(q, "updated_at")
	keep(e)
	if o := cvQueryString(q, "order"); o != nil {
		order = *o
		if order == "" {
			// Medusa checks any order it is given, an empty one too, and names no column: the
			// store refuses "-" (descending on nothing) with the same message.
			order = "-"
		}
	}
	limit, offset = q.Int("limit", 10), q.Int("offset", 0)
	if typeErr != nil {
		return f, 0, 0, "", typeErr
	}
	return f, offset, limit, order, q.Err()
}

// isTypeStrings reads an IsType([String, [String], StringComparisonOperator]) parameter: key=v,
// an array (key[]=v, key[0]=v, repeated: one of), or key[lt|gt|gte|lte]=v. Values are taken as
// they are (no comma splitting: Medusa validates these lists' raw query).
func isTypeStrings(q *query, key string) (*store.StringFilter, error) {
	v, ok := q.value(key)
	if !ok {
		return nil, nil
	}
	objectErr := func(msgs []string) error {
		return isTypeError(key, []string{"String", "String", "StringComparisonOperator"}, [][2]any{
			{"String", []string{"String validation failed: [object Object] is not a string"}},
			{"undefined", []string{"Cannot read properties of undefined (reading 'constructor')"}},
			{"StringComparisonOperator", splitComma(msgs)},
		})
	}
	var sf store.StringFilter
	switch v := v.(type) {
	case qs.String:
		if v == "" {
			return nil, nil
		}
		sf.In = []string{string(v)}
		return &sf, nil
	case qs.Array:
		// [String] holds when any element is a string; only those can match.
		for _, e := range v {
			if s, ok := e.(qs.String); ok {
				sf.In = append(sf.In, string(s))
			}
		}
		if sf.In == nil { // Medusa fails on an array of objects with a 500
			return nil, isTypeError(key, []string{"String", "String", "StringComparisonOperator"}, [][2]any{
				{"String", []string{"String validation failed: [object Object] is not a string"}},
			})
		}
		return &sf, nil
	}
	o := v.(*qs.Object)
	var msgs []string
	for _, k := range o.Keys() {
		switch k {
		case "lt", "gt", "gte", "lte":
		default:
			msgs = append(msgs, "property "+k+" should not exist")
		}
	}
	for _, op := range []string{"lt", "gt", "gte", "lte"} { // the class's order
		ov, ok := o.Get(op)
		if !ok {
			continue
		}
		s, isString := ov.(qs.String)
		if !isString {
			msgs = append(msgs, op+" must be a string")
			continue
		}
		val := string(s)
		switch op {
		case "lt":
			sf.Lt = &val
		case "gt":
			sf.Gt = &val
		case "gte":
			sf.Gte = &val
		case "lte":
			sf.Lte = &val
		}
	}
	if len(msgs) > 0 {
		return nil, objectErr(msgs)
	}
	return &sf, nil
}

// isTypeDates reads an IsType([DateComparisonOperator]) parameter. Medusa validates any value
// as that class: a string has nothing to check but is no object, an array's indexes are unknown
// properties.
func isTypeDates(q *query, key string) (*store.TimeRange, error) {
	v, ok := q.value(key)
	if !ok {
		return nil, nil
	}
	fail := func(msgs []string) error {
		var details [][2]any
		if len(msgs) > 0 {
			details = [][2]any{{"DateComparisonOperator", splitComma(msgs)}}
		}
		return isTypeError(key, []string{"DateComparisonOperator"}, details)
	}
	switch v := v.(type) {
	case *qs.Object:
		tr, msgs := dateOperators(v)
		if len(msgs) > 0 {
			return nil, fail(msgs)
		}
		return tr, nil
	case qs.Array:
		msgs := make([]string, len(v))
		for i := range v {
			msgs[i] = "property " + strconv.Itoa(i) + " should not exist"
		}
		return nil, fail(msgs)
	}
	return nil, fail(nil)
}

// splitComma is what Medusa's IsType does to class-validator's joined messages: it splits them
// on "," again, so every message after the first keeps a leading space.
func splitComma(msgs []string) []string {
	return strings.Split(strings.Join(msgs, ", "), ",")
}

// isTypeError is the invalid_data error Medusa's IsType throws: a JSON document as the message.
func isTypeError(key string, types []string, details [][2]any) error {
	var b strings.Builder
	msg, _ := json.Marshal(key + " must be one of: " + strings.Join(types, ","))
	b.WriteString(`{"message":` + string(msg) + `,"details":{`)
	for i, d := range details {
		if i > 0 {
			b.WriteString(",")
		}
		k, _ := json.Marshal(d[0])
		v, _ := json.Marshal(d[1])
		b.Write(k)
		b.WriteString(":")
		b.Write(v)
	}
	b.WriteString("}}")
	return store.Invalidf("%s", b.String())
}
