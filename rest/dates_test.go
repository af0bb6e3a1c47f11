package rest_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// Body dates are read as node's `new Date(value)` reads them (Medusa's @Type(() => Date)); the
// test process runs in the machine's zone, so only forms with an explicit zone or date-only
// forms (UTC in JavaScript) are asserted here. rest/jsdate holds the full corpus.
func TestBodyDatesAsJavaScript(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	cases := map[any]string{
		"Oct 10 2005 10:00 GMT+0200":    "2005-10-10T08:00:00.000Z",
		"Tue, 11 Oct 2005 10:00:00 GMT": "2005-10-11T10:00:00.000Z",
		"2005-10-12":                    "2005-10-12T00:00:00.000Z",
		"2005-10-13T10:00:00.123456Z":   "2005-10-13T10:00:00.123Z",
		float64(1129000000000):          "2005-10-11T03:06:40.000Z",
		"Mon Oct 10 2005 00:00:00 GMT+0000 (Coordinated Universal Time)": "2005-10-10T00:00:00.000Z",
	}
	for in, want := range cases {
		res := e.Do("POST", "/admin/price-lists", map[string]any{"name": "Dated", "description": "d", "type": "sale", "prices": []any{}, "starts_at": in})
		if res.Status != 200 {
			t.Fatalf("starts_at %v: %d %s", in, res.Status, res.Body)
		}
		if got := res.JSON(t)["price_list"].(map[string]any)["starts_at"]; got != want {
			t.Errorf("starts_at %v: got %v, want %s", in, got, want)
		}
	}
	for _, bad := range []any{"garbage", "2005-13-01", "-271821-04-20T00:00:00Z", true} {
		e.Do("POST", "/admin/price-lists", map[string]any{"name": "Dated", "description": "d", "type": "sale", "prices": []any{}, "starts_at": bad}).
			Expect(t, 400, `{"type":"invalid_data","message":"starts_at must be a Date instance"}`)
	}
	e.Do("GET", "/admin/price-lists", nil).Expect(t, 200, `{"price_lists":"$any","count":6,"offset":0,"limit":10}`)
}

// Query date filters go through Medusa's transformDate: JavaScript's Date, else seconds since the
// epoch (Medusa's own API tests send `updated_at[gt]=10-10-2005`).
func TestQueryDatesAsMedusa(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	if res := e.Do("POST", "/admin/regions", map[string]any{"name": "Nordics", "currency_code": "usd", "tax_rate": 0,
		"payment_providers": []string{"manual"}, "fulfillment_providers": []string{"manual"}, "countries": []string{"se"}}); res.Status != 200 {
		t.Fatalf("region: %d %s", res.Status, res.Body)
	}
	for query, count := range map[string]int{
		"updated_at[gt]=10-10-2005":                               1,
		"updated_at[lt]=Oct%2010%202005":                          0,
		"created_at[gt]=1129000000":                               1, // seconds, as Medusa's fallback reads digits
		"created_at[lt]=4102444800":                               1, // 2100-01-01 in seconds
		"created_at[gte]=Tue,%2011%20Oct%202005%2010:00:00%20GMT": 1,
	} {
		res := e.Do("GET", "/admin/regions?"+query, nil)
		if res.Status != 200 {
			t.Fatalf("%s: %d %s", query, res.Status, res.Body)
		}
		if got := res.JSON(t)["count"]; got != float64(count) {
			t.Errorf("%s: count %v, want %d", query, got, count)
		}
	}
	e.Do("GET", "/admin/regions?updated_at[gt]=garbage", nil).
		Expect(t, 400, `{"type":"invalid_data","message":"gt must be a Date instance"}`)
}
