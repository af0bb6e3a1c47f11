package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest"
	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// The edge sweep: every route Gorgon registers gets input no handler may see (NUL characters in
// its path parameters and query, bodies that are not a JSON object, malformed JSON) and must
// refuse it with a 400 {type, message} that changes nothing in the database. The parameters are
// real ids (edgeFixture), so a request the edge let through would reach the handler's writes.

// edgeFixture creates one of every resource through the API and returns the value of each route
// parameter, keyed by the path segment before it and its name ("discounts/id"). Every route
// includes the sales channel ones: the sweeps skip without sales channels.
func edgeFixture(t *testing.T, e *resttest.Env) map[string]string {
	t.Helper()
	resttest.NeedSalesChannels(t)
	create := func(method, path string, body any, at string) string {
		t.Helper()
		res := e.Do(method, path, body)
		if res.Status != 200 && res.Status != 201 {
			t.Fatalf("fixture %s %s: %d %s", method, path, res.Status, res.Body)
		}
		var v any
		if err := json.Unmarshal(res.Body, &v); err != nil {
			t.Fatalf("fixture %s %s: %v", method, path, err)
		}
		for _, k := range strings.Split(at, ".") {
			switch c := v.(type) {
			case map[string]any:
				v = c[k]
			case []any:
				i, _ := strconv.Atoi(k)
				if i >= len(c) {
					t.Fatalf("fixture %s %s: no %s in %s", method, path, at, res.Body)
				}
				v = c[i]
			}
		}
		s, ok := v.(string)
		if !ok {
			t.Fatalf("fixture %s %s: no %s in %s", method, path, at, res.Body)
		}
		return s
	}
	region := create("POST", "/admin/regions", map[string]any{"name": "Nordics", "currency_code": "usd", "tax_rate": 25,
		"payment_providers": []string{"manual"}, "fulfillment_providers": []string{"manual"}, "countries": []string{"dk"}}, "region.id")
	channel := create("POST", "/admin/sales-channels", map[string]any{"name": "Web"}, "sales_channel.id")
	collection := create("POST", "/admin/collections", map[string]any{"title": "Summer"}, "collection.id")
	product := create("POST", "/admin/products", map[string]any{"title": "Shirt", "collection_id": collection,
		"options":  []any{map[string]any{"title": "Size"}},
		"variants": []any{map[string]any{"title": "S", "prices": []any{map[string]any{"currency_code": "usd", "amount": 100}}, "options": []any{map[string]any{"value": "S"}}}},
		"tags":     []any{map[string]any{"value": "cotton"}}, "type": map[string]any{"value": "apparel"},
		"sales_channels": []any{map[string]any{"id": channel}}}, "product.id")
	option := create("GET", "/admin/products/"+product, nil, "product.options.0.id")
	variant := create("GET", "/admin/products/"+product, nil, "product.variants.0.id")
	customer := create("POST", "/admin/customers", map[string]any{"email": "c@test.com", "first_name": "C", "last_name": "D", "password": "secret-password"}, "customer.id")
	group := create("POST", "/admin/customer-groups", map[string]any{"name": "VIP"}, "customer_group.id")
	e.Do("POST", "/admin/customer-groups/"+group+"/customers/batch", map[string]any{"customer_ids": []any{map[string]any{"id": customer}}})
	discount := create("POST", "/admin/discounts", map[string]any{"code": "SAVE10", "is_dynamic": true, "regions": []string{region},
		"rule": map[string]any{"type": "percentage", "value": 10, "allocation": "total",
			"conditions": []any{map[string]any{"operator": "in", "products": []string{product}}}}}, "discount.id")
	condition := create("GET", "/admin/discounts/"+discount+"?expand=rule,rule.conditions", nil, "discount.rule.conditions.0.id")
	create("POST", "/admin/discounts/"+discount+"/dynamic-codes", map[string]any{"code": "DYN1", "usage_limit": 5}, "discount.id")
	giftCard := create("POST", "/admin/gift-cards", map[string]any{"region_id": region, "value": 1000}, "gift_card.id")
	priceList := create("POST", "/admin/price-lists", map[string]any{"name": "Sale", "description": "Sale", "type": "sale",
		"prices": []any{map[string]any{"amount": 50, "variant_id": variant, "currency_code": "usd"}}}, "price_list.id")
	profile := create("POST", "/admin/shipping-profiles", map[string]any{"name": "Heavy"}, "shipping_profile.id")
	shippingOption := create("POST", "/admin/shipping-options", map[string]any{"name": "Express", "region_id": region, "provider_id": "manual",
		"data": map[string]any{"id": "manual-fulfillment"}, "price_type": "flat_rate", "amount": 100}, "shipping_option.id")
	taxRate := create("POST", "/admin/tax-rates", map[string]any{"code": "VAT", "name": "VAT", "region_id": region, "rate": 25,
		"products": []string{product}, "shipping_options": []string{shippingOption}}, "tax_rate.id")
	note := create("POST", "/admin/notes", map[string]any{"resource_id": product, "resource_type": "product", "value": "hi"}, "note.id")
	reason := create("POST", "/admin/return-reasons", map[string]any{"value": "too_big", "label": "Too big"}, "return_reason.id")
	if res := e.Do("POST", "/admin/invites", map[string]any{"user": "joiner@test.com", "role": "member"}); res.Status != 200 {
		t.Fatalf("fixture invite: %d %s", res.Status, res.Body)
	}
	invite := create("GET", "/admin/invites", nil, "invites.0.id")
	user := create("POST", "/admin/users", map[string]any{"email": "member@test.com", "password": "secret-password", "role": "member"}, "user.id")
	batchJob := create("POST", "/admin/batch-jobs", map[string]any{"type": "product-export", "context": map[string]any{}, "dry_run": true}, "batch_job.id")
	return map[string]string{
		"batch-jobs/id":  batchJob,
		"collections/id": collection, "customer-groups/id": group, "customers/id": customer,
		"discounts/id": discount, "conditions/condition_id": condition, "dynamic-codes/code": "DYN1",
		"code/code": "SAVE10", "regions/region_id": region,
		"gift-cards/id": giftCard, "invites/id": invite, "notes/id": note,
		// There is no route that creates a notification; the edge refuses before any lookup.
		"notifications/id": "noti_01G00000000000000000000000",
		// Orders, their fulfilments, returns, swaps and claims are made by carts (no admin route
		// creates one here): ids that exist nowhere, so that no action acts.
		"orders/id": "order_01G00000000000000000000000", "fulfillments/fulfillment_id": "ful_01G00000000000000000000000",
		"returns/id": "ret_01G00000000000000000000000", "swaps/id": "swap_01G00000000000000000000000",
		"swaps/swap_id":   "swap_01G00000000000000000000000",
		"claims/claim_id": "claim_01G00000000000000000000000",
		// Draft orders are not made here either (no create route yet): ids that exist nowhere.
		"draft-orders/id": "dorder_01G00000000000000000000000", "line-items/line_id": "item_01G00000000000000000000000",
		"price-lists/id": priceList, "products/product_id": product, "variants/variant_id": variant,
		"products/id": product, "options/option_id": option,
		"regions/id": region, "countries/code": "dk", "fulfillment-providers/provider": "manual", "payment-providers/provider": "manual",
		"return-reasons/id": reason, "sales-channels/id": channel, "shipping-options/id": shippingOption,
		"shipping-profiles/id": profile, "currencies/code": "usd", "tax-rates/id": taxRate, "users/id": user,
	}
}

