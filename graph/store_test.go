package graph_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

const storeFields = `id name defaultCurrencyCode defaultCurrency { code symbol symbolNative name } currencies { code symbol symbolNative name }
	swapLinkTemplate paymentLinkTemplate inviteLinkTemplate defaultSalesChannelId featureFlags { key value }
	paymentProviders { id isInstalled } fulfillmentProviders { id isInstalled } taxProviders { id isInstalled } createdAt updatedAt metadata`

const (
	// "$" would read as a placeholder in expectations; TestStoreGraphQL checks the symbol itself.
	stUSD = `{"code":"usd","symbol":"$string","symbolNative":"$string","name":"US Dollar"}`
	stEUR = `{"code":"eur","symbol":"€","symbolNative":"€","name":"Euro"}`
	stDKK = `{"code":"dkk","symbol":"Dkr","symbolNative":"kr","name":"Danish Krone"}`
	stGBP = `{"code":"gbp","symbol":"£","symbolNative":"£","name":"British Pound Sterling"}`
)

// storeGQL is the start-up store as storeFields shows it, then extra: fields that override the
// defaults (a repeated key's last value wins when the expectation is decoded).
func storeGQL(extra string) string {
	base := `"id":"$id:store","name":"Medusa Store","defaultCurrencyCode":"usd","defaultCurrency":` + stUSD + `,"currencies":[` + stUSD + `],
		"swapLinkTemplate":null,"paymentLinkTemplate":null,"inviteLinkTemplate":null,"defaultSalesChannelId":"$id:sc",
		"featureFlags":[{"key":"sales_channels","value":true}],"paymentProviders":[{"id":"manual","isInstalled":true}],
		"fulfillmentProviders":[{"id":"manual","isInstalled":true}],"taxProviders":[],"createdAt":"$time","updatedAt":"$time","metadata":null`
	if extra != "" {
		base += "," + extra
	}
	return `{` + base + `}`
}

// storePayloadGQL is a store mutation's answer: the store, or null with one userError.
func storePayloadGQL(mutation, st, userError string) string {
	if userError != "" {
		return `{"data":{"` + mutation + `":{"store":null,"userErrors":[` + userError + `]}}}`
	}
	return `{"data":{"` + mutation + `":{"store":` + st + `,"userErrors":[]}}}`
}

func TestStoreGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	get := `{ storeSettings { ` + storeFields + ` } }`
	res := gql(e, get, nil)
	res.Expect(t, 200, `{"data":{"storeSettings":`+storeGQL("")+`}}`)
	if c := res.JSON(t)["data"].(map[string]any)["storeSettings"].(map[string]any)["defaultCurrency"].(map[string]any); c["symbol"] != "$" || c["symbolNative"] != "$" {
		t.Fatalf("usd symbols %v", c)
	}
	id := nraString(t, res, "storeSettings", "id")

	// As a node; another store_ id is none.
	gql(e, `query($id: ID!) { node(id: $id) { id ... on Store { name defaultCurrency { code } currencies { code } } } }`, map[string]any{"id": id}).
		Expect(t, 200, `{"data":{"node":{"id":"`+id+`","name":"Medusa Store","defaultCurrency":{"code":"usd"},"currencies":[{"code":"usd"}]}}}`)
	gql(e, `{ node(id: "store_missing") { id } }`, nil).Expect(t, 200, `{"data":{"node":null}}`)

	// Update: link templates set, then one cleared by null; currencies replaced with a new default;
	// metadata merged; a null name or default currency keeps it.
	update := `mutation($in: UpdateStoreInput!) { updateStore(input: $in) { store { ` + storeFields + ` } userErrors { field message code } } }`
	gql(e, update, map[string]any{"in": map[string]any{"name": "Shop", "swapLinkTemplate": "https://shop/swap/{cart_id}",
		"inviteLinkTemplate": "https://admin/invite?token={invite_token}", "metadata": map[string]any{"a": 1}}}).Expect(t, 200,
		storePayloadGQL("updateStore", storeGQL(`"name":"Shop","swapLinkTemplate":"https://shop/swap/{cart_id}",
		"inviteLinkTemplate":"https://admin/invite?token={invite_token}","metadata":{"a":1}`), ""))
	shop := storeGQL(`"name":"Shop","defaultCurrencyCode":"eur","defaultCurrency":` + stEUR + `,"currencies":[` + stUSD + `,` + stEUR + `,` + stDKK + `],
		"inviteLinkTemplate":"https://admin/invite?token={invite_token}","metadata":{"a":1,"b":2}`)
	gql(e, update, map[string]any{"in": map[string]any{"currencies": []string{"usd", "EUR", "dkk"}, "defaultCurrencyCode": "EUR",
		"swapLinkTemplate": nil, "metadata": map[string]any{"b": 2}}}).Expect(t, 200, storePayloadGQL("updateStore", shop, ""))
	gql(e, update, map[string]any{"in": map[string]any{"name": nil, "defaultCurrencyCode": nil}}).Expect(t, 200, storePayloadGQL("updateStore", shop, ""))

	// Bad input: a userError each, and nothing changed.
	for _, c := range []struct {
		in   map[string]any
		want string
	}{
		{map[string]any{"currencies": []string{"usd"}, "name": "x"}, regUserError("INVALID_DATA",
			"You are not allowed to remove default currency from store currencies without replacing it as well")},
		{map[string]any{"currencies": []string{"eur", "xxx"}}, regUserError("INVALID_DATA", "Currency with code xxx does not exist")},
		{map[string]any{"defaultCurrencyCode": "gbp"}, regUserError("INVALID_DATA", "Store does not have currency: gbp")},
	} {
		gql(e, update, map[string]any{"in": c.in}).Expect(t, 200, storePayloadGQL("updateStore", "", c.want))
	}
	gql(e, get, nil).Expect(t, 200, `{"data":{"storeSettings":`+shop+`}}`)

	// Currencies one by one.
	addCurrency := `mutation($code: String!) { addStoreCurrency(code: $code) { store { ` + storeFields + ` } userErrors { field message code } } }`
	removeCurrency := `mutation($code: String!) { removeStoreCurrency(code: $code) { store { ` + storeFields + ` } userErrors { field message code } } }`
	withGBP := storeGQL(`"name":"Shop","defaultCurrencyCode":"eur","defaultCurrency":` + stEUR + `,
		"currencies":[` + stUSD + `,` + stEUR + `,` + stDKK + `,` + stGBP + `],
		"inviteLinkTemplate":"https://admin/invite?token={invite_token}","metadata":{"a":1,"b":2}`)
	gql(e, addCurrency, map[string]any{"code": "GBP"}).Expect(t, 200, storePayloadGQL("addStoreCurrency", withGBP, ""))
	gql(e, addCurrency, map[string]any{"code": "gbp"}).Expect(t, 200,
		storePayloadGQL("addStoreCurrency", "", regUserError("DUPLICATE_ERROR", "Currency already added")))
	gql(e, addCurrency, map[string]any{"code": "xxx"}).Expect(t, 200,
		storePayloadGQL("addStoreCurrency", "", regUserError("INVALID_DATA", "Currency xxx not found")))
	gql(e, removeCurrency, map[string]any{"code": "EUR"}).Expect(t, 200, storePayloadGQL("removeStoreCurrency", "",
		regUserError("INVALID_DATA", "You are not allowed to remove default currency from store currencies without replacing it as well")))
	gql(e, get, nil).Expect(t, 200, `{"data":{"storeSettings":`+withGBP+`}}`)
	gql(e, removeCurrency, map[string]any{"code": "Gbp"}).Expect(t, 200, storePayloadGQL("removeStoreCurrency", shop, ""))
	gql(e, removeCurrency, map[string]any{"code": "jpy"}).Expect(t, 200, storePayloadGQL("removeStoreCurrency", shop, ""))

	// Provider rows, installed or not; the system tax provider has none.
	if _, err := e.DB.Exec(`INSERT INTO tax_provider (id, is_installed) VALUES ('avalara', false);
		INSERT INTO payment_provider (id, is_installed) VALUES ('stripe', false)`); err != nil {
		t.Fatal(err)
	}
	gql(e, `{ storeSettings { paymentProviders { id isInstalled } fulfillmentProviders { id isInstalled } taxProviders { id isInstalled } } }`, nil).
		Expect(t, 200, `{"data":{"storeSettings":{"paymentProviders":[{"id":"manual","isInstalled":true},{"id":"stripe","isInstalled":false}],
		"fulfillmentProviders":[{"id":"manual","isInstalled":true}],"taxProviders":[{"id":"avalara","isInstalled":false}]}}}`)
}
