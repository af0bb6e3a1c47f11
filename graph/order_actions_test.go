package graph_test

import (
	"encoding/json"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// The order action mutations on an order as Medusa writes one: each answers the order after
// the action, or Medusa's error as a userError that changed nothing.

const actOrderFields = `id status fulfillmentStatus paymentStatus email noNotification
	totals { paidTotal refundedTotal refundableAmount }
	items { id quantity fulfilledQuantity shippedQuantity returnedQuantity }
	payments { amountRefunded capturedAt } refunds { amount reason note }
	fulfillments { items { itemId quantity } trackingLinks { trackingNumber } shippedAt canceledAt }
	returns { status refundAmount items { itemId quantity } } shippingAddress { city countryCode }`

func orderMutation(e *resttest.Env, name, params, args string, vars map[string]any) *resttest.Response {
	return gql(e, `mutation(`+params+`) { `+name+`(`+args+`) { order { `+actOrderFields+` } userErrors { field message code } } }`, vars)
}

func TestOrderActionMutations(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	o := dbtest.PlaceOrder(t, e.DB, 1)
	id := map[string]any{"id": o.ID}
	items := func(f, s, r string) string {
		return `[{"id": "` + o.ManagedItem + `", "quantity": 2, "fulfilledQuantity": ` + f + `, "shippedQuantity": ` + s + `, "returnedQuantity": ` + r + `},
			{"id": "` + o.UnmanagedItem + `", "quantity": 1, "fulfilledQuantity": null, "shippedQuantity": null, "returnedQuantity": null}]`
	}
	orderOut := func(status, fstatus, pstatus, email, no, totals, its, payments, refunds, fulfillments, returns, city string) string {
		return `{"id": "` + o.ID + `", "status": "` + status + `", "fulfillmentStatus": "` + fstatus + `", "paymentStatus": "` + pstatus + `",
			"email": "` + email + `", "noNotification": ` + no + `, "totals": ` + totals + `, "items": ` + its + `, "payments": ` + payments + `,
			"refunds": ` + refunds + `, "fulfillments": ` + fulfillments + `, "returns": ` + returns + `,
			"shippingAddress": {"city": "` + city + `", "countryCode": "` + map[bool]string{true: "fr", false: "de"}[city == "Paris"] + `"}}`
	}
	const paid = `{"paidTotal": 4560, "refundedTotal": 0, "refundableAmount": 4560}`

	orderMutation(e, "updateOrder", "$id: ID!, $input: UpdateOrderInput!", "id: $id, input: $input",
		map[string]any{"id": o.ID, "input": map[string]any{"email": "bad"}}).Expect(t, 200,
		`{"data": {"updateOrder": {"order": null, "userErrors": [{"field": ["email"], "message": "email must be an email", "code": "INVALID_DATA"}]}}}`)
	orderMutation(e, "updateOrder", "$id: ID!, $input: UpdateOrderInput!", "id: $id, input: $input",
		map[string]any{"id": o.ID, "input": map[string]any{"email": "new@example.com", "noNotification": true,
			"shippingAddress": map[string]any{"city": "Paris", "countryCode": "FR"}}}).Expect(t, 200,
		`{"data": {"updateOrder": {"order": `+orderOut("PENDING", "NOT_FULFILLED", "AWAITING", "new@example.com", "true", paid, items("null", "null", "null"),
			`[{"amountRefunded": 0, "capturedAt": null}]`, `[]`, `[]`, `[]`, "Paris")+`, "userErrors": []}}}`)
	orderMutation(e, "archiveOrder", "$id: ID!", "id: $id", id).Expect(t, 200,
		`{"data": {"archiveOrder": {"order": null, "userErrors": [{"field": null, "message": "Can't archive an unprocessed order", "code": "NOT_ALLOWED"}]}}}`)
	orderMutation(e, "captureOrderPayment", "$id: ID!", "id: $id", id).Expect(t, 200,
		`{"data": {"captureOrderPayment": {"order": `+orderOut("PENDING", "NOT_FULFILLED", "CAPTURED", "new@example.com", "true", paid, items("null", "null", "null"),
			`[{"amountRefunded": 0, "capturedAt": "$time"}]`, `[]`, `[]`, `[]`, "Paris")+`, "userErrors": []}}}`)
	orderMutation(e, "refundOrder", "$id: ID!, $input: RefundOrderInput!", "id: $id, input: $input",
		map[string]any{"id": o.ID, "input": map[string]any{"amount": 1000, "reason": "discount", "note": "sorry"}}).Expect(t, 200,
		`{"data": {"refundOrder": {"order": `+orderOut("PENDING", "NOT_FULFILLED", "CAPTURED", "new@example.com", "true",
			`{"paidTotal": 4560, "refundedTotal": 1000, "refundableAmount": 3560}`, items("null", "null", "null"),
			`[{"amountRefunded": 1000, "capturedAt": "$time"}]`, `[{"amount": 1000, "reason": "discount", "note": "sorry"}]`, `[]`, `[]`, "Paris")+`, "userErrors": []}}}`)
	const refunded = `{"paidTotal": 4560, "refundedTotal": 1000, "refundableAmount": 3560}`
	orderMutation(e, "createOrderFulfillment", "$id: ID!, $input: CreateOrderFulfillmentInput!", "id: $id, input: $input",
		map[string]any{"id": o.ID, "input": map[string]any{"items": []any{map[string]any{"itemId": o.ManagedItem, "quantity": 3}}}}).Expect(t, 200,
		`{"data": {"createOrderFulfillment": {"order": null, "userErrors": [{"field": null, "message": "Cannot fulfill more items than have been purchased", "code": "NOT_ALLOWED"}]}}}`)
	res := orderMutation(e, "createOrderFulfillment", "$id: ID!, $input: CreateOrderFulfillmentInput!", "id: $id, input: $input",
		map[string]any{"id": o.ID, "input": map[string]any{"items": []any{map[string]any{"itemId": o.ManagedItem, "quantity": 2}}}})
	res.Expect(t, 200, `{"data": {"createOrderFulfillment": {"order": `+orderOut("PENDING", "PARTIALLY_FULFILLED", "CAPTURED", "new@example.com", "true", refunded,
		items("2", "null", "null"), `[{"amountRefunded": 1000, "capturedAt": "$time"}]`, `[{"amount": 1000, "reason": "discount", "note": "sorry"}]`,
		`[{"items": [{"itemId": "`+o.ManagedItem+`", "quantity": 2}], "trackingLinks": [], "shippedAt": null, "canceledAt": null}]`, `[]`, "Paris")+`, "userErrors": []}}}`)
	var ful string
	if err := e.DB.NewRaw(`SELECT id FROM fulfillment WHERE order_id = ?`, o.ID).Scan(t.Context(), &ful); err != nil {
		t.Fatal(err)
	}
	orderMutation(e, "createOrderShipment", "$id: ID!, $input: CreateOrderShipmentInput!", "id: $id, input: $input",
		map[string]any{"id": o.ID, "input": map[string]any{"fulfillmentId": ful, "trackingNumbers": []string{"TR1"}}}).Expect(t, 200,
		`{"data": {"createOrderShipment": {"order": `+orderOut("PENDING", "PARTIALLY_SHIPPED", "CAPTURED", "new@example.com", "true", refunded,
			items("2", "2", "null"), `[{"amountRefunded": 1000, "capturedAt": "$time"}]`, `[{"amount": 1000, "reason": "discount", "note": "sorry"}]`,
			`[{"items": [{"itemId": "`+o.ManagedItem+`", "quantity": 2}], "trackingLinks": [{"trackingNumber": "TR1"}], "shippedAt": "$time", "canceledAt": null}]`,
			`[]`, "Paris")+`, "userErrors": []}}}`)
	orderMutation(e, "cancelOrderFulfillment", "$id: ID!, $f: ID!", "id: $id, fulfillmentId: $f", map[string]any{"id": o.ID, "f": ful}).Expect(t, 200,
		`{"data": {"cancelOrderFulfillment": {"order": null, "userErrors": [{"field": null, "message": "The fulfillment has already been shipped. Shipped fulfillments cannot be canceled", "code": "NOT_ALLOWED"}]}}}`)

	ret := gql(e, `mutation($id: ID!, $input: RequestReturnInput!) { requestOrderReturn(id: $id, input: $input) { idempotencyKey order { returns { id status refundAmount } } userErrors { message } } }`,
		map[string]any{"id": o.ID, "input": map[string]any{"items": []any{map[string]any{"itemId": o.ManagedItem, "quantity": 1}}}})
	ret.Expect(t, 200, `{"data": {"requestOrderReturn": {"idempotencyKey": "$string", "order": {"returns": [{"id": "$id:ret", "status": "requested", "refundAmount": 1200}]}, "userErrors": []}}}`)
	body := ret.JSON(t)["data"].(map[string]any)["requestOrderReturn"].(map[string]any)
	key := body["idempotencyKey"].(string)
	retID := body["order"].(map[string]any)["returns"].([]any)[0].(map[string]any)["id"].(string)
	// The key again: no second return.
	gql(e, `mutation($id: ID!, $input: RequestReturnInput!, $key: String) { requestOrderReturn(id: $id, input: $input, idempotencyKey: $key) { idempotencyKey order { returns { id } } } }`,
		map[string]any{"id": o.ID, "key": key, "input": map[string]any{"items": []any{map[string]any{"itemId": o.ManagedItem, "quantity": 1}}}}).Expect(t, 200,
		`{"data": {"requestOrderReturn": {"idempotencyKey": "`+key+`", "order": {"returns": [{"id": "`+retID+`"}]}}}}`)
	gql(e, `mutation($id: ID!, $input: ReceiveReturnInput!) { receiveReturn(id: $id, input: $input) { return { id status refundAmount } userErrors { message } } }`,
		map[string]any{"id": retID, "input": map[string]any{"items": []any{map[string]any{"itemId": o.ManagedItem, "quantity": 1}}}}).Expect(t, 200,
		`{"data": {"receiveReturn": {"return": {"id": "`+retID+`", "status": "received", "refundAmount": 1200}, "userErrors": []}}}`)
	gql(e, `mutation($id: ID!) { cancelReturn(id: $id) { order { id } userErrors { message code } } }`, map[string]any{"id": retID}).Expect(t, 200,
		`{"data": {"cancelReturn": {"order": null, "userErrors": [{"message": "Can't cancel a return which has been returned", "code": "NOT_ALLOWED"}]}}}`)
	orderMutation(e, "cancelOrder", "$id: ID!", "id: $id", id).Expect(t, 200,
		`{"data": {"cancelOrder": {"order": null, "userErrors": [{"field": null, "message": "All fulfillments must be canceled before canceling an order", "code": "NOT_ALLOWED"}]}}}`)
	orderMutation(e, "completeOrder", "$id: ID!", "id: $id", id).Expect(t, 200,
		`{"data": {"completeOrder": {"order": `+orderOut("COMPLETED", "PARTIALLY_RETURNED", "CAPTURED", "new@example.com", "true",
			`{"paidTotal": 4560, "refundedTotal": 2200, "refundableAmount": 2360}`,
			`[{"id": "`+o.ManagedItem+`", "quantity": 2, "fulfilledQuantity": 2, "shippedQuantity": 2, "returnedQuantity": 1},
			{"id": "`+o.UnmanagedItem+`", "quantity": 1, "fulfilledQuantity": null, "shippedQuantity": null, "returnedQuantity": null}]`,
			`[{"amountRefunded": 2200, "capturedAt": "$time"}]`,
			`[{"amount": 1000, "reason": "discount", "note": "sorry"}, {"amount": 1200, "reason": "return", "note": null}]`,
			`[{"items": [{"itemId": "`+o.ManagedItem+`", "quantity": 2}], "trackingLinks": [{"trackingNumber": "TR1"}], "shippedAt": "$time", "canceledAt": null}]`,
			`[{"status": "received", "refundAmount": 1200, "items": [{"itemId": "`+o.ManagedItem+`", "quantity": 1}]}]`, "Paris")+`, "userErrors": []}}}`)
	gql(e, `mutation($id: ID!, $input: AddOrderShippingMethodInput!) { addOrderShippingMethod(id: $id, input: $input) { order { id } userErrors { message code } } }`,
		map[string]any{"id": o.ID, "input": map[string]any{"optionId": "so_missing", "price": 1}}).Expect(t, 200,
		`{"data": {"addOrderShippingMethod": {"order": null, "userErrors": [{"message": "Shipping Option with so_missing was not found", "code": "NOT_FOUND"}]}}}`)
}

func TestSwapActionMutations(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	o := dbtest.PlaceOrder(t, e.DB, 1)
	orderMutation(e, "captureOrderPayment", "$id: ID!", "id: $id", map[string]any{"id": o.ID}).Expect(t, 200, `{"data": {"captureOrderPayment": "$any"}}`)
	orderMutation(e, "createOrderFulfillment", "$id: ID!, $input: CreateOrderFulfillmentInput!", "id: $id, input: $input",
		map[string]any{"id": o.ID, "input": map[string]any{"items": []any{map[string]any{"itemId": o.ManagedItem, "quantity": 2},
			map[string]any{"itemId": o.UnmanagedItem, "quantity": 1}}}}).Expect(t, 200, `{"data": {"createOrderFulfillment": "$any"}}`)
	sw := dbtest.PlaceSwap(t, e.DB, o, 1)
	const fields = `order { swaps { id fulfillmentStatus paymentStatus canceledAt fulfillments { id shippedAt trackingLinks { trackingNumber } } } } userErrors { message code }`
	vars := map[string]any{"o": o.ID, "s": sw.ID}
	gql(e, `mutation($o: ID!, $s: ID!) { cancelSwap(orderId: $o, swapId: $s) { `+fields+` } }`, vars).Expect(t, 200,
		`{"data": {"cancelSwap": {"order": null, "userErrors": [{"message": "Return must be canceled before the swap can be canceled", "code": "NOT_ALLOWED"}]}}}`)
	gql(e, `mutation($o: ID!, $s: ID!) { fulfillSwap(orderId: $o, swapId: $s, input: {metadata: {box: 1}}) { `+fields+` } }`, vars).Expect(t, 200,
		`{"data": {"fulfillSwap": {"order": {"swaps": [{"id": "`+sw.ID+`", "fulfillmentStatus": "FULFILLED", "paymentStatus": "awaiting", "canceledAt": null,
			"fulfillments": [{"id": "$id:ful", "shippedAt": null, "trackingLinks": []}]}]}, "userErrors": []}}}`)
	var ful string
	if err := e.DB.NewRaw(`SELECT id FROM fulfillment WHERE swap_id = ?`, sw.ID).Scan(t.Context(), &ful); err != nil {
		t.Fatal(err)
	}
	vars["f"] = ful
	gql(e, `mutation($o: ID!, $s: ID!, $f: ID!) { createSwapShipment(orderId: $o, swapId: $s, input: {fulfillmentId: $f, trackingNumbers: ["S1"]}) { `+fields+` } }`, vars).Expect(t, 200,
		`{"data": {"createSwapShipment": {"order": {"swaps": [{"id": "`+sw.ID+`", "fulfillmentStatus": "SHIPPED", "paymentStatus": "awaiting", "canceledAt": null,
			"fulfillments": [{"id": "`+ful+`", "shippedAt": "$time", "trackingLinks": [{"trackingNumber": "S1"}]}]}]}, "userErrors": []}}}`)
	gql(e, `mutation($o: ID!, $s: ID!, $f: ID!) { cancelSwapFulfillment(orderId: $o, swapId: $s, fulfillmentId: $f) { `+fields+` } }`, vars).Expect(t, 200,
		`{"data": {"cancelSwapFulfillment": {"order": null, "userErrors": [{"message": "The fulfillment has already been shipped. Shipped fulfillments cannot be canceled", "code": "NOT_ALLOWED"}]}}}`)
}

func TestClaimActionMutations(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	o := dbtest.PlaceOrder(t, e.DB, 1)
	c := dbtest.PlaceClaim(t, e.DB, o, 1)
	const fields = `order { claims { id fulfillmentStatus canceledAt fulfillments { id shippedAt trackingLinks { trackingNumber } } } } userErrors { message code }`
	vars := map[string]any{"o": o.ID, "c": c.ID}
	gql(e, `mutation($o: ID!, $c: ID!) { fulfillClaim(orderId: $o, claimId: $c) { `+fields+` } }`, vars).Expect(t, 200,
		`{"data": {"fulfillClaim": {"order": {"claims": [{"id": "`+c.ID+`", "fulfillmentStatus": "fulfilled", "canceledAt": null,
			"fulfillments": [{"id": "$id:ful", "shippedAt": null, "trackingLinks": []}]}]}, "userErrors": []}}}`)
	gql(e, `mutation($o: ID!, $c: ID!) { cancelClaim(orderId: $o, claimId: $c) { `+fields+` } }`, vars).Expect(t, 200,
		`{"data": {"cancelClaim": {"order": null, "userErrors": [{"message": "All fulfillments must be canceled before the claim can be canceled", "code": "NOT_ALLOWED"}]}}}`)
	var ful string
	if err := e.DB.NewRaw(`SELECT id FROM fulfillment WHERE claim_order_id = ?`, c.ID).Scan(t.Context(), &ful); err != nil {
		t.Fatal(err)
	}
	vars["f"] = ful
	gql(e, `mutation($o: ID!, $c: ID!, $f: ID!) { cancelClaimFulfillment(orderId: $o, claimId: $c, fulfillmentId: $f) { `+fields+` } }`, vars).Expect(t, 200,
		`{"data": {"cancelClaimFulfillment": {"order": {"claims": [{"id": "`+c.ID+`", "fulfillmentStatus": "canceled", "canceledAt": null,
			"fulfillments": [{"id": "`+ful+`", "shippedAt": null, "trackingLinks": []}]}]}, "userErrors": []}}}`)
	gql(e, `mutation($o: ID!, $c: ID!, $f: ID!) { createClaimShipment(orderId: $o, claimId: $c, fulfillmentId: $f) { `+fields+` } }`, vars).Expect(t, 200,
		`{"data": {"createClaimShipment": {"order": null, "userErrors": [{"message": "Fulfillment has been canceled", "code": "NOT_ALLOWED"}]}}}`)
	gql(e, `mutation($o: ID!, $c: ID!) { cancelClaim(orderId: $o, claimId: $c) { order { claims { fulfillmentStatus canceledAt } } userErrors { message } } }`, vars).Expect(t, 200,
		`{"data": {"cancelClaim": {"order": {"claims": [{"fulfillmentStatus": "canceled", "canceledAt": "$time"}]}, "userErrors": []}}}`)
}

func TestUpdateClaimMutation(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	o := dbtest.PlaceOrder(t, e.DB, 1)
	c := dbtest.PlaceClaim(t, e.DB, o, 1)
	const fields = `order { claims { id noNotification metadata claimItems { id reason note images { url } } shippingMethods { id } } } userErrors { message code }`
	vars := map[string]any{"o": o.ID, "c": c.ID, "in": map[string]any{"noNotification": true, "metadata": map[string]any{"ticket": "T-2"},
		"claimItems": []any{map[string]any{"id": c.ClaimItemID, "note": "Dented", "reason": "production_failure",
			"images": []any{map[string]any{"url": "https://img.example/3.jpg"}}, "tags": []any{map[string]any{"value": "Dent"}}}}}}
	const m = `mutation($o: ID!, $c: ID!, $in: UpdateClaimInput!) { updateClaim(orderId: $o, claimId: $c, input: $in) { ` + fields + ` } }`
	gql(e, m, vars).Expect(t, 200,
		`{"data": {"updateClaim": {"order": {"claims": [{"id": "`+c.ID+`", "noNotification": true, "metadata": {"ticket": "T-2"},
			"claimItems": [{"id": "`+c.ClaimItemID+`", "reason": "production_failure", "note": "Dented", "images": [{"url": "https://img.example/3.jpg"}]}],
			"shippingMethods": [{"id": "`+c.ShippingMethodID+`"}]}]}, "userErrors": []}}}`)
	vars["in"] = map[string]any{"claimItems": []any{map[string]any{"id": c.ClaimItemID, "reason": "broken", "images": []any{}, "tags": []any{}}}}
	gql(e, m, vars).Expect(t, 200,
		`{"data": {"updateClaim": {"order": null, "userErrors": [{"message": "Claim item reason must be one of missing_item, wrong_item, production_failure, other", "code": "INVALID_DATA"}]}}}`)
	vars["c"] = "claim_missing"
	gql(e, m, vars).Expect(t, 200,
		`{"data": {"updateClaim": {"order": null, "userErrors": [{"message": "Claim with claim_missing was not found", "code": "NOT_FOUND"}]}}}`)
}

func TestCreateClaimMutation(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	o := dbtest.PlaceOrder(t, e.DB, 1)
	if _, err := e.DB.ExecContext(t.Context(), `INSERT INTO money_amount (id, currency_code, amount, variant_id) VALUES ('ma_01GACTS0000000000000000001', 'eur', 900, ?)`,
		o.UnmanagedVariant); err != nil {
		t.Fatal(err)
	}
	const m = `mutation($o: ID!, $in: CreateClaimInput!, $k: String) { createClaim(orderId: $o, input: $in, idempotencyKey: $k) {
		order { claims { type paymentStatus refundAmount claimItems { itemId reason note images { url } } additionalItems { variantId unitPrice quantity }
			shippingMethods { price } } refunds { amount reason } } idempotencyKey userErrors { message code } } }`
	refund := map[string]any{"type": "refund", "claimItems": []any{map[string]any{"itemId": o.UnmanagedItem, "quantity": 1, "reason": "missing_item"}}}
	gql(e, m, map[string]any{"o": o.ID, "in": refund}).Expect(t, 200,
		`{"data": {"createClaim": {"order": null, "idempotencyKey": "$string", "userErrors": [{"message": "Cannot claim more of an item than has been fulfilled.", "code": "NOT_ALLOWED"}]}}}`)
	e.Do("POST", "/admin/orders/"+o.ID+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
	e.Do("POST", "/admin/orders/"+o.ID+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 2},
		map[string]any{"item_id": o.UnmanagedItem, "quantity": 1}}}).Expect(t, 200, `{"order": "$any"}`)
	replace := map[string]any{"type": "replace", "claimItems": []any{map[string]any{"itemId": o.UnmanagedItem, "quantity": 1, "reason": "wrong_item",
		"note": "Blue, not red", "images": []string{"https://img.example/r.jpg"}}},
		"additionalItems": []any{map[string]any{"variantId": o.UnmanagedVariant, "quantity": 1}},
		"shippingMethods": []any{map[string]any{"optionId": o.ShippingOptionID, "price": 0}}}
	want := `{"data": {"createClaim": {"order": {"claims": [{"type": "replace", "paymentStatus": "na", "refundAmount": null,
		"claimItems": [{"itemId": "` + o.UnmanagedItem + `", "reason": "wrong_item", "note": "Blue, not red", "images": [{"url": "https://img.example/r.jpg"}]}],
		"additionalItems": [{"variantId": "` + o.UnmanagedVariant + `", "unitPrice": 900, "quantity": 1}], "shippingMethods": [{"price": 0}]}],
		"refunds": []}, "idempotencyKey": "$string", "userErrors": []}}}`
	res := gql(e, m, map[string]any{"o": o.ID, "in": replace})
	res.Expect(t, 200, want)
	var out struct {
		Data struct {
			CreateClaim struct{ IdempotencyKey string } `json:"createClaim"`
		} `json:"data"`
	}
	if err := json.Unmarshal(res.Body, &out); err != nil {
		t.Fatal(err)
	}
	// The same key again: no second claim.
	gql(e, m, map[string]any{"o": o.ID, "in": replace, "k": out.Data.CreateClaim.IdempotencyKey}).Expect(t, 200, want)
}

