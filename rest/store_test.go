package rest_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

const (
	// "$" would read as a placeholder in expectations; TestStoreGet checks the symbol itself.
	usdJSON = `{"code":"usd","symbol":"$string","symbol_native":"$string","name":"US Dollar"}`
	eurJSON = `{"code":"eur","symbol":"€","symbol_native":"€","name":"Euro"}`
	dkkJSON = `{"code":"dkk","symbol":"Dkr","symbol_native":"kr","name":"Danish Krone"}`
)

// storeJSON is {"store": …} with the start-up store's columns, then extra: relations, or columns
// that override the defaults (a repeated key's last value wins when the expectation is decoded).
// The default sales channel's id is there only with sales channels (Medusa's entity has the
// column only with the flag on).
func storeJSON(extra string) string {
	base := `"id":"$id:store","name":"Medusa Store","default_currency_code":"usd","swap_link_template":null,
		"payment_link_template":null,"invite_link_template":null,"created_at":"$time","updated_at":"$time","metadata":null`
	if salesChannelsOn {
		base += `,"default_sales_channel_id":"$id:sc"`
	}
	if extra != "" {
		base += "," + extra
	}
	return `{"store":{` + base + `}}`
}

func TestStoreGet(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("GET", "/admin/store", nil)
	res.Expect(t, 200, storeJSON(`"currencies":[`+usdJSON+`],"default_currency":`+usdJSON+`,`+ifSalesChannels(`
		"default_sales_channel":{"id":"$id:sc","name":"Default Sales Channel","description":"Created by Medusa","is_disabled":false,
			"created_at":"$time","updated_at":"$time","deleted_at":null},
		"feature_flags":[{"key":"sales_channels","value":true}],`, `
		"feature_flags":[{"key":"sales_channels","value":false}],`)+`
		"payment_providers":[{"id":"manual","is_installed":true}],
		"fulfillment_providers":[{"id":"manual","is_installed":true}]`))
	res.MatchesSpec(t, "GET", "/admin/store")
	if c := res.JSON(t)["store"].(map[string]any)["default_currency"].(map[string]any); c["symbol"] != "$" || c["symbol_native"] != "$" {
		t.Fatalf("usd symbols %v", c)
	}
	// Medusa reads no query parameters here.
	if res := e.Do("GET", "/admin/store?expand=x&foo=1", nil); res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}

	res = e.Do("GET", "/admin/store/payment-providers", nil)
	res.Expect(t, 200, `{"payment_providers":[{"id":"manual","is_installed":true}]}`)
	res.MatchesSpec(t, "GET", "/admin/store/payment-providers")
	// Like Medusa 1.3.8, the tax providers are the rows only: the system provider has none.
	res = e.Do("GET", "/admin/store/tax-providers", nil)
	res.Expect(t, 200, `{"tax_providers":[]}`)
	res.MatchesSpec(t, "GET", "/admin/store/tax-providers")
	if _, err := e.DB.Exec(`INSERT INTO tax_provider (id, is_installed) VALUES ('avalara', false)`); err != nil {
		t.Fatal(err)
	}
	e.Do("GET", "/admin/store/tax-providers", nil).Expect(t, 200, `{"tax_providers":[{"id":"avalara","is_installed":false}]}`)
}

func TestStoreUpdate(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/store", map[string]any{"name": "Shop", "swap_link_template": "https://shop/swap/{cart_id}",
		"invite_link_template": "https://admin/invite?token={invite_token}", "metadata": map[string]any{"a": 1}})
	res.Expect(t, 200, storeJSON(`"name":"Shop","swap_link_template":"https://shop/swap/{cart_id}",
		"invite_link_template":"https://admin/invite?token={invite_token}","metadata":{"a":1},"currencies":[`+usdJSON+`]`))
	res.MatchesSpec(t, "POST", "/admin/store")

	// Currencies are replaced; the answer lists them as asked (Medusa answers with the list it
	// saved) and shows the default currency when it was given.
	res = e.Do("POST", "/admin/store", map[string]any{"currencies": []string{"usd", "EUR", "dkk"}, "default_currency_code": "EUR",
		"swap_link_template": nil, "metadata": map[string]any{"b": 2}})
	res.Expect(t, 200, storeJSON(`"name":"Shop","default_currency_code":"eur","invite_link_template":"https://admin/invite?token={invite_token}",
		"metadata":{"a":1,"b":2},"currencies":[`+usdJSON+`,`+eurJSON+`,`+dkkJSON+`],"default_currency":`+eurJSON))
	e.Do("POST", "/admin/store", map[string]any{"currencies": []string{"eur"}}).Expect(t, 200,
		storeJSON(`"name":"Shop","default_currency_code":"eur","invite_link_template":"https://admin/invite?token={invite_token}",
		"metadata":{"a":1,"b":2},"currencies":[`+eurJSON+`]`))
	e.Do("POST", "/admin/store", map[string]any{}).Expect(t, 200,
		storeJSON(`"name":"Shop","default_currency_code":"eur","invite_link_template":"https://admin/invite?token={invite_token}",
		"metadata":{"a":1,"b":2},"currencies":[`+eurJSON+`]`))
}

func TestStoreBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("POST", "/admin/store/currencies/eur", nil)
	for _, tc := range []struct {
		body any
		want string
	}{
		{map[string]any{"foo": 1, "name": 5, "currencies": "usd", "metadata": "x"},
			"property foo should not exist, name must be a string, currencies must be an array, metadata must be an object"},
		{map[string]any{"currencies": []any{"usd", 1}, "swap_link_template": false}, "swap_link_template must be a string, each value in currencies must be a string"},
		{map[string]any{"currencies": []string{"eur"}, "name": "changed"}, "You are not allowed to remove default currency from store currencies without replacing it as well"},
		{map[string]any{"currencies": []string{"eur"}, "default_currency_code": "gbp"}, "You are not allowed to remove default currency from store currencies without replacing it as well"},
		{map[string]any{"currencies": []string{"usd", "xxx"}}, "Currency with code xxx does not exist"},
		{map[string]any{"default_currency_code": "gbp", "name": "changed"}, "Store does not have currency: gbp"},
		{map[string]any{"default_currency_code": "xxx"}, "Store does not have currency: xxx"},
	} {
		e.Do("POST", "/admin/store", tc.body).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.want+`"}`)
	}
	e.Do("POST", "/admin/store/currencies/xxx", nil).Expect(t, 400, `{"type":"invalid_data","message":"Currency xxx not found"}`)
	e.Do("POST", "/admin/store/currencies/USD", nil).
		Expect(t, 422, `{"type":"duplicate_error","code":"invalid_request_error","message":"Currency already added"}`)
	// Medusa removes the default currency and leaves the store inconsistent; Gorgon refuses with
	// the message of its update route.
	e.Do("DELETE", "/admin/store/currencies/USD", nil).
		Expect(t, 400, `{"type":"invalid_data","message":"You are not allowed to remove default currency from store currencies without replacing it as well"}`)

	// Nothing changed.
	e.Do("GET", "/admin/store", nil).Expect(t, 200, storeJSON(`"currencies":[`+usdJSON+`,`+eurJSON+`],"default_currency":`+usdJSON+`,
		`+ifSalesChannels(`"default_sales_channel":"$any",`, "")+`"feature_flags":"$any","payment_providers":"$any","fulfillment_providers":"$any"`))

	for _, r := range []struct{ method, path string }{
		{"GET", "/admin/store"}, {"POST", "/admin/store"}, {"POST", "/admin/store/currencies/dkk"}, {"DELETE", "/admin/store/currencies/eur"},
		{"GET", "/admin/store/payment-providers"}, {"GET", "/admin/store/tax-providers"},
	} {
		e.DoAnon(r.method, r.path, nil).ExpectText(t, 401, "Unauthorized")
	}
}

// Store currencies come in the order they were added (Medusa reads them without an ORDER BY:
// as PostgreSQL stores the join rows), not by code.
func TestStoreCurrencies(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/store/currencies/EUR", nil)
	res.Expect(t, 200, storeJSON(`"currencies":[`+usdJSON+`,`+eurJSON+`]`))
	res.MatchesSpec(t, "POST", "/admin/store/currencies/eur")
	e.Do("POST", "/admin/store/currencies/dkk", nil).Expect(t, 200, storeJSON(`"currencies":[`+usdJSON+`,`+eurJSON+`,`+dkkJSON+`]`))
	// Any case removes (Medusa only removes a lower-case code).
	res = e.Do("DELETE", "/admin/store/currencies/EUR", nil)
	res.Expect(t, 200, storeJSON(`"currencies":[`+usdJSON+`,`+dkkJSON+`]`))
	res.MatchesSpec(t, "DELETE", "/admin/store/currencies/eur")
	// Removing one the store does not have changes nothing.
	e.Do("DELETE", "/admin/store/currencies/gbp", nil).Expect(t, 200, storeJSON(`"currencies":[`+usdJSON+`,`+dkkJSON+`]`))
	e.Do("DELETE", "/admin/store/currencies/xxx", nil).Expect(t, 200, storeJSON(`"currencies":[`+usdJSON+`,`+dkkJSON+`]`))
	// Added back, it comes last.
	e.Do("POST", "/admin/store/currencies/eur", nil).Expect(t, 200, storeJSON(`"currencies":[`+usdJSON+`,`+dkkJSON+`,`+eurJSON+`]`))
	details := func(currencies string) string {
		return storeJSON(`"currencies":[` + currencies + `],"default_currency":` + usdJSON + `,` +
			ifSalesChannels(`"default_sales_channel":"$any",`, "") + `"feature_flags":"$any","payment_providers":"$any","fulfillment_providers":"$any"`)
	}
	e.Do("GET", "/admin/store", nil).Expect(t, 200, details(usdJSON+`,`+dkkJSON+`,`+eurJSON))

	// Replaced: the answer lists them as asked; the next read gives the kept ones where they
	// were, the new one last.
	sek := `{"code":"sek","symbol":"Skr","symbol_native":"kr","name":"Swedish Krona"}`
	e.Do("POST", "/admin/store", map[string]any{"currencies": []string{"SEK", "eur", "usd"}}).
		Expect(t, 200, storeJSON(`"currencies":[`+sek+`,`+eurJSON+`,`+usdJSON+`]`))
	e.Do("GET", "/admin/store", nil).Expect(t, 200, details(usdJSON+`,`+eurJSON+`,`+sek))
}
