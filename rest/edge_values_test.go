package rest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// The value sweep: wrong, huge, negative, fractional, overlong and oddly nested values in every
// property of every request body (from Medusa's OpenAPI spec), in every node of valid bodies of
// the routes that write money and counts, odd ids in every path parameter and odd query values.
// Some of these requests are valid and succeed; none may answer a 5xx, and every 4xx must be
// {type, message}.

// badValues are substituted for one property or node at a time.
var badValues = []string{
	`1e400`, `-1e400`, `1e300`, `1e39`, `1e-50`, `9007199254740993`, `-9007199254740993`, `2147483648`, `-2147483649`, `-1`, `1.5`, `0`,
	`"x"`, `""`, `"1e400"`, `true`, `null`, `{}`, `[]`, `[null]`, `[1e400]`, `[{}]`, `[[]]`,
	`"` + strings.Repeat("x", 3000) + `"`,
	`"` + noise(6000) + `"`, // longer than a btree index entry may be, even compressed
	`"` + strings.Repeat("é", 2000) + `"`,
	`"\ud800"`, // a lone surrogate, which jsonb refuses
	`"2022-13-45T99:00:00Z"`, `"-271821-04-20T00:00:00.000Z"`, `"+275760-09-13T00:00:00.000Z"`, `"0000-01-01T00:00:00Z"`, `8.64e15`, `-8.64e15`, `-210866803200001`,
	`{"a":` + strings.Repeat(`{"a":`, 300) + `1` + strings.Repeat(`}`, 300) + `}`,
}

// noise is a deterministic string of n letters and digits that does not compress.
func noise(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	x := uint64(88172645463325252)
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = alphabet[x%uint64(len(alphabet))]
	}
	return string(b)
}

// someBadValues are the ones sent to every property of the spec sweep.
var someBadValues = []string{`1e400`, `9007199254740993`, `-1`, `1.5`, `"x"`, `"` + noise(6000) + `"`, `{}`, `[]`, `[{}]`, `null`, `true`, `"\ud800"`}

// loadAdminSpec reads Medusa's admin OpenAPI spec and indexes its operations by method and path
// shape ("POST /products/{}").
func loadAdminSpec(t *testing.T) map[string]*openapi3.Operation {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("resttest/testdata/admin-spec3.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out[method+" "+paramRe.ReplaceAllString(path, "{}")] = op
		}
	}
	return out
}

// bodyProperties lists a request schema's properties as JSON paths to set, with nested objects
// and arrays of objects opened up to depth 3: "prices[0].amount".
func bodyProperties(s *openapi3.SchemaRef, prefix string, depth int) []string {
	if s == nil || s.Value == nil || depth > 3 {
		return nil
	}
	v := s.Value
	props := map[string]*openapi3.SchemaRef{}
	for _, group := range []openapi3.SchemaRefs{{s}, v.AllOf, v.AnyOf, v.OneOf} {
		for _, x := range group {
			if x != nil && x.Value != nil {
				for k, p := range x.Value.Properties {
					props[k] = p
				}
			}
		}
	}
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []string
	for _, k := range names {
		p := prefix + k
		out = append(out, p)
		ps := props[k]
		if ps.Value == nil {
			continue
		}
		if ps.Value.Type.Is("array") && ps.Value.Items != nil {
			out = append(out, bodyProperties(ps.Value.Items, p+"[0].", depth+1)...)
		} else {
			out = append(out, bodyProperties(ps, p+".", depth+1)...)
		}
	}
	return out
}

var segRe = regexp.MustCompile(`^([^\[]+)(?:\[(\d+)\])?$`)

