package rest_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// catExec runs SQL fixtures: the catalog tests build products with SQL so that they do not depend
// on the product routes.
func catExec(t *testing.T, e *resttest.Env, sql string, args ...any) {
	t.Helper()
	if _, err := e.DB.ExecContext(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// catProduct inserts a published product with the default shipping profile and returns its id.
func catProduct(t *testing.T, e *resttest.Env, title string) string {
	t.Helper()
	id := store.NewID("prod")
	catExec(t, e, `INSERT INTO product (id, title, handle, status, profile_id, discountable, is_giftcard)
		SELECT ?, ?, ?, 'published', id, true, false FROM shipping_profile WHERE type = 'default'`, id, title, store.ProductHandle(title))
	return id
}

// catVariant inserts a variant of a product and returns its id.
func catVariant(t *testing.T, e *resttest.Env, productID, title string, rank int) string {
	t.Helper()
	id := store.NewID("variant")
	catExec(t, e, `INSERT INTO product_variant (id, title, product_id, inventory_quantity, variant_rank) VALUES (?, ?, ?, 10, ?)`,
		id, title, productID, rank)
	return id
}

// catPrice inserts a base price (priceList "") or a price list's price and returns its id.
func catPrice(t *testing.T, e *resttest.Env, variantID, currency string, amount int, priceList string) string {
	t.Helper()
	id := store.NewID("ma")
	var pl any
	if priceList != "" {
		pl = priceList
	}
	catExec(t, e, `INSERT INTO money_amount (id, currency_code, amount, variant_id, price_list_id) VALUES (?, ?, ?, ?, ?)`,
		id, currency, amount, variantID, pl)
	return id
}

// catProductJSON is a product row as Medusa returns it without relations.
func catProductJSON(id, title, collection string) string {
	col := "null"
	if collection != "" {
		col = `"` + collection + `"`
	}
	return fmt.Sprintf(`{"id":%q,"created_at":"$time","updated_at":"$time","deleted_at":null,"title":%q,"subtitle":null,
		"description":null,"handle":%q,"is_giftcard":false,"status":"published","thumbnail":null,"profile_id":"$id:sp",
		"weight":null,"length":null,"height":null,"width":null,"hs_code":null,"origin_country":null,"mid_code":null,
		"material":null,"collection_id":%s,"type_id":null,"discountable":true,"external_id":null,"metadata":null}`,
		id, title, store.ProductHandle(title), col)
}

func collectionJSON(id, title, handle, metadata string, extra string) string {
	return `{"id":"` + id + `","created_at":"$time","updated_at":"$time","deleted_at":null,"title":"` + title +
		`","handle":` + handle + `,"metadata":` + metadata + extra + `}`
}

func TestCollectionsCRUD(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/collections", map[string]any{"title": "Summer Sale 2022"})
	res.Expect(t, 200, `{"collection":`+collectionJSON("$id:pcol", "Summer Sale 2022", `"summer-sale-2022"`, "null", "")+`}`)
	id := res.JSON(t)["collection"].(map[string]any)["id"].(string)

	e.Do("POST", "/admin/collections", map[string]any{"title": "Other", "handle": "summer-sale-2022"}).
		Expect(t, 422, `{"type":"duplicate_error","code":"invalid_request_error","message":"Product_collection with handle summer-sale-2022 already exists."}`)

	e.Do("GET", "/admin/collections/"+id, nil).
		Expect(t, 200, `{"collection":`+collectionJSON(id, "Summer Sale 2022", `"summer-sale-2022"`, "null", `,"products":[]`)+`}`)

	e.Do("POST", "/admin/collections/"+id, map[string]any{"title": "Summer", "metadata": map[string]any{"a": 1}}).
		Expect(t, 200, `{"collection":`+collectionJSON(id, "Summer", `"summer-sale-2022"`, `{"a":1}`, "")+`}`)
	e.Do("POST", "/admin/collections/"+id, map[string]any{"handle": nil, "metadata": map[string]any{"b": 2}}).
		Expect(t, 200, `{"collection":`+collectionJSON(id, "Summer", "null", `{"a":1,"b":2}`, "")+`}`)

	e.Do("DELETE", "/admin/collections/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"product-collection","deleted":true}`)
	e.Do("GET", "/admin/collections/"+id, nil).
		Expect(t, 404, `{"type":"not_found","message":"Product collection with id: `+id+` was not found"}`)
	e.Do("DELETE", "/admin/collections/"+id, nil).
		Expect(t, 404, `{"type":"not_found","message":"Product collection with id: `+id+` was not found"}`)
	// The handle is free again once its collection is deleted.
	e.Do("POST", "/admin/collections", map[string]any{"title": "Again", "handle": "summer-sale-2022", "metadata": map[string]any{"x": "y"}}).
		Expect(t, 200, `{"collection":`+collectionJSON("$id:pcol", "Again", `"summer-sale-2022"`, `{"x":"y"}`, "")+`}`)
}

func TestCollectionsList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	var ids []string
	for _, title := range []string{"Basics", "Summer", "Winter"} {
		res := e.Do("POST", "/admin/collections", map[string]any{"title": title})
		ids = append(ids, res.JSON(t)["collection"].(map[string]any)["id"].(string))
	}
	p1, p2 := catProduct(t, e, "Tee"), catProduct(t, e, "Socks")
	// One product per request: products come in the order PostgreSQL stores them (Medusa does not
	// order them), and an update rewrites a row at the end.
	e.Do("POST", "/admin/collections/"+ids[0]+"/products/batch", map[string]any{"product_ids": []string{p1}})
	e.Do("POST", "/admin/collections/"+ids[0]+"/products/batch", map[string]any{"product_ids": []string{p2}})
	item := func(id, title, handle, products string) string {
		return `{"id":"` + id + `","created_at":"$time","updated_at":"$time","title":"` + title + `","handle":"` + handle + `","products":` + products + `}`
	}
	all := `{"collections":[` + item(ids[2], "Winter", "winter", "[]") + `,` + item(ids[1], "Summer", "summer", "[]") + `,` +
		item(ids[0], "Basics", "basics", "["+catProductJSON(p1, "Tee", ids[0])+","+catProductJSON(p2, "Socks", ids[0])+"]") +
		`],"count":3,"offset":0,"limit":10}`
	e.Do("GET", "/admin/collections", nil).Expect(t, 200, all)
	e.Do("GET", "/admin/collections?limit=1&offset=1", nil).
		Expect(t, 200, `{"collections":[`+item(ids[1], "Summer", "summer", "[]")+`],"count":3,"offset":1,"limit":1}`)
	e.Do("GET", "/admin/collections?q=UMM", nil).
		Expect(t, 200, `{"collections":[`+item(ids[1], "Summer", "summer", "[]")+`],"count":1,"offset":0,"limit":10}`)
	e.Do("GET", "/admin/collections?handle=winter&created_at[gt]=2000-01-01", nil).
		Expect(t, 200, `{"collections":[`+item(ids[2], "Winter", "winter", "[]")+`],"count":1,"offset":0,"limit":10}`)

	// A deleted product leaves its collection's list; deleted collections show with a deleted_at filter.
	catExec(t, e, `UPDATE product SET deleted_at = now() WHERE id = ?`, p2)
	e.Do("DELETE", "/admin/collections/"+ids[2], nil)
	e.Do("GET", "/admin/collections?deleted_at[gt]=2000-01-01", nil).
		Expect(t, 200, `{"collections":[`+item(ids[2], "Winter", "winter", "[]")+`],"count":1,"offset":0,"limit":10}`)
	e.Do("GET", "/admin/collections?title=Basics", nil).
		Expect(t, 200, `{"collections":[`+item(ids[0], "Basics", "basics", "["+catProductJSON(p1, "Tee", ids[0])+"]")+`],"count":1,"offset":0,"limit":10}`)

	// The statement count does not depend on the page size.
	for i := 0; i < 5; i++ {
		e.Do("POST", "/admin/collections", map[string]any{"title": fmt.Sprintf("C%d", i)})
	}
	e.Do("GET", "/admin/collections?limit=1", nil)
	one := e.Queries
	e.Do("GET", "/admin/collections?limit=50", nil)
	if e.Queries != one || one == 0 {
		t.Fatalf("statements: limit=1 %d, limit=50 %d", one, e.Queries)
	}

	e.Do("GET", "/admin/collections?limit=x&expand=products&created_at[gt]=nope&title[]=a&created_at[foo]=1&updated_at=2", nil).Expect(t, 400,
		`{"type":"invalid_data","message":"property expand should not exist, title must be a string, property foo should not exist, gt must be a Date instance, nested property updated_at must be either object or array, limit must be a number conforming to the specified constraints"}`)
	e.DoAnon("GET", "/admin/collections", nil).ExpectText(t, 401, "Unauthorized")
}

func TestCollectionsBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("POST", "/admin/collections", map[string]any{}).
		Expect(t, 400, `{"type":"invalid_data","message":"title should not be empty, title must be a string"}`)
	e.Do("POST", "/admin/collections", map[string]any{"title": "", "handle": 5, "metadata": "x", "foo": 1}).
		Expect(t, 400, `{"type":"invalid_data","message":"property foo should not exist, title should not be empty, handle must be a string, metadata must be an object"}`)
	e.Do("POST", "/admin/collections", map[string]any{"title": 5}).
		Expect(t, 400, `{"type":"invalid_data","message":"title must be a string"}`)
	e.Do("POST", "/admin/collections/pcol_missing", map[string]any{"title": "x"}).
		Expect(t, 404, `{"type":"not_found","message":"Product collection with id: pcol_missing was not found"}`)
	res := e.Do("POST", "/admin/collections", map[string]any{"title": "Kept"})
	id := res.JSON(t)["collection"].(map[string]any)["id"].(string)
	// Medusa lets a null title through to the NOT NULL column (a 500).
	e.Do("POST", "/admin/collections/"+id, map[string]any{"title": nil}).
		Expect(t, 400, `{"type":"invalid_data","message":"title must be a string"}`)
	e.Do("POST", "/admin/collections/"+id, map[string]any{"metadata": []int{1}, "bad": true}).
		Expect(t, 400, `{"type":"invalid_data","message":"property bad should not exist, metadata must be an object"}`)
	e.Do("GET", "/admin/collections/"+id, nil).
		Expect(t, 200, `{"collection":`+collectionJSON(id, "Kept", `"kept"`, "null", `,"products":[]`)+`}`)
	e.DoAnon("POST", "/admin/collections", map[string]any{"title": "x"}).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("DELETE", "/admin/collections/"+id, nil).ExpectText(t, 401, "Unauthorized")
}

func TestCollectionProductsBatch(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/collections", map[string]any{"title": "Basics"})
	id := res.JSON(t)["collection"].(map[string]any)["id"].(string)
	other := e.Do("POST", "/admin/collections", map[string]any{"title": "Other"}).JSON(t)["collection"].(map[string]any)["id"].(string)
	p1, p2, p3 := catProduct(t, e, "Tee"), catProduct(t, e, "Socks"), catProduct(t, e, "Cap")
	e.Do("POST", "/admin/collections/"+other+"/products/batch", map[string]any{"product_ids": []string{p3}})

	// Unknown product ids are ignored, as Medusa's bulk update ignores them; p3 moves over.
	res = e.Do("POST", "/admin/collections/"+id+"/products/batch", map[string]any{"product_ids": []string{p1, "prod_missing", p3}})
	res.Expect(t, 200, `{"collection":`+collectionJSON(id, "Basics", `"basics"`, "null", `,"products":"$any"`)+`}`)
	// One UPDATE moves both, so their order is PostgreSQL's.
	var got []string
	for _, p := range res.JSON(t)["collection"].(map[string]any)["products"].([]any) {
		got = append(got, p.(map[string]any)["id"].(string))
	}
	sort.Strings(got)
	want := []string{p1, p3}
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("products %v, want %v", got, want)
	}
	e.Do("GET", "/admin/collections/"+other, nil).
		Expect(t, 200, `{"collection":`+collectionJSON(other, "Other", `"other"`, "null", `,"products":[]`)+`}`)

	e.Do("DELETE", "/admin/collections/"+id+"/products/batch", map[string]any{"product_ids": []string{p1, p2}}).
		Expect(t, 200, `{"id":"`+id+`","object":"product-collection","removed_products":["`+p1+`","`+p2+`"]}`)
	e.Do("GET", "/admin/collections/"+id, nil).
		Expect(t, 200, `{"collection":`+collectionJSON(id, "Basics", `"basics"`, "null", `,"products":[`+catProductJSON(p3, "Cap", id)+`]`)+`}`)

	for _, m := range []string{"POST", "DELETE"} {
		path := "/admin/collections/" + id + "/products/batch"
		e.Do(m, path, map[string]any{}).
			Expect(t, 400, `{"type":"invalid_data","message":"each value in product_ids must be a string, product_ids should not be empty"}`)
		e.Do(m, path, map[string]any{"product_ids": []string{}}).
			Expect(t, 400, `{"type":"invalid_data","message":"product_ids should not be empty"}`)
		e.Do(m, path, map[string]any{"product_ids": []any{1, p1}}).
			Expect(t, 400, `{"type":"invalid_data","message":"each value in product_ids must be a string"}`)
		e.Do(m, path, map[string]any{"product_ids": p1}).
			Expect(t, 400, `{"type":"invalid_data","message":"product_ids should not be empty"}`)
		e.Do(m, "/admin/collections/pcol_missing/products/batch", map[string]any{"product_ids": []string{p1}}).
			Expect(t, 404, `{"type":"not_found","message":"Product collection with id: pcol_missing was not found"}`)
		e.DoAnon(m, path, map[string]any{"product_ids": []string{p1}}).ExpectText(t, 401, "Unauthorized")
	}
	// Nothing changed by the refused requests.
	var inColl int
	if err := e.DB.QueryRow(`SELECT count(*) FROM product WHERE collection_id = ?`, id).Scan(&inColl); err != nil || inColl != 1 {
		t.Fatalf("products in collection: %d %v", inColl, err)
	}
}
