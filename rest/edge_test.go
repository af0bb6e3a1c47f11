package rest_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// Focused tests of the edge: each refusal with its full answer, and that it changed nothing.

// jsonHeaders are the admin's headers with a Content-Type of choice.
func jsonHeaders(contentType string) map[string]string {
	h := map[string]string{"Authorization": "Bearer " + resttest.Token}
	if contentType != "" {
		h["Content-Type"] = contentType
	}
	return h
}

// rawRequest sends body bytes as they are (DoWith always sets application/json for a body).
func rawRequest(e *resttest.Env, method, path string, body []byte, headers map[string]string) *resttest.Response {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return &resttest.Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

func TestEdgeNULInPathAndQuery(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := createNordics(t, e)
	before := e.Do("GET", "/admin/regions/"+region, nil)
	// Medusa answers all of these with a 500 once PostgreSQL refuses the query.
	e.Do("GET", "/admin/regions/reg_%00x", nil).Expect(t, 400, `{"type":"invalid_data","message":"id must not contain NUL characters"}`)
	e.Do("POST", "/admin/regions/reg_%00x", map[string]any{"name": "x"}).Expect(t, 400, `{"type":"invalid_data","message":"id must not contain NUL characters"}`)
	e.Do("DELETE", "/admin/regions/"+region+"/countries/d%00", nil).Expect(t, 400, `{"type":"invalid_data","message":"code must not contain NUL characters"}`)
	// Below a sub-router (sales channels) the parameter is named too.
	e.Do("GET", "/admin/sales-channels/sc_%00", nil).Expect(t, 400, `{"type":"invalid_data","message":"id must not contain NUL characters"}`)
	e.Do("GET", "/admin/products?q=a%00b", nil).Expect(t, 400, `{"type":"invalid_data","message":"q must not contain NUL characters"}`)
	e.Do("GET", "/admin/customers?limit=1&q=%00", nil).Expect(t, 400, `{"type":"invalid_data","message":"q must not contain NUL characters"}`)
	e.Do("GET", "/admin/products?created_at%5Bgt%5D=2022-01-01%00", nil).Expect(t, 400, `{"type":"invalid_data","message":"created_at[gt] must not contain NUL characters"}`)
	e.Do("GET", "/admin/products?a%00=1", nil).Expect(t, 400, `{"type":"invalid_data","message":"query parameter names must not contain NUL characters"}`)
	// A NUL in an unknown route is still Express's 404 page, and without a token still a 401.
	res := e.Do("GET", "/admin/nope/%00", nil)
	if res.Status != 404 || !strings.Contains(string(res.Body), "<pre>Cannot GET /admin/nope/") {
		t.Fatalf("unknown route: %d %s", res.Status, res.Body)
	}
	e.DoAnon("GET", "/admin/regions/reg_%00", nil).ExpectText(t, 401, "Unauthorized")
	if after := e.Do("GET", "/admin/regions/"+region, nil); !bytes.Equal(before.Body, after.Body) {
		t.Fatalf("region changed:\n%s\n%s", before.Body, after.Body)
	}
}

func TestEdgeEscapedParameters(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	// Express decodes route parameters; chi leaves them escaped when the path holds %2F.
	e.Do("GET", "/admin/regions/a%2Fb", nil).Expect(t, 404, `{"type":"not_found","message":"Region with a/b was not found"}`)
	e.Do("GET", "/admin/regions/a%2Fb%20c", nil).Expect(t, 404, `{"type":"not_found","message":"Region with a/b c was not found"}`)
	e.Do("GET", "/admin/regions/caf%C3%A9", nil).Expect(t, 404, `{"type":"not_found","message":"Region with café was not found"}`)
	long := strings.Repeat("x", 10000)
	e.Do("GET", "/admin/products/"+long, nil).Expect(t, 404, `{"type":"not_found","message":"Product with id: `+long+` was not found"}`)
}

func TestEdgeNULInBody(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("POST", "/admin/collections", `{"title":"a\u0000b"}`).Expect(t, 400, `{"type":"invalid_data","message":"title must not contain NUL characters"}`)
	e.Do("POST", "/admin/products", `{"title":"T","variants":[{"title":"ok"},{"title":"S","options":[{"value":"\u0000"}]}]}`).
		Expect(t, 400, `{"type":"invalid_data","message":"variants[1].options[0].value must not contain NUL characters"}`)
	e.Do("POST", "/admin/collections", `{"title":"T","metadata":{"a\u0000":1}}`).
		Expect(t, 400, `{"type":"invalid_data","message":"metadata property names must not contain NUL characters"}`)
	e.Do("POST", "/admin/collections", `{"a\u0000":1}`).
		Expect(t, 400, `{"type":"invalid_data","message":"property names must not contain NUL characters"}`)
	// An escaped backslash before u0000 is no NUL.
	e.Do("POST", "/admin/collections", `{"title":"a\\u0000"}`).Expect(t, 200, `{"collection":{"id":"$id:pcol","title":"a\\u0000","handle":"a-u-0000",
		"created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}}`)
	// The routes Medusa serves without authentication check their bodies the same way.
	e.DoAnon("POST", "/admin/auth", `{"email":"admin@test.com\u0000","password":"x"}`).
		Expect(t, 400, `{"type":"invalid_data","message":"email must not contain NUL characters"}`)
	e.Do("GET", "/admin/collections", nil).Expect(t, 200, `{"collections":[{"id":"$id:pcol","title":"a\\u0000","handle":"a-u-0000","created_at":"$time","updated_at":"$time","products":[]}],"count":1,"offset":0,"limit":10}`)
}

// Medusa's body-parser refuses null, strings, numbers and booleans with a 400 HTML page and takes
// [] as an empty update; Gorgon refuses them all as JSON, and nothing moves.
func TestEdgeNonObjectBodies(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	before := e.Do("GET", "/admin/users/"+e.AdminID, nil)
	for _, body := range []string{`null`, `[]`, `[{"first_name":"x"}]`, `"x"`, `1`, `true`, ` null `} {
		e.Do("POST", "/admin/users/"+e.AdminID, body).Expect(t, 400, `{"type":"invalid_data","message":"request body must be a JSON object"}`)
	}
	e.Do("DELETE", "/admin/users/"+e.AdminID, `null`).Expect(t, 400, `{"type":"invalid_data","message":"request body must be a JSON object"}`)
	after := e.Do("GET", "/admin/users/"+e.AdminID, nil)
	if !bytes.Equal(before.Body, after.Body) {
		t.Fatalf("user changed:\n%s\n%s", before.Body, after.Body)
	}
}

func TestEdgeMalformedJSON(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	for _, tc := range []struct{ body, msg string }{
		{`{"a":`, `request body is not valid JSON: unexpected end of JSON input`},
		{`{'a':1}`, `request body is not valid JSON: invalid character '\\'' looking for beginning of object key string at position 1`},
		{`{"first_name":"a"} x`, `request body is not valid JSON: invalid character 'x' after top-level value at position 19`},
		{`{"first_name":"a",}`, `request body is not valid JSON: invalid character '}' looking for beginning of object key string at position 18`},
		{`{"a":1e}`, `request body is not valid JSON: invalid character '}' in exponent of numeric literal at position 7`},
		{"{\"a\":\"\x01\"}", `request body is not valid JSON: invalid character '\\x01' in string literal at position 6`},
		{`{"a":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`, `request body is nested too deeply`},
	} {
		e.Do("POST", "/admin/users/"+e.AdminID, tc.body).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.msg+`"}`)
	}
	// As body-parser: an empty JSON body is {} (actions without input are sent that way).
	rawRequest(e, "POST", "/admin/users/"+e.AdminID, nil, jsonHeaders("application/json")).Expect(t, 200, `{"user":"$any"}`)
	rawRequest(e, "POST", "/admin/users/"+e.AdminID, []byte(" \n "), jsonHeaders("application/json")).Expect(t, 200, `{"user":"$any"}`)
	// Huge numbers are valid JSON; the property's check refuses them.
	e.Do("POST", "/admin/users/"+e.AdminID, `{"first_name":1e400}`).Expect(t, 400, `{"type":"invalid_data","message":"first_name must be a string"}`)
	e.Do("GET", "/admin/users/"+e.AdminID+"", nil).Expect(t, 200, `{"user":{"id":"`+e.AdminID+`","email":"admin@test.com","first_name":null,"last_name":null,
		"api_token":"`+resttest.Token+`","role":"admin","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}}`)
}