// setPath returns a copy of body (a JSON object) with the node at path ("a[0].b") set to raw,
// creating the objects and arrays on the way.
func setPath(t *testing.T, body map[string]any, path string, raw string) []byte {
	t.Helper()
	// The value goes in by text replacement of a marker, exactly as written (1e400 and
	// 9007199254740993 do not survive a float64).
	var val any = "\x01marker\x01"
	cp := deepCopy(body).(map[string]any)
	var cur any = cp
	segs := strings.Split(path, ".")
	for i, seg := range segs {
		m := segRe.FindStringSubmatch(seg)
		if m == nil {
			t.Fatalf("bad path %s", path)
		}
		obj := cur.(map[string]any)
		last := i == len(segs)-1
		if m[2] == "" {
			if last {
				obj[m[1]] = val
				break
			}
			next, ok := obj[m[1]].(map[string]any)
			if !ok {
				next = map[string]any{}
				obj[m[1]] = next
			}
			cur = next
			continue
		}
		idx, _ := strconv.Atoi(m[2])
		arr, _ := obj[m[1]].([]any)
		for len(arr) <= idx {
			arr = append(arr, map[string]any{})
		}
		obj[m[1]] = arr
		if last {
			arr[idx] = val
			break
		}
		next, ok := arr[idx].(map[string]any)
		if !ok {
			next = map[string]any{}
			arr[idx] = next
		}
		cur = next
	}
	out, err := json.Marshal(cp)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.Replace(string(out), `"\u0001marker\u0001"`, raw, 1))
}

func deepCopy(v any) any {
	switch c := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(c))
		for k, x := range c {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		a := make([]any, len(c))
		for i, x := range c {
			a[i] = deepCopy(x)
		}
		return a
	}
	return v
}

// nodePaths lists every node of a JSON object as a path for setPath.
func nodePaths(v any, prefix string) []string {
	var out []string
	switch c := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(c))
		for k := range c {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out = append(out, p)
			out = append(out, nodePaths(c[k], p)...)
		}
	case []any:
		for i, x := range c {
			if _, ok := x.(map[string]any); ok {
				out = append(out, nodePaths(x, fmt.Sprintf("%s[%d]", prefix, i))...)
			}
		}
	}
	return out
}

// sweepRequest sends one request and checks the answer is no 5xx and any 4xx is {type, message}.
func sweepRequest(t *testing.T, e *resttest.Env, method, path string, body []byte, stats map[int]int) {
	t.Helper()
	var b any
	if body != nil {
		b = string(body)
	}
	res := e.Do(method, path, b)
	stats[res.Status/100*100]++
	what := fmt.Sprintf("%s %s %s", method, path, abbrev(string(body)))
	switch {
	case res.Status >= 500:
		t.Errorf("%s %s %.500s: %d %.300s", method, path, body, res.Status, res.Body)
	case res.Status >= 400 && !isHTML404(res):
		errorShape(t, what, res)
	}
}

// isHTML404 is Express's page for a route that does not exist (a path parameter holding "/").
func isHTML404(res *resttest.Response) bool {
	return res.Status == 404 && strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") &&
		strings.Contains(string(res.Body), "<pre>Cannot ")
}

// TestEdgeSweepSpecProperties sets every property of every request body in Medusa's spec, alone,
// to wrong values.
func TestEdgeSweepSpecProperties(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	fixture := edgeFixture(t, e)
	spec := loadAdminSpec(t)
	stats := map[int]int{}
	var routes int
	for _, r := range adminRoutes(t, e) {
		if r.method == http.MethodGet {
			continue
		}
		op := spec[r.method+" "+paramRe.ReplaceAllString(strings.TrimPrefix(r.pattern, "/admin"), "{}")]
		if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
			continue
		}
		mt := op.RequestBody.Value.Content.Get("application/json")
		if mt == nil {
			continue
		}
		routes++
		path := r.path(t, fixture, nil)
		for _, prop := range append(bodyProperties(mt.Schema, "", 0), "not_a_property") {
			for _, v := range someBadValues {
				sweepRequest(t, e, r.method, path, setPath(t, map[string]any{}, prop, v), stats)
			}
		}
	}
	if routes < 50 {
		t.Fatalf("only %d routes have a request body in the spec", routes)
	}
	t.Logf("%d routes, answers by class %v", routes, stats)
}