func TestCreateSwapMutation(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	o := dbtest.PlaceOrder(t, e.DB, 1)
	if _, err := e.DB.ExecContext(t.Context(), `INSERT INTO money_amount (id, currency_code, amount, variant_id) VALUES ('ma_01GACTS0000000000000000001', 'eur', 900, ?)`,
		o.UnmanagedVariant); err != nil {
		t.Fatal(err)
	}
	const m = `mutation($o: ID!, $in: CreateSwapInput!, $k: String) { createSwap(orderId: $o, input: $in, idempotencyKey: $k) {
		order { swaps { fulfillmentStatus paymentStatus differenceDue allowBackorder noNotification cartId confirmedAt
			additionalItems { variantId unitPrice quantity } returnOrder { status refundAmount items { itemId quantity note } } } }
		idempotencyKey userErrors { message code } } }`
	in := map[string]any{"returnItems": []any{map[string]any{"itemId": o.ManagedItem, "quantity": 1, "note": "too big"}},
		"additionalItems":       []any{map[string]any{"variantId": o.UnmanagedVariant, "quantity": 1}},
		"customShippingOptions": []any{map[string]any{"optionId": o.ShippingOptionID, "price": 0}}, "noNotification": true, "allowBackorder": false}
	gql(e, m, map[string]any{"o": o.ID, "in": in}).Expect(t, 200,
		`{"data": {"createSwap": {"order": null, "idempotencyKey": "$string", "userErrors": [{"message": "Order cannot be swapped", "code": "NOT_ALLOWED"}]}}}`)
	e.Do("POST", "/admin/orders/"+o.ID+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
	e.Do("POST", "/admin/orders/"+o.ID+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 2},
		map[string]any{"item_id": o.UnmanagedItem, "quantity": 1}}}).Expect(t, 200, `{"order": "$any"}`)
	want := `{"data": {"createSwap": {"order": {"swaps": [{"fulfillmentStatus": "NOT_FULFILLED", "paymentStatus": "not_paid", "differenceDue": null,
		"allowBackorder": false, "noNotification": true, "cartId": "$id:cart", "confirmedAt": null,
		"additionalItems": [{"variantId": "` + o.UnmanagedVariant + `", "unitPrice": 900, "quantity": 1}],
		"returnOrder": {"status": "requested", "refundAmount": 1200, "items": [{"itemId": "` + o.ManagedItem + `", "quantity": 1, "note": "too big"}]}}]},
		"idempotencyKey": "$string", "userErrors": []}}}`
	res := gql(e, m, map[string]any{"o": o.ID, "in": in})
	res.Expect(t, 200, want)
	var out struct {
		Data struct {
			CreateSwap struct{ IdempotencyKey string } `json:"createSwap"`
		} `json:"data"`
	}
	if err := json.Unmarshal(res.Body, &out); err != nil {
		t.Fatal(err)
	}
	// The same key again: no second swap.
	gql(e, m, map[string]any{"o": o.ID, "in": in, "k": out.Data.CreateSwap.IdempotencyKey}).Expect(t, 200, want)

	// The swap is not confirmed: its difference cannot be processed yet.
	var swapID string
	if err := e.DB.NewRaw(`SELECT id FROM swap WHERE order_id = ?`, o.ID).Scan(t.Context(), &swapID); err != nil {
		t.Fatal(err)
	}
	const p = `mutation($o: ID!, $s: ID!) { processSwapPayment(orderId: $o, swapId: $s) { order { swaps { paymentStatus } refunds { amount reason } } userErrors { message code } } }`
	gql(e, p, map[string]any{"o": o.ID, "s": swapID}).Expect(t, 200,
		`{"data": {"processSwapPayment": {"order": null, "userErrors": [{"message": "Cannot process a swap that hasn't been confirmed by the customer", "code": "NOT_ALLOWED"}]}}}`)
	// Once confirmed with a difference to refund (as the cart's completion leaves it), it is
	// refunded from the order's payment.
	if _, err := e.DB.ExecContext(t.Context(), `UPDATE swap SET confirmed_at = now(), difference_due = -300 WHERE id = ?`, swapID); err != nil {
		t.Fatal(err)
	}
	gql(e, p, map[string]any{"o": o.ID, "s": swapID}).Expect(t, 200,
		`{"data": {"processSwapPayment": {"order": {"swaps": [{"paymentStatus": "difference_refunded"}], "refunds": [{"amount": 300, "reason": "swap"}]}, "userErrors": []}}}`)
	gql(e, p, map[string]any{"o": o.ID, "s": "swap_missing"}).Expect(t, 200,
		`{"data": {"processSwapPayment": {"order": null, "userErrors": [{"message": "Swap was not found", "code": "NOT_FOUND"}]}}}`)
}