// edgeRoute is one registered route with its parameters.
type edgeRoute struct {
	method, pattern string
	params          []string // in path order
}

var paramRe = regexp.MustCompile(`\{([^}]+)\}`)

// adminRoutes walks Gorgon's router for every /admin route. NewRouter's handler rewrites paths
// (Express's matching) before its chi router; the router itself is reached from a handler in the
// GraphQL slot, which finds it in its routing context.
func adminRoutes(t *testing.T, e *resttest.Env) []edgeRoute {
	t.Helper()
	var routes chi.Routes
	h := rest.NewRouter(e.Store, rest.Config{CookieSecret: "test-cookie-secret"}, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		routes = chi.RouteContext(r.Context()).Routes
	}))
	req := httptest.NewRequest("GET", "/graphql", nil)
	req.Header.Set("Authorization", "Bearer "+resttest.Token)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if routes == nil {
		t.Fatal("the router did not reach the GraphQL handler")
	}
	var out []edgeRoute
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.HasPrefix(route, "/admin/") {
			return nil
		}
		r := edgeRoute{method: method, pattern: route}
		for _, m := range paramRe.FindAllStringSubmatch(route, -1) {
			r.params = append(r.params, m[1])
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].pattern != out[j].pattern {
			return out[i].pattern < out[j].pattern
		}
		return out[i].method < out[j].method
	})
	if len(out) < 100 {
		t.Fatalf("walked only %d admin routes", len(out))
	}
	return out
}

