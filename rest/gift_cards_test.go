package rest_test

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

var giftCardCodeRe = regexp.MustCompile(`^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$`)

// giftRegion is the Nordics region of the region tests as a gift card carries it: with its
// providers (loaded eagerly by Medusa), without countries.
func giftRegion(id string) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal([]byte(regionObj(id, nil)), &m); err != nil {
		panic(err)
	}
	delete(m, "countries")
	b, _ := json.Marshal(m)
	return b
}

// giftCardObj is a gift card as the API shows it: Medusa's default fields (no order_id) and
// relations.
func giftCardObj(id, code, region string, over map[string]any) string {
	m := map[string]any{
		"id": id, "code": code, "value": 1000, "balance": 1000, "region_id": region, "is_disabled": false, "ends_at": nil,
		"created_at": "$time", "updated_at": "$time", "deleted_at": nil, "metadata": nil, "region": giftRegion(region), "order": nil,
	}
	for k, v := range over {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func createGiftCard(t *testing.T, e *resttest.Env, region string, value int) (id, code string) {
	t.Helper()
	res := e.Do("POST", "/admin/gift-cards", map[string]any{"region_id": region, "value": value})
	if res.Status != 200 {
		t.Fatalf("create gift card: %d %s", res.Status, res.Body)
	}
	g := res.JSON(t)["gift_card"].(map[string]any)
	return g["id"].(string), g["code"].(string)
}

func TestGiftCardsCRUD(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	reg, other := createNordics(t, e), createNordics(t, e)

	res := e.Do("POST", "/admin/gift-cards", map[string]any{"region_id": reg, "value": 1000})
	res.Expect(t, 200, `{"gift_card":`+giftCardObj("$id:gift", "$string", reg, nil)+`}`)
	res.MatchesSpec(t, "POST", "/admin/gift-cards")
	g := res.JSON(t)["gift_card"].(map[string]any)
	id, code := g["id"].(string), g["code"].(string)
	if !giftCardCodeRe.MatchString(code) {
		t.Fatalf("code %q is not in Medusa's format", code)
	}
	var events []string
	if err := e.DB.NewRaw(`SELECT name || ' ' || (data->>'id') FROM gorgon.event WHERE name LIKE 'gift_card.%'`).Scan(context.Background(), &events); err != nil ||
		len(events) != 1 || events[0] != "gift_card.created "+id {
		t.Fatalf("events %q %v", events, err)
	}

	res = e.Do("GET", "/admin/gift-cards/"+id, nil)
	res.Expect(t, 200, `{"gift_card":`+giftCardObj(id, code, reg, nil)+`}`)
	res.MatchesSpec(t, "GET", "/admin/gift-cards/"+id)
	// Medusa reads no query parameters here.
	e.Do("GET", "/admin/gift-cards/"+id+"?expand=x&fields=y", nil).Expect(t, 200, `{"gift_card":`+giftCardObj(id, code, reg, nil)+`}`)

	// All options at once; ends_at as epoch milliseconds too.
	res = e.Do("POST", "/admin/gift-cards", map[string]any{"region_id": reg, "value": 0, "ends_at": "2030-01-01T00:00:00Z", "is_disabled": true, "metadata": map[string]any{"m": 1}})
	res.Expect(t, 200, `{"gift_card":`+giftCardObj("$id:gift", "$string", reg, map[string]any{"value": 0, "balance": 0,
		"ends_at": "2030-01-01T00:00:00.000Z", "is_disabled": true, "metadata": map[string]any{"m": 1}})+`}`)
	res = e.Do("POST", "/admin/gift-cards", map[string]any{"region_id": reg, "value": 7, "ends_at": 1700000000000})
	res.Expect(t, 200, `{"gift_card":`+giftCardObj("$id:gift", "$string", reg, map[string]any{"value": 7, "balance": 7, "ends_at": "2023-11-14T22:13:20.000Z"})+`}`)

	// Update: balance within 0..value, a new region, ends_at (null clears), metadata merged.
	res = e.Do("POST", "/admin/gift-cards/"+id, map[string]any{"balance": 500, "region_id": other, "is_disabled": true, "ends_at": "2031-02-03",
		"metadata": map[string]any{"n": 2}})
	updated := map[string]any{"balance": 500, "is_disabled": true, "ends_at": "2031-02-03T00:00:00.000Z", "metadata": map[string]any{"n": 2}}
	res.Expect(t, 200, `{"gift_card":`+giftCardObj(id, code, other, updated)+`}`)
	res.MatchesSpec(t, "POST", "/admin/gift-cards/"+id)
	updated["ends_at"], updated["metadata"], updated["balance"] = nil, map[string]any{"n": 2, "o": 3}, 0
	e.Do("POST", "/admin/gift-cards/"+id, map[string]any{"ends_at": nil, "metadata": map[string]any{"o": 3}, "balance": 0, "is_disabled": nil}).
		Expect(t, 200, `{"gift_card":`+giftCardObj(id, code, other, updated)+`}`)
	e.Do("POST", "/admin/gift-cards/"+id, map[string]any{}).Expect(t, 200, `{"gift_card":`+giftCardObj(id, code, other, updated)+`}`)

	// Delete: soft, idempotent.
	res = e.Do("DELETE", "/admin/gift-cards/"+id, nil)
	res.Expect(t, 200, `{"id":"`+id+`","object":"gift-card","deleted":true}`)
	res.MatchesSpec(t, "DELETE", "/admin/gift-cards/"+id)
	e.Do("DELETE", "/admin/gift-cards/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"gift-card","deleted":true}`)
	e.Do("GET", "/admin/gift-cards/"+id, nil).Expect(t, 404, `{"type":"not_found","message":"Gift card with id,`+id+`: 0 was not found"}`)
	var deletedAt *string
	if err := e.DB.QueryRow(`SELECT deleted_at::text FROM gift_card WHERE id = ?`, id).Scan(&deletedAt); err != nil || deletedAt == nil {
		t.Fatalf("not soft-deleted: %v %v", deletedAt, err)
	}
}

func TestGiftCardsList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	reg := createNordics(t, e)
	a, aCode := createGiftCard(t, e, reg, 100)
	b, bCode := createGiftCard(t, e, reg, 200)
	c, cCode := createGiftCard(t, e, reg, 300)
	obj := func(id, code string, value int) string {
		return giftCardObj(id, code, reg, map[string]any{"value": value, "balance": value})
	}
	aJ, bJ, cJ := obj(a, aCode, 100), obj(b, bCode, 200), obj(c, cCode, 300)
	// The page holds the newest cards, listed oldest first (as Medusa returns them).
	res := e.Do("GET", "/admin/gift-cards", nil)
	res.Expect(t, 200, `{"gift_cards":[`+aJ+`,`+bJ+`,`+cJ+`],"count":3,"offset":0,"limit":50}`)
	res.MatchesSpec(t, "GET", "/admin/gift-cards")
	e.Do("GET", "/admin/gift-cards?limit=2", nil).Expect(t, 200, `{"gift_cards":[`+bJ+`,`+cJ+`],"count":3,"offset":0,"limit":2}`)
	e.Do("GET", "/admin/gift-cards?limit=1&offset=1", nil).Expect(t, 200, `{"gift_cards":[`+bJ+`],"count":3,"offset":1,"limit":1}`)

	// q: the code, or the display id of the order that bought the card; its answer carries
	// order_id (Medusa then reads every column).
	cus := createCustomer(t, e, "x@example.com", "X", "Y")
	if _, err := e.DB.Exec(`INSERT INTO "order" (id, display_id, customer_id, email, region_id, currency_code, tax_rate)
		VALUES ('order_1', 9001, ?, 'x@example.com', ?, 'usd', 0.2)`, cus, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.Exec(`UPDATE gift_card SET order_id = 'order_1' WHERE id = ?`, c); err != nil {
		t.Fatal(err)
	}
	withOrder := func(v map[string]any) map[string]any {
		m := map[string]any{"value": 300, "balance": 300, "order": map[string]any{"object": "order", "id": "order_1", "status": "pending",
			"fulfillment_status": "not_fulfilled", "payment_status": "not_paid", "display_id": 9001, "cart_id": nil, "customer_id": cus,
			"email": "x@example.com", "billing_address_id": nil, "shipping_address_id": nil, "region_id": reg, "currency_code": "usd",
			"tax_rate": 0.2, "draft_order_id": nil, "canceled_at": nil, "metadata": nil, "no_notification": nil, "idempotency_key": nil,
			"external_id": nil, "sales_channel_id": nil, "created_at": "$time", "updated_at": "$time"}}
		if !salesChannelsOn { // Medusa's order has the column only with the flag on
			delete(m["order"].(map[string]any), "sales_channel_id")
		}
		for k, x := range v {
			m[k] = x
		}
		return m
	}
	cJ = giftCardObj(c, cCode, reg, withOrder(nil))
	e.Do("GET", "/admin/gift-cards/"+c, nil).Expect(t, 200, `{"gift_card":`+cJ+`}`)
	e.Do("GET", "/admin/gift-cards?q=9001", nil).Expect(t, 200, `{"gift_cards":[`+giftCardObj(c, cCode, reg, withOrder(map[string]any{"order_id": "order_1"}))+
		`],"count":1,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/gift-cards?q=900", nil).Expect(t, 200, `{"gift_cards":[],"count":0,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/gift-cards?q="+aCode[5:9], nil).Expect(t, 200, `{"gift_cards":[`+
		giftCardObj(a, aCode, reg, map[string]any{"value": 100, "balance": 100, "order_id": nil})+`],"count":1,"offset":0,"limit":50}`)

	for _, tc := range []struct{ query, msg string }{
		{"expand=region&foo=1&limit=x", "property expand should not exist, property foo should not exist, limit must be an integer number"},
		{"q=a&q=b", "q must be a string"},
		{"offset=1.5", "offset must be an integer number"},
	} {
		e.Do("GET", "/admin/gift-cards?"+tc.query, nil).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.msg+`"}`)
	}

	// A page costs the same statements whatever its size.
	e.Do("GET", "/admin/gift-cards?limit=1", nil)
	one := e.Queries
	e.Do("GET", "/admin/gift-cards?limit=50", nil)
	if e.Queries != one {
		t.Fatalf("%d statements for 1, %d for 50", one, e.Queries)
	}
	e.Do("GET", "/admin/gift-cards?q=-&limit=1", nil)
	one = e.Queries
	e.Do("GET", "/admin/gift-cards?q=-&limit=50", nil)
	if e.Queries != one {
		t.Fatalf("q: %d statements for 1, %d for 50", one, e.Queries)
	}
}

func TestGiftCardsBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	reg := createNordics(t, e)
	id, code := createGiftCard(t, e, reg, 1000)
	for _, tc := range []struct {
		body   any
		status int
		want   string
	}{
		{map[string]any{}, 400, `{"type":"invalid_data","message":"region_id must be a string"}`},
		// Medusa fails without a value (a 500) and takes a negative one.
		{map[string]any{"region_id": reg}, 400, `{"type":"invalid_data","message":"value must be an integer number"}`},
		{map[string]any{"region_id": reg, "value": -5}, 400, `{"type":"invalid_data","message":"value must not be less than 0"}`},
		{`{"foo":1,"value":1.5,"ends_at":"x","is_disabled":"y","region_id":3,"metadata":5,"code":"abc"}`, 400,
			`{"type":"invalid_data","message":"property foo should not exist, property code should not exist, value must be an integer number, ends_at must be a Date instance, is_disabled must be a boolean value, region_id must be a string, metadata must be an object"}`},
		{map[string]any{"region_id": "reg_nope", "value": 5}, 404, `{"type":"not_found","message":"Region with reg_nope was not found"}`},
	} {
		e.Do("POST", "/admin/gift-cards", tc.body).Expect(t, tc.status, tc.want)
	}
	for _, tc := range []struct {
		body   any
		status int
		want   string
	}{
		{`{"foo":1,"balance":"x","is_disabled":1,"ends_at":"z","region_id":5,"metadata":[],"value":3}`, 400,
			`{"type":"invalid_data","message":"property foo should not exist, property value should not exist, balance must be an integer number, is_disabled must be a boolean value, ends_at must be a Date instance, region_id must be a string, metadata must be an object"}`},
		// Medusa's check and words, a 400 rather than its 500; nothing else is applied.
		{map[string]any{"balance": 1001, "is_disabled": true}, 400, `{"type":"invalid_data","message":"new balance is invalid"}`},
		{map[string]any{"balance": -1}, 400, `{"type":"invalid_data","message":"new balance is invalid"}`},
		{map[string]any{"region_id": "reg_nope", "balance": 5}, 404, `{"type":"not_found","message":"Region with reg_nope was not found"}`},
	} {
		e.Do("POST", "/admin/gift-cards/"+id, tc.body).Expect(t, tc.status, tc.want)
	}
	e.Do("POST", "/admin/gift-cards/gift_nope", map[string]any{"balance": 1}).
		Expect(t, 404, `{"type":"not_found","message":"Gift card with id,gift_nope: 0 was not found"}`)
	e.Do("GET", "/admin/gift-cards/gift_nope", nil).Expect(t, 404, `{"type":"not_found","message":"Gift card with id,gift_nope: 0 was not found"}`)
	e.Do("DELETE", "/admin/gift-cards/gift_nope", nil).Expect(t, 200, `{"id":"gift_nope","object":"gift-card","deleted":true}`)

	// Nothing changed.
	e.Do("GET", "/admin/gift-cards", nil).Expect(t, 200, `{"gift_cards":[`+giftCardObj(id, code, reg, nil)+`],"count":1,"offset":0,"limit":50}`)
}

func TestGiftCardsUnauthenticated(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	reg := createNordics(t, e)
	id, code := createGiftCard(t, e, reg, 1000)
	for _, r := range []struct{ method, path string }{
		{"GET", "/admin/gift-cards"}, {"POST", "/admin/gift-cards"}, {"GET", "/admin/gift-cards/" + id},
		{"POST", "/admin/gift-cards/" + id}, {"DELETE", "/admin/gift-cards/" + id},
	} {
		e.DoAnon(r.method, r.path, map[string]any{"region_id": reg, "value": 5, "balance": 1}).ExpectText(t, 401, "Unauthorized")
	}
	e.Do("GET", "/admin/gift-cards", nil).Expect(t, 200, `{"gift_cards":[`+giftCardObj(id, code, reg, nil)+`],"count":1,"offset":0,"limit":50}`)
}

// A gift card's region carries its providers even when it has none: [] (Medusa's Region loads
// them eagerly), on create, get, update and list.
func TestGiftCardsRegionWithoutProviders(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/regions", map[string]any{"name": "Bare", "currency_code": "usd", "tax_rate": 0,
		"payment_providers": []string{}, "fulfillment_providers": []string{}, "countries": []string{"us"}})
	if res.Status != 200 {
		t.Fatalf("create region: %d %s", res.Status, res.Body)
	}
	reg := res.JSON(t)["region"].(map[string]any)["id"].(string)
	id, code := createGiftCard(t, e, reg, 1000)
	want := func(over map[string]any) string {
		m := map[string]any{
			"id": id, "code": code, "value": 1000, "balance": 1000, "region_id": reg, "is_disabled": false, "ends_at": nil,
			"created_at": "$time", "updated_at": "$time", "deleted_at": nil, "metadata": nil, "order": nil,
			"region": map[string]any{"id": reg, "name": "Bare", "currency_code": "usd", "tax_rate": 0, "tax_code": nil,
				"gift_cards_taxable": true, "automatic_taxes": true, "tax_provider_id": nil, "metadata": nil,
				"created_at": "$time", "updated_at": "$time", "deleted_at": nil,
				"payment_providers": []any{}, "fulfillment_providers": []any{}},
		}
		for k, v := range over {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	e.Do("GET", "/admin/gift-cards/"+id, nil).Expect(t, 200, `{"gift_card":`+want(nil)+`}`)
	e.Do("POST", "/admin/gift-cards/"+id, map[string]any{"balance": 500}).Expect(t, 200, `{"gift_card":`+want(map[string]any{"balance": 500})+`}`)
	e.Do("GET", "/admin/gift-cards", nil).Expect(t, 200, `{"gift_cards":[`+want(map[string]any{"balance": 500})+`],"count":1,"offset":0,"limit":50}`)
}
