package rest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

func groupMembers(t *testing.T, e *resttest.Env, group string) []string {
	t.Helper()
	var ids []string
	if err := e.DB.NewRaw(`SELECT customer_id FROM customer_group_customers WHERE customer_group_id = ? ORDER BY customer_id`, group).
		Scan(t.Context(), &ids); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestCustomerGroupsCRUD(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/customer-groups", map[string]any{"name": "VIP", "metadata": map[string]any{"x": 1}})
	res.Expect(t, 200, `{"customer_group":`+groupObj("$id:cgrp", "VIP", map[string]any{"metadata": map[string]any{"x": 1}})+`}`)
	res.MatchesSpec(t, "POST", "/admin/customer-groups")
	vip := res.JSON(t)["customer_group"].(map[string]any)["id"].(string)
	vipJ := groupObj(vip, "VIP", map[string]any{"metadata": map[string]any{"x": 1}})

	res = e.Do("GET", "/admin/customer-groups/"+vip, nil)
	res.Expect(t, 200, `{"customer_group":`+vipJ+`}`)
	res.MatchesSpec(t, "GET", "/admin/customer-groups/"+vip)
	e.Do("GET", "/admin/customer-groups/"+vip+"?fields=name", nil).Expect(t, 200, `{"customer_group":{"id":"`+vip+`","name":"VIP"}}`)
	e.Do("GET", "/admin/customer-groups/"+vip+"?fields=metadata&expand=price_lists,customers", nil).
		Expect(t, 200, `{"customer_group":{"id":"`+vip+`","metadata":{"x":1},"price_lists":[],"customers":[]}}`)

	// Names are unique: 422, also on update (where Medusa answers 500).
	dup := `{"type":"duplicate_error","code":"invalid_request_error","message":"Key (name)=(VIP) already exists."}`
	e.Do("POST", "/admin/customer-groups", map[string]any{"name": "VIP"}).Expect(t, 422, dup)
	gold := createGroup(t, e, "Gold")
	e.Do("POST", "/admin/customer-groups/"+gold, map[string]any{"name": "VIP"}).Expect(t, 422, dup)

	// Update: name, metadata merged; null leaves them; expand on the answer; fields ignored.
	ada := createCustomer(t, e, "ada@example.com", "Ada", "Lovelace")
	e.Do("POST", "/admin/customer-groups/"+vip+"/customers/batch", map[string]any{"customer_ids": []map[string]string{{"id": ada}}})
	res = e.Do("POST", "/admin/customer-groups/"+vip, map[string]any{"name": "V.I.P.", "metadata": map[string]any{"y": 2}})
	vipJ = groupObj(vip, "V.I.P.", map[string]any{"metadata": map[string]any{"x": 1, "y": 2}})
	res.Expect(t, 200, `{"customer_group":`+vipJ+`}`)
	res.MatchesSpec(t, "POST", "/admin/customer-groups/"+vip)
	adaJ := customerObj(ada, "ada@example.com", nil)
	e.Do("POST", "/admin/customer-groups/"+vip+"?expand=customers&fields=name", map[string]any{"name": nil, "metadata": nil}).
		Expect(t, 200, `{"customer_group":`+groupObj(vip, "V.I.P.", map[string]any{"metadata": map[string]any{"x": 1, "y": 2},
			"customers": json.RawMessage("[" + adaJ + "]")})+`}`)

	// Delete: for good, the customers stay; again is fine.
	res = e.Do("DELETE", "/admin/customer-groups/"+vip, nil)
	res.Expect(t, 200, `{"id":"`+vip+`","object":"customer_group","deleted":true}`)
	res.MatchesSpec(t, "DELETE", "/admin/customer-groups/"+vip)
	e.Do("DELETE", "/admin/customer-groups/"+vip, nil).Expect(t, 200, `{"id":"`+vip+`","object":"customer_group","deleted":true}`)
	e.Do("GET", "/admin/customer-groups/"+vip, nil).Expect(t, 404, `{"type":"not_found","message":"CustomerGroup with id `+vip+` was not found"}`)
	e.Do("GET", "/admin/customers/"+ada+"?expand=groups", nil).Expect(t, 200, `{"customer":`+
		customerObj(ada, "ada@example.com", map[string]any{"groups": json.RawMessage("[]")})+`}`)
	// The name is free again.
	e.Do("POST", "/admin/customer-groups", map[string]any{"name": "V.I.P."}).Expect(t, 200, `{"customer_group":`+groupObj("$id:cgrp", "V.I.P.", nil)+`}`)
}

func TestCustomerGroupsList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	a, b, vip := createGroup(t, e, "Group A"), createGroup(t, e, "Group B"), createGroup(t, e, "VIP")
	ada := createCustomer(t, e, "ada@example.com", "Ada", "Lovelace")
	e.Do("POST", "/admin/customer-groups/"+vip+"/customers/batch", map[string]any{"customer_ids": []map[string]string{{"id": ada}}})
	aJ, bJ, vipJ := groupObj(a, "Group A", nil), groupObj(b, "Group B", nil), groupObj(vip, "VIP", nil)
	list := func(count int, offset, limit int, items ...string) string {
		out, _ := json.Marshal(map[string]any{"count": count, "offset": offset, "limit": limit, "customer_groups": json.RawMessage("[" + strings.Join(items, ",") + "]")})
		return string(out)
	}
	// Newest first, default limit 10.
	res := e.Do("GET", "/admin/customer-groups", nil)
	res.Expect(t, 200, list(3, 0, 10, vipJ, bJ, aJ))
	res.MatchesSpec(t, "GET", "/admin/customer-groups")
	e.Do("GET", "/admin/customer-groups?q=group&limit=1&offset=1", nil).Expect(t, 200, list(2, 1, 1, aJ))
	e.Do("GET", "/admin/customer-groups?name[]=VIP,Group%20A", nil).Expect(t, 200, list(2, 0, 10, vipJ, aJ))
	e.Do("GET", "/admin/customer-groups?order=name&expand=customers", nil).Expect(t, 200, list(3, 0, 10,
		groupObj(a, "Group A", map[string]any{"customers": json.RawMessage("[]")}), groupObj(b, "Group B", map[string]any{"customers": json.RawMessage("[]")}),
		groupObj(vip, "VIP", map[string]any{"customers": json.RawMessage("[" + customerObj(ada, "ada@example.com", nil) + "]")})))
	e.Do("GET", "/admin/customer-groups?order=-name", nil).Expect(t, 200, list(3, 0, 10, vipJ, bJ, aJ))
	// id filters, which Medusa declares but refuses.
	e.Do("GET", "/admin/customer-groups?id="+a, nil).Expect(t, 200, list(1, 0, 10, aJ))
	e.Do("GET", "/admin/customer-groups?id[]="+a+"&id[]="+b, nil).Expect(t, 200, list(2, 0, 10, bJ, aJ))
	e.Do("GET", "/admin/customer-groups?id[gt]="+a, nil).Expect(t, 200, list(2, 0, 10, vipJ, bJ))
	e.Do("GET", "/admin/customer-groups?created_at[gt]=2020-01-01&updated_at[lt]=2100-01-01", nil).Expect(t, 200, list(3, 0, 10, vipJ, bJ, aJ))
	e.Do("GET", "/admin/customer-groups?created_at[lt]=2020-01-01", nil).Expect(t, 200, list(0, 0, 10))

	for _, tc := range []struct{ query, msg string }{
		{"fields=name", "property fields should not exist"},
		{"name=VIP", "name must be an array"},
		{"id[foo]=x", "property foo should not exist"},
		{"limit=a&offset=b&q=1&q=2&created_at[gt]=x&name=1&foo=1", "property foo should not exist, offset must be a number conforming to the specified constraints, " +
			"limit must be a number conforming to the specified constraints, q must be a string, name must be an array, gt must be a Date instance"},
		{"order=nope", "Order field nope is not valid"},
		{"expand=nope", "Relation nope not found"},
	} {
		e.Do("GET", "/admin/customer-groups?"+tc.query, nil).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.msg+`"}`)
	}
	for _, q := range []string{"?foo=1", "?fields=nope", "?expand=nope"} {
		res := e.Do("GET", "/admin/customer-groups/"+a+q, nil)
		if res.Status != 400 {
			t.Fatalf("%s: %d %s", q, res.Status, res.Body)
		}
	}
	e.Do("GET", "/admin/customer-groups/cgrp_nope", nil).Expect(t, 404, `{"type":"not_found","message":"CustomerGroup with id cgrp_nope was not found"}`)

	// A page costs the same statements whatever its size.
	e.Do("GET", "/admin/customer-groups?expand=customers,price_lists&limit=1", nil)
	one := e.Queries
	e.Do("GET", "/admin/customer-groups?expand=customers,price_lists&limit=50", nil)
	if e.Queries != one {
		t.Fatalf("%d statements for 1, %d for 50", one, e.Queries)
	}
}

