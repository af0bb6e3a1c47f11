package graph_test

import (
	"context"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

const draftWriteFields = `draftOrder { status noNotificationOrder cart { email type regionId metadata
	items { title quantity unitPrice hasShipping variantId metadata adjustments { amount } }
	totals { subtotal taxTotal shippingTotal discountTotal total } } } userErrors { field message code }`

// The draft order mutations go through the store's rules as the REST routes do
// (rest/draft_orders_write_test.go has the details); here: the payloads, their user errors, and
// that a refused mutation changes nothing.
func TestDraftOrdersWriteGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	dbtest.DraftShop(t, e.DB)
	count := func() int {
		t.Helper()
		var n int
		if err := e.DB.NewRaw(`SELECT (SELECT count(*) FROM draft_order) + (SELECT count(*) FROM cart) + (SELECT count(*) FROM line_item)
			+ (SELECT count(*) FROM customer) + (SELECT count(*) FROM "order")`).Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	create := `mutation($in: CreateDraftOrderInput!) { createDraftOrder(input: $in) { draftOrder { id cartId } userErrors { field message code } } }`
	in := map[string]any{"email": "Buyer@Example.com", "regionId": dbtest.DraftEU,
		"items":           []any{map[string]any{"variantId": dbtest.DraftManaged, "quantity": 2}, map[string]any{"title": "Wrap", "unitPrice": 350, "quantity": 1}},
		"shippingMethods": []any{map[string]any{"optionId": dbtest.DraftOption}}, "discounts": []any{"DW10"},
		"shippingAddress": map[string]any{"countryCode": "de", "firstName": "A"}, "noNotificationOrder": true, "metadata": map[string]any{"m": 1}}
	before := count()
	for _, c := range []struct {
		change map[string]any
		want   string
	}{
		{map[string]any{"email": "bad"}, `[{"field": ["email"], "message": "email must be an email", "code": "INVALID_DATA"}]`},
		{map[string]any{"discounts": []any{"NOPE"}}, `[{"field": null, "message": "Discount with code NOPE was not found", "code": "NOT_FOUND"}]`},
		{map[string]any{"shippingAddress": map[string]any{"countryCode": "us"}}, `[{"field": null, "message": "Shipping country not in region", "code": "NOT_ALLOWED"}]`},
		{map[string]any{"items": []any{}}, `[{"field": null, "message": "Items are required to create a draft order", "code": "INVALID_DATA"}]`},
	} {
		bad := map[string]any{}
		for k, v := range in {
			bad[k] = v
		}
		for k, v := range c.change {
			bad[k] = v
		}
		gql(e, create, map[string]any{"in": bad}).Expect(t, 200, `{"data": {"createDraftOrder": {"draftOrder": null, "userErrors": `+c.want+`}}}`)
	}
	if n := count(); n != before {
		t.Fatalf("refused creates left %d rows, before %d", n, before)
	}
	res := gql(e, create, map[string]any{"in": in})
	res.Expect(t, 200, `{"data": {"createDraftOrder": {"draftOrder": {"id": "$id:dorder", "cartId": "$id:cart"}, "userErrors": []}}}`)
	id := res.JSON(t)["data"].(map[string]any)["createDraftOrder"].(map[string]any)["draftOrder"].(map[string]any)["id"].(string)

	add := `mutation($id: ID!, $in: AddDraftOrderLineItemInput!) { addDraftOrderLineItem(id: $id, input: $in) { ` + draftWriteFields + ` } }`
	gql(e, add, map[string]any{"id": id, "in": map[string]any{"variantId": dbtest.DraftManaged, "quantity": 9}}).Expect(t, 200,
		`{"data": {"addDraftOrderLineItem": {"draftOrder": null, "userErrors": [{"field": null, "message": "Variant with id: `+dbtest.DraftManaged+
			` does not have the required inventory", "code": "NOT_ALLOWED"}]}}}`)
	gql(e, add, map[string]any{"id": id, "in": map[string]any{"variantId": dbtest.DraftManaged, "quantity": 1}}).Expect(t, 200,
		`{"data": {"addDraftOrderLineItem": {"draftOrder": {"status": "open", "noNotificationOrder": true, "cart": {"email": "buyer@example.com",
		"type": "draft_order", "regionId": "`+dbtest.DraftEU+`", "metadata": {"m": 1}, "items": [
			{"title": "Tee", "quantity": 3, "unitPrice": 1000, "hasShipping": false, "variantId": "`+dbtest.DraftManaged+`", "metadata": {}, "adjustments": [{"amount": 300}]},
			{"title": "Wrap", "quantity": 1, "unitPrice": 350, "hasShipping": false, "variantId": null, "metadata": null, "adjustments": []}],
		"totals": {"subtotal": 3350, "taxTotal": 700, "shippingTotal": 800, "discountTotal": 300, "total": 4550}}}, "userErrors": []}}}`)

	update := `mutation($id: ID!, $in: UpdateDraftOrderInput!) { updateDraftOrder(id: $id, input: $in) { ` + draftWriteFields + ` } }`
	gql(e, update, map[string]any{"id": id, "in": map[string]any{"email": "bad"}}).Expect(t, 200,
		`{"data": {"updateDraftOrder": {"draftOrder": null, "userErrors": [{"field": ["email"], "message": "email must be an email", "code": "INVALID_DATA"}]}}}`)
	// Unlike the REST route, the payload's draft order is read after the change.
	gql(e, update, map[string]any{"id": id, "in": map[string]any{"email": "other@example.com", "noNotificationOrder": false, "discounts": []any{}}}).
		Expect(t, 200, `{"data": {"updateDraftOrder": {"draftOrder": {"status": "open", "noNotificationOrder": false, "cart": {"email": "other@example.com",
		"type": "draft_order", "regionId": "`+dbtest.DraftEU+`", "metadata": {"m": 1}, "items": [
			{"title": "Tee", "quantity": 3, "unitPrice": 1000, "hasShipping": false, "variantId": "`+dbtest.DraftManaged+`", "metadata": {}, "adjustments": [{"amount": 300}]},
			{"title": "Wrap", "quantity": 1, "unitPrice": 350, "hasShipping": false, "variantId": null, "metadata": null, "adjustments": []}],
		"totals": {"subtotal": 3350, "taxTotal": 760, "shippingTotal": 800, "discountTotal": 0, "total": 4910}}}, "userErrors": []}}}`)

	pay := `mutation($id: ID!) { registerDraftOrderPayment(id: $id) { order { id status paymentStatus email draftOrderId noNotification
		payments { amount providerId } totals { subtotal taxTotal discountTotal total } } userErrors { field message code } } }`
	gql(e, pay, map[string]any{"id": "dorder_missing"}).Expect(t, 200,
		`{"data": {"registerDraftOrderPayment": {"order": null, "userErrors": [{"field": null, "message": "Draft order with dorder_missing was not found", "code": "NOT_FOUND"}]}}}`)
	gql(e, pay, map[string]any{"id": id}).Expect(t, 200, `{"data": {"registerDraftOrderPayment": {"order": {"id": "$id:order", "status": "PENDING",
		"paymentStatus": "AWAITING", "email": "other@example.com", "draftOrderId": "`+id+`", "noNotification": false,
		"payments": [{"amount": 4910, "providerId": "system"}], "totals": {"subtotal": 3350, "taxTotal": 760, "discountTotal": 0, "total": 4910}},
		"userErrors": []}}}`)
	gql(e, `query($id: ID!) { draftOrder(id: $id) { status order { id } } }`, map[string]any{"id": id}).
		Expect(t, 200, `{"data": {"draftOrder": {"status": "completed", "order": {"id": "$id:order"}}}}`)
	gql(e, add, map[string]any{"id": id, "in": map[string]any{"quantity": 1}}).Expect(t, 200,
		`{"data": {"addDraftOrderLineItem": {"draftOrder": null, "userErrors": [{"field": null, "message": "You are only allowed to update open draft orders", "code": "NOT_ALLOWED"}]}}}`)
}
