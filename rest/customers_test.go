package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// customerObj is a customer as the API shows it, with fields overridden (a nil value in over
// removes the key only when it is listed in drop).
func customerObj(id, email string, over map[string]any) string {
	m := map[string]any{
		"id": id, "email": email, "first_name": "Ada", "last_name": "Lovelace", "billing_address_id": nil,
		"phone": nil, "has_account": true, "created_at": "$time", "updated_at": "$time", "deleted_at": nil, "metadata": nil,
	}
	for k, v := range over {
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// withDefaultRelations adds the relations Medusa loads by default on one customer.
var customerDefaultRels = map[string]any{"orders": json.RawMessage("[]"), "shipping_addresses": json.RawMessage("[]")}

func merged(maps ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// createCustomer creates a customer through the API and returns its id.
func createCustomer(t *testing.T, e *resttest.Env, email, first, last string) string {
	t.Helper()
	res := e.Do("POST", "/admin/customers", map[string]any{"email": email, "first_name": first, "last_name": last, "password": "pw"})
	if res.Status != 201 {
		t.Fatalf("create customer: %d %s", res.Status, res.Body)
	}
	return res.JSON(t)["customer"].(map[string]any)["id"].(string)
}

// createGroup creates a customer group through the API and returns its id.
func createGroup(t *testing.T, e *resttest.Env, name string) string {
	t.Helper()
	res := e.Do("POST", "/admin/customer-groups", map[string]any{"name": name})
	if res.Status != 200 {
		t.Fatalf("create group: %d %s", res.Status, res.Body)
	}
	return res.JSON(t)["customer_group"].(map[string]any)["id"].(string)
}

// groupObj is a customer group as the API shows it.
func groupObj(id, name string, over map[string]any) string {
	m := map[string]any{"id": id, "name": name, "created_at": "$time", "updated_at": "$time", "deleted_at": nil, "metadata": nil}
	for k, v := range over {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func customerEvents(t *testing.T, e *resttest.Env) []string {
	t.Helper()
	var names []string
	if err := e.DB.NewRaw(`SELECT name || ' ' || (data->>'id') FROM gorgon.event WHERE name LIKE 'customer.%' ORDER BY id`).
		Scan(context.Background(), &names); err != nil {
		t.Fatal(err)
	}
	return names
}

func customerHash(t *testing.T, e *resttest.Env, id string) string {
	t.Helper()
	var h string
	if err := e.DB.QueryRow(`SELECT coalesce(password_hash, '') FROM customer WHERE id = ?`, id).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestCustomersCreateGetUpdate(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/customers", map[string]any{"email": "Ada@Example.COM", "first_name": "Ada", "last_name": "Lovelace",
		"password": "s3cret", "phone": "123", "metadata": map[string]any{"a": 1}})
	// 201 and no relations, as Medusa; unlike Medusa, no password_hash in the answer.
	res.Expect(t, 201, `{"customer":`+customerObj("$id:cus", "ada@example.com", map[string]any{"phone": "123", "metadata": map[string]any{"a": 1}})+`}`)
	res.MatchesSpec(t, "POST", "/admin/customers")
	id := res.JSON(t)["customer"].(map[string]any)["id"].(string)
	if ok, _ := e.Store.Passwords.Verify(context.Background(), customerHash(t, e, id), "s3cret"); !ok {
		t.Fatal("password not hashed in Medusa's format")
	}

	created := customerObj(id, "ada@example.com", merged(customerDefaultRels, map[string]any{"phone": "123", "metadata": map[string]any{"a": 1}}))
	res = e.Do("GET", "/admin/customers/"+id, nil)
	res.Expect(t, 200, `{"customer":`+created+`}`)
	res.MatchesSpec(t, "GET", "/admin/customers/"+id)
	// fields is accepted and ignored, as in Medusa.
	e.Do("GET", "/admin/customers/"+id+"?fields=email", nil).Expect(t, 200, `{"customer":`+created+`}`)
	e.Do("GET", "/admin/customers/"+id+"?expand=groups,billing_address", nil).Expect(t, 200, `{"customer":`+
		customerObj(id, "ada@example.com", map[string]any{"phone": "123", "metadata": map[string]any{"a": 1},
			"groups": json.RawMessage("[]"), "billing_address": nil})+`}`)

	// Names, phone (null clears), metadata (merged), password (re-hashed).
	res = e.Do("POST", "/admin/customers/"+id, map[string]any{"first_name": "Augusta", "phone": nil, "metadata": map[string]any{"b": 2, "a": nil},
		"password": "n3w"})
	updated := map[string]any{"first_name": "Augusta", "metadata": map[string]any{"a": nil, "b": 2}}
	res.Expect(t, 200, `{"customer":`+customerObj(id, "ada@example.com", merged(customerDefaultRels, updated))+`}`)
	res.MatchesSpec(t, "POST", "/admin/customers/"+id)
	if ok, _ := e.Store.Passwords.Verify(context.Background(), customerHash(t, e, id), "n3w"); !ok {
		t.Fatal("new password not set")
	}

	// Groups replace the membership.
	vip, gold := createGroup(t, e, "VIP"), createGroup(t, e, "Gold")
	res = e.Do("POST", "/admin/customers/"+id+"?expand=groups", map[string]any{"groups": []map[string]string{{"id": vip}, {"id": gold}, {"id": vip}}})
	res.Expect(t, 200, `{"customer":`+customerObj(id, "ada@example.com", merged(updated, map[string]any{
		"groups": json.RawMessage("[" + groupObj(vip, "VIP", nil) + "," + groupObj(gold, "Gold", nil) + "]")}))+`}`)
	e.Do("POST", "/admin/customers/"+id+"?expand=groups", map[string]any{"groups": []map[string]string{{"id": gold}}}).Expect(t, 200,
		`{"customer":`+customerObj(id, "ada@example.com", merged(updated, map[string]any{"groups": json.RawMessage("[" + groupObj(gold, "Gold", nil) + "]")}))+`}`)
	e.Do("POST", "/admin/customers/"+id+"?expand=groups", map[string]any{"groups": []any{}}).Expect(t, 200,
		`{"customer":`+customerObj(id, "ada@example.com", merged(updated, map[string]any{"groups": json.RawMessage("[]")}))+`}`)
	// An empty update changes nothing (updated_at included).
	var before, after string
	_ = e.DB.QueryRow(`SELECT updated_at::text FROM customer WHERE id = ?`, id).Scan(&before)
	e.Do("POST", "/admin/customers/"+id, map[string]any{}).Expect(t, 200, `{"customer":`+customerObj(id, "ada@example.com", merged(customerDefaultRels, updated))+`}`)
	_ = e.DB.QueryRow(`SELECT updated_at::text FROM customer WHERE id = ?`, id).Scan(&after)
	if before != after {
		t.Fatalf("updated_at changed by an empty update: %s -> %s", before, after)
	}

	// The email of a customer with an account cannot change.
	e.Do("POST", "/admin/customers/"+id, map[string]any{"email": "other@example.com", "first_name": "X"}).
		Expect(t, 400, `{"type":"invalid_data","message":"Email cannot be changed when the user has registered their account"}`)

	if got := customerEvents(t, e); len(got) != 6 || got[0] != "customer.created "+id || got[5] != "customer.updated "+id {
		t.Fatalf("events %q", got)
	}
}

// A customer without an account (a guest who ordered) gets one when created with its email: same
// id, Medusa's rules for the fields. Its email may change, lower-cased (Medusa keeps the case).
func TestCustomerGuestGetsAccount(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	if _, err := e.DB.Exec(`INSERT INTO customer (id, email, first_name, has_account, metadata) VALUES ('cus_guest', 'guest@example.com', 'G', false, '{"k":1}')`); err != nil {
		t.Fatal(err)
	}
	taken := createCustomer(t, e, "taken@example.com", "T", "Aken")
	e.Do("POST", "/admin/customers/cus_guest", map[string]any{"email": "Taken@Example.com"}).
		Expect(t, 422, `{"type":"duplicate_error","code":"invalid_request_error","message":"Customer with email taken@example.com already exists."}`)
	guest := customerObj("cus_guest", "guest2@example.com", merged(customerDefaultRels, map[string]any{"first_name": "G", "last_name": nil,
		"has_account": false, "metadata": map[string]any{"k": 1}}))
	e.Do("POST", "/admin/customers/cus_guest", map[string]any{"email": "Guest2@Example.com"}).Expect(t, 200, `{"customer":`+guest+`}`)

	res := e.Do("POST", "/admin/customers", map[string]any{"email": "GUEST2@example.com", "first_name": "New", "last_name": "Name", "password": "pw", "phone": "9"})
	res.Expect(t, 201, `{"customer":`+customerObj("cus_guest", "guest2@example.com", map[string]any{"first_name": "New", "last_name": "Name",
		"phone": "9", "metadata": map[string]any{"k": 1}})+`}`)
	if ok, _ := e.Store.Passwords.Verify(context.Background(), customerHash(t, e, "cus_guest"), "pw"); !ok {
		t.Fatal("guest got no password")
	}
	// Now it has an account.
	e.Do("POST", "/admin/customers", map[string]any{"email": "guest2@example.com", "first_name": "A", "last_name": "B", "password": "x"}).
		Expect(t, 422, `{"type":"duplicate_error","code":"invalid_request_error","message":"A customer with the given email already has an account. Log in instead"}`)
	var n int
	if err := e.DB.QueryRow(`SELECT count(*) FROM customer`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("customers: %d %v (taken %s)", n, err, taken)
	}
	if got := customerEvents(t, e); len(got) != 3 || got[2] != "customer.updated cus_guest" {
		t.Fatalf("events %q", got)
	}
}

func TestCustomersList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ada := createCustomer(t, e, "ada@example.com", "Ada", "Lovelace")
	alan := createCustomer(t, e, "alan@example.com", "Alan", "Turing")
	grace := createCustomer(t, e, "grace@navy.mil", "Grace", "Hopper")
	vip, gold := createGroup(t, e, "VIP"), createGroup(t, e, "Gold")
	e.Do("POST", "/admin/customers/"+ada, map[string]any{"groups": []map[string]string{{"id": vip}, {"id": gold}}})
	e.Do("POST", "/admin/customers/"+grace, map[string]any{"groups": []map[string]string{{"id": gold}}})

	obj := func(id, email, first, last string, over map[string]any) string {
		return customerObj(id, email, merged(map[string]any{"first_name": first, "last_name": last}, over))
	}
	adaJ, alanJ, graceJ := obj(ada, "ada@example.com", "Ada", "Lovelace", nil), obj(alan, "alan@example.com", "Alan", "Turing", nil),
		obj(grace, "grace@navy.mil", "Grace", "Hopper", nil)
	// Oldest first, no relations, default limit 50, total count.
	res := e.Do("GET", "/admin/customers", nil)
	res.Expect(t, 200, `{"customers":[`+adaJ+`,`+alanJ+`,`+graceJ+`],"count":3,"offset":0,"limit":50}`)
	res.MatchesSpec(t, "GET", "/admin/customers")
	e.Do("GET", "/admin/customers?limit=1&offset=1", nil).Expect(t, 200, `{"customers":[`+alanJ+`],"count":3,"offset":1,"limit":1}`)
	// q: email, first or last name, any case.
	e.Do("GET", "/admin/customers?q=AL", nil).Expect(t, 200, `{"customers":[`+alanJ+`],"count":1,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/customers?q=hopp", nil).Expect(t, 200, `{"customers":[`+graceJ+`],"count":1,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/customers?q=EXAMPLE", nil).Expect(t, 200, `{"customers":[`+adaJ+`,`+alanJ+`],"count":2,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/customers?q=", nil).Expect(t, 200, `{"customers":[`+adaJ+`,`+alanJ+`,`+graceJ+`],"count":3,"offset":0,"limit":50}`)

	vipJ, goldJ := groupObj(vip, "VIP", nil), groupObj(gold, "Gold", nil)
	// groups: the customers of any of the groups, each with the groups that matched.
	e.Do("GET", "/admin/customers?groups[]="+vip, nil).Expect(t, 200, `{"customers":[`+
		obj(ada, "ada@example.com", "Ada", "Lovelace", map[string]any{"groups": json.RawMessage("[" + vipJ + "]")})+`],"count":1,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/customers?groups[]="+gold+","+vip+"&q=a", nil).Expect(t, 200, `{"customers":[`+
		obj(ada, "ada@example.com", "Ada", "Lovelace", map[string]any{"groups": json.RawMessage("[" + vipJ + "," + goldJ + "]")})+`,`+
		obj(grace, "grace@navy.mil", "Grace", "Hopper", map[string]any{"groups": json.RawMessage("[" + goldJ + "]")})+`],"count":2,"offset":0,"limit":50}`)
	// With groups expanded, all of them.
	e.Do("GET", "/admin/customers?groups[]="+vip+"&expand=groups", nil).Expect(t, 200, `{"customers":[`+
		obj(ada, "ada@example.com", "Ada", "Lovelace", map[string]any{"groups": json.RawMessage("[" + vipJ + "," + goldJ + "]")})+`],"count":1,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/customers?expand=groups,shipping_addresses&limit=2", nil).Expect(t, 200, `{"customers":[`+
		obj(ada, "ada@example.com", "Ada", "Lovelace", map[string]any{"groups": json.RawMessage("[" + vipJ + "," + goldJ + "]"), "shipping_addresses": json.RawMessage("[]")})+`,`+
		obj(alan, "alan@example.com", "Alan", "Turing", map[string]any{"groups": json.RawMessage("[]"), "shipping_addresses": json.RawMessage("[]")})+
		`],"count":3,"offset":0,"limit":2}`)

	for _, tc := range []struct{ query, msg string }{
		{"fields=email", "property fields should not exist"},
		{"order=email", "property order should not exist"},
		{"limit=x&offset=y&foo=1&q[]=a", "property foo should not exist, limit must be a number conforming to the specified constraints, " +
			"offset must be a number conforming to the specified constraints, q must be a string"},
		{"expand=nope", "Relation nope not found"},
	} {
		e.Do("GET", "/admin/customers?"+tc.query, nil).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.msg+`"}`)
	}
}

// A page of customers costs the same statements whatever its size.
func TestCustomersListQueries(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	vip := createGroup(t, e, "VIP")
	var ids []map[string]string
	for i := 0; i < 4; i++ {
		ids = append(ids, map[string]string{"id": createCustomer(t, e, "c"+string(rune('a'+i))+"@example.com", "C", "D")})
	}
	e.Do("POST", "/admin/customer-groups/"+vip+"/customers/batch", map[string]any{"customer_ids": ids})
	for _, path := range []string{
		"/admin/customers?expand=groups,orders,shipping_addresses,billing_address&limit=",
		"/admin/customers?groups[]=" + vip + "&q=c&limit=",
		"/admin/customer-groups/" + vip + "/customers?expand=orders&limit=",
	} {
		e.Do("GET", path+"1", nil)
		one := e.Queries
		res := e.Do("GET", path+"50", nil)
		if res.Status != 200 || len(res.JSON(t)["customers"].([]any)) != 4 {
			t.Fatalf("%s: %d %s", path, res.Status, res.Body)
		}
		if e.Queries != one || one == 0 {
			t.Fatalf("%s: %d statements for 1, %d for 50", path, one, e.Queries)
		}
	}
}

func TestCustomersBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	id := createCustomer(t, e, "ada@example.com", "Ada", "Lovelace")
	vip := createGroup(t, e, "VIP")
	e.Do("POST", "/admin/customers/"+id, map[string]any{"groups": []map[string]string{{"id": vip}}})
	for _, tc := range []struct {
		body   any
		status int
		want   string
	}{
		{map[string]any{}, 400, `{"type":"invalid_data","message":"email must be an email, first_name must be a string, last_name must be a string, password must be a string"}`},
		{`{"foo":1,"email":5,"first_name":3,"last_name":null,"password":1,"phone":2,"metadata":"x","bar":2}`, 400,
			`{"type":"invalid_data","message":"property foo should not exist, property bar should not exist, email must be an email, first_name must be a string, last_name must be a string, password must be a string, phone must be a string, metadata must be an object"}`},
		{map[string]any{"email": "a@b", "first_name": "A", "last_name": "B", "password": "x"}, 400, `{"type":"invalid_data","message":"email must be an email"}`},
		{map[string]any{"email": "ADA@example.com", "first_name": "A", "last_name": "B", "password": "x"}, 422,
			`{"type":"duplicate_error","code":"invalid_request_error","message":"A customer with the given email already has an account. Log in instead"}`},
		{`[]`, 400, `{"type":"invalid_data","message":"request body must be a JSON object"}`},
	} {
		e.Do("POST", "/admin/customers", tc.body).Expect(t, tc.status, tc.want)
	}

	for _, tc := range []struct {
		path   string
		body   any
		status int
		want   string
	}{
		{"", `{"foo":1,"email":"x","first_name":1,"last_name":2,"password":3,"phone":4,"metadata":5,"groups":"x"}`, 400,
			`{"type":"invalid_data","message":"property foo should not exist, email must be an email, first_name must be a string, last_name must be a string, password must be a string, phone must be a string, metadata must be an object, groups must be an array, each value in nested property groups must be either object or array"}`},
		{"", `{"groups":[{"id":1},{"x":2}]}`, 400, `{"type":"invalid_data","message":"id must be a string, property x should not exist, id must be a string"}`},
		{"", `{"groups":[1]}`, 400, `{"type":"invalid_data","message":"each value in nested property groups must be either object or array"}`},
		{"", `{"groups":[null]}`, 400, `{"type":"invalid_data","message":"each value in nested property groups must be either object or array"}`},
		{"", `{"groups":{"id":3}}`, 400, `{"type":"invalid_data","message":"groups must be an array, id must be a string"}`},
		// A missing group refuses the whole update.
		{"", map[string]any{"first_name": "Changed", "groups": []map[string]string{{"id": "cgrp_nope"}}}, 404,
			`{"type":"not_found","message":"Customer_group with customer_group_id cgrp_nope does not exist."}`},
		{"?foo=1", map[string]any{"first_name": "Changed"}, 400, `{"type":"invalid_data","message":"property foo should not exist"}`},
		{"?expand=nope", map[string]any{"first_name": "Changed"}, 400, `{"type":"invalid_data","message":"Relation nope not found"}`},
	} {
		e.Do("POST", "/admin/customers/"+id+tc.path, tc.body).Expect(t, tc.status, tc.want)
	}
	// Medusa's words for a missing customer, oddities included.
	e.Do("POST", "/admin/customers/cus_nope", map[string]any{"first_name": "x"}).
		Expect(t, 404, `{"type":"not_found","message":"Customer with id,cus_nope: 0 was not found"}`)
	e.Do("GET", "/admin/customers/cus_nope", nil).Expect(t, 404, `{"type":"not_found","message":"Customer with id,cus_nope: 0 was not found"}`)
	e.Do("GET", "/admin/customers/"+id+"?foo=1", nil).Expect(t, 400, `{"type":"invalid_data","message":"property foo should not exist"}`)

	// Nothing changed: one customer, as created, still in its group.
	e.Do("GET", "/admin/customers?expand=groups", nil).Expect(t, 200, `{"customers":[`+customerObj(id, "ada@example.com",
		map[string]any{"groups": json.RawMessage("[" + groupObj(vip, "VIP", nil) + "]")})+`],"count":1,"offset":0,"limit":50}`)
	if got := customerEvents(t, e); len(got) != 2 {
		t.Fatalf("events %q", got)
	}
}

func TestCustomersUnauthenticated(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	id := createCustomer(t, e, "ada@example.com", "Ada", "Lovelace")
	for _, r := range []struct{ method, path string }{
		{"GET", "/admin/customers"}, {"POST", "/admin/customers"}, {"GET", "/admin/customers/" + id}, {"POST", "/admin/customers/" + id},
	} {
		e.DoAnon(r.method, r.path, map[string]any{"email": "x@y.zz", "first_name": "x", "last_name": "y", "password": "z"}).ExpectText(t, 401, "Unauthorized")
	}
	res := e.Do("GET", "/admin/customers", nil)
	if n := res.JSON(t)["count"]; n != float64(1) || strings.Contains(string(res.Body), "x@y.zz") {
		t.Fatalf("changed: %s", res.Body)
	}
}

// A customer's orders and addresses, as Medusa shows them (orders carry `object`, real tax rates
// read as the decimals they hold).
func TestCustomerOrdersAndAddresses(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	reg := createNordics(t, e)
	id := createCustomer(t, e, "ada@example.com", "Ada", "Lovelace")
	for _, q := range []string{
		`INSERT INTO "order" (id, display_id, customer_id, email, region_id, currency_code, tax_rate) VALUES ('order_1', 7, '` + id + `', 'ada@example.com', '` + reg + `', 'usd', 0.1)`,
		`INSERT INTO address (id, customer_id, first_name, address_1, city, country_code) VALUES ('addr_1', '` + id + `', 'Ada', 'Main St 1', 'Berlin', 'de')`,
		`UPDATE customer SET billing_address_id = 'addr_1' WHERE id = '` + id + `'`,
	} {
		if _, err := e.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	order := map[string]any{"object": "order", "id": "order_1", "status": "pending", "fulfillment_status": "not_fulfilled", "payment_status": "not_paid",
		"display_id": 7, "cart_id": nil, "customer_id": id, "email": "ada@example.com", "billing_address_id": nil, "shipping_address_id": nil,
		"region_id": reg, "currency_code": "usd", "tax_rate": 0.1, "draft_order_id": nil, "canceled_at": nil, "metadata": nil, "no_notification": nil,
		"idempotency_key": nil, "external_id": nil, "sales_channel_id": nil, "created_at": "$time", "updated_at": "$time"}
	if !salesChannelsOn { // Medusa's order has the column only with the flag on
		delete(order, "sales_channel_id")
	}
	addr := map[string]any{"id": "addr_1", "customer_id": id, "company": nil, "first_name": "Ada", "last_name": nil, "address_1": "Main St 1",
		"address_2": nil, "city": "Berlin", "country_code": "de", "province": nil, "postal_code": nil, "phone": nil, "created_at": "$time",
		"updated_at": "$time", "deleted_at": nil, "metadata": nil}
	res := e.Do("GET", "/admin/customers/"+id, nil)
	res.Expect(t, 200, `{"customer":`+customerObj(id, "ada@example.com", map[string]any{"billing_address_id": "addr_1",
		"orders": []any{order}, "shipping_addresses": []any{addr}})+`}`)
	res.MatchesSpec(t, "GET", "/admin/customers/"+id)
	withRegion := merged(order, map[string]any{"region": giftRegion(reg)})
	e.Do("GET", "/admin/customers/"+id+"?expand=billing_address,orders.region", nil).Expect(t, 200, `{"customer":`+
		customerObj(id, "ada@example.com", map[string]any{"billing_address_id": "addr_1", "billing_address": addr, "orders": []any{withRegion}})+`}`)
	e.Do("GET", "/admin/customers?expand=orders", nil).Expect(t, 200, `{"customers":[`+
		customerObj(id, "ada@example.com", map[string]any{"billing_address_id": "addr_1", "orders": []any{order}})+`],"count":1,"offset":0,"limit":50}`)
}

// A customer create is one statement (the insert and its event in one script) after the token;
// an email already taken (a guest's, here) costs the locking transaction after it.
func TestCustomerCreateRoundTrips(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("POST", "/admin/customers", map[string]any{"email": "Far@Example.com", "first_name": "F", "last_name": "L", "password": "pw"}).
		Expect(t, 201, `{"customer":`+customerObj("$id:cus", "far@example.com", map[string]any{"first_name": "F", "last_name": "L", "has_account": true})+`}`)
	if e.Queries != 2 {
		t.Errorf("customer create: %d statements, want 2 (token, script)", e.Queries)
	}
	if _, err := e.DB.Exec(`INSERT INTO customer (id, email, first_name, has_account) VALUES ('cus_guest', 'guest@example.com', 'G', false)`); err != nil {
		t.Fatal(err)
	}
	e.Do("POST", "/admin/customers", map[string]any{"email": "guest@example.com", "first_name": "N", "last_name": "L", "password": "pw"}).
		Expect(t, 201, `{"customer":`+customerObj("cus_guest", "guest@example.com", map[string]any{"first_name": "N", "last_name": "L", "has_account": true})+`}`)
	if e.Queries != 7 {
		t.Errorf("guest's account: %d statements, want 7 (token, script refused, BEGIN, lock, update, event, COMMIT)", e.Queries)
	}
	if got := customerEvents(t, e); len(got) != 2 || !strings.HasPrefix(got[0], "customer.created cus_") || got[1] != "customer.updated cus_guest" {
		t.Errorf("events %v", got)
	}
}

// Concurrent writes never end in a 500: one create per email wins, the others get Medusa's 422;
// overlapping batches leave each membership once.
func TestCustomersConcurrentWrites(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	vip := createGroup(t, e, "VIP")
	const n = 6
	statuses := make(chan int, n)
	var ids []map[string]string
	for i := 0; i < n; i++ {
		ids = append(ids, map[string]string{"id": createCustomer(t, e, "c"+string(rune('a'+i))+"@example.com", "C", "D")})
	}
	done := make(chan struct{})
	for i := 0; i < n; i++ {
		go func() {
			defer func() { done <- struct{}{} }()
			statuses <- concurrentPost(e, "/admin/customers", map[string]any{"email": "same@example.com", "first_name": "A", "last_name": "B", "password": "x"}).Code
			if res := concurrentPost(e, "/admin/customer-groups/"+vip+"/customers/batch", map[string]any{"customer_ids": ids}); res.Code != 200 {
				t.Errorf("batch: %d %s", res.Code, res.Body)
			}
		}()
	}
	for i := 0; i < n; i++ {
		<-done
	}
	close(statuses)
	created := 0
	for s := range statuses {
		switch s {
		case 201:
			created++
		case 422:
		default:
			t.Errorf("status %d", s)
		}
	}
	if created != 1 {
		t.Fatalf("%d creates won", created)
	}
	if got := groupMembers(t, e, vip); len(got) != n {
		t.Fatalf("members %v", got)
	}
}

// concurrentPost sends a request as the admin without touching the Env (whose Do records the
// statement count of the last request), so goroutines may call it together.
func concurrentPost(e *resttest.Env, path string, body any) *httptest.ResponseRecorder {
	raw, _ := json.Marshal(body)
	req := httptest.NewRequest("POST", path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+resttest.Token)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}
