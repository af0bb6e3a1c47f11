package graph_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

const catChannelFields = `id name description isDisabled createdAt updatedAt deletedAt`

func catSC(id, name string, desc any, disabled bool) catJ {
	return catJ{"id": id, "name": name, "description": desc, "isDisabled": disabled, "createdAt": "$time", "updatedAt": "$time", "deletedAt": nil}
}

func TestSalesChannelsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	def := catFixtures(t, e)
	payload := func(name string, sc any, ue ...catJ) string {
		if ue == nil {
			ue = []catJ{}
		}
		return catData(catJ{name: catJ{"salesChannel": sc, "userErrors": ue}})
	}
	create := `mutation($in: CreateSalesChannelInput!) { createSalesChannel(input: $in) { salesChannel { ` + catChannelFields + ` } userErrors { field message code } } }`
	res := gql(e, create, catJ{"in": catJ{"name": "Web", "description": "Online"}})
	id := catStr(t, res, "createSalesChannel.salesChannel.id")
	res.Expect(t, 200, payload("createSalesChannel", catSC(id, "Web", "Online", false)))
	res = gql(e, create, catJ{"in": catJ{"name": "POS", "isDisabled": true}})
	pos := catStr(t, res, "createSalesChannel.salesChannel.id")
	res.Expect(t, 200, payload("createSalesChannel", catSC(pos, "POS", nil, true)))

	// Update: null clears the description; a missing channel is a userError.
	update := `mutation($id: ID!, $in: UpdateSalesChannelInput!) { updateSalesChannel(id: $id, input: $in) { salesChannel { ` + catChannelFields + ` } userErrors { field message code } } }`
	gql(e, update, catJ{"id": id, "in": catJ{"name": "Webshop", "description": nil, "isDisabled": true}}).Expect(t, 200,
		payload("updateSalesChannel", catSC(id, "Webshop", nil, true)))
	gql(e, update, catJ{"id": "sc_missing", "in": catJ{"name": "x"}}).Expect(t, 200,
		payload("updateSalesChannel", nil, catUE(nil, "Sales channel with id,sc_missing: 0 was not found", "NOT_FOUND")))

	// The list (newest first) with filters, by id and as a node.
	list := `query($f: SalesChannelFilter, $first: Int) { salesChannels(filter: $f, first: $first) { totalCount nodes { id name } } }`
	sc := func(id, name string) catJ { return catJ{"id": id, "name": name} }
	gql(e, list, nil).Expect(t, 200, catData(catJ{"salesChannels": catJ{"totalCount": 3,
		"nodes": []any{sc(pos, "POS"), sc(id, "Webshop"), sc(def, "Default Sales Channel")}}}))
	for _, f := range []catJ{{"q": "shop"}, {"id": id}, {"name": "Webshop"}, {"q": "web", "createdAt": catJ{"gt": "2000-01-01T00:00:00Z"}}} {
		gql(e, list, catJ{"f": f}).Expect(t, 200, catData(catJ{"salesChannels": catJ{"totalCount": 1, "nodes": []any{sc(id, "Webshop")}}}))
	}
	gql(e, list, catJ{"f": catJ{"description": "Created by Medusa"}, "first": 0}).Expect(t, 200,
		catData(catJ{"salesChannels": catJ{"totalCount": 1, "nodes": []any{}}}))
	gql(e, `query($id: ID!) { salesChannel(id: $id) { `+catChannelFields+` } node(id: $id) { id ... on SalesChannel { name } } }`, catJ{"id": pos}).
		Expect(t, 200, catData(catJ{"salesChannel": catSC(pos, "POS", nil, true), "node": catJ{"id": pos, "name": "POS"}}))
	gql(e, `{ salesChannel(id: "sc_missing") { id } node(id: "sc_missing") { id } }`, nil).Expect(t, 200, `{"data":{"salesChannel":null,"node":null}}`)

	// Products in and out; one unknown product refuses the whole batch.
	p1, _ := catSeed(t, e, catJ{"title": "Tee"})
	p2, _ := catSeed(t, e, catJ{"title": "Cap"})
	add := `mutation($id: ID!, $p: [ID!]!) { addProductsToSalesChannel(id: $id, productIds: $p) { salesChannel { id name } userErrors { field message code } } }`
	remove := `mutation($id: ID!, $p: [ID!]!) { removeProductsFromSalesChannel(id: $id, productIds: $p) { salesChannel { id name } userErrors { field message code } } }`
	gql(e, add, catJ{"id": id, "p": []string{p1, p2, p1}}).Expect(t, 200, payload("addProductsToSalesChannel", sc(id, "Webshop")))
	gql(e, remove, catJ{"id": id, "p": []string{p2, "prod_missing"}}).Expect(t, 200, payload("removeProductsFromSalesChannel", sc(id, "Webshop")))
	gql(e, add, catJ{"id": id, "p": []string{p2, "prod_nope"}}).Expect(t, 200,
		payload("addProductsToSalesChannel", nil, catUE([]string{"productIds"}, "Products prod_nope do not exist", "INVALID_DATA")))
	gql(e, add, catJ{"id": "sc_missing", "p": []string{p2}}).Expect(t, 200,
		payload("addProductsToSalesChannel", nil, catUE(nil, "Sales channel with id,sc_missing: 0 was not found", "NOT_FOUND")))
	gql(e, remove, catJ{"id": "sc_missing", "p": []string{p2}}).Expect(t, 200,
		payload("removeProductsFromSalesChannel", nil, catUE(nil, "Sales channel with id,sc_missing: 0 was not found", "NOT_FOUND")))
	gql(e, `query($f: ProductFilter) { products(filter: $f) { nodes { id salesChannels { id } } } }`, catJ{"f": catJ{"salesChannelIds": []string{id}}}).
		Expect(t, 200, catData(catJ{"products": catJ{"nodes": []any{catJ{"id": p1, "salesChannels": []any{catJ{"id": id}}}}}}))

	// Delete: the default channel cannot go; a missing one succeeds.
	del := `mutation($id: ID!) { deleteSalesChannel(id: $id) { deletedId userErrors { field message code } } }`
	gql(e, del, catJ{"id": def}).Expect(t, 200, catData(catJ{"deleteSalesChannel": catJ{"deletedId": nil,
		"userErrors": []any{catUE(nil, "You cannot delete the default sales channel", "NOT_ALLOWED")}}}))
	gql(e, del, catJ{"id": id}).Expect(t, 200, catData(catJ{"deleteSalesChannel": catJ{"deletedId": id, "userErrors": []any{}}}))
	gql(e, del, catJ{"id": id}).Expect(t, 200, catData(catJ{"deleteSalesChannel": catJ{"deletedId": id, "userErrors": []any{}}}))
	gql(e, `query($p: ID!) { product(id: $p) { salesChannels { id } } salesChannels { totalCount } }`, catJ{"p": p1}).Expect(t, 200,
		catData(catJ{"product": catJ{"salesChannels": []any{}}, "salesChannels": catJ{"totalCount": 2}}))
	gql(e, `{ salesChannels(filter: {deletedAt: {gt: "2000-01-01T00:00:00Z"}}) { totalCount nodes { id deletedAt } } }`, nil).Expect(t, 200,
		catData(catJ{"salesChannels": catJ{"totalCount": 1, "nodes": []any{catJ{"id": id, "deletedAt": "$time"}}}}))
}

