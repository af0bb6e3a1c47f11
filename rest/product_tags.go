package rest

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

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
// order) and so reports it alone, in its own JSON-in-a-string wording.
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
	f.Q = cvQueryString(q, "q")
	f.Value, e = isTypeStrings(q, "value")
	keep(e)
	f.CreatedAt, e = isTypeDates(q, "created_at")
	keep(e)
	f.UpdatedAt, e = isTypeDates(q, "updated_at")
	keep(e)
	if o := cvQueryString(q, "order"); o != nil {
		order = *o
	}
	limit, offset = q.Int("limit", 10), q.Int("offset", 0)
	if typeErr != nil {
		return f, 0, 0, "", typeErr
	}
	return f, offset, limit, order, q.Err()
}

// isTypeStrings reads an IsType([String, [String], StringComparisonOperator]) parameter: key=v,
// key[]=v (or repeated: one of), key[lt|gt|lte|gte]=v. Values are taken as they are (no comma
// splitting: Medusa validates these lists' raw query).
func isTypeStrings(q *query, key string) (*store.StringFilter, error) {
	var sf store.StringFilter
	found := false
	var unknown []string
	for k, vs := range q.values {
		switch {
		case k == key || k == key+"[]":
			q.used[k] = true
			found = true
			sf.In = append(sf.In, vs...)
		case strings.HasPrefix(k, key+"[") && strings.HasSuffix(k, "]"):
			q.used[k] = true
			found = true
			v := vs[len(vs)-1]
			switch op := k[len(key)+1 : len(k)-1]; op {
			case "lt":
				sf.Lt = &v
			case "gt":
				sf.Gt = &v
			case "lte":
				sf.Lte = &v
			case "gte":
				sf.Gte = &v
			default:
				unknown = append(unknown, "property "+op+" should not exist")
			}
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, isTypeError(key, []string{"String", "String", "StringComparisonOperator"}, [][2]any{
			{"String", []string{"String validation failed: [object Object] is not a string"}},
			{"undefined", []string{"Cannot read properties of undefined (reading 'constructor')"}},
			{"StringComparisonOperator", splitComma(unknown)},
		})
	}
	if !found {
		return nil, nil
	}
	return &sf, nil
}

// isTypeDates reads an IsType([DateComparisonOperator]) parameter.
func isTypeDates(q *query, key string) (*store.TimeRange, error) {
	var tr store.TimeRange
	found, plain := false, false
	var unknown, bad []string
	dates := map[string]*time.Time{}
	for k, vs := range q.values {
		switch {
		case k == key || k == key+"[]":
			q.used[k] = true
			found, plain = true, true
		case strings.HasPrefix(k, key+"[") && strings.HasSuffix(k, "]"):
			q.used[k] = true
			found = true
			op := k[len(key)+1 : len(k)-1]
			switch op {
			case "lt", "gt", "lte", "gte":
				t, err := parseDate(vs[len(vs)-1])
				if err != nil {
					dates[op] = nil
					continue
				}
				dates[op] = &t
			default:
				unknown = append(unknown, "property "+op+" should not exist")
			}
		}
	}
	for _, op := range []string{"lt", "gt", "gte", "lte"} { // the class's order
		if t, ok := dates[op]; ok && t == nil {
			bad = append(bad, op+" must be a Date instance")
		}
	}
	switch {
	case plain:
		return nil, isTypeError(key, []string{"DateComparisonOperator"}, nil)
	case len(unknown)+len(bad) > 0:
		sort.Strings(unknown)
		return nil, isTypeError(key, []string{"DateComparisonOperator"}, [][2]any{{"DateComparisonOperator", splitComma(append(unknown, bad...))}})
	case !found:
		return nil, nil
	}
	tr.Lt, tr.Gt, tr.Lte, tr.Gte = dates["lt"], dates["gt"], dates["lte"], dates["gte"]
	return &tr, nil
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
