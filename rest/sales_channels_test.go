package rest_test

import (
	"fmt"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

func salesChannelJSON(id, name, description string, disabled bool) string {
	return fmt.Sprintf(`{"id":%q,"created_at":"$time","updated_at":"$time","deleted_at":null,"name":%q,"description":%s,"is_disabled":%t}`,
		id, name, description, disabled)
}

func defaultSalesChannel(t *testing.T, e *resttest.Env) string {
	t.Helper()
	var id string
	if err := e.DB.QueryRow(`SELECT default_sales_channel_id FROM store`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSalesChannelsCRUD(t *testing.T) {
	t.Parallel()
	resttest.NeedSalesChannels(t)
	e := resttest.New(t)
	def := defaultSalesChannel(t, e)
	defJSON := salesChannelJSON(def, "Default Sales Channel", `"Created by Medusa"`, false)

	res := e.Do("POST", "/admin/sales-channels", map[string]any{"name": "Web"})
	res.Expect(t, 200, `{"sales_channel":`+salesChannelJSON("$id:sc", "Web", "null", false)+`}`)
	id := res.JSON(t)["sales_channel"].(map[string]any)["id"].(string)
	e.Do("GET", "/admin/sales-channels/"+id, nil).Expect(t, 200, `{"sales_channel":`+salesChannelJSON(id, "Web", "null", false)+`}`)
	e.Do("POST", "/admin/sales-channels/"+id, map[string]any{"name": "Web shop", "description": "d", "is_disabled": true}).
		Expect(t, 200, `{"sales_channel":`+salesChannelJSON(id, "Web shop", `"d"`, true)+`}`)
	e.Do("POST", "/admin/sales-channels/"+id, map[string]any{"description": nil}).
		Expect(t, 200, `{"sales_channel":`+salesChannelJSON(id, "Web shop", "null", true)+`}`)

	e.Do("GET", "/admin/sales-channels", nil).Expect(t, 200,
		`{"sales_channels":[`+salesChannelJSON(id, "Web shop", "null", true)+`,`+defJSON+`],"count":2,"offset":0,"limit":20}`)
	e.Do("GET", "/admin/sales-channels?q=medusa", nil).Expect(t, 200, `{"sales_channels":[`+defJSON+`],"count":1,"offset":0,"limit":20}`)
	e.Do("GET", "/admin/sales-channels?order=name&limit=1&offset=1", nil).Expect(t, 200,
		`{"sales_channels":[`+salesChannelJSON(id, "Web shop", "null", true)+`],"count":2,"offset":1,"limit":1}`)
	e.Do("GET", "/admin/sales-channels?fields=name&name=Web%20shop&created_at[lt]=2100-01-01", nil).Expect(t, 200,
		`{"sales_channels":[{"id":"`+id+`","created_at":"$time","name":"Web shop"}],"count":1,"offset":0,"limit":20}`)
	e.Do("GET", "/admin/sales-channels?id="+def+"&description=Created%20by%20Medusa", nil).Expect(t, 200,
		`{"sales_channels":[`+defJSON+`],"count":1,"offset":0,"limit":20}`)

	e.Do("DELETE", "/admin/sales-channels/"+def, nil).
		Expect(t, 400, `{"type":"not_allowed","message":"You cannot delete the default sales channel"}`)
	e.Do("DELETE", "/admin/sales-channels/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"sales-channel","deleted":true}`)
	// Deleting again, or a channel that never existed, is fine, as in Medusa.
	e.Do("DELETE", "/admin/sales-channels/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"sales-channel","deleted":true}`)
	e.Do("GET", "/admin/sales-channels/"+id, nil).
		Expect(t, 404, `{"type":"not_found","message":"Sales channel with id,`+id+`: 0 was not found"}`)
	e.Do("GET", "/admin/sales-channels?deleted_at[gt]=2000-01-01", nil).Expect(t, 200,
		`{"sales_channels":[{"id":"`+id+`","created_at":"$time","updated_at":"$time","deleted_at":"$time","name":"Web shop","description":null,"is_disabled":true}],"count":1,"offset":0,"limit":20}`)

	var events []string
	rows, err := e.DB.Query(`SELECT name FROM gorgon.event WHERE name LIKE 'sales_channel.%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		events = append(events, n)
	}
	if fmt.Sprint(events) != "[sales_channel.created sales_channel.updated sales_channel.updated sales_channel.deleted]" {
		t.Fatalf("events: %v", events)
	}

	// The statement count does not depend on the page size.
	for i := 0; i < 4; i++ {
		e.Do("POST", "/admin/sales-channels", map[string]any{"name": fmt.Sprint("C", i)})
	}
	e.Do("GET", "/admin/sales-channels?limit=1", nil)
	one := e.Queries
	e.Do("GET", "/admin/sales-channels?limit=50", nil)
	if e.Queries != one || one == 0 {
		t.Fatalf("statements: limit=1 %d, limit=50 %d", one, e.Queries)
	}
}

func TestSalesChannelsBadInput(t *testing.T) {
	t.Parallel()
	resttest.NeedSalesChannels(t)
	e := resttest.New(t)
	def := defaultSalesChannel(t, e)
	e.Do("POST", "/admin/sales-channels", map[string]any{}).Expect(t, 400, `{"type":"invalid_data","message":"name must be a string"}`)
	e.Do("POST", "/admin/sales-channels", map[string]any{"name": 5, "description": 6, "is_disabled": "x", "foo": 1}).
		Expect(t, 400, `{"type":"invalid_data","message":"property foo should not exist, name must be a string, description must be a string, is_disabled must be a boolean value"}`)
	// Medusa lets nulls through to NOT NULL columns (a 500).
	e.Do("POST", "/admin/sales-channels/"+def, map[string]any{"name": nil, "is_disabled": nil}).
		Expect(t, 400, `{"type":"invalid_data","message":"name must be a string, is_disabled must be a boolean value"}`)
	e.Do("POST", "/admin/sales-channels/"+def, map[string]any{"x": 1, "name": 1}).
		Expect(t, 400, `{"type":"invalid_data","message":"property x should not exist, name must be a string"}`)
	e.Do("POST", "/admin/sales-channels/sc_missing", map[string]any{"name": "x"}).
		Expect(t, 404, `{"type":"not_found","message":"Sales channel with id,sc_missing: 0 was not found"}`)
	e.Do("GET", "/admin/sales-channels?limit=a&offset=b&id[]=1&q[]=a&foo=1", nil).Expect(t, 400,
		`{"type":"invalid_data","message":"property foo should not exist, id must be a string, q must be a string, offset must be a number conforming to the specified constraints, limit must be a number conforming to the specified constraints"}`)
	e.Do("GET", "/admin/sales-channels?order=foo", nil).Expect(t, 400, `{"type":"invalid_data","message":"Order field foo is not valid"}`)
	e.Do("GET", "/admin/sales-channels/"+def, nil).
		Expect(t, 200, `{"sales_channel":`+salesChannelJSON(def, "Default Sales Channel", `"Created by Medusa"`, false)+`}`)

	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/sales-channels"}, {"POST", "/admin/sales-channels"}, {"GET", "/admin/sales-channels/" + def},
		{"POST", "/admin/sales-channels/" + def}, {"DELETE", "/admin/sales-channels/" + def},
		{"POST", "/admin/sales-channels/" + def + "/products/batch"}, {"DELETE", "/admin/sales-channels/" + def + "/products/batch"},
	} {
		e.DoAnon(c.method, c.path, map[string]any{}).ExpectText(t, 401, "Unauthorized")
	}
}

// With the flag off every sales channel route is a bare 404, even for a channel a database that
// had the flag on holds.
func TestSalesChannelsFeatureOff(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	def := "sc_01NONE000000000000000000000"
	if salesChannelsOn {
		def = defaultSalesChannel(t, e)
		e.Store.Config.FeatureSalesChannels = false
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/sales-channels"}, {"POST", "/admin/sales-channels"}, {"GET", "/admin/sales-channels/" + def},
		{"POST", "/admin/sales-channels/" + def}, {"DELETE", "/admin/sales-channels/" + def},
		{"POST", "/admin/sales-channels/" + def + "/products/batch"}, {"DELETE", "/admin/sales-channels/" + def + "/products/batch"},
		{"GET", "/admin/sales-channels/" + def + "/nope"},
	} {
		// Medusa's isFeatureFlagEnabled: res.sendStatus(404), after authentication.
		e.Do(c.method, c.path, map[string]any{"name": "x"}).ExpectText(t, 404, "Not Found")
		e.DoAnon(c.method, c.path, nil).ExpectText(t, 401, "Unauthorized")
	}
}

func TestSalesChannelProductsBatch(t *testing.T) {
	t.Parallel()
	resttest.NeedSalesChannels(t)
	e := resttest.New(t)
	res := e.Do("POST", "/admin/sales-channels", map[string]any{"name": "Web", "description": "shop"})
	id := res.JSON(t)["sales_channel"].(map[string]any)["id"].(string)
	scJSON := `{"sales_channel":` + salesChannelJSON(id, "Web", `"shop"`, false) + `}`
	p1, p2, p3 := catProduct(t, e, "Tee"), catProduct(t, e, "Socks"), catProduct(t, e, "Cap")
	links := func() string {
		var out []string
		rows, err := e.DB.Query(`SELECT product_id FROM product_sales_channel WHERE sales_channel_id = ? ORDER BY product_id`, id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var p string
			_ = rows.Scan(&p)
			out = append(out, p)
		}
		return fmt.Sprint(out)
	}
	sorted := func(ids ...string) string {
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				if ids[j] < ids[i] {
					ids[i], ids[j] = ids[j], ids[i]
				}
			}
		}
		return fmt.Sprint(ids)
	}

	path := "/admin/sales-channels/" + id + "/products/batch"
	e.Do("POST", path, map[string]any{"product_ids": []map[string]string{{"id": p1}, {"id": p2}, {"id": p1}}}).Expect(t, 200, scJSON)
	e.Do("POST", path, map[string]any{"product_ids": []map[string]string{{"id": p2}, {"id": p3}}}).Expect(t, 200, scJSON)
	if got := links(); got != sorted(p1, p2, p3) {
		t.Fatalf("links %s", got)
	}
	e.Do("DELETE", path, map[string]any{"product_ids": []map[string]string{{"id": p1}, {"id": "prod_missing"}}}).Expect(t, 200, scJSON)
	if got := links(); got != sorted(p2, p3) {
		t.Fatalf("links %s", got)
	}

	// One unknown product refuses the whole batch, in Medusa's "multiple errors" form.
	e.Do("POST", path, map[string]any{"product_ids": []map[string]string{{"id": p1}, {"id": "prod_nope"}, {"id": "prod_nope2"}}}).
		Expect(t, 400, `{"type":"invalid_data","errors":["Products prod_nope, prod_nope2 do not exist"],"message":"Provided request body contains errors. Please check the data and retry the request"}`)
	e.Do("POST", "/admin/sales-channels/sc_missing/products/batch", map[string]any{"product_ids": []map[string]string{{"id": p1}}}).
		Expect(t, 404, `{"type":"not_found","message":"Sales channel with id,sc_missing: 0 was not found"}`)
	e.Do("DELETE", "/admin/sales-channels/sc_missing/products/batch", map[string]any{"product_ids": []map[string]string{{"id": p2}}}).
		Expect(t, 404, `{"type":"not_found","message":"Sales channel with id,sc_missing: 0 was not found"}`)
	for _, m := range []string{"POST", "DELETE"} {
		e.Do(m, path, map[string]any{}).Expect(t, 400, `{"type":"invalid_data","message":"product_ids must be an array"}`)
		e.Do(m, path, map[string]any{"product_ids": "x"}).Expect(t, 400,
			`{"type":"invalid_data","message":"product_ids must be an array, each value in nested property product_ids must be either object or array"}`)
		e.Do(m, path, map[string]any{"product_ids": []any{"x", nil}}).Expect(t, 400,
			`{"type":"invalid_data","message":"each value in nested property product_ids must be either object or array, each value in nested property product_ids must be either object or array"}`)
		e.Do(m, path, map[string]any{"z": 1, "product_ids": []any{map[string]any{"id": 1, "y": 2}, map[string]any{}}}).Expect(t, 400,
			`{"type":"invalid_data","message":"property z should not exist, property y should not exist, id must be a string, id must be a string"}`)
		e.Do(m, path, `{"product_ids":[{"zz":1,"id":1,"aa":2}]}`).Expect(t, 400,
			`{"type":"invalid_data","message":"property zz should not exist, property aa should not exist, id must be a string"}`)
		e.Do(m, path, map[string]any{"product_ids": []any{}}).Expect(t, 200, scJSON)
	}
	if got := links(); got != sorted(p2, p3) {
		t.Fatalf("refused batches changed links: %s", got)
	}
}
