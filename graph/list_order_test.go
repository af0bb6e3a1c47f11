package graph_test

import (
	"context"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// Orders sort by their indexed columns (created_at, display_id), keys in turn; pages follow the
// order and cost the same statements as the default order.
func TestOrdersOrderBy(t *testing.T) {
	t.Parallel()
	e := ordersEnv(t)
	// The newest order by display id becomes the oldest by creation.
	catExec(t, e, `UPDATE "order" SET created_at = '2000-01-01' WHERE display_id = 69`)
	list := func(args string, ids ...int) {
		t.Helper()
		nodes := []any{}
		for _, id := range ids {
			nodes = append(nodes, catJ{"displayId": id})
		}
		gql(e, `{ orders(first: 3`+args+`) { totalCount nodes { displayId } } }`, nil).Expect(t, 200,
			catData(catJ{"orders": catJ{"totalCount": 69, "nodes": nodes}}))
	}
	list(``, 68, 67, 66)
	list(`, orderBy: [{field: CREATED_AT, direction: DESC}]`, 68, 67, 66)
	list(`, orderBy: [{field: CREATED_AT}]`, 69, 1, 2)
	list(`, orderBy: {field: DISPLAY_ID}`, 1, 2, 3)
	list(`, orderBy: [{field: DISPLAY_ID, direction: DESC}]`, 69, 68, 67)
	after := catStr(t, gql(e, `{ orders(first: 3, orderBy: [{field: DISPLAY_ID, direction: DESC}]) { pageInfo { endCursor } } }`, nil),
		"orders.pageInfo.endCursor")
	list(`, orderBy: [{field: DISPLAY_ID, direction: DESC}], after: "`+after+`"`, 66, 65, 64)
	// With a filter.
	gql(e, `{ orders(filter: {q: "nobody"}, orderBy: [{field: DISPLAY_ID}]) { totalCount nodes { id } } }`, nil).Expect(t, 200,
		`{"data":{"orders":{"totalCount":0,"nodes":[]}}}`)
	// Only the indexed columns are offered.
	gql(e, `{ orders(orderBy: [{field: EMAIL}]) { totalCount } }`, nil).Expect(t, 422, `{"errors":"$any","data":null}`)
	gql(e, `{ orders(first: 50) { nodes { id items { id } } } }`, nil).Expect(t, 200, `{"data":{"orders":"$any"}}`)
	plain := e.Queries
	gql(e, `{ orders(first: 50, orderBy: [{field: DISPLAY_ID}]) { nodes { id items { id } } } }`, nil).Expect(t, 200, `{"data":{"orders":"$any"}}`)
	if e.Queries != plain {
		t.Errorf("ordered page: %d statements, default order %d", e.Queries, plain)
	}
}

// Customers sort by the columns orderBy names, keys in turn, the id breaking ties; a filter and
// pages combine with it.
func TestCustomersOrderBy(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	for _, c := range []struct{ email, first, last, pw string }{
		{"carol@example.com", "Carol", "Young", ""}, {"alice@example.com", "Alice", "Young", "pw"},
		{"bob@example.com", "Bob", "", "pw"}, {"dave@example.com", "Dave", "Abbot", ""},
	} {
		if _, err := e.Store.CreateCustomer(ctx, store.CreateCustomerInput{Email: c.email, FirstName: c.first, LastName: c.last, Password: c.pw}); err != nil {
			t.Fatal(err)
		}
	}
	list := func(args string, total int, firsts ...string) {
		t.Helper()
		nodes := []any{}
		for _, f := range firsts {
			nodes = append(nodes, catJ{"firstName": f})
		}
		gql(e, `{ customers(`+args+`) { totalCount nodes { firstName } } }`, nil).Expect(t, 200,
			catData(catJ{"customers": catJ{"totalCount": total, "nodes": nodes}}))
	}
	list(`first: 10`, 4, "Carol", "Alice", "Bob", "Dave")
	list(`orderBy: [{field: EMAIL}]`, 4, "Alice", "Bob", "Carol", "Dave")
	list(`orderBy: {field: FIRST_NAME, direction: DESC}`, 4, "Dave", "Carol", "Bob", "Alice")
	list(`orderBy: [{field: LAST_NAME}, {field: EMAIL, direction: DESC}]`, 4, "Bob", "Dave", "Carol", "Alice")
	list(`orderBy: [{field: HAS_ACCOUNT, direction: DESC}, {field: EMAIL}]`, 4, "Alice", "Bob", "Carol", "Dave")
	list(`orderBy: [{field: CREATED_AT, direction: DESC}]`, 4, "Dave", "Bob", "Alice", "Carol")
	list(`q: "young", orderBy: [{field: EMAIL}]`, 2, "Alice", "Carol")
	list(`first: 2, orderBy: [{field: EMAIL}]`, 4, "Alice", "Bob")
	after := catStr(t, gql(e, `{ customers(first: 2, orderBy: [{field: EMAIL}]) { pageInfo { endCursor } } }`, nil), "customers.pageInfo.endCursor")
	list(`first: 2, after: "`+after+`", orderBy: [{field: EMAIL}]`, 4, "Carol", "Dave")
	gql(e, `{ customers(orderBy: [{field: PHONE}]) { totalCount } }`, nil).Expect(t, 422, `{"errors":"$any","data":null}`)
}
