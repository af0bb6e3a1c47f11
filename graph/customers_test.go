package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

const cusFields = `id email firstName lastName phone hasAccount createdAt updatedAt metadata groups { id name }`

func cusMut(e *resttest.Env, mutation, args, params string, vars map[string]any) *resttest.Response {
	return gql(e, `mutation(`+params+`) { `+mutation+`(`+args+`) { customer { `+cusFields+` } userErrors { field message code } } }`, vars)
}

func cusPayload(mutation string, c any, ue txrJ) string {
	if ue != nil {
		return txrJSON(txrJ{"data": txrJ{mutation: txrJ{"customer": nil, "userErrors": []any{ue}}}})
	}
	return txrJSON(txrJ{"data": txrJ{mutation: txrJ{"customer": c, "userErrors": []any{}}}})
}

func cusGroup(t *testing.T, e *resttest.Env, name string) (string, txrJ) {
	t.Helper()
	g, err := e.Store.CreateCustomerGroup(context.Background(), name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return g.ID, txrJ{"id": g.ID, "name": name}
}

func TestCustomersGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	vip, vipJ := cusGroup(t, e, "VIP")
	b2b, b2bJ := cusGroup(t, e, "B2B")

	create := func(in map[string]any) *resttest.Response {
		return cusMut(e, "createCustomer", "input: $in", "$in: CreateCustomerInput!", map[string]any{"in": in})
	}
	res := create(map[string]any{"email": "Ann@Example.com", "firstName": "Ann", "lastName": "Lee", "password": "secret",
		"phone": "+4512345678", "metadata": map[string]any{"k": "v"}})
	ann := txrJ{"id": "$id:cus", "email": "ann@example.com", "firstName": "Ann", "lastName": "Lee", "phone": "+4512345678",
		"hasAccount": true, "createdAt": "$time", "updatedAt": "$time", "metadata": txrJ{"k": "v"}, "groups": []any{}}
	res.Expect(t, 200, cusPayload("createCustomer", ann, nil))
	annBody := res.JSON(t)["data"].(map[string]any)["createCustomer"].(map[string]any)["customer"].(map[string]any)
	annID := annBody["id"].(string)
	ann["id"] = annID

	res = create(map[string]any{"email": "bob@example.com", "firstName": "Bob", "lastName": "Ray", "password": "pw"})
	bob := txrJ{"id": "$id:cus", "email": "bob@example.com", "firstName": "Bob", "lastName": "Ray", "phone": nil,
		"hasAccount": true, "createdAt": "$time", "updatedAt": "$time", "metadata": nil, "groups": []any{}}
	res.Expect(t, 200, cusPayload("createCustomer", bob, nil))
	bobID := res.JSON(t)["data"].(map[string]any)["createCustomer"].(map[string]any)["customer"].(map[string]any)["id"].(string)
	bob["id"] = bobID

	// Bad input: a userError each, and nothing created.
	for _, c := range []struct {
		in map[string]any
		ue txrJ
	}{
		{map[string]any{"email": "nope", "firstName": "X", "lastName": "Y", "password": "pw"},
			discUEF("INVALID_DATA", "email must be an email", "email")},
		{map[string]any{"email": "ANN@example.com", "firstName": "X", "lastName": "Y", "password": "pw"},
			txrUE("DUPLICATE_ERROR", "A customer with the given email already has an account. Log in instead")},
	} {
		create(c.in).Expect(t, 200, cusPayload("createCustomer", nil, c.ue))
	}
	if n := txrCount(t, e, `SELECT count(*) FROM customer`); n != 2 {
		t.Fatalf("%d customers after refused creates, want 2", n)
	}

	// Update: groups replaced, a nullable field cleared, metadata merged.
	update := func(id string, in map[string]any) *resttest.Response {
		return cusMut(e, "updateCustomer", "id: $id, input: $in", "$id: ID!, $in: UpdateCustomerInput!", map[string]any{"id": id, "in": in})
	}
	ann = txrMerge(ann, txrJ{"firstName": "Anna", "phone": nil, "metadata": txrJ{"k": "v", "x": 1}, "groups": []any{vipJ, b2bJ}})
	update(annID, map[string]any{"firstName": "Anna", "phone": nil, "metadata": map[string]any{"x": 1}, "groupIds": []string{vip, b2b}}).
		Expect(t, 200, cusPayload("updateCustomer", ann, nil))
	bob = txrMerge(bob, txrJ{"groups": []any{b2bJ}})
	update(bobID, map[string]any{"groupIds": []string{b2b}}).Expect(t, 200, cusPayload("updateCustomer", bob, nil))
	// Refused updates change nothing.
	update(annID, map[string]any{"email": "bad", "firstName": "Zed"}).Expect(t, 200,
		cusPayload("updateCustomer", nil, discUEF("INVALID_DATA", "email must be an email", "email")))
	update("cus_missing", map[string]any{"firstName": "Zed"}).Expect(t, 200,
		cusPayload("updateCustomer", nil, txrUE("NOT_FOUND", "Customer with id,cus_missing: 0 was not found")))
	update(annID, map[string]any{"firstName": "Zed", "groupIds": []string{"cgrp_missing"}}).Expect(t, 200,
		cusPayload("updateCustomer", nil, txrUE("NOT_FOUND", "Customer_group with customer_group_id cgrp_missing does not exist.")))

	// Reads.
	get := func(id string) *resttest.Response {
		return gql(e, `query($id: ID!) { customer(id: $id) { `+cusFields+` } }`, map[string]any{"id": id})
	}
	get(annID).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"customer": ann}}))
	get("cus_missing").Expect(t, 200, `{"data":{"customer":null}}`)
	list := func(args string, want ...txrJ) {
		t.Helper()
		nodes := make([]any, len(want))
		for i, w := range want {
			nodes[i] = w
		}
		gql(e, `{ customers`+args+` { totalCount nodes { `+cusFields+` } } }`, nil).Expect(t, 200,
			txrJSON(txrJ{"data": txrJ{"customers": txrJ{"totalCount": len(want), "nodes": nodes}}}))
	}
	list("", ann, bob)
	list(`(q: "ray")`, bob)
	list(`(q: "ANNA")`, ann)
	list(fmt.Sprintf(`(groupIds: [%q])`, vip), ann)
	list(fmt.Sprintf(`(groupIds: [%q, %q])`, vip, b2b), ann, bob)
	list(`(q: "nobody")`)
	gql(e, `{ customers(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } }`, nil).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"customers": txrJ{"totalCount": 2, "pageInfo": txrJ{"hasNextPage": true,
			"hasPreviousPage": false, "endCursor": "$string"}, "edges": []any{txrJ{"cursor": "$string", "node": txrJ{"id": annID}}}}}}))
	gql(e, `query($a: ID!) { a: node(id: $a) { ... on Customer { id email } } b: node(id: "cus_missing") { id } }`, map[string]any{"a": annID}).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"a": txrJ{"id": annID, "email": "ann@example.com"}, "b": nil}}))
}