// path fills the route's parameters from the fixture, with over replacing some (raw, already
// escaped as they go into the URL).
func (r edgeRoute) path(t *testing.T, fixture map[string]string, over map[string]string) string {
	t.Helper()
	segs := strings.Split(r.pattern, "/")
	for i, s := range segs {
		m := paramRe.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		if v, ok := over[m[1]]; ok {
			segs[i] = v
			continue
		}
		v, ok := fixture[segs[i-1]+"/"+m[1]]
		if !ok {
			t.Fatalf("%s %s: no fixture value for %s/%s: add one to edgeFixture", r.method, r.pattern, segs[i-1], m[1])
		}
		segs[i] = url.PathEscape(v)
	}
	return strings.Join(segs, "/")
}

// dbFingerprint is a digest of every row of every table (Medusa's and Gorgon's schemas): equal
// fingerprints mean nothing was written.
func dbFingerprint(t *testing.T, e *resttest.Env) string {
	t.Helper()
	ctx := context.Background()
	var tables []string
	if err := e.DB.NewRaw(`SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
		WHERE table_schema IN ('public', 'gorgon') AND table_type = 'BASE TABLE' ORDER BY 1`).Scan(ctx, &tables); err != nil {
		t.Fatal(err)
	}
	parts := make([]string, len(tables))
	for i, tb := range tables {
		parts[i] = fmt.Sprintf(`SELECT %s AS t, md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS h FROM %s x`,
			quoteLiteral(tb), tb)
	}
	var rows []struct {
		T string `bun:"t"`
		H string `bun:"h"`
	}
	if err := e.DB.NewRaw(strings.Join(parts, " UNION ALL ")).Scan(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.T + "=" + r.H + "\n")
	}
	return b.String()
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// diffFingerprints names the tables whose rows differ.
func diffFingerprints(a, b string) []string {
	old := map[string]string{}
	for _, l := range strings.Split(a, "\n") {
		k, v, _ := strings.Cut(l, "=")
		old[k] = v
	}
	var out []string
	for _, l := range strings.Split(b, "\n") {
		k, v, _ := strings.Cut(l, "=")
		if old[k] != v {
			out = append(out, k)
		}
	}
	return out
}

// errorShape asserts a 4xx body is Medusa's JSON {type, message} (plus code or errors).
func errorShape(t *testing.T, what string, res *resttest.Response) {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(res.Body, &body); err != nil {
		t.Errorf("%s: %d body is not a JSON object: %.300s", what, res.Status, res.Body)
		return
	}
	typ, _ := body["type"].(string)
	msg, _ := body["message"].(string)
	if typ == "" || msg == "" {
		t.Errorf("%s: %d body lacks type or message: %.300s", what, res.Status, res.Body)
	}
	for k := range body {
		if k != "type" && k != "message" && k != "code" && k != "errors" {
			t.Errorf("%s: %d body has %q: %.300s", what, res.Status, k, res.Body)
		}
	}
}

type edgeCase struct {
	name    string
	path    string
	body    any // nil: no body
	headers map[string]string
	// want is the exact answer; "" asks only for no 5xx, a {type, message} 4xx and, when want
	// is "", no write when the answer is a 4xx.
	status int
	want   string
}

func invalid(msg string) string {
	b, _ := json.Marshal(map[string]string{"type": "invalid_data", "message": msg})
	return string(b)
}

