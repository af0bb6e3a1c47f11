package graph_test

import (
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// The discounts connection filters on regions, the rule's type and allocation and the validity
// window, all combined, and sorts by the columns orderBy names.
func TestDiscountListFilters(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	w := discSetup(t, e)
	create := func(in map[string]any) {
		t.Helper()
		res := discMut(e, "createDiscount", "input: $in", "$in: CreateDiscountInput!", map[string]any{"in": in})
		if res.JSON(t)["data"].(map[string]any)["createDiscount"].(map[string]any)["discount"] == nil {
			t.Fatalf("create: %s", res.Body)
		}
	}
	create(map[string]any{"code": "ALPHA", "startsAt": "2030-01-01T00:00:00.000Z", "endsAt": "2030-06-01T00:00:00.000Z",
		"regions": []string{w.region}, "rule": map[string]any{"type": "PERCENTAGE", "value": 10, "allocation": "TOTAL"}})
	create(map[string]any{"code": "BRAVO", "isDynamic": true, "startsAt": "2031-01-01T00:00:00.000Z",
		"regions": []string{w.other}, "rule": map[string]any{"type": "FIXED", "value": 500, "allocation": "ITEM"}})
	create(map[string]any{"code": "CHARLIE", "startsAt": "2029-01-01T00:00:00.000Z", "endsAt": "2029-12-31T00:00:00.000Z",
		"regions": []string{w.region, w.other}, "rule": map[string]any{"type": "FREE_SHIPPING", "value": 0, "allocation": "TOTAL"}})

	list := func(args string, vars map[string]any, codes ...string) {
		t.Helper()
		nodes := []any{}
		for _, c := range codes {
			nodes = append(nodes, txrJ{"code": c})
		}
		var decl []string
		if strings.Contains(args, "$regions") {
			decl = append(decl, "$regions: [ID!]")
		}
		if strings.Contains(args, "$from") {
			decl = append(decl, "$from: DateTime")
		}
		q := "query"
		if decl != nil {
			q += "(" + strings.Join(decl, ", ") + ")"
		}
		gql(e, q+` { discounts(`+args+`) { totalCount nodes { code } } }`, vars).Expect(t, 200,
			txrJSON(txrJ{"data": txrJ{"discounts": txrJ{"totalCount": len(codes), "nodes": nodes}}}))
	}
	from := map[string]any{"regions": []string{w.region}, "from": "2030-01-01T00:00:00.000Z"}
	// Newest first by default.
	list(`regionIds: $regions`, from, "CHARLIE", "ALPHA")
	list(`regionIds: $regions`, map[string]any{"regions": []string{w.other}}, "CHARLIE", "BRAVO")
	list(`regionIds: $regions`, map[string]any{"regions": []string{w.other, w.region}}, "CHARLIE", "BRAVO", "ALPHA")
	list(`regionIds: $regions`, map[string]any{"regions": []string{}})
	// Values are bound, never spliced into the SQL.
	list(`regionIds: $regions`, map[string]any{"regions": []string{"x' OR '1'='1"}})
	list(`ruleType: FREE_SHIPPING`, nil, "CHARLIE")
	list(`ruleType: PERCENTAGE`, nil, "ALPHA")
	list(`allocation: ITEM`, nil, "BRAVO")
	list(`allocation: TOTAL`, nil, "CHARLIE", "ALPHA")
	list(`startsAt: {gte: $from}`, from, "BRAVO", "ALPHA")
	list(`startsAt: {gt: $from}`, from, "BRAVO")
	list(`startsAt: {lte: "2030-01-01T00:00:00.000Z", gt: "2029-01-01T00:00:00.000Z"}`, nil, "ALPHA")
	// A discount without an end matches no endsAt range.
	list(`endsAt: {lt: $from}`, from, "CHARLIE")
	list(`endsAt: {gt: "2000-01-01T00:00:00.000Z"}`, nil, "CHARLIE", "ALPHA")
	// All filters combine.
	list(`regionIds: $regions, allocation: TOTAL, startsAt: {lt: $from}`, from, "CHARLIE")
	list(`regionIds: $regions, ruleType: PERCENTAGE, endsAt: {gte: $from}, isDynamic: false, q: "alp"`, from, "ALPHA")
	list(`regionIds: $regions, ruleType: FIXED`, from)

	// Orders: one key, several keys, a single object for the list, nulls last ascending.
	list(`orderBy: [{field: CODE}]`, nil, "ALPHA", "BRAVO", "CHARLIE")
	list(`orderBy: [{field: CODE, direction: DESC}]`, nil, "CHARLIE", "BRAVO", "ALPHA")
	list(`orderBy: {field: STARTS_AT}`, nil, "CHARLIE", "ALPHA", "BRAVO")
	list(`orderBy: [{field: ENDS_AT}]`, nil, "CHARLIE", "ALPHA", "BRAVO")
	list(`orderBy: [{field: ENDS_AT, direction: DESC}]`, nil, "BRAVO", "ALPHA", "CHARLIE")
	list(`orderBy: [{field: IS_DYNAMIC}, {field: CODE, direction: DESC}]`, nil, "CHARLIE", "ALPHA", "BRAVO")
	list(`orderBy: [{field: CREATED_AT}], regionIds: $regions`, from, "ALPHA", "CHARLIE")
	// Pages follow the order.
	gql(e, `{ discounts(first: 2, orderBy: [{field: CODE}]) { nodes { code } pageInfo { hasNextPage endCursor } } }`, nil).Expect(t, 200,
		txrJSON(txrJ{"data": txrJ{"discounts": txrJ{"nodes": []any{txrJ{"code": "ALPHA"}, txrJ{"code": "BRAVO"}},
			"pageInfo": txrJ{"hasNextPage": true, "endCursor": "$string"}}}}))
}
