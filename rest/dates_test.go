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
