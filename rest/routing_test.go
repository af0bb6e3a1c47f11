package rest_test

import (
	"bytes"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// Express routes like Medusa 1.3.8's: trailing slash, letter case of static segments and doubled
// slashes below /admin reach the same route (each checked against the reference server).
func TestExpressPathMatching(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	prod := e.Do("POST", "/admin/products/", map[string]any{"title": "Slash", "handle": "Slash-Handle"})
	if prod.Status != 200 {
		t.Fatalf("POST /admin/products/: %d %s", prod.Status, prod.Body)
	}
	id := prod.JSON(t)["product"].(map[string]any)["id"].(string)

	same := map[string][]string{
		"/admin/store":                   {"/admin/store/", "/admin/STORE", "/ADMIN/Store/", "/admin//store", "/admin/store//"},
		"/admin/products/types":          {"/admin/products/TYPES", "/admin/Products/types/"},
		"/admin/variants":                {"/admin/variants/"},
		"/admin/products/" + id:          {"/admin/products/" + id + "/", "/admin/PRODUCTS/" + id},
		"/admin/price-lists?limit=2":     {"/admin/price-lists/?limit=2"},
		"/admin/store/payment-providers": {"/admin/Store/Payment-Providers/"},
	}
	for bare, variants := range same {
		want := e.Do("GET", bare, nil)
		if want.Status != 200 {
			t.Fatalf("GET %s: %d %s", bare, want.Status, want.Body)
		}
		for _, v := range variants {
			got := e.Do("GET", v, nil)
			if got.Status != want.Status || !bytes.Equal(got.Body, want.Body) {
				t.Errorf("GET %s = %d %s\nwant as %s: %d %s", v, got.Status, got.Body, bare, want.Status, want.Body)
			}
		}
	}

	// Ids keep their case: a product id in other case is another (missing) product.
	e.Do("GET", "/admin/products/PROD_NOPE/", nil).Expect(t, 404,
		`{"type":"not_found","message":"Product with id: PROD_NOPE was not found"}`)

	// Unknown /admin paths: authentication first (401), then Express's 404 naming the path sent.
	res := e.DoAnon("GET", "/admin/nothing/", nil)
	if res.Status != 401 || string(res.Body) != "Unauthorized" {
		t.Fatalf("anonymous unknown path: %d %q", res.Status, res.Body)
	}
	res = e.Do("GET", "/admin/nothing/", nil)
	wantHTML := "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /admin/nothing/</pre>\n</body>\n</html>\n"
	if res.Status != 404 || string(res.Body) != wantHTML {
		t.Fatalf("unknown path: %d %q", res.Status, res.Body)
	}
	// The leading double slash is outside Medusa's /admin router: 404 without authentication.
	if res := e.DoAnon("GET", "//admin/store", nil); res.Status != 404 {
		t.Fatalf("//admin/store: %d %s", res.Status, res.Body)
	}
	// Unauthenticated routes match the same way.
	res = e.DoAnon("POST", "/admin/AUTH/", map[string]any{"email": "admin@test.com", "password": "secret-password"})
	if res.Status != 200 {
		t.Fatalf("POST /admin/AUTH/: %d %s", res.Status, res.Body)
	}
	// HEAD is answered by the GET route, as Express does (net/http drops the body).
	if res := e.Do("HEAD", "/admin/store/", nil); res.Status != 200 {
		t.Fatalf("HEAD /admin/store/: %d %s", res.Status, res.Body)
	}
}