// A page of customers with their groups costs the same statements whatever its size.
func TestCustomersBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	g1, _ := cusGroup(t, e, "G1")
	g2, _ := cusGroup(t, e, "G2")
	add := func(from, to int) {
		for i := from; i < to; i++ {
			c, err := e.Store.CreateCustomer(ctx, store.CreateCustomerInput{Email: fmt.Sprintf("c%d@example.com", i), FirstName: "C",
				LastName: "D", Password: "pw"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Store.UpdateCustomer(ctx, c.ID, store.UpdateCustomerInput{Groups: []string{g1, g2}}, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	query := func(n int) int64 {
		res := gql(e, `{ customers(first: 50) { totalCount nodes { id email groups { id name } } } }`, nil)
		if strings.Contains(string(res.Body), `"errors"`) {
			t.Fatal(string(res.Body))
		}
		nodes := res.JSON(t)["data"].(map[string]any)["customers"].(map[string]any)["nodes"].([]any)
		if len(nodes) != n {
			t.Fatalf("%d customers, want %d", len(nodes), n)
		}
		for _, node := range nodes {
			if len(node.(map[string]any)["groups"].([]any)) != 2 {
				t.Fatalf("groups missing: %s", res.Body)
			}
		}
		return e.Queries
	}
	add(0, 2)
	q2 := query(2)
	add(2, 50)
	if q50 := query(50); q50 != q2 {
		t.Fatalf("50 customers cost %d statements, 2 customers %d", q50, q2)
	}
	t.Logf("a page of customers with their groups: %d statements", q2)
}

const cgrpFields = `id name metadata createdAt updatedAt customers(first: 1) { totalCount pageInfo { hasNextPage } nodes { id email } }`

func cgrpMut(e *resttest.Env, mutation, args, params string, vars map[string]any) *resttest.Response {
	return gql(e, `mutation(`+params+`) { `+mutation+`(`+args+`) { customerGroup { `+cgrpFields+` } userErrors { field message code } } }`, vars)
}

func cgrpPayload(mutation string, g any, ue txrJ) string {
	if ue != nil {
		return txrJSON(txrJ{"data": txrJ{mutation: txrJ{"customerGroup": nil, "userErrors": []any{ue}}}})
	}
	return txrJSON(txrJ{"data": txrJ{mutation: txrJ{"customerGroup": g, "userErrors": []any{}}}})
}

// cgrpMembers is a group's customers(first: 1) page.
func cgrpMembers(total int, first ...txrJ) txrJ {
	nodes := []any{}
	for _, f := range first {
		nodes = append(nodes, f)
	}
	return txrJ{"totalCount": total, "pageInfo": txrJ{"hasNextPage": total > len(first)}, "nodes": nodes}
}

func TestCustomerGroupsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	var cus []string
	var cusJ []txrJ
	for _, email := range []string{"a@example.com", "b@example.com"} {
		c, err := e.Store.CreateCustomer(ctx, store.CreateCustomerInput{Email: email, FirstName: "F", LastName: "L", Password: "pw"})
		if err != nil {
			t.Fatal(err)
		}
		cus, cusJ = append(cus, c.ID), append(cusJ, txrJ{"id": c.ID, "email": email})
	}

	create := func(in map[string]any) *resttest.Response {
		return cgrpMut(e, "createCustomerGroup", "input: $in", "$in: CreateCustomerGroupInput!", map[string]any{"in": in})
	}
	res := create(map[string]any{"name": "VIP", "metadata": map[string]any{"k": "v"}})
	vip := txrJ{"id": "$id:cgrp", "name": "VIP", "metadata": txrJ{"k": "v"}, "createdAt": "$time", "updatedAt": "$time", "customers": cgrpMembers(0)}
	res.Expect(t, 200, cgrpPayload("createCustomerGroup", vip, nil))
	vipID := res.JSON(t)["data"].(map[string]any)["createCustomerGroup"].(map[string]any)["customerGroup"].(map[string]any)["id"].(string)
	vip["id"] = vipID
	res = create(map[string]any{"name": "B2B"})
	b2b := txrJ{"id": "$id:cgrp", "name": "B2B", "metadata": nil, "createdAt": "$time", "updatedAt": "$time", "customers": cgrpMembers(0)}
	res.Expect(t, 200, cgrpPayload("createCustomerGroup", b2b, nil))
	b2bID := res.JSON(t)["data"].(map[string]any)["createCustomerGroup"].(map[string]any)["customerGroup"].(map[string]any)["id"].(string)
	b2b["id"] = b2bID
	create(map[string]any{"name": "VIP"}).Expect(t, 200, cgrpPayload("createCustomerGroup", nil, txrUE("DUPLICATE_ERROR", "Key (name)=(VIP) already exists.")))
	if n := txrCount(t, e, `SELECT count(*) FROM customer_group`); n != 2 {
		t.Fatalf("%d groups after a refused create, want 2", n)
	}

	update := func(id string, in map[string]any) *resttest.Response {
		return cgrpMut(e, "updateCustomerGroup", "id: $id, input: $in", "$id: ID!, $in: UpdateCustomerGroupInput!", map[string]any{"id": id, "in": in})
	}
	vip = txrMerge(vip, txrJ{"name": "Gold", "metadata": txrJ{"k": "v", "x": 1}})
	update(vipID, map[string]any{"name": "Gold", "metadata": map[string]any{"x": 1}}).Expect(t, 200, cgrpPayload("updateCustomerGroup", vip, nil))
	update(vipID, map[string]any{"name": "B2B"}).Expect(t, 200, cgrpPayload("updateCustomerGroup", nil, txrUE("DUPLICATE_ERROR", "Key (name)=(B2B) already exists.")))
	update("cgrp_missing", map[string]any{"name": "X"}).Expect(t, 200,
		cgrpPayload("updateCustomerGroup", nil, txrUE("NOT_FOUND", "CustomerGroup with id cgrp_missing was not found")))

	members := func(mutation, id string, ids ...string) *resttest.Response {
		return cgrpMut(e, mutation, "id: $id, customerIds: $c", "$id: ID!, $c: [ID!]!", map[string]any{"id": id, "c": ids})
	}
	vip["customers"] = cgrpMembers(2, cusJ[0])
	members("addCustomersToGroup", vipID, cus[0], cus[1]).Expect(t, 200, cgrpPayload("addCustomersToGroup", vip, nil))
	members("addCustomersToGroup", vipID, cus[0]).Expect(t, 200, cgrpPayload("addCustomersToGroup", vip, nil))
	members("addCustomersToGroup", vipID, "cus_missing").Expect(t, 200, cgrpPayload("addCustomersToGroup", nil,
		txrUE("NOT_FOUND", `The following customer ids do not exist: "cus_missing"`)))
	members("addCustomersToGroup", "cgrp_missing", cus[0]).Expect(t, 200, cgrpPayload("addCustomersToGroup", nil,
		txrUE("NOT_FOUND", "CustomerGroup with id cgrp_missing was not found")))
	// The group's customers page on with after, like any connection.
	page1 := gql(e, `query($id: ID!) { node(id: $id) { ... on CustomerGroup { customers(first: 1) { pageInfo { hasNextPage endCursor } nodes { email } } } } }`,
		map[string]any{"id": vipID})
	cursor := page1.JSON(t)["data"].(map[string]any)["node"].(map[string]any)["customers"].(map[string]any)["pageInfo"].(map[string]any)["endCursor"]
	gql(e, `query($id: ID!, $after: String) { node(id: $id) { ... on CustomerGroup { customers(first: 1, after: $after) {
		totalCount pageInfo { hasNextPage hasPreviousPage } nodes { email } } } } }`, map[string]any{"id": vipID, "after": cursor}).
		Expect(t, 200, `{"data":{"node":{"customers":{"totalCount":2,"pageInfo":{"hasNextPage":false,"hasPreviousPage":true},"nodes":[{"email":"b@example.com"}]}}}}`)
	b2b["customers"] = cgrpMembers(1, cusJ[1])
	members("addCustomersToGroup", b2bID, cus[1]).Expect(t, 200, cgrpPayload("addCustomersToGroup", b2b, nil))
	vip["customers"] = cgrpMembers(1, cusJ[1])
	members("removeCustomersFromGroup", vipID, cus[0]).Expect(t, 200, cgrpPayload("removeCustomersFromGroup", vip, nil))
	members("removeCustomersFromGroup", "cgrp_missing", cus[1]).Expect(t, 200, cgrpPayload("removeCustomersFromGroup", nil,
		txrUE("NOT_FOUND", "CustomerGroup with id cgrp_missing was not found")))
	if n := txrCount(t, e, `SELECT count(*) FROM customer_group_customers`); n != 2 {
		t.Fatalf("%d memberships after refused changes, want 2", n)
	}

	// Reads.
	list := func(args string, want ...txrJ) {
		t.Helper()
		nodes := make([]any, len(want))
		for i, w := range want {
			nodes[i] = w
		}
		gql(e, `{ customerGroups`+args+` { totalCount nodes { `+cgrpFields+` } } }`, nil).Expect(t, 200,
			txrJSON(txrJ{"data": txrJ{"customerGroups": txrJ{"totalCount": len(want), "nodes": nodes}}}))
	}
	list("", b2b, vip)
	list(`(q: "gol")`, vip)
	gql(e, `{ customerGroups(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } }`, nil).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"customerGroups": txrJ{"totalCount": 2, "pageInfo": txrJ{"hasNextPage": true,
			"hasPreviousPage": false, "endCursor": "$string"}, "edges": []any{txrJ{"cursor": "$string", "node": txrJ{"id": b2bID}}}}}}))
	gql(e, `query($a: ID!) { a: node(id: $a) { ... on CustomerGroup { id name } } }`, map[string]any{"a": vipID}).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"a": txrJ{"id": vipID, "name": "Gold"}}}))

	del := `mutation($id: ID!) { deleteCustomerGroup(id: $id) { deletedId userErrors { message } } }`
	gql(e, del, map[string]any{"id": vipID}).Expect(t, 200, `{"data":{"deleteCustomerGroup":{"deletedId":"`+vipID+`","userErrors":[]}}}`)
	gql(e, del, map[string]any{"id": vipID}).Expect(t, 200, `{"data":{"deleteCustomerGroup":{"deletedId":"`+vipID+`","userErrors":[]}}}`)
	list("", b2b)
	if n := txrCount(t, e, `SELECT count(*) FROM customer`); n != 2 {
		t.Fatalf("%d customers after deleting a group, want 2", n)
	}
}

