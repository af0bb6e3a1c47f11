package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

const rrFields = `id value label description parentReturnReason { id value } returnReasonChildren { id value } createdAt updatedAt metadata`

func TestReturnReasonsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	create := `mutation($in: CreateReturnReasonInput!) { createReturnReason(input: $in) { returnReason { ` + rrFields + ` } userErrors { field message code } } }`

	res := gql(e, create, map[string]any{"in": map[string]any{"value": "wrong_size", "label": "Wrong size", "description": "d", "metadata": map[string]any{"k": "v"}}})
	res.Expect(t, 200, `{"data":{"createReturnReason":{"returnReason":{"id":"$id:rr","value":"wrong_size","label":"Wrong size","description":"d",
		"parentReturnReason":null,"returnReasonChildren":[],"createdAt":"$time","updatedAt":"$time","metadata":{"k":"v"}},"userErrors":[]}}}`)
	parent := nraString(t, res, "createReturnReason", "returnReason", "id")
	res = gql(e, create, map[string]any{"in": map[string]any{"value": "too_big", "label": "Too big", "parentReturnReasonId": parent}})
	res.Expect(t, 200, `{"data":{"createReturnReason":{"returnReason":{"id":"$id:rr","value":"too_big","label":"Too big","description":null,
		"parentReturnReason":{"id":"`+parent+`","value":"wrong_size"},"returnReasonChildren":[],"createdAt":"$time","updatedAt":"$time","metadata":null},"userErrors":[]}}}`)
	child := nraString(t, res, "createReturnReason", "returnReason", "id")
	res = gql(e, create, map[string]any{"in": map[string]any{"value": "damaged", "label": "Damaged"}})
	other := nraString(t, res, "createReturnReason", "returnReason", "id")

	// Bad input, each a userError that changes nothing.
	for _, c := range []struct {
		in   map[string]any
		want string
	}{
		{map[string]any{"value": "x", "label": "X", "parentReturnReasonId": child},
			`{"field":null,"message":"Doubly nested return reasons is not supported","code":"INVALID_DATA"}`},
		{map[string]any{"value": "x", "label": "X", "parentReturnReasonId": "rr_missing"},
			`{"field":null,"message":"Return Reason with id: rr_missing was not found.","code":"NOT_FOUND"}`},
		{map[string]any{"value": "wrong_size", "label": "Again"},
			`{"field":null,"message":"Return_reason with value wrong_size already exists.","code":"DUPLICATE_ERROR"}`},
	} {
		gql(e, create, map[string]any{"in": c.in}).Expect(t, 200, `{"data":{"createReturnReason":{"returnReason":null,"userErrors":[`+c.want+`]}}}`)
	}

	// The list holds the top-level reasons, with their children.
	list := `{ returnReasons { totalCount pageInfo { hasNextPage hasPreviousPage } edges { cursor node { id } } nodes { ` + rrFields + ` } } }`
	parentJSON := func(label, desc, meta string) string {
		return `{"id":"` + parent + `","value":"wrong_size","label":"` + label + `","description":` + desc + `,"parentReturnReason":null,
		"returnReasonChildren":[{"id":"` + child + `","value":"too_big"}],"createdAt":"$time","updatedAt":"$time","metadata":` + meta + `}`
	}
	otherJSON := `{"id":"` + other + `","value":"damaged","label":"Damaged","description":null,"parentReturnReason":null,"returnReasonChildren":[],
		"createdAt":"$time","updatedAt":"$time","metadata":null}`
	gql(e, list, nil).Expect(t, 200, `{"data":{"returnReasons":{"totalCount":2,"pageInfo":{"hasNextPage":false,"hasPreviousPage":false},
		"edges":[{"cursor":"$string","node":{"id":"`+parent+`"}},{"cursor":"$string","node":{"id":"`+other+`"}}],
		"nodes":[`+parentJSON("Wrong size", `"d"`, `{"k":"v"}`)+`,`+otherJSON+`]}}}`)

	// By id, and as nodes.
	gql(e, `query($id: ID!) { returnReason(id: $id) { `+rrFields+` } }`, map[string]any{"id": child}).Expect(t, 200,
		`{"data":{"returnReason":{"id":"`+child+`","value":"too_big","label":"Too big","description":null,
		"parentReturnReason":{"id":"`+parent+`","value":"wrong_size"},"returnReasonChildren":[],"createdAt":"$time","updatedAt":"$time","metadata":null}}}`)
	gql(e, `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on ReturnReason { value parentReturnReason { id } returnReasonChildren { id } } } }`,
		map[string]any{"ids": []string{parent, child, "rr_missing"}}).Expect(t, 200,
		`{"data":{"nodes":[{"id":"`+parent+`","value":"wrong_size","parentReturnReason":null,"returnReasonChildren":[{"id":"`+child+`"}]},
		{"id":"`+child+`","value":"too_big","parentReturnReason":{"id":"`+parent+`"},"returnReasonChildren":[]},null]}}`)
	gql(e, `{ returnReason(id: "rr_missing") { id } }`, nil).Expect(t, 200, `{"data":{"returnReason":null}}`)

	// Update: absent keeps, null clears description and metadata, metadata is replaced.
	update := `mutation($id: ID!, $in: UpdateReturnReasonInput!) { updateReturnReason(id: $id, input: $in) { returnReason { ` + rrFields + ` } userErrors { field message code } } }`
	gql(e, update, map[string]any{"id": parent, "in": map[string]any{"label": "Wrong size!", "metadata": map[string]any{"n": 1}}}).Expect(t, 200,
		`{"data":{"updateReturnReason":{"returnReason":`+parentJSON("Wrong size!", `"d"`, `{"n":1}`)+`,"userErrors":[]}}}`)
	gql(e, update, map[string]any{"id": parent, "in": map[string]any{"value": nil, "description": nil, "metadata": nil}}).Expect(t, 200,
		`{"data":{"updateReturnReason":{"returnReason":`+parentJSON("Wrong size!", `null`, `null`)+`,"userErrors":[]}}}`)
	gql(e, `mutation($id: ID!) { updateReturnReason(id: $id, input: {description: "inline"}) { returnReason { description label } userErrors { message } } }`,
		map[string]any{"id": parent}).Expect(t, 200,
		`{"data":{"updateReturnReason":{"returnReason":{"description":"inline","label":"Wrong size!"},"userErrors":[]}}}`)
	gql(e, update, map[string]any{"id": parent, "in": map[string]any{"value": "damaged"}}).Expect(t, 200,
		`{"data":{"updateReturnReason":{"returnReason":null,"userErrors":[{"field":null,"message":"Return_reason with value damaged already exists.","code":"DUPLICATE_ERROR"}]}}}`)
	gql(e, update, map[string]any{"id": "rr_missing", "in": map[string]any{"label": "x"}}).Expect(t, 200,
		`{"data":{"updateReturnReason":{"returnReason":null,"userErrors":[{"field":null,"message":"Return Reason with id: rr_missing was not found.","code":"NOT_FOUND"}]}}}`)

	// Delete takes the children along; deleting again is a userError.
	del := `mutation($id: ID!) { deleteReturnReason(id: $id) { deletedId userErrors { field message code } } }`
	gql(e, del, map[string]any{"id": parent}).Expect(t, 200, `{"data":{"deleteReturnReason":{"deletedId":"`+parent+`","userErrors":[]}}}`)
	gql(e, del, map[string]any{"id": parent}).Expect(t, 200,
		`{"data":{"deleteReturnReason":{"deletedId":null,"userErrors":[{"field":null,"message":"Return Reason with id: `+parent+` was not found.","code":"NOT_FOUND"}]}}}`)
	gql(e, `query($id: ID!) { returnReason(id: $id) { id } }`, map[string]any{"id": child}).Expect(t, 200, `{"data":{"returnReason":null}}`)
	gql(e, list, nil).Expect(t, 200, `{"data":{"returnReasons":{"totalCount":1,"pageInfo":{"hasNextPage":false,"hasPreviousPage":false},
		"edges":[{"cursor":"$string","node":{"id":"`+other+`"}}],"nodes":[`+otherJSON+`]}}}`)
}

