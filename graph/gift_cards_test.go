package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

const giftFields = `id code value balance regionId region { id name } isDisabled endsAt createdAt updatedAt metadata`

func giftMut(e *resttest.Env, mutation, args, params string, vars map[string]any) *resttest.Response {
	return gql(e, `mutation(`+params+`) { `+mutation+`(`+args+`) { giftCard { `+giftFields+` } userErrors { field message code } } }`, vars)
}

func giftPayload(mutation string, c any, ue txrJ) string {
	if ue != nil {
		return txrJSON(txrJ{"data": txrJ{mutation: txrJ{"giftCard": nil, "userErrors": []any{ue}}}})
	}
	return txrJSON(txrJ{"data": txrJ{mutation: txrJ{"giftCard": c, "userErrors": []any{}}}})
}

func giftRegion(t *testing.T, e *resttest.Env, name string) (string, txrJ) {
	t.Helper()
	reg, err := e.Store.CreateRegion(context.Background(), store.CreateRegionInput{Name: name, CurrencyCode: "usd", TaxRate: 25,
		PaymentProviders: []string{"manual"}, FulfillmentProviders: []string{"manual"}})
	if err != nil {
		t.Fatal(err)
	}
	return reg.ID, txrJ{"id": reg.ID, "name": name}
}

func TestGiftCardsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	reg, regJ := giftRegion(t, e, "EU")
	other, otherJ := giftRegion(t, e, "US")

	create := func(in map[string]any) *resttest.Response {
		return giftMut(e, "createGiftCard", "input: $in", "$in: CreateGiftCardInput!", map[string]any{"in": in})
	}
	res := create(map[string]any{"value": 5000, "regionId": reg, "endsAt": "2030-01-01T00:00:00.000Z", "metadata": map[string]any{"k": "v"}})
	a := txrJ{"id": "$id:gift", "code": "$string", "value": 5000, "balance": 5000, "regionId": reg, "region": regJ, "isDisabled": false,
		"endsAt": "2030-01-01T00:00:00.000Z", "createdAt": "$time", "updatedAt": "$time", "metadata": txrJ{"k": "v"}}
	res.Expect(t, 200, giftPayload("createGiftCard", a, nil))
	body := res.JSON(t)["data"].(map[string]any)["createGiftCard"].(map[string]any)["giftCard"].(map[string]any)
	aID, aCode := body["id"].(string), body["code"].(string)
	a["id"], a["code"] = aID, aCode
	if len(aCode) != 19 || strings.Count(aCode, "-") != 3 {
		t.Fatalf("code %q", aCode)
	}
	res = create(map[string]any{"value": 100, "regionId": other, "isDisabled": true})
	b := txrJ{"id": "$id:gift", "code": "$string", "value": 100, "balance": 100, "regionId": other, "region": otherJ, "isDisabled": true,
		"endsAt": nil, "createdAt": "$time", "updatedAt": "$time", "metadata": nil}
	res.Expect(t, 200, giftPayload("createGiftCard", b, nil))
	body = res.JSON(t)["data"].(map[string]any)["createGiftCard"].(map[string]any)["giftCard"].(map[string]any)
	bID := body["id"].(string)
	b["id"], b["code"] = bID, body["code"]

	create(map[string]any{"value": -1, "regionId": reg}).Expect(t, 200,
		giftPayload("createGiftCard", nil, discUEF("INVALID_DATA", "value must not be less than 0", "value")))
	create(map[string]any{"value": 1, "regionId": "reg_missing"}).Expect(t, 200,
		giftPayload("createGiftCard", nil, txrUE("NOT_FOUND", "Region with reg_missing was not found")))
	if n := txrCount(t, e, `SELECT count(*) FROM gift_card`); n != 2 {
		t.Fatalf("%d gift cards after refused creates, want 2", n)
	}

	update := func(id string, in map[string]any) *resttest.Response {
		return giftMut(e, "updateGiftCard", "id: $id, input: $in", "$id: ID!, $in: UpdateGiftCardInput!", map[string]any{"id": id, "in": in})
	}
	a = txrMerge(a, txrJ{"balance": 1200, "regionId": other, "region": otherJ, "endsAt": nil, "isDisabled": true, "metadata": txrJ{"k": "v", "x": 1}})
	update(aID, map[string]any{"balance": 1200, "regionId": other, "endsAt": nil, "isDisabled": true, "metadata": map[string]any{"x": 1}}).
		Expect(t, 200, giftPayload("updateGiftCard", a, nil))
	update(aID, map[string]any{"balance": 6000, "isDisabled": false}).Expect(t, 200,
		giftPayload("updateGiftCard", nil, txrUE("INVALID_DATA", "new balance is invalid")))
	update(aID, map[string]any{"regionId": "reg_missing"}).Expect(t, 200,
		giftPayload("updateGiftCard", nil, txrUE("NOT_FOUND", "Region with reg_missing was not found")))
	update("gift_missing", map[string]any{"balance": 1}).Expect(t, 200,
		giftPayload("updateGiftCard", nil, txrUE("NOT_FOUND", "Gift card with id,gift_missing: 0 was not found")))

	// Reads.
	get := func(id string) *resttest.Response {
		return gql(e, `query($id: ID!) { giftCard(id: $id) { `+giftFields+` } }`, map[string]any{"id": id})
	}
	get(aID).Expect(t, 200, txrJSON(txrJ{"data": txrJ{"giftCard": a}}))
	get("gift_missing").Expect(t, 200, `{"data":{"giftCard":null}}`)
	list := func(args string, want ...txrJ) {
		t.Helper()
		nodes := make([]any, len(want))
		for i, w := range want {
			nodes[i] = w
		}
		gql(e, `{ giftCards`+args+` { totalCount nodes { `+giftFields+` } } }`, nil).Expect(t, 200,
			txrJSON(txrJ{"data": txrJ{"giftCards": txrJ{"totalCount": len(want), "nodes": nodes}}}))
	}
	list("", a, b)
	list(`(q: "`+strings.ToLower(aCode[5:9])+`")`, a)
	list(`(q: "nothing")`)
	gql(e, `{ giftCards(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } }`, nil).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"giftCards": txrJ{"totalCount": 2, "pageInfo": txrJ{"hasNextPage": true,
			"hasPreviousPage": false, "endCursor": "$string"}, "edges": []any{txrJ{"cursor": "$string", "node": txrJ{"id": bID}}}}}}))
	gql(e, `query($a: ID!) { a: node(id: $a) { ... on GiftCard { id balance } } b: node(id: "gift_missing") { id } }`, map[string]any{"a": aID}).
		Expect(t, 200, txrJSON(txrJ{"data": txrJ{"a": txrJ{"id": aID, "balance": 1200}, "b": nil}}))

	del := `mutation($id: ID!) { deleteGiftCard(id: $id) { deletedId userErrors { message } } }`
	gql(e, del, map[string]any{"id": bID}).Expect(t, 200, `{"data":{"deleteGiftCard":{"deletedId":"`+bID+`","userErrors":[]}}}`)
	gql(e, del, map[string]any{"id": bID}).Expect(t, 200, `{"data":{"deleteGiftCard":{"deletedId":"`+bID+`","userErrors":[]}}}`)
	get(bID).Expect(t, 200, `{"data":{"giftCard":null}}`)
	list("", a)
}