// TestEdgeSweep sends every admin route NUL characters in each path parameter and in the query,
// and every route that may carry a body (all but GET) bodies that are not JSON objects: each
// must be refused with Gorgon's 400 and leave the database as it was.
func TestEdgeSweep(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	fixture := edgeFixture(t, e)
	routes := adminRoutes(t, e)
	bodies := []struct{ body, msg string }{
		{`null`, "request body must be a JSON object"},
		{`[]`, "request body must be a JSON object"},
		{`[{"a":1}]`, "request body must be a JSON object"},
		{`"x"`, "request body must be a JSON object"},
		{`1`, "request body must be a JSON object"},
		{`true`, "request body must be a JSON object"},
		{`{"a":`, "request body is not valid JSON: unexpected end of JSON input"},
		{`{'a':1}`, `request body is not valid JSON: invalid character '\'' looking for beginning of object key string at position 1`},
		{`{"a":1} x`, "request body is not valid JSON: invalid character 'x' after top-level value at position 8"},
		{`{"a":1}{}`, "request body is not valid JSON: invalid character '{' after top-level value at position 7"},
		{strings.Repeat("[", 20000) + strings.Repeat("]", 20000), "request body is nested too deeply"},
		{`{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, "request body is nested too deeply"},
		{`{"title":"a\u0000b"}`, "title must not contain NUL characters"},
		{`{"metadata":{"k":["x","\u0000"]}}`, "metadata.k[1] must not contain NUL characters"},
		{`{"metadata":{"\u0000":1}}`, "metadata property names must not contain NUL characters"},
	}
	// Authentication reads the user; nothing else may run before the refusal.
	e.Do("GET", "/admin/regions?q=%00", nil)
	authQueries := e.Queries
	if authQueries == 0 {
		t.Fatal("authentication ran no SQL: the statement count cannot tell what ran before the refusal")
	}
	var checked, refusedWrites int
	for _, r := range routes {
		var cases []edgeCase
		for _, p := range r.params {
			cases = append(cases, edgeCase{name: "NUL in " + p, path: r.path(t, fixture, map[string]string{p: "x%00y"}),
				status: 400, want: invalid(p + " must not contain NUL characters")})
		}
		base := r.path(t, fixture, nil)
		// The routes Medusa serves without authentication run outside the edge middleware;
		// they take no path parameters and ignore the query, and decodeBody checks their
		// bodies the same way.
		public := e.DoAnon(r.method, base, nil).Status != 401
		if !public {
			cases = append(cases,
				edgeCase{name: "NUL in q", path: base + "?q=a%00b", status: 400, want: invalid("q must not contain NUL characters")},
				edgeCase{name: "NUL in a later query value", path: base + "?limit=1&expand=a%00", status: 400, want: invalid("expand must not contain NUL characters")},
				edgeCase{name: "NUL in a query name", path: base + "?x%00=1", status: 400, want: invalid("query parameter names must not contain NUL characters")},
			)
		}
		if r.method != "GET" {
			for _, b := range bodies {
				cases = append(cases, edgeCase{name: "body " + abbrev(b.body), path: base, body: b.body, status: 400, want: invalid(b.msg)})
			}
			// Several bad inputs at once: the path is checked first.
			if len(r.params) > 0 {
				cases = append(cases, edgeCase{name: "NUL in path and body", path: r.path(t, fixture, map[string]string{r.params[0]: "%00"}) + "?q=%00",
					body: `null`, status: 400, want: invalid(r.params[0] + " must not contain NUL characters")})
			}
		}
		before := dbFingerprint(t, e)
		for _, c := range cases {
			what := r.method + " " + c.path + " (" + c.name + ")"
			res := e.DoWith(r.method, c.path, c.body, map[string]string{"Authorization": "Bearer " + resttest.Token, "Content-Type": "application/json"})
			checked++
			if res.Status != c.status {
				t.Errorf("%s: status %d, want %d: %.300s", what, res.Status, c.status, res.Body)
				continue
			}
			if diffs := compareJSON(c.want, res.Body); diffs != "" {
				t.Errorf("%s: %s", what, diffs)
			}
			if public && e.Queries != 0 || !public && e.Queries != authQueries {
				t.Errorf("%s: %d SQL statements before the refusal, want %d (authentication)", what, e.Queries, authQueries)
			}
			if r.method != "GET" {
				refusedWrites++
			}
		}
		if diff := diffFingerprints(before, dbFingerprint(t, e)); len(diff) > 0 {
			t.Errorf("%s %s: refused requests changed %v", r.method, r.pattern, diff)
		}
	}
	t.Logf("%d routes, %d requests (%d refused writes)", len(routes), checked, refusedWrites)
}

// compareJSON returns "" when got is the JSON want, else both.
func compareJSON(want string, got []byte) string {
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		return "bad expectation: " + err.Error()
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Sprintf("body is not JSON: %.300s", got)
	}
	if diffs := resttest.Compare("", w, g); len(diffs) > 0 {
		return fmt.Sprintf("body %.300s, want %s", got, want)
	}
	return ""
}

func abbrev(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
