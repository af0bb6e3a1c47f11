package graph_test

import (
	"encoding/json"
	"os"
	"testing"
)

// medusaDraftOrder is the draft order Medusa answered to GET /admin/draft-orders/:id on the
// shop ordertest loads (rest/testdata/orders/medusa/draft_get.json).
func medusaDraftOrder(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("../rest/testdata/orders/medusa/draft_get.json")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Body struct {
			DraftOrder map[string]any `json:"draft_order"`
		} `json:"body"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	return a.Body.DraftOrder
}

const draftOrderFields = `id status displayId cartId orderId canceledAt noNotificationOrder order { id } metadata
	cart { id email type regionId customerId items { id title quantity unitPrice adjustments { amount } }
		totals { subtotal taxTotal shippingTotal discountTotal giftCardTotal giftCardTaxTotal total } }`

// expectedDraftOrder is draftOrderFields of Medusa's answer, in GraphQL's names.
func expectedDraftOrder(d map[string]any) map[string]any {
	pick := func(m map[string]any, keys ...string) map[string]any {
		out := map[string]any{}
		for _, k := range keys {
			out[snakeToCamel(k)] = m[k]
		}
		return out
	}
	out := pick(d, "id", "status", "display_id", "cart_id", "order_id", "canceled_at", "no_notification_order", "order", "metadata")
	c := d["cart"].(map[string]any)
	cart := pick(c, "id", "email", "type", "region_id", "customer_id")
	items := []any{}
	for _, it := range c["items"].([]any) {
		it := it.(map[string]any)
		m := pick(it, "id", "title", "quantity", "unit_price")
		adj := []any{}
		for _, a := range it["adjustments"].([]any) {
			adj = append(adj, pick(a.(map[string]any), "amount"))
		}
		m["adjustments"] = adj
		items = append(items, m)
	}
	cart["items"] = items
	cart["totals"] = pick(c, "subtotal", "tax_total", "shipping_total", "discount_total", "gift_card_total", "gift_card_tax_total", "total")
	out["cart"] = cart
	return out
}

func TestDraftOrdersGraphQLAsMedusa(t *testing.T) {
	t.Parallel()
	e := ordersEnv(t)
	d := medusaDraftOrder(t)
	want, _ := json.Marshal(map[string]any{"data": map[string]any{"draftOrder": expectedDraftOrder(d)}})
	gql(e, `query($id: ID!) { draftOrder(id: $id) { `+draftOrderFields+` } }`, map[string]any{"id": d["id"]}).Expect(t, 200, string(want))
	want, _ = json.Marshal(map[string]any{"data": map[string]any{"node": expectedDraftOrder(d)}})
	gql(e, `query($id: ID!) { node(id: $id) { ... on DraftOrder { `+draftOrderFields+` } } }`, map[string]any{"id": d["id"]}).Expect(t, 200, string(want))
	gql(e, `{ draftOrder(id: "dorder_missing") { id } }`, nil).Expect(t, 200, `{"data":{"draftOrder":null}}`)

	// The list: the same draft order, by the cart's email or the display id.
	want, _ = json.Marshal(map[string]any{"data": map[string]any{
		"all":     map[string]any{"totalCount": 1, "nodes": []any{expectedDraftOrder(d)}},
		"byEmail": map[string]any{"totalCount": 1, "nodes": []any{map[string]any{"id": d["id"]}}},
		"byId":    map[string]any{"totalCount": 1, "nodes": []any{map[string]any{"id": d["id"]}}},
		"none":    map[string]any{"totalCount": 0, "nodes": []any{}},
		"page":    map[string]any{"totalCount": 1, "nodes": []any{}, "pageInfo": map[string]any{"hasNextPage": true}},
	}})
	gql(e, `{ all: draftOrders { totalCount nodes { `+draftOrderFields+` } }
		byEmail: draftOrders(q: "TOTALS-DRAFT") { totalCount nodes { id } }
		byId: draftOrders(q: "2") { totalCount nodes { id } }
		none: draftOrders(q: "nobody") { totalCount nodes { id } }
		page: draftOrders(first: 0) { totalCount nodes { id } pageInfo { hasNextPage } } }`, nil).Expect(t, 200, string(want))
	e.DoAnon("POST", "/graphql", map[string]any{"query": `{ draftOrders { totalCount } }`}).Expect(t, 401, unauthenticated)
}

func TestDraftOrdersGraphQLDelete(t *testing.T) {
	t.Parallel()
	e := ordersEnv(t)
	const del = `mutation($id: ID!) { deleteDraftOrder(id: $id) { deletedId userErrors { message } } }`
	gql(e, del, map[string]any{"id": "dorder_01M98FH4NTV9AJK5S1ZMBKQDPR"}).
		Expect(t, 200, `{"data":{"deleteDraftOrder":{"deletedId":"dorder_01M98FH4NTV9AJK5S1ZMBKQDPR","userErrors":[]}}}`)
	gql(e, `{ draftOrder(id: "dorder_01M98FH4NTV9AJK5S1ZMBKQDPR") { id } draftOrders { totalCount } }`, nil).
		Expect(t, 200, `{"data":{"draftOrder":null,"draftOrders":{"totalCount":0}}}`)
	// An unknown id deletes nothing, as in REST.
	gql(e, del, map[string]any{"id": "dorder_missing"}).
		Expect(t, 200, `{"data":{"deleteDraftOrder":{"deletedId":"dorder_missing","userErrors":[]}}}`)
	e.DoAnon("POST", "/graphql", map[string]any{"query": `mutation { deleteDraftOrder(id: "x") { deletedId } }`}).Expect(t, 401, unauthenticated)
}

func TestDraftOrdersGraphQLDeleteLineItem(t *testing.T) {
	t.Parallel()
	e := ordersEnv(t)
	const del = `mutation($id: ID!, $line: ID!) { deleteDraftOrderLineItem(id: $id, lineId: $line) {
		draftOrder { id cart { items { id adjustments { amount } } totals { subtotal discountTotal total } } } userErrors { code message } } }`
	// Medusa's answer after this deletion: rest/testdata/orders/medusa/draft_delete_line.json.
	gql(e, del, map[string]any{"id": "dorder_01M98FH4NTV9AJK5S1ZMBKQDPR", "line": "item_01M98FH4YA8HRW792BY7YM1TTF"}).
		Expect(t, 200, `{"data":{"deleteDraftOrderLineItem":{"draftOrder":{"id":"dorder_01M98FH4NTV9AJK5S1ZMBKQDPR","cart":{
			"items":[{"id":"item_01M98FH4SNFSPAXE5WM0YT2FNZ","adjustments":[{"amount":600}]},{"id":"item_01M98FH52420AN77M9Q9QGDWMK","adjustments":[{"amount":188}]}],
			"totals":{"subtotal":5248,"discountTotal":788,"total":6072}}},"userErrors":[]}}}`)
	gql(e, del, map[string]any{"id": "dorder_missing", "line": "item_01M98FH4YA8HRW792BY7YM1TTF"}).
		Expect(t, 200, `{"data":{"deleteDraftOrderLineItem":{"draftOrder":null,"userErrors":[{"code":"NOT_FOUND","message":"Draft order with dorder_missing was not found"}]}}}`)
	e.DoAnon("POST", "/graphql", map[string]any{"query": `mutation { deleteDraftOrderLineItem(id: "x", lineId: "y") { userErrors { code } } }`}).Expect(t, 401, unauthenticated)
}

func TestDraftOrdersGraphQLUpdateLineItem(t *testing.T) {
	t.Parallel()
	e := ordersEnv(t)
	const upd = `mutation($id: ID!, $line: ID!, $in: DraftOrderLineItemInput!) { updateDraftOrderLineItem(id: $id, lineId: $line, input: $in) {
		draftOrder { id cart { items { id title quantity unitPrice metadata adjustments { amount } } totals { subtotal discountTotal total } } }
		userErrors { code message } } }`
	// Medusa's answer to the same change: rest/testdata/orders/medusa/draft_update_line.json.
	gql(e, upd, map[string]any{"id": "dorder_01M98FH4NTV9AJK5S1ZMBKQDPR", "line": "item_01M98FH4YA8HRW792BY7YM1TTF",
		"in": map[string]any{"quantity": 5, "unitPrice": 400, "title": "Renamed", "metadata": map[string]any{"a": 1}}}).
		Expect(t, 200, `{"data":{"updateDraftOrderLineItem":{"draftOrder":{"id":"dorder_01M98FH4NTV9AJK5S1ZMBKQDPR","cart":{"items":[
			{"id":"item_01M98FH4SNFSPAXE5WM0YT2FNZ","title":"Totals A 654703","quantity":2,"unitPrice":1999,"metadata":{},"adjustments":[{"amount":600}]},
			{"id":"item_01M98FH4YA8HRW792BY7YM1TTF","title":"Renamed","quantity":5,"unitPrice":400,"metadata":{"a":1},"adjustments":[{"amount":300}]},
			{"id":"item_01M98FH52420AN77M9Q9QGDWMK","title":"Totals C 654703","quantity":1,"unitPrice":1250,"metadata":{},"adjustments":[{"amount":188}]}],
			"totals":{"subtotal":7248,"discountTotal":1088,"total":8112}}},"userErrors":[]}}}`)
	gql(e, upd, map[string]any{"id": "dorder_01M98FH4NTV9AJK5S1ZMBKQDPR", "line": "item_missing", "in": map[string]any{"quantity": 5}}).
		Expect(t, 200, `{"data":{"updateDraftOrderLineItem":{"draftOrder":null,"userErrors":[{"code":"INVALID_DATA","message":"Could not find the line item"}]}}}`)
}