func TestEdgeContentTypes(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	path := "/admin/users/" + e.AdminID
	body := []byte(`{"first_name":"Ada"}`)
	// Medusa's body parser skips these bodies and the update runs without its fields (a 200
	// that changes nothing); Gorgon says why.
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "", "multipart/form-data; boundary=x"} {
		rawRequest(e, "POST", path, body, jsonHeaders(ct)).Expect(t, 400,
			`{"type":"invalid_data","message":"request body must be sent as JSON (Content-Type: application/json)"}`)
	}
	// Without a body the type does not matter.
	rawRequest(e, "POST", path, nil, jsonHeaders("text/plain")).Expect(t, 200, `{"user":"$any"}`)
	// body-parser's charset and encoding refusals, as JSON.
	rawRequest(e, "POST", path, body, jsonHeaders("application/json; charset=latin1")).
		Expect(t, 415, `{"type":"invalid_data","message":"unsupported charset \"LATIN1\""}`)
	h := jsonHeaders("application/json")
	h["Content-Encoding"] = "br"
	rawRequest(e, "POST", path, body, h).Expect(t, 415, `{"type":"invalid_data","message":"unsupported content encoding \"br\""}`)
	h["Content-Encoding"] = "gzip"
	rawRequest(e, "POST", path, body, h).Expect(t, 400, `{"type":"invalid_data","message":"request body could not be decompressed (gzip)"}`)
	e.Do("GET", path+"?fields=first_name", nil).Expect(t, 200, `{"user":{"id":"`+e.AdminID+`","email":"admin@test.com","first_name":null,"last_name":null,
		"api_token":"`+resttest.Token+`","role":"admin","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}}`)

	// Accepted: a charset of utf-8, +json types, gzip and deflate bodies (body-parser inflates them).
	rawRequest(e, "POST", path, []byte(`{"first_name":"A"}`), jsonHeaders("application/json; charset=UTF-8")).
		Expect(t, 200, `{"user":{"id":"`+e.AdminID+`","email":"admin@test.com","first_name":"A","last_name":null,
		"api_token":"`+resttest.Token+`","role":"admin","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null,
		"password_hash":null}}`)
	rawRequest(e, "POST", path, []byte(`{"last_name":"B"}`), jsonHeaders("application/merge-patch+json")).Expect(t, 200, `{"user":"$any"}`)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"first_name":"Gzip"}`))
	_ = zw.Close()
	h["Content-Encoding"] = "gzip"
	rawRequest(e, "POST", path, gz.Bytes(), h).Expect(t, 200, `{"user":{"id":"`+e.AdminID+`","email":"admin@test.com","first_name":"Gzip","last_name":"B",
		"api_token":"`+resttest.Token+`","role":"admin","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null,"password_hash":null}}`)
	var zl bytes.Buffer
	zlw := zlib.NewWriter(&zl)
	_, _ = zlw.Write([]byte(`{"first_name":"Deflate"}`))
	_ = zlw.Close()
	h["Content-Encoding"] = "deflate"
	rawRequest(e, "POST", path, zl.Bytes(), h).Expect(t, 200, `{"user":{"id":"`+e.AdminID+`","email":"admin@test.com","first_name":"Deflate","last_name":"B",
		"api_token":"`+resttest.Token+`","role":"admin","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null,"password_hash":null}}`)
	// A NUL inside a compressed body is found too.
	gz.Reset()
	zw = gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"first_name":"\u0000"}`))
	_ = zw.Close()
	h["Content-Encoding"] = "gzip"
	rawRequest(e, "POST", path, gz.Bytes(), h).Expect(t, 400, `{"type":"invalid_data","message":"first_name must not contain NUL characters"}`)
}

func TestEdgeBodyTooLarge(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	big := `{"first_name":"` + strings.Repeat("x", 1<<20) + `"}`
	// body-parser answers 413 (with an HTML page); the limit applies after decompression.
	e.Do("POST", "/admin/users/"+e.AdminID, big).Expect(t, 413, `{"type":"invalid_data","message":"request entity too large"}`)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(big))
	_ = zw.Close()
	if gz.Len() > 1<<16 {
		t.Fatalf("compressed body of %d bytes", gz.Len())
	}
	h := jsonHeaders("application/json")
	h["Content-Encoding"] = "gzip"
	rawRequest(e, "POST", "/admin/users/"+e.AdminID, gz.Bytes(), h).Expect(t, 413, `{"type":"invalid_data","message":"request entity too large"}`)
	// Within the limit but beyond what the handle's index can hold (Medusa: a 500).
	e.Do("POST", "/admin/collections", `{"title":"`+strings.Repeat("x", 1<<19)+`"}`).Expect(t, 400, `{"type":"invalid_data","message":"A value is too long to be stored"}`)
	e.Do("GET", "/admin/collections", nil).Expect(t, 200, `{"collections":[],"count":0,"offset":0,"limit":10}`)
}

// Values that pass class-validator but that the columns cannot hold: Medusa answers a 500 when
// the insert fails; Gorgon refuses them first.
func TestEdgeValuesTheColumnsCannotHold(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := createNordics(t, e)
	product := catProduct(t, e, "Shirt")
	variant := catVariant(t, e, product, "S", 0)
	price := func(amount string) string {
		return `{"name":"PL","description":"d","type":"sale","prices":[{"amount":` + amount + `,"variant_id":"` + variant + `","currency_code":"usd"}]}`
	}
	for _, amount := range []string{`2147483648`, `-2147483649`, `9007199254740993`, `1.5`} {
		e.Do("POST", "/admin/price-lists", price(amount)).Expect(t, 400, `{"type":"invalid_data","message":"amount must be an integer number"}`)
	}
	e.Do("POST", "/admin/price-lists", price(`2147483647`)).Expect(t, 200, `{"price_list":"$any"}`)
	e.Do("POST", "/admin/gift-cards", `{"region_id":"`+region+`","value":9007199254740993}`).
		Expect(t, 400, `{"type":"invalid_data","message":"value must be an integer number"}`)
	for _, rate := range []string{`1e39`, `1e-50`, `"1e39"`} {
		e.Do("POST", "/admin/tax-rates", `{"code":"T","name":"T","region_id":"`+region+`","rate":`+rate+`}`).
			Expect(t, 400, `{"type":"invalid_data","message":"rate must be a number conforming to the specified constraints"}`)
	}
	e.Do("POST", "/admin/regions/"+region, `{"tax_rate":1e39}`).
		Expect(t, 400, `{"type":"invalid_data","message":"tax_rate must be a number conforming to the specified constraints"}`)
	for _, d := range []string{`"0000-01-01T00:00:00Z"`, `"-000001-01-01T00:00:00Z"`, `-8640000000000000`, `8640000000000001`} {
		e.Do("POST", "/admin/price-lists", `{"name":"PL","description":"d","type":"sale","prices":[],"starts_at":`+d+`}`).
			Expect(t, 400, `{"type":"invalid_data","message":"starts_at must be a Date instance"}`)
	}
	e.Do("GET", "/admin/tax-rates", nil).Expect(t, 200, `{"tax_rates":[],"count":0,"offset":0,"limit":50}`)
	// Date filters beyond what PostgreSQL reads compare as the earliest and latest dates.
	all := e.Do("GET", "/admin/regions", nil)
	since := e.Do("GET", "/admin/regions?created_at[gt]=0000-01-01", nil)
	since.Expect(t, 200, `{"regions":"$any","count":1,"offset":0,"limit":50}`)
	if !bytes.Equal(all.Body, since.Body) {
		t.Fatalf("created_at[gt]=0000-01-01 filtered:\n%s\n%s", all.Body, since.Body)
	}
	// Digits are seconds (Medusa's transformDate): -8640000000000 s is JavaScript's earliest date.
	e.Do("GET", "/admin/regions?created_at[lt]=-8640000000000", nil).Expect(t, 200, `{"regions":[],"count":0,"offset":0,"limit":50}`)
	e.Do("GET", "/admin/regions?created_at[lt]=-8640000000000000", nil).
		Expect(t, 400, `{"type":"invalid_data","message":"lt must be a Date instance"}`)
}

// Medusa's existence checks answer {errors, message}; Gorgon adds the type.
func TestEdgeMultipleErrorsCarryType(t *testing.T) {
	t.Parallel()
	resttest.NeedSalesChannels(t)
	e := resttest.New(t)
	e.Do("POST", "/admin/products", map[string]any{"title": "T", "sales_channels": []any{map[string]any{"id": "sc_nope"}}}).Expect(t, 400,
		`{"type":"invalid_data","message":"Provided request body contains errors. Please check the data and retry the request","errors":["Sales Channels sc_nope do not exist"]}`)
	res := e.Do("POST", "/admin/sales-channels", map[string]any{"name": "Web"})
	id := res.JSON(t)["sales_channel"].(map[string]any)["id"].(string)
	e.Do("POST", "/admin/sales-channels/"+id+"/products/batch", map[string]any{"product_ids": []any{map[string]any{"id": "prod_nope"}}}).Expect(t, 400,
		`{"type":"invalid_data","message":"Provided request body contains errors. Please check the data and retry the request","errors":["Products prod_nope do not exist"]}`)
}

// The handlers that ignore their body still refuse a broken one, as body-parser runs for every
// route: a DELETE with a malformed body deletes nothing.
func TestEdgeBrokenBodyOnBodylessRoute(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	region := createNordics(t, e)
	before := e.Do("GET", "/admin/regions/"+region, nil)
	e.Do("DELETE", "/admin/regions/"+region, `{"a":`).Expect(t, 400, `{"type":"invalid_data","message":"request body is not valid JSON: unexpected end of JSON input"}`)
	if after := e.Do("GET", "/admin/regions/"+region, nil); !bytes.Equal(before.Body, after.Body) {
		t.Fatalf("region changed:\n%s\n%s", before.Body, after.Body)
	}
	// A body that is not JSON is not read, as body-parser skips it.
	rawRequest(e, "DELETE", "/admin/regions/"+region, []byte("x"), jsonHeaders("text/plain")).
		Expect(t, 200, `{"id":"`+region+`","object":"region","deleted":true}`)
}

// A request the client abandoned (its context is cancelled while the store works) is not a
// server failure: no 500 body, no error log, a 499 for access logs.
func TestEdgeAbandonedRequest(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req := httptest.NewRequestWithContext(ctx, "GET", "/admin/products", nil)
	req.Header.Set("Authorization", "Bearer "+resttest.Token)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	if rec.Code != 499 || rec.Body.Len() != 0 {
		t.Fatalf("abandoned request: %d %q", rec.Code, rec.Body.String())
	}
}
