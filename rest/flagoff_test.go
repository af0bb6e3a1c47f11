package rest_test

import (
	"encoding/json"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// Answers with the sales_channels flag off, whichever shape the suite runs on, checked against a
// second Medusa 1.3.8 started with MEDUSA_FF_SALES_CHANNELS=false on a database it migrated with
// the flag off, and on a copy of one migrated with the flag on: Medusa's entities then have no
// sales channel columns or relations, so the store, orders and products show none, even where
// the database has them.

// flagOffStore is GET /admin/store on a fresh database with the flag off.
const flagOffStore = `{"store":{"id":"$id:store","name":"Medusa Store","default_currency_code":"usd","swap_link_template":null,
	"payment_link_template":null,"invite_link_template":null,"created_at":"$time","updated_at":"$time","metadata":null,
	"currencies":[` + usdJSON + `],"default_currency":` + usdJSON + `,"feature_flags":[{"key":"sales_channels","value":false}],
	"payment_providers":[{"id":"manual","is_installed":true}],"fulfillment_providers":[{"id":"manual","is_installed":true}]}}`

// flagOffOrder is an order row as Medusa shows it with the flag off: no sales_channel_id.
func flagOffOrder(id, customer, region string, displayID int) map[string]any {
	return map[string]any{"object": "order", "id": id, "status": "pending", "fulfillment_status": "not_fulfilled",
		"payment_status": "not_paid", "display_id": displayID, "cart_id": nil, "customer_id": customer, "email": "ada@example.com",
		"billing_address_id": nil, "shipping_address_id": nil, "region_id": region, "currency_code": "usd", "tax_rate": 0.2,
		"draft_order_id": nil, "canceled_at": nil, "metadata": nil, "no_notification": nil, "idempotency_key": nil,
		"external_id": nil, "created_at": "$time", "updated_at": "$time"}
}

// flagOffProduct is a product created with only a title, with the default relations of the flag
// off (no sales_channels).
func flagOffProduct(id, title, handle string) ptJ {
	return ptProduct(ptJ{"id": id, "title": title, "handle": handle, "variants": []any{}, "images": []any{},
		"options": []any{}, "tags": []any{}, "type": nil, "collection": nil})
}

// flagOffCommon runs what answers alike on both shapes with the flag off: store, gift cards,
// customers and their orders, products with and without sales_channels, sales channel routes.
// orderSQL inserts an order ($1 customer, $2 region).
func flagOffCommon(t *testing.T, e *resttest.Env, orderSQL string) (product string) {
	t.Helper()
	res := e.Do("GET", "/admin/store", nil)
	res.Expect(t, 200, flagOffStore)
	res.MatchesSpec(t, "GET", "/admin/store")
	res = e.Do("POST", "/admin/store", map[string]any{"name": "Shop", "metadata": map[string]any{"a": 1}})
	res.Expect(t, 200, `{"store":{"id":"$id:store","name":"Shop","default_currency_code":"usd","swap_link_template":null,
		"payment_link_template":null,"invite_link_template":null,"created_at":"$time","updated_at":"$time","metadata":{"a":1},
		"currencies":[`+usdJSON+`]}}`)
	res.MatchesSpec(t, "POST", "/admin/store")
	e.Do("POST", "/admin/store", map[string]any{"default_sales_channel_id": "sc_1"}).
		Expect(t, 400, `{"type":"invalid_data","message":"property default_sales_channel_id should not exist"}`)

	// Gift cards and customers carry orders without sales_channel_id.
	reg := createNordics(t, e)
	cus := createCustomer(t, e, "ada@example.com", "Ada", "Lovelace")
	if _, err := e.DB.Exec(orderSQL, cus, reg); err != nil {
		t.Fatal(err)
	}
	gc, code := createGiftCard(t, e, reg, 300)
	if _, err := e.DB.Exec(`UPDATE gift_card SET order_id = 'order_1' WHERE id = ?`, gc); err != nil {
		t.Fatal(err)
	}
	order := flagOffOrder("order_1", cus, reg, 9001)
	res = e.Do("GET", "/admin/gift-cards", nil)
	res.Expect(t, 200, `{"gift_cards":[`+giftCardObj(gc, code, reg, map[string]any{"value": 300, "balance": 300,
		"order": order})+`],"count":1,"offset":0,"limit":50}`)
	res.MatchesSpec(t, "GET", "/admin/gift-cards")
	e.Do("GET", "/admin/gift-cards/"+gc, nil).Expect(t, 200, `{"gift_card":`+giftCardObj(gc, code, reg,
		map[string]any{"value": 300, "balance": 300, "order": order})+`}`)
	e.Do("GET", "/admin/customers/"+cus, nil).Expect(t, 200, `{"customer":`+customerObj(cus, "ada@example.com",
		map[string]any{"orders": []any{order}, "shipping_addresses": []any{}})+`}`)
	e.Do("GET", "/admin/customers?expand=orders", nil).Expect(t, 200, `{"customers":[`+customerObj(cus, "ada@example.com",
		map[string]any{"orders": []any{order}})+`],"count":1,"offset":0,"limit":50}`)

	// Products have no sales_channels relation: not among the default relations, not expandable
	// (Medusa answers both of these last two with a 500).
	res = e.Do("POST", "/admin/products", ptJ{"title": "Tee"})
	product = ptStr(res.JSON(t), "product.id")
	want := ptJSON(ptJ{"product": flagOffProduct(product, "Tee", "tee")})
	res.Expect(t, 200, want)
	res.MatchesSpec(t, "POST", "/admin/products")
	e.Do("GET", "/admin/products/"+product, nil).Expect(t, 200, want)
	e.Do("GET", "/admin/products", nil).Expect(t, 200, ptJSON(ptJ{"products": []any{flagOffProduct(product, "Tee", "tee")},
		"count": 1, "offset": 0, "limit": 50}))
	e.Do("POST", "/admin/products/"+product, ptJ{"title": "Tee 2"}).
		Expect(t, 200, ptJSON(ptJ{"product": flagOffProduct(product, "Tee 2", "tee")}))
	e.Do("GET", "/admin/products?sales_channel_id[]=sc_1", nil).
		Expect(t, 400, `{"type":"invalid_data","message":"property sales_channel_id should not exist"}`)
	e.Do("GET", "/admin/products?sales_channel_id=sc_1", nil).
		Expect(t, 400, `{"type":"invalid_data","message":"sales_channel_id must be an array"}`)
	e.Do("GET", "/admin/products?expand=sales_channels", nil).
		Expect(t, 400, `{"type":"invalid_data","message":"Relation sales_channels not found"}`)
	// The property does not exist, whatever it holds that Medusa's existence check lets through.
	for _, body := range []string{
		`{"title":"Cap","sales_channels":[]}`, `{"title":"Cap","sales_channels":null}`,
	} {
		e.Do("POST", "/admin/products", body).Expect(t, 400, `{"type":"invalid_data","message":"property sales_channels should not exist"}`)
		e.Do("POST", "/admin/products/"+product, body).Expect(t, 400, `{"type":"invalid_data","message":"property sales_channels should not exist"}`)
	}
	e.Do("POST", "/admin/products", ptJ{"title": "Cap", "zz": 1, "sales_channels": []ptJ{}, "subtitle": 1}).
		Expect(t, 400, `{"type":"invalid_data","message":"property zz should not exist, property sales_channels should not exist, subtitle must be a string"}`)

	// Medusa's isFeatureFlagEnabled: the routes answer a bare 404.
	e.Do("GET", "/admin/sales-channels", nil).ExpectText(t, 404, "Not Found")
	e.Do("POST", "/admin/sales-channels", map[string]any{"name": "x"}).ExpectText(t, 404, "Not Found")
	return product
}

const flagOffOrderSQL = `INSERT INTO "order" (id, display_id, customer_id, email, region_id, currency_code, tax_rate)
	VALUES ('order_1', 9001, ?, 'ada@example.com', ?, 'usd', 0.2)`

// On a database migrated with the flag off, no statement names a sales channel table or column.
func TestFlagOffDatabase(t *testing.T) {
	t.Parallel()
	e := resttest.NewSchema(t, dbtest.FlagOff)
	if e.Store.Schema().SalesChannels {
		t.Fatal("the flag-off template has sales channels")
	}
	product := flagOffCommon(t, e, flagOffOrderSQL)
	// Medusa's existence check would query the missing sales_channel table (and crash); the
	// property is refused instead.
	e.Do("POST", "/admin/products", ptJ{"title": "Cap", "sales_channels": []ptJ{{"id": "sc_nope"}}}).
		Expect(t, 400, `{"type":"invalid_data","message":"property sales_channels should not exist"}`)
	e.Do("POST", "/admin/products/"+product, ptJ{"sales_channels": "e"}).
		Expect(t, 400, `{"type":"invalid_data","message":"property sales_channels should not exist"}`)
}

// On a database migrated with the flag on and the flag switched off again, the sales channel
// columns are there but not shown, even when they hold ids, and Medusa's existence check of
// sales_channels runs before the property is refused.
func TestFlagOffOverFlagOnDatabase(t *testing.T) {
	t.Parallel()
	e := resttest.NewSchemaFlag(t, dbtest.FlagOn, false)
	if !e.Store.Schema().SalesChannels {
		t.Fatal("the flag-on template lacks sales channels")
	}
	for _, q := range []string{
		`INSERT INTO sales_channel (id, name) VALUES ('sc_01OLD0000000000000000000000', 'Old channel')`,
		`UPDATE store SET default_sales_channel_id = 'sc_01OLD0000000000000000000000'`,
	} {
		if _, err := e.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	product := flagOffCommon(t, e, `INSERT INTO "order" (id, display_id, customer_id, email, region_id, currency_code, tax_rate, sales_channel_id)
		VALUES ('order_1', 9001, ?, 'ada@example.com', ?, 'usd', 0.2, 'sc_01OLD0000000000000000000000')`)
	e.Do("POST", "/admin/products", ptJ{"title": "Cap", "sales_channels": []ptJ{{"id": "sc_nope"}, {"id": "sc_01OLD0000000000000000000000"}}}).
		Expect(t, 400, `{"type":"invalid_data","errors":["Sales Channels sc_nope do not exist"],"message":"Provided request body contains errors. Please check the data and retry the request"}`)
	e.Do("POST", "/admin/products", ptJ{"title": "Cap", "sales_channels": []ptJ{{"id": "sc_01OLD0000000000000000000000"}}}).
		Expect(t, 400, `{"type":"invalid_data","message":"property sales_channels should not exist"}`)
	e.Do("POST", "/admin/products/"+product, ptJ{"sales_channels": []ptJ{{"id": "sc_nope"}}}).
		Expect(t, 400, `{"type":"invalid_data","errors":["Sales Channels sc_nope do not exist"],"message":"Provided request body contains errors. Please check the data and retry the request"}`)
	// The flag off links no product to a channel, and touches none of the columns.
	var links int
	var def, orderChannel string
	if err := e.DB.QueryRow(`SELECT (SELECT count(*) FROM product_sales_channel), (SELECT default_sales_channel_id FROM store),
		(SELECT sales_channel_id FROM "order" WHERE id = 'order_1')`).Scan(&links, &def, &orderChannel); err != nil {
		t.Fatal(err)
	}
	if links != 0 || def != "sc_01OLD0000000000000000000000" || orderChannel != def {
		t.Fatalf("links=%d store default=%q order channel=%q", links, def, orderChannel)
	}
}

// The store's flag follows the database: with GORGON_TEST_SCHEMA=flagoff the suite's stores run
// with the flag off and read no sales channel column.
func TestSuiteSchema(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	if e.Store.Config.FeatureSalesChannels != salesChannelsOn || e.Store.Schema().SalesChannels != salesChannelsOn {
		t.Fatalf("flag %v, schema %+v, suite with sales channels %v", e.Store.Config.FeatureSalesChannels, e.Store.Schema(), salesChannelsOn)
	}
	res := e.Do("GET", "/admin/store", nil)
	var body struct {
		Store map[string]json.RawMessage `json:"store"`
	}
	if err := json.Unmarshal(res.Body, &body); err != nil {
		t.Fatal(err)
	}
	if _, ok := body.Store["default_sales_channel_id"]; ok != salesChannelsOn {
		t.Fatalf("default_sales_channel_id shown=%v with sales channels %v: %s", ok, salesChannelsOn, res.Body)
	}
}
