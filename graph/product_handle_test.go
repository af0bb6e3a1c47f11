package graph_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// A storefront page is addressed by handle: product(handle:) finds the live product, null when
// none; exactly one of id and handle.
func TestProductByHandle(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/products", map[string]any{"title": "Linen Shirt", "variants": []any{map[string]any{"title": "M", "prices": []any{map[string]any{"currency_code": "usd", "amount": 4500}}}}})
	id := res.JSON(t)["product"].(map[string]any)["id"].(string)
	q := `query($h: String) { product(handle: $h) { id title handle variants { title } } }`
	gql(e, q, map[string]any{"h": "linen-shirt"}).Expect(t, 200,
		`{"data":{"product":{"id":"`+id+`","title":"Linen Shirt","handle":"linen-shirt","variants":[{"title":"M"}]}}}`)
	gql(e, q, map[string]any{"h": "nope"}).Expect(t, 200, `{"data":{"product":null}}`)
	gql(e, `{ product { id } }`, nil).Expect(t, 200,
		`{"errors":[{"message":"product takes exactly one of id and handle","locations":[{"line":1,"column":3}],"path":["product"],"extensions":{"code":"INVALID_DATA"}}],"data":{"product":null}}`)
	e.Do("DELETE", "/admin/products/"+id, nil)
	gql(e, q, map[string]any{"h": "linen-shirt"}).Expect(t, 200, `{"data":{"product":null}}`)
}