// With the sales channels feature off (MEDUSA_FF_SALES_CHANNELS), a product has no sales
// channels field value and the channel operations fail.
func TestSalesChannelsFeatureOffGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Store.Config.FeatureSalesChannels = false
	p, _ := catSeed(t, e, catJ{"title": "Tee"})
	gql(e, `query($p: ID!) { product(id: $p) { salesChannels { id } } }`, catJ{"p": p}).Expect(t, 200, catData(catJ{"product": catJ{"salesChannels": nil}}))
	gql(e, catCreateProduct, catJ{"in": catJ{"title": "x", "salesChannelIds": []string{}}}).Expect(t, 200, catData(catJ{"createProduct": catJ{"product": nil,
		"userErrors": []any{catUE([]string{"salesChannelIds"}, "Sales channels are not enabled", "INVALID_DATA")}}}))
	catError(t, gql(e, `{ salesChannels { totalCount } }`, nil), "Sales channels are not enabled")
	gql(e, `mutation { createSalesChannel(input: {name: "x"}) { salesChannel { id } userErrors { field message code } } }`, nil).Expect(t, 200,
		catData(catJ{"createSalesChannel": catJ{"salesChannel": nil, "userErrors": []any{catUE(nil, "Sales channels are not enabled", "NOT_FOUND")}}}))
	gql(e, `{ salesChannel(id: "sc_x") { id } node(id: "sc_x") { id } }`, nil).Expect(t, 200, `{"data":{"salesChannel":null,"node":null}}`)
}