// A page of gift cards with their regions' countries costs the same statements whatever its size.
func TestGiftCardsBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	reg, _ := giftRegion(t, e, "EU")
	other, _ := giftRegion(t, e, "US")
	add := func(from, to int) {
		for i := from; i < to; i++ {
			r := reg
			if i%2 == 1 {
				r = other
			}
			if _, err := e.Store.CreateGiftCard(ctx, store.CreateGiftCardInput{Value: 100, RegionID: r}); err != nil {
				t.Fatal(err)
			}
		}
	}
	query := func(n int) int64 {
		res := gql(e, `{ giftCards(first: 50) { totalCount nodes { id region { id name countries { iso2 } } } } }`, nil)
		if strings.Contains(string(res.Body), `"errors"`) {
			t.Fatal(string(res.Body))
		}
		if nodes := res.JSON(t)["data"].(map[string]any)["giftCards"].(map[string]any)["nodes"].([]any); len(nodes) != n {
			t.Fatalf("%d gift cards, want %d", len(nodes), n)
		}
		return e.Queries
	}
	add(0, 2)
	q2 := query(2)
	add(2, 30)
	if q30 := query(30); q30 != q2 {
		t.Fatalf("30 gift cards cost %d statements, 2 gift cards %d", q30, q2)
	}
	t.Logf("a page of gift cards with their regions' countries: %d statements", q2)
}
