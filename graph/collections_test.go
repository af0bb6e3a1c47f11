package graph_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

const catCollectionFields = `id title handle createdAt updatedAt deletedAt metadata products { id title collectionId }`

func catColl(id, title, handle string, metadata any, products ...catJ) catJ {
	if products == nil {
		products = []catJ{}
	}
	return catJ{"id": id, "title": title, "handle": handle, "createdAt": "$time", "updatedAt": "$time", "deletedAt": nil,
		"metadata": metadata, "products": products}
}

func TestCollectionsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	payload := func(name string, c any, ue ...catJ) string {
		if ue == nil {
			ue = []catJ{}
		}
		return catData(catJ{name: catJ{"collection": c, "userErrors": ue}})
	}
	create := `mutation($in: CreateProductCollectionInput!) { createCollection(input: $in) { collection { ` + catCollectionFields + ` } userErrors { field message code } } }`
	res := gql(e, create, catJ{"in": catJ{"title": "Summer Sale 2022", "metadata": catJ{"k": "v"}}})
	id := catStr(t, res, "createCollection.collection.id")
	res.Expect(t, 200, payload("createCollection", catColl(id, "Summer Sale 2022", "summer-sale-2022", catJ{"k": "v"})))
	res = gql(e, create, catJ{"in": catJ{"title": "Other", "handle": "other"}})
	other := catStr(t, res, "createCollection.collection.id")
	gql(e, create, catJ{"in": catJ{"title": "Again", "handle": "summer-sale-2022"}}).Expect(t, 200,
		payload("createCollection", nil, catUE(nil, "Product_collection with handle summer-sale-2022 already exists.", "DUPLICATE_ERROR")))
	gql(e, create, catJ{"in": catJ{"title": ""}}).Expect(t, 200,
		payload("createCollection", nil, catUE([]string{"title"}, "title should not be empty", "INVALID_DATA")))

	// Products move in (unknown ids ignored) and out; a collection's products, oldest first.
	p1, _ := catSeed(t, e, catJ{"title": "Tee"})
	p2, _ := catSeed(t, e, catJ{"title": "Socks"})
	p3, _ := catSeed(t, e, catJ{"title": "Cap"})
	prod := func(id, title string, coll any) catJ { return catJ{"id": id, "title": title, "collectionId": coll} }
	add := `mutation($id: ID!, $p: [ID!]!) { addProductsToCollection(id: $id, productIds: $p) { collection { ` + catCollectionFields + ` } userErrors { field message code } } }`
	gql(e, add, catJ{"id": id, "p": []string{p1, "prod_missing", p2, p3}}).Expect(t, 200, payload("addProductsToCollection",
		catColl(id, "Summer Sale 2022", "summer-sale-2022", catJ{"k": "v"}, prod(p1, "Tee", id), prod(p2, "Socks", id), prod(p3, "Cap", id))))
	remove := `mutation($id: ID!, $p: [ID!]!) { removeProductsFromCollection(id: $id, productIds: $p) { collection { ` + catCollectionFields + ` } userErrors { field message code } } }`
	gql(e, remove, catJ{"id": id, "p": []string{p2}}).Expect(t, 200, payload("removeProductsFromCollection",
		catColl(id, "Summer Sale 2022", "summer-sale-2022", catJ{"k": "v"}, prod(p1, "Tee", id), prod(p3, "Cap", id))))
	for _, m := range []struct{ name, query string }{{"addProductsToCollection", add}, {"removeProductsFromCollection", remove}} {
		gql(e, m.query, catJ{"id": id, "p": []string{}}).Expect(t, 200,
			payload(m.name, nil, catUE([]string{"productIds"}, "product_ids should not be empty", "INVALID_DATA")))
		gql(e, m.query, catJ{"id": "pcol_missing", "p": []string{p2}}).Expect(t, 200,
			payload(m.name, nil, catUE(nil, "Product collection with id: pcol_missing was not found", "NOT_FOUND")))
	}
	if n := catCount(t, e, `SELECT count(*) FROM product WHERE collection_id = ?`, id); n != 2 {
		t.Fatalf("%d products in the collection", n)
	}
	// A product's collection, and products(first:).
	gql(e, `query($p: ID!, $c: ID!) { product(id: $p) { collection { id title } } collection(id: $c) { products(first: 1) { id } } }`,
		catJ{"p": p3, "c": id}).Expect(t, 200, catData(catJ{"product": catJ{"collection": catJ{"id": id, "title": "Summer Sale 2022"}},
		"collection": catJ{"products": []any{catJ{"id": p1}}}}))

	// The list, newest first, with its filters; by id and as a node.
	list := `query($f: ProductCollectionFilter, $first: Int) { collections(filter: $f, first: $first) { totalCount pageInfo { hasNextPage } nodes { id products(first: 5) { id } } } }`
	both := catData(catJ{"collections": catJ{"totalCount": 2, "pageInfo": catJ{"hasNextPage": false}, "nodes": []any{
		catJ{"id": other, "products": []any{}}, catJ{"id": id, "products": []any{catJ{"id": p1}, catJ{"id": p3}}}}}})
	gql(e, list, nil).Expect(t, 200, both)
	gql(e, list, catJ{"f": catJ{"createdAt": catJ{"gt": "2000-01-01T00:00:00Z"}}}).Expect(t, 200, both)
	for _, f := range []catJ{{"q": "SUMMER"}, {"q": "sale-2022"}, {"title": "Summer Sale 2022"}, {"handle": "summer-sale-2022"}} {
		gql(e, list, catJ{"f": f}).Expect(t, 200, catData(catJ{"collections": catJ{"totalCount": 1, "pageInfo": catJ{"hasNextPage": false},
			"nodes": []any{catJ{"id": id, "products": []any{catJ{"id": p1}, catJ{"id": p3}}}}}}))
	}
	gql(e, list, catJ{"first": 1}).Expect(t, 200, catData(catJ{"collections": catJ{"totalCount": 2, "pageInfo": catJ{"hasNextPage": true},
		"nodes": []any{catJ{"id": other, "products": []any{}}}}}))
	gql(e, list, catJ{"first": 0}).Expect(t, 200, catData(catJ{"collections": catJ{"totalCount": 2, "pageInfo": catJ{"hasNextPage": true}, "nodes": []any{}}}))
	gql(e, `query($id: ID!) { collection(id: $id) { `+catCollectionFields+` } node(id: $id) { id ... on ProductCollection { title } } }`, catJ{"id": id}).
		Expect(t, 200, catData(catJ{"collection": catColl(id, "Summer Sale 2022", "summer-sale-2022", catJ{"k": "v"}, prod(p1, "Tee", id), prod(p3, "Cap", id)),
			"node": catJ{"id": id, "title": "Summer Sale 2022"}}))

	// Update: metadata merged, null clears the handle; a taken handle is refused.
	update := `mutation($id: ID!, $in: UpdateProductCollectionInput!) { updateCollection(id: $id, input: $in) { collection { id title handle metadata } userErrors { field message code } } }`
	gql(e, update, catJ{"id": other, "in": catJ{"title": "Others", "handle": nil, "metadata": catJ{"n": 1}}}).Expect(t, 200,
		payload("updateCollection", catJ{"id": other, "title": "Others", "handle": nil, "metadata": catJ{"n": 1}}))
	gql(e, update, catJ{"id": other, "in": catJ{"handle": "summer-sale-2022"}}).Expect(t, 200,
		payload("updateCollection", nil, catUE(nil, "Product_collection with handle summer-sale-2022 already exists.", "DUPLICATE_ERROR")))
	gql(e, update, catJ{"id": "pcol_missing", "in": catJ{"title": "x"}}).Expect(t, 200,
		payload("updateCollection", nil, catUE(nil, "Product collection with id: pcol_missing was not found", "NOT_FOUND")))

	// Delete; again is a userError; its products keep their collectionId.
	del := `mutation($id: ID!) { deleteCollection(id: $id) { deletedId userErrors { field message code } } }`
	gql(e, del, catJ{"id": id}).Expect(t, 200, catData(catJ{"deleteCollection": catJ{"deletedId": id, "userErrors": []any{}}}))
	gql(e, del, catJ{"id": id}).Expect(t, 200, catData(catJ{"deleteCollection": catJ{"deletedId": nil,
		"userErrors": []any{catUE(nil, "Product collection with id: "+id+" was not found", "NOT_FOUND")}}}))
	gql(e, `query($id: ID!, $p: ID!) { collection(id: $id) { id } product(id: $p) { collectionId collection { id } } collections { totalCount } }`,
		catJ{"id": id, "p": p1}).Expect(t, 200, catData(catJ{"collection": nil, "product": catJ{"collectionId": id, "collection": nil},
		"collections": catJ{"totalCount": 1}}))
	gql(e, `{ collections(filter: {deletedAt: {gt: "2000-01-01T00:00:00Z"}}) { totalCount nodes { id deletedAt } } }`, nil).Expect(t, 200,
		catData(catJ{"collections": catJ{"totalCount": 1, "nodes": []any{catJ{"id": id, "deletedAt": "$time"}}}}))
}