// A page of return reasons with parents and children costs the same statements whatever its
// size: each level loads in one batch.
func TestReturnReasonsBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	add := func(from, to int) {
		for i := from; i < to; i++ {
			p, err := e.Store.CreateReturnReason(ctx, store.CreateReturnReasonInput{Value: fmt.Sprintf("r%d", i), Label: "L"})
			if err != nil {
				t.Fatal(err)
			}
			for j := 0; j < 2; j++ {
				if _, err := e.Store.CreateReturnReason(ctx, store.CreateReturnReasonInput{Value: fmt.Sprintf("r%d_%d", i, j), Label: "L",
					ParentReturnReasonID: &p.ID}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	query := func(n int) int64 {
		res := gql(e, `{ returnReasons(first: 100) { totalCount nodes { id parentReturnReason { id }
			returnReasonChildren { id parentReturnReason { id returnReasonChildren { id } } returnReasonChildren { id } } } } }`, nil)
		if got := len(res.JSON(t)["data"].(map[string]any)["returnReasons"].(map[string]any)["nodes"].([]any)); got != n {
			t.Fatalf("%d reasons, want %d: %s", got, n, res.Body)
		}
		return e.Queries
	}
	add(0, 2)
	q2 := query(2)
	add(2, 20)
	if q20 := query(20); q20 != q2 {
		t.Fatalf("20 reasons cost %d statements, 2 reasons %d", q20, q2)
	}
	t.Logf("a page of return reasons with parents and children: %d statements", q2)
}