// A page of customer groups with their customers, and those customers' groups, costs the same
// statements whatever its size.
func TestCustomerGroupsBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	var cus []string
	for i := range 3 {
		c, err := e.Store.CreateCustomer(ctx, store.CreateCustomerInput{Email: fmt.Sprintf("c%d@example.com", i), FirstName: "C", LastName: "D", Password: "pw"})
		if err != nil {
			t.Fatal(err)
		}
		cus = append(cus, c.ID)
	}
	add := func(from, to int) {
		for i := from; i < to; i++ {
			g, err := e.Store.CreateCustomerGroup(ctx, fmt.Sprintf("G%d", i), nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Store.AddCustomersToGroup(ctx, g.ID, cus); err != nil {
				t.Fatal(err)
			}
		}
	}
	query := func(n int) int64 {
		res := gql(e, `{ customerGroups(first: 50) { totalCount nodes { id customers(first: 2) { totalCount nodes { id groups { id } } } } } }`, nil)
		if strings.Contains(string(res.Body), `"errors"`) {
			t.Fatal(string(res.Body))
		}
		nodes := res.JSON(t)["data"].(map[string]any)["customerGroups"].(map[string]any)["nodes"].([]any)
		if len(nodes) != n {
			t.Fatalf("%d groups, want %d", len(nodes), n)
		}
		for _, node := range nodes {
			cs := node.(map[string]any)["customers"].(map[string]any)
			if len(cs["nodes"].([]any)) != 2 || cs["totalCount"].(float64) != 3 {
				t.Fatalf("customers missing: %s", res.Body)
			}
		}
		return e.Queries
	}
	add(0, 2)
	q2 := query(2)
	add(2, 20)
	if q20 := query(20); q20 != q2 {
		t.Fatalf("20 groups cost %d statements, 2 groups %d", q20, q2)
	}
	t.Logf("a page of groups with their customers and the customers' groups: %d statements", q2)
}