func TestCustomerGroupBatches(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	vip, other := createGroup(t, e, "VIP"), createGroup(t, e, "Other")
	ada := createCustomer(t, e, "ada@example.com", "Ada", "Lovelace")
	alan := createCustomer(t, e, "alan@example.com", "Alan", "Turing")
	vipJ := groupObj(vip, "VIP", nil)
	batch := func(ids ...string) map[string]any {
		list := []map[string]string{}
		for _, id := range ids {
			list = append(list, map[string]string{"id": id})
		}
		return map[string]any{"customer_ids": list}
	}
	path := "/admin/customer-groups/" + vip + "/customers/batch"

	res := e.Do("POST", path, batch(ada, alan))
	res.Expect(t, 200, `{"customer_group":`+vipJ+`}`)
	res.MatchesSpec(t, "POST", path)
	// Members already in stay; adding them again is fine.
	e.Do("POST", path, batch(ada, ada)).Expect(t, 200, `{"customer_group":`+vipJ+`}`)
	e.Do("POST", path, batch()).Expect(t, 200, `{"customer_group":`+vipJ+`}`)

	// A bad id refuses the whole batch, naming every missing id, and changes nothing.
	e.Do("POST", "/admin/customer-groups/"+other+"/customers/batch", batch("cus_bad1", ada, "cus_bad2")).
		Expect(t, 404, `{"type":"not_found","message":"The following customer ids do not exist: \"cus_bad1, cus_bad2\""}`)
	if got := groupMembers(t, e, other); len(got) != 0 {
		t.Fatalf("other group changed: %v", got)
	}
	e.Do("POST", "/admin/customer-groups/cgrp_nope/customers/batch", batch(ada)).
		Expect(t, 404, `{"type":"not_found","message":"CustomerGroup with id cgrp_nope was not found"}`)
	e.Do("POST", "/admin/customer-groups/cgrp_nope/customers/batch", batch()).
		Expect(t, 404, `{"type":"not_found","message":"CustomerGroup with id cgrp_nope was not found"}`)
	for _, tc := range []struct{ body, msg string }{
		{`{"customer_ids":"x","foo":1}`, "property foo should not exist, each value in nested property customer_ids must be either object or array"},
		{`{"customer_ids":[{"id":1,"y":2},"s"]}`, "property y should not exist, id must be a string, each value in nested property customer_ids must be either object or array"},
		{`{"customer_ids":[{"id":"` + ada + `"},{}]}`, "id must be a string"},
		{`{}`, "each value in nested property customer_ids must be either object or array"},
		{`{"customer_ids":{"id":"` + ada + `"}}`, "customer_ids must be an array"},
	} {
		e.Do("POST", "/admin/customer-groups/"+other+"/customers/batch", tc.body).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.msg+`"}`)
		e.Do("DELETE", path, tc.body).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.msg+`"}`)
	}
	if got := groupMembers(t, e, other); len(got) != 0 {
		t.Fatalf("other group changed: %v", got)
	}
	if got := groupMembers(t, e, vip); len(got) != 2 {
		t.Fatalf("vip group changed: %v", got)
	}

	// The group's customers: the customer list's parameters, each customer with this group.
	adaJ := customerObj(ada, "ada@example.com", map[string]any{"groups": json.RawMessage("[" + vipJ + "]")})
	alanJ := customerObj(alan, "alan@example.com", map[string]any{"first_name": "Alan", "last_name": "Turing", "groups": json.RawMessage("[" + vipJ + "]")})
	res = e.Do("GET", "/admin/customer-groups/"+vip+"/customers", nil)
	res.Expect(t, 200, `{"customers":[`+adaJ+`,`+alanJ+`],"count":2,"offset":0,"limit":50}`)
	res.MatchesSpec(t, "GET", "/admin/customer-groups/"+vip+"/customers")
	e.Do("GET", "/admin/customer-groups/"+vip+"/customers?q=turing", nil).Expect(t, 200, `{"customers":[`+alanJ+`],"count":1,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/customer-groups/"+vip+"/customers?limit=1&offset=1&groups[]="+other, nil).Expect(t, 200, `{"customers":[`+alanJ+`],"count":2,"offset":1,"limit":1}`)
	e.Do("GET", "/admin/customer-groups/"+other+"/customers", nil).Expect(t, 200, `{"customers":[],"count":0,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/customer-groups/cgrp_nope/customers", nil).Expect(t, 200, `{"customers":[],"count":0,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/customer-groups/"+vip+"/customers?foo=1", nil).Expect(t, 400, `{"type":"invalid_data","message":"property foo should not exist"}`)

	// Removing: non-members are no change.
	res = e.Do("DELETE", path, batch(ada, "cus_bad"))
	res.Expect(t, 200, `{"customer_group":`+vipJ+`}`)
	res.MatchesSpec(t, "DELETE", path)
	e.Do("DELETE", path, batch()).Expect(t, 200, `{"customer_group":`+vipJ+`}`)
	e.Do("DELETE", "/admin/customer-groups/cgrp_nope/customers/batch", batch(ada)).
		Expect(t, 404, `{"type":"not_found","message":"CustomerGroup with id cgrp_nope was not found"}`)
	if got := groupMembers(t, e, vip); len(got) != 1 || got[0] != alan {
		t.Fatalf("vip members %v", got)
	}
}

func TestCustomerGroupsUnauthenticated(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	vip := createGroup(t, e, "VIP")
	ada := createCustomer(t, e, "ada@example.com", "Ada", "Lovelace")
	body := map[string]any{"name": "Changed", "customer_ids": []map[string]string{{"id": ada}}}
	for _, r := range []struct{ method, path string }{
		{"GET", "/admin/customer-groups"}, {"POST", "/admin/customer-groups"},
		{"GET", "/admin/customer-groups/" + vip}, {"POST", "/admin/customer-groups/" + vip}, {"DELETE", "/admin/customer-groups/" + vip},
		{"GET", "/admin/customer-groups/" + vip + "/customers"},
		{"POST", "/admin/customer-groups/" + vip + "/customers/batch"}, {"DELETE", "/admin/customer-groups/" + vip + "/customers/batch"},
	} {
		e.DoAnon(r.method, r.path, body).ExpectText(t, 401, "Unauthorized")
	}
	e.Do("GET", "/admin/customer-groups", nil).Expect(t, 200, `{"customer_groups":[`+groupObj(vip, "VIP", nil)+`],"count":1,"offset":0,"limit":10}`)
	if got := groupMembers(t, e, vip); len(got) != 0 {
		t.Fatalf("members %v", got)
	}
}