// TestEdgeSweepValidBodies puts wrong values into every node of valid bodies of the routes that
// write money, counts, rates and indexed strings, so that the wrong value reaches the store and the
// database unless a check stops it.
func TestEdgeSweepValidBodies(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	f := edgeFixture(t, e)
	n := 0
	// uniq makes each request's unique fields (codes, handles, emails) unused, so that a body
	// reaches its writes instead of a duplicate error.
	uniq := func(s string) string { n++; return strings.ReplaceAll(s, "{n}", strconv.Itoa(n)) }
	bases := []struct {
		method, path, body string
	}{
		{"POST", "/admin/regions", `{"name":"R{n}","currency_code":"usd","tax_rate":10,"payment_providers":["manual"],"fulfillment_providers":["manual"],"countries":[]}`},
		{"POST", "/admin/regions/" + f["regions/id"], `{"name":"R","tax_rate":12.5,"countries":["dk"]}`},
		{"POST", "/admin/products", `{"title":"P{n}","handle":"p-{n}","weight":10,"options":[{"title":"Size"}],"variants":[{"title":"S","sku":"sku-{n}","inventory_quantity":5,"prices":[{"currency_code":"usd","amount":100}],"options":[{"value":"S"}]}]}`},
		{"POST", "/admin/products/" + f["products/id"] + "/variants", `{"title":"V{n}","sku":"v-{n}","inventory_quantity":1,"weight":2,"prices":[{"currency_code":"usd","amount":90}],"options":[{"option_id":"` + f["options/option_id"] + `","value":"M{n}"}]}`},
		{"POST", "/admin/products/" + f["products/id"] + "/variants/" + f["variants/variant_id"], `{"inventory_quantity":4,"prices":[{"currency_code":"usd","amount":110}]}`},
		{"POST", "/admin/price-lists", `{"name":"PL{n}","description":"d","type":"sale","starts_at":"2022-01-01T00:00:00Z","ends_at":1893456000000,"prices":[{"amount":50,"variant_id":"` + f["variants/variant_id"] + `","currency_code":"usd","min_quantity":1,"max_quantity":10}]}`},
		{"POST", "/admin/price-lists/" + f["price-lists/id"] + "/prices/batch", `{"prices":[{"amount":40,"variant_id":"` + f["variants/variant_id"] + `","currency_code":"usd"}]}`},
		{"POST", "/admin/gift-cards", `{"region_id":"` + f["regions/id"] + `","value":1000,"is_disabled":false,"ends_at":"2030-01-01T00:00:00Z"}`},
		{"POST", "/admin/gift-cards/" + f["gift-cards/id"], `{"balance":200,"is_disabled":false,"ends_at":1893456000000}`},
		{"POST", "/admin/discounts", `{"code":"C{n}","regions":["` + f["regions/id"] + `"],"usage_limit":10,"starts_at":"2022-01-01T00:00:00Z","ends_at":"2030-01-01T00:00:00Z","valid_duration":"P1M","rule":{"type":"fixed","value":100,"allocation":"total"}}`},
		{"POST", "/admin/discounts/" + f["discounts/id"], `{"usage_limit":20,"ends_at":"2031-01-01T00:00:00Z"}`},
		{"POST", "/admin/discounts/" + f["discounts/id"] + "/dynamic-codes", `{"code":"D{n}","usage_limit":2}`},
		{"POST", "/admin/shipping-options", `{"name":"S{n}","region_id":"` + f["regions/id"] + `","provider_id":"manual","data":{"id":"manual-fulfillment"},"price_type":"flat_rate","amount":100,"requirements":[{"type":"min_subtotal","amount":100}]}`},
		{"POST", "/admin/shipping-options/" + f["shipping-options/id"], `{"amount":150,"requirements":[]}`},
		{"POST", "/admin/tax-rates", `{"code":"T{n}","name":"T","region_id":"` + f["regions/id"] + `","rate":7.5}`},
		{"POST", "/admin/tax-rates/" + f["tax-rates/id"], `{"rate":8}`},
		{"POST", "/admin/customers", `{"email":"c{n}@test.com","first_name":"A","last_name":"B","password":"secret-password"}`},
		{"POST", "/admin/collections", `{"title":"C{n}","handle":"c-{n}"}`},
		{"POST", "/admin/customer-groups", `{"name":"G{n}"}`},
		{"POST", "/admin/sales-channels", `{"name":"SC{n}","description":"d"}`},
		{"POST", "/admin/return-reasons", `{"value":"rr_{n}","label":"L"}`},
		{"POST", "/admin/users", `{"email":"u{n}@test.com","password":"secret-password","role":"member"}`},
		{"POST", "/admin/store", `{"name":"Shop","swap_link_template":"x"}`},
		// Last: a product update's variants list replaces the product's variants, which the
		// bodies above use.
		{"POST", "/admin/products/" + f["products/id"], `{"title":"Shirt","weight":10,"variants":[{"id":"` + f["variants/variant_id"] + `","inventory_quantity":3,"prices":[{"currency_code":"usd","amount":120}]}]}`},
	}
	stats := map[int]int{}
	for _, b := range bases {
		var base map[string]any
		if err := json.Unmarshal([]byte(b.body), &base); err != nil {
			t.Fatalf("%s: %v", b.body, err)
		}
		res := e.Do(b.method, b.path, uniq(b.body))
		if res.Status != 200 && res.Status != 201 {
			t.Fatalf("base body of %s %s is refused: %d %s", b.method, b.path, res.Status, res.Body)
		}
		for _, p := range nodePaths(base, "") {
			for _, v := range badValues {
				sweepRequest(t, e, b.method, b.path, []byte(uniq(string(setPath(t, base, p, v)))), stats)
			}
		}
	}
	t.Logf("%d bodies, answers by class %v", n, stats)
}

