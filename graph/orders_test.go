package graph_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/ordertest"
)

// medusaOrder is the order Medusa answered to GET /admin/orders/:id on the shop ordertest loads
// (rest/testdata/orders/medusa).
func medusaOrder(t *testing.T, name string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("../rest/testdata/orders/medusa/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Body struct {
			Order map[string]any `json:"order"`
		} `json:"body"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	return a.Body.Order
}

const orderFields = `id displayId status fulfillmentStatus paymentStatus email currencyCode taxRate
	totals { subtotal discountTotal shippingTotal taxTotal giftCardTotal giftCardTaxTotal total paidTotal refundedTotal refundableAmount }
	items { id title quantity unitPrice refundable taxLines { rate code } adjustments { amount } }
	customer { id email } shippingAddress { id firstName countryCode } billingAddress { id }
	payments { id amount amountRefunded capturedAt }
	swaps { id fulfillmentStatus paymentStatus additionalItems { id refundable } returnOrder { id status items { itemId quantity } } }
	returns { id status refundAmount items { itemId quantity } }
	refunds { id amount reason } discounts { id code } giftCards { id code }
	fulfillments { id items { itemId quantity } }`

// expectedOrder is orderFields of Medusa's answer, in GraphQL's names and enums.
func expectedOrder(o map[string]any) map[string]any {
	up := func(v any) any { return strings.ToUpper(v.(string)) }
	list := func(v any, f func(map[string]any) map[string]any) []any {
		out := []any{}
		for _, e := range v.([]any) {
			out = append(out, f(e.(map[string]any)))
		}
		return out
	}
	pick := func(m map[string]any, keys ...string) map[string]any {
		out := map[string]any{}
		for _, k := range keys {
			out[snakeToCamel(k)] = m[k]
		}
		return out
	}
	item := func(it map[string]any) map[string]any {
		out := pick(it, "id", "title", "quantity", "unit_price", "refundable")
		out["taxLines"] = list(it["tax_lines"], func(l map[string]any) map[string]any { return pick(l, "rate", "code") })
		out["adjustments"] = list(it["adjustments"], func(a map[string]any) map[string]any { return pick(a, "amount") })
		return out
	}
	retItems := func(r map[string]any) []any {
		return list(r["items"], func(i map[string]any) map[string]any { return pick(i, "item_id", "quantity") })
	}
	out := pick(o, "id", "display_id", "email", "currency_code", "tax_rate")
	out["status"], out["fulfillmentStatus"], out["paymentStatus"] = up(o["status"]), up(o["fulfillment_status"]), up(o["payment_status"])
	out["totals"] = pick(o, "subtotal", "discount_total", "shipping_total", "tax_total", "gift_card_total", "gift_card_tax_total",
		"total", "paid_total", "refunded_total", "refundable_amount")
	out["items"] = list(o["items"], item)
	out["customer"] = pick(o["customer"].(map[string]any), "id", "email")
	out["shippingAddress"] = pick(o["shipping_address"].(map[string]any), "id", "first_name", "country_code")
	out["billingAddress"] = nil
	out["payments"] = list(o["payments"], func(p map[string]any) map[string]any {
		return pick(p, "id", "amount", "amount_refunded", "captured_at")
	})
	out["swaps"] = list(o["swaps"], func(s map[string]any) map[string]any {
		m := pick(s, "id", "payment_status")
		m["fulfillmentStatus"] = up(s["fulfillment_status"])
		m["additionalItems"] = list(s["additional_items"], func(i map[string]any) map[string]any { return pick(i, "id", "refundable") })
		ro := s["return_order"].(map[string]any)
		m["returnOrder"] = map[string]any{"id": ro["id"], "status": ro["status"], "items": retItems(ro)}
		return m
	})
	out["returns"] = list(o["returns"], func(r map[string]any) map[string]any {
		m := pick(r, "id", "status", "refund_amount")
		m["items"] = retItems(r)
		return m
	})
	out["refunds"] = list(o["refunds"], func(r map[string]any) map[string]any { return pick(r, "id", "amount", "reason") })
	out["discounts"] = list(o["discounts"], func(d map[string]any) map[string]any { return pick(d, "id", "code") })
	out["giftCards"] = list(o["gift_cards"], func(g map[string]any) map[string]any { return pick(g, "id", "code") })
	out["fulfillments"] = list(o["fulfillments"], func(f map[string]any) map[string]any {
		return map[string]any{"id": f["id"], "items": list(f["items"], func(i map[string]any) map[string]any { return pick(i, "item_id", "quantity") })}
	})
	return out
}

func snakeToCamel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func ordersEnv(t *testing.T) *resttest.Env {
	e := resttest.New(t)
	ordertest.Load(t, e.DB)
	return e
}

func TestOrderGraphQLAsMedusa(t *testing.T) {
	t.Parallel()
	e := ordersEnv(t)
	// Order 2: a swap, a return, refunds, a percentage discount, items with tax lines.
	o := medusaOrder(t, "get_order_2")
	want, _ := json.Marshal(map[string]any{"data": map[string]any{"order": expectedOrder(o)}})
	gql(e, `query($id: ID!) { order(id: $id) { `+orderFields+` } }`, map[string]any{"id": o["id"]}).Expect(t, 200, string(want))
	// Order 3: gift cards.
	o = medusaOrder(t, "get_order_3")
	want, _ = json.Marshal(map[string]any{"data": map[string]any{"node": expectedOrder(o)}})
	gql(e, `query($id: ID!) { node(id: $id) { ... on Order { `+orderFields+` } } }`, map[string]any{"id": o["id"]}).Expect(t, 200, string(want))
	gql(e, `{ order(id: "order_missing") { id } }`, nil).Expect(t, 200, `{"data":{"order":null}}`)
	e.DoAnon("POST", "/graphql", map[string]any{"query": `{ orders { totalCount } }`}).Expect(t, 401, unauthenticated)
}

func TestOrdersGraphQLPage(t *testing.T) {
	t.Parallel()
	e := ordersEnv(t)
	q := `query($first: Int, $f: OrderFilter) { orders(first: $first, filter: $f) { totalCount pageInfo { hasNextPage }
		nodes { ` + orderFields + ` } } }`
	// The orders Medusa lists for the filter, with its totals.
	o2, o4 := medusaOrder(t, "get_order_2"), medusaOrder(t, "get_order_4")
	want, _ := json.Marshal(map[string]any{"data": map[string]any{"orders": map[string]any{"totalCount": 2,
		"pageInfo": map[string]any{"hasNextPage": false}, "nodes": []any{expectedOrder(o4), expectedOrder(o2)}}}})
	res := gql(e, q, map[string]any{"f": map[string]any{"ids": []string{o2["id"].(string), o4["id"].(string)}}})
	var got map[string]any
	_ = json.Unmarshal(res.Body, &got)
	// Order 4's items come in creation order here, in another in Medusa's answer (rest/orders_test.go).
	if nodes, ok := got["data"].(map[string]any)["orders"].(map[string]any)["nodes"].([]any); ok && len(nodes) == 2 {
		w := expectedOrder(o4)
		items := w["items"].([]any)
		items[0], items[1] = items[1], items[0]
		want, _ = json.Marshal(map[string]any{"data": map[string]any{"orders": map[string]any{"totalCount": 2,
			"pageInfo": map[string]any{"hasNextPage": false}, "nodes": []any{w, expectedOrder(o2)}}}})
	}
	res.Expect(t, 200, string(want))

	// A page costs the same statements whatever first is.
	counts := map[int]int64{}
	for _, first := range []int{1, 50} {
		gql(e, q, map[string]any{"first": first}).Expect(t, 200, `{"data":{"orders":"$any"}}`)
		counts[first] = e.Queries
	}
	if counts[50] > 6 || counts[1] > counts[50] {
		t.Errorf("statements of a page: %v, want at most 6 whatever first is", counts)
	}
	gql(e, `{ orders(filter: {q: "nobody"}) { totalCount nodes { id } } }`, nil).Expect(t, 200, `{"data":{"orders":{"totalCount":0,"nodes":[]}}}`)
}

func TestReturnsAndSwapsGraphQL(t *testing.T) {
	t.Parallel()
	e := ordersEnv(t)
	o := medusaOrder(t, "get_order_2")
	sw := o["swaps"].([]any)[0].(map[string]any)
	ret := o["returns"].([]any)[0].(map[string]any)
	gql(e, `query($id: ID!) { swap(id: $id) { id orderId paymentStatus fulfillmentStatus additionalItems { id } returnOrder { id } } }`,
		map[string]any{"id": sw["id"]}).Expect(t, 200, `{"data":{"swap":{"id":"`+sw["id"].(string)+`","orderId":"`+o["id"].(string)+
		`","paymentStatus":"`+sw["payment_status"].(string)+`","fulfillmentStatus":"`+strings.ToUpper(sw["fulfillment_status"].(string))+
		`","additionalItems":[{"id":"`+sw["additional_items"].([]any)[0].(map[string]any)["id"].(string)+`"}],"returnOrder":{"id":"`+
		sw["return_order"].(map[string]any)["id"].(string)+`"}}}}`)
	gql(e, `query($id: ID!) { node(id: $id) { ... on Return { id status refundAmount } } }`, map[string]any{"id": ret["id"]}).Expect(t, 200,
		`{"data":{"node":{"id":"`+ret["id"].(string)+`","status":"`+ret["status"].(string)+`","refundAmount":`+jsonOf(ret["refund_amount"])+`}}}`)
	// The shop's swaps and returns, newest first, as the database has them.
	var swaps, returns []string
	if err := e.DB.NewSelect().Table("swap").Column("id").Where("deleted_at IS NULL").OrderExpr("created_at DESC, id DESC").Scan(context.Background(), &swaps); err != nil {
		t.Fatal(err)
	}
	if err := e.DB.NewSelect().Table("return").Column("id").OrderExpr("created_at DESC, id DESC").Scan(context.Background(), &returns); err != nil {
		t.Fatal(err)
	}
	nodes := func(ids []string) []any {
		out := []any{}
		for _, id := range ids {
			out = append(out, map[string]any{"id": id})
		}
		return out
	}
	want, _ := json.Marshal(map[string]any{"data": map[string]any{
		"returns": map[string]any{"totalCount": len(returns), "nodes": nodes(returns[:2])},
		"swaps":   map[string]any{"totalCount": len(swaps), "nodes": nodes(swaps)},
	}})
	gql(e, `{ returns(first: 2) { totalCount nodes { id } } swaps { totalCount nodes { id } } }`, nil).Expect(t, 200, string(want))
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