// TestEdgeSweepIDsAndQueries sends odd ids in every path parameter of every route, and odd
// query values to every route without parameters; the refused writes change nothing.
func TestEdgeSweepIDsAndQueries(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	fixture := edgeFixture(t, e)
	ids := []string{"a%2Fb", "a/b", "caf%C3%A9", "%F0%9F%98%80", strings.Repeat("x", 10000), "%FF", "%ED%A0%80", "%20", "a%25b", "..", "%2E%2E", "'", "a;b", "*"}
	queries := []string{
		"q=" + strings.Repeat("x", 100000), "q=%FF", "q=%25", "q=_", "q='%3B--", "q[]=a", "q[a]=b",
		"limit=" + strings.Repeat("9", 1000), "limit=-1", "limit=1.5", "limit=1e400", "offset=-1", "offset=99999999999999999999",
		"expand=" + strings.Repeat("a,", 5000), "fields=" + strings.Repeat("a,", 5000), "order=" + strings.Repeat("-", 1000),
		"created_at[gt]=not-a-date", "created_at[gt]=99999-01-01", "created_at[gt]=0000-01-01", "created_at[lt]=-8640000000000000",
		"created_at[gt]=9999999999999999999", "created_at[lt]=9223372036854775807", "updated_at[gte]=-271821-04-20T00:00:00Z", "created_at=x", "id=" + strings.Repeat("x", 10000),
		"id[]=" + strings.Repeat("&id[]=x", 2000),
	}
	stats := map[int]int{}
	for _, r := range adminRoutes(t, e) {
		before := dbFingerprint(t, e)
		for _, p := range r.params {
			for _, id := range ids {
				var body []byte
				if r.method != http.MethodGet {
					body = []byte(`{}`)
				}
				sweepRequest(t, e, r.method, r.path(t, fixture, map[string]string{p: id}), body, stats)
			}
		}
		if len(r.params) == 0 && r.method == http.MethodGet {
			for _, q := range queries {
				sweepRequest(t, e, r.method, r.pattern+"?"+q, nil, stats)
			}
		}
		if r.method != http.MethodGet {
			if diff := diffFingerprints(before, dbFingerprint(t, e)); len(diff) > 0 {
				t.Errorf("%s %s: requests with odd ids changed %v", r.method, r.pattern, diff)
			}
		}
	}
	t.Logf("answers by class %v", stats)
}
