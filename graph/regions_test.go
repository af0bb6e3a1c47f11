package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

const regionFields = `id name currencyCode currency { code name } taxRate taxCode giftCardsTaxable automaticTaxes taxProvider { id isInstalled }
	countries { id iso2 iso3 numCode name displayName region { id } } paymentProviders { id isInstalled } fulfillmentProviders { id isInstalled }
	fulfillmentOptions { providerId options } createdAt updatedAt metadata`

// regCountryRows are the seeded rows of the countries the tests use, as GraphQL shows them.
var regCountryRows = map[string]string{
	"dk": `"id":60,"iso2":"dk","iso3":"dnk","numCode":208,"name":"DENMARK","displayName":"Denmark"`,
	"se": `"id":215,"iso2":"se","iso3":"swe","numCode":752,"name":"SWEDEN","displayName":"Sweden"`,
	"no": `"id":166,"iso2":"no","iso3":"nor","numCode":578,"name":"NORWAY","displayName":"Norway"`,
	"us": `"id":236,"iso2":"us","iso3":"usa","numCode":840,"name":"UNITED STATES","displayName":"United States"`,
}

// regCountries is a region's countries field with the given codes, in that order.
func regCountries(region string, codes ...string) json.RawMessage {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf(`{%s,"region":{"id":%q}}`, regCountryRows[c], region)
	}
	return json.RawMessage("[" + strings.Join(parts, ",") + "]")
}

var (
	regManual        = json.RawMessage(`[{"id":"manual","isInstalled":true}]`)
	regNone          = json.RawMessage(`[]`)
	regManualOptions = json.RawMessage(`[{"providerId":"manual","options":[{"id":"manual-fulfillment"},{"id":"manual-fulfillment-return","is_return":true}]}]`)
)

// regionGQL is the Nordics region the tests create, as regionFields shows it, with fields
// overridden.
func regionGQL(id string, over map[string]any) string {
	m := map[string]any{
		"id": id, "name": "Nordics", "currencyCode": "usd", "currency": map[string]any{"code": "usd", "name": "US Dollar"},
		"taxRate": 25, "taxCode": "VAT", "giftCardsTaxable": true, "automaticTaxes": true, "taxProvider": nil,
		"countries": regNone, "paymentProviders": regManual, "fulfillmentProviders": regManual, "fulfillmentOptions": regManualOptions,
		"createdAt": "$time", "updatedAt": "$time", "metadata": nil,
	}
	for k, v := range over {
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// regionPayloadGQL is a region mutation's answer: the region, or null with one userError.
func regionPayloadGQL(mutation, region, userError string) string {
	if userError != "" {
		return `{"data":{"` + mutation + `":{"region":null,"userErrors":[` + userError + `]}}}`
	}
	return `{"data":{"` + mutation + `":{"region":` + region + `,"userErrors":[]}}}`
}

// regUserError is a userError without field.
func regUserError(code, message string) string {
	return fmt.Sprintf(`{"field":null,"message":%q,"code":%q}`, message, code)
}

func TestRegionsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	create := `mutation($in: CreateRegionInput!) { createRegion(input: $in) { region { ` + regionFields + ` } userErrors { field message code } } }`
	nordics := func(over map[string]any) map[string]any {
		m := map[string]any{"name": "Nordics", "currencyCode": "USD", "taxRate": 25, "taxCode": "VAT",
			"paymentProviders": []string{"manual"}, "fulfillmentProviders": []string{"manual"}}
		for k, v := range over {
			m[k] = v
		}
		return m
	}

	res := gql(e, create, map[string]any{"in": nordics(map[string]any{"countries": []string{"DK", "se"}, "metadata": map[string]any{"a": 1}})})
	res.Expect(t, 200, regionPayloadGQL("createRegion", regionGQL("$id:reg", map[string]any{"metadata": map[string]any{"a": 1},
		"countries": regCountries("$id:reg", "se", "dk")}), ""))
	id := nraString(t, res, "createRegion", "region", "id")
	// The lists default to none.
	res = gql(e, create, map[string]any{"in": map[string]any{"name": "US", "currencyCode": "usd", "taxRate": 0, "countries": []string{"us"}}})
	other := nraString(t, res, "createRegion", "region", "id")
	otherJSON := regionGQL(other, map[string]any{"name": "US", "taxRate": 0, "taxCode": nil, "countries": regCountries(other, "us"),
		"paymentProviders": regNone, "fulfillmentProviders": regNone, "fulfillmentOptions": regNone})
	res.Expect(t, 200, regionPayloadGQL("createRegion", otherJSON, ""))

	// Bad input: a userError each, and no region.
	for _, c := range []struct {
		over map[string]any
		want string
	}{
		{map[string]any{"taxRate": 101}, regUserError("INVALID_DATA", "The tax_rate must be between 0 and 1")},
		{map[string]any{"currencyCode": "eur"}, regUserError("INVALID_DATA", "Invalid currency code")},
		{map[string]any{"countries": []string{"zz"}}, regUserError("INVALID_DATA", "Invalid country code")},
		{map[string]any{"countries": []string{"no", "DK"}}, regUserError("DUPLICATE_ERROR", "Denmark already exists in region "+id)},
		{map[string]any{"paymentProviders": []string{"nope"}}, regUserError("INVALID_DATA", "Payment provider not found")},
		{map[string]any{"fulfillmentProviders": []string{"manual", "nope"}}, regUserError("INVALID_DATA", "Fulfillment provider not found")},
	} {
		gql(e, create, map[string]any{"in": nordics(c.over)}).Expect(t, 200, regionPayloadGQL("createRegion", "", c.want))
	}

	// The list, with paging and time ranges.
	created := regionGQL(id, map[string]any{"metadata": map[string]any{"a": 1}, "countries": regCountries(id, "se", "dk")})
	gql(e, `{ regions { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } nodes { `+regionFields+` } } }`, nil).
		Expect(t, 200, `{"data":{"regions":{"totalCount":2,"pageInfo":{"hasNextPage":false,"hasPreviousPage":false,"startCursor":"$string","endCursor":"$string"},
		"edges":[{"cursor":"$string","node":{"id":"`+id+`"}},{"cursor":"$string","node":{"id":"`+other+`"}}],"nodes":[`+created+`,`+otherJSON+`]}}}`)
	res = gql(e, `{ regions(first: 1) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`, nil)
	res.Expect(t, 200, `{"data":{"regions":{"totalCount":2,"pageInfo":{"hasNextPage":true,"endCursor":"$string"},"nodes":[{"id":"`+id+`"}]}}}`)
	gql(e, `query($after: String) { regions(first: 1, after: $after) { pageInfo { hasNextPage hasPreviousPage } nodes { id } } }`,
		map[string]any{"after": nraString(t, res, "regions", "pageInfo", "endCursor")}).Expect(t, 200,
		`{"data":{"regions":{"pageInfo":{"hasNextPage":false,"hasPreviousPage":true},"nodes":[{"id":"`+other+`"}]}}}`)
	gql(e, `{ regions(createdAt: {gt: "2000-01-01T00:00:00Z"}, updatedAt: {lt: "2999-01-01T00:00:00Z"}) { totalCount nodes { id } } }`, nil).
		Expect(t, 200, `{"data":{"regions":{"totalCount":2,"nodes":[{"id":"`+id+`"},{"id":"`+other+`"}]}}}`)
	gql(e, `{ regions(createdAt: {lt: "2000-01-01T00:00:00Z"}) { totalCount nodes { id } } }`, nil).
		Expect(t, 200, `{"data":{"regions":{"totalCount":0,"nodes":[]}}}`)

	// By id, and as a node.
	gql(e, `query($id: ID!) { region(id: $id) { `+regionFields+` } }`, map[string]any{"id": id}).Expect(t, 200, `{"data":{"region":`+created+`}}`)
	gql(e, `query($id: ID!) { node(id: $id) { id ... on Region { name countries { iso2 } } } }`, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"node":{"id":"`+id+`","name":"Nordics","countries":[{"iso2":"se"},{"iso2":"dk"}]}}}`)
	gql(e, `{ region(id: "reg_missing") { id } node(id: "reg_missing") { id } }`, nil).Expect(t, 200, `{"data":{"region":null,"node":null}}`)

	// Update: countries and providers are replaced, a null tax code cleared, metadata merged.
	update := `mutation($id: ID!, $in: UpdateRegionInput!) { updateRegion(id: $id, input: $in) { region { ` + regionFields + ` } userErrors { field message code } } }`
	north := func(over map[string]any) string {
		m := map[string]any{"name": "North", "taxCode": nil, "taxRate": 0, "automaticTaxes": false, "giftCardsTaxable": false,
			"metadata": map[string]any{"a": 1, "b": 2}, "countries": regCountries(id, "se", "no"), "paymentProviders": regNone}
		for k, v := range over {
			m[k] = v
		}
		return regionGQL(id, m)
	}
	gql(e, update, map[string]any{"id": id, "in": map[string]any{"name": "North", "taxCode": nil, "taxRate": 0, "automaticTaxes": false,
		"giftCardsTaxable": false, "countries": []string{"se", "NO"}, "paymentProviders": []string{}, "metadata": map[string]any{"b": 2}}}).
		Expect(t, 200, regionPayloadGQL("updateRegion", north(nil), ""))
	// Null for a non-nullable column keeps it; absent lists are kept.
	gql(e, update, map[string]any{"id": id, "in": map[string]any{"name": nil, "countries": nil, "taxRate": nil}}).
		Expect(t, 200, regionPayloadGQL("updateRegion", north(nil), ""))
	if _, err := e.DB.Exec(`INSERT INTO tax_provider (id, is_installed) VALUES ('avalara', false)`); err != nil {
		t.Fatal(err)
	}
	gql(e, update, map[string]any{"id": id, "in": map[string]any{"taxProviderId": "avalara"}}).
		Expect(t, 200, regionPayloadGQL("updateRegion", north(map[string]any{"taxProvider": map[string]any{"id": "avalara", "isInstalled": false}}), ""))
	gql(e, update, map[string]any{"id": id, "in": map[string]any{"taxProviderId": nil}}).
		Expect(t, 200, regionPayloadGQL("updateRegion", north(nil), ""))
	for _, c := range []struct {
		id   string
		in   map[string]any
		want string
	}{
		{id, map[string]any{"currencyCode": "eur", "name": "x"}, regUserError("INVALID_DATA", "Invalid currency code")},
		{id, map[string]any{"taxProviderId": "nope"}, regUserError("INVALID_DATA", "Tax provider not found")},
		{id, map[string]any{"countries": []string{"dk", "us"}}, regUserError("DUPLICATE_ERROR", "United States already exists in region "+other)},
		{id, map[string]any{"taxRate": -1}, regUserError("INVALID_DATA", "The tax_rate must be between 0 and 1")},
		{"reg_missing", map[string]any{"name": "x"}, regUserError("NOT_FOUND", "Region with reg_missing was not found")},
	} {
		gql(e, update, map[string]any{"id": c.id, "in": c.in}).Expect(t, 200, regionPayloadGQL("updateRegion", "", c.want))
	}
	gql(e, `query($id: ID!) { region(id: $id) { `+regionFields+` } }`, map[string]any{"id": id}).Expect(t, 200, `{"data":{"region":`+north(nil)+`}}`)

	// Countries: any case; one the region has already, or does not have, is no change.
	addCountry := `mutation($id: ID!, $code: String!) { addRegionCountry(id: $id, countryCode: $code) { region { ` + regionFields + ` } userErrors { field message code } } }`
	removeCountry := `mutation($id: ID!, $code: String!) { removeRegionCountry(id: $id, countryCode: $code) { region { ` + regionFields + ` } userErrors { field message code } } }`
	withCountries := func(codes ...string) string { return north(map[string]any{"countries": regCountries(id, codes...)}) }
	gql(e, addCountry, map[string]any{"id": id, "code": "DK"}).Expect(t, 200, regionPayloadGQL("addRegionCountry", withCountries("se", "no", "dk"), ""))
	gql(e, addCountry, map[string]any{"id": id, "code": "dk"}).Expect(t, 200, regionPayloadGQL("addRegionCountry", withCountries("se", "no", "dk"), ""))
	for _, c := range []struct{ id, code, want string }{
		{id, "zz", regUserError("INVALID_DATA", "Invalid country code")},
		{id, "us", regUserError("DUPLICATE_ERROR", "United States already exists in region "+other)},
		{"reg_missing", "fr", regUserError("NOT_FOUND", "Region with reg_missing was not found")},
	} {
		gql(e, addCountry, map[string]any{"id": c.id, "code": c.code}).Expect(t, 200, regionPayloadGQL("addRegionCountry", "", c.want))
	}
	gql(e, removeCountry, map[string]any{"id": id, "code": "SE"}).Expect(t, 200, regionPayloadGQL("removeRegionCountry", withCountries("no", "dk"), ""))
	gql(e, removeCountry, map[string]any{"id": id, "code": "us"}).Expect(t, 200, regionPayloadGQL("removeRegionCountry", withCountries("no", "dk"), ""))
	gql(e, removeCountry, map[string]any{"id": "reg_missing", "code": "dk"}).Expect(t, 200,
		regionPayloadGQL("removeRegionCountry", "", regUserError("NOT_FOUND", "Region with reg_missing was not found")))

	// Payment providers.
	provider := func(mutation string) string {
		return `mutation($id: ID!, $p: ID!) { ` + mutation + `(id: $id, providerId: $p) { region { ` + regionFields + ` } userErrors { field message code } } }`
	}
	withProviders := func(pps, fps, opts json.RawMessage) string {
		return north(map[string]any{"countries": regCountries(id, "no", "dk"), "paymentProviders": pps, "fulfillmentProviders": fps, "fulfillmentOptions": opts})
	}
	for _, c := range []struct{ mutation, id, provider, region, userError string }{
		{"addRegionPaymentProvider", id, "manual", withProviders(regManual, regManual, regManualOptions), ""},
		{"addRegionPaymentProvider", id, "manual", withProviders(regManual, regManual, regManualOptions), ""},
		{"addRegionPaymentProvider", id, "nope", "", regUserError("NOT_FOUND", "Payment provider nope was not found")},
		{"addRegionPaymentProvider", "reg_missing", "manual", "", regUserError("NOT_FOUND", "Region with reg_missing was not found")},
		{"removeRegionPaymentProvider", id, "manual", withProviders(regNone, regManual, regManualOptions), ""},
		{"removeRegionPaymentProvider", id, "nope", withProviders(regNone, regManual, regManualOptions), ""},
		{"removeRegionPaymentProvider", "reg_missing", "manual", "", regUserError("NOT_FOUND", "Region with reg_missing was not found")},
		{"removeRegionFulfillmentProvider", id, "manual", withProviders(regNone, regNone, regNone), ""},
		{"removeRegionFulfillmentProvider", "reg_missing", "manual", "", regUserError("NOT_FOUND", "Region with reg_missing was not found")},
		{"addRegionFulfillmentProvider", id, "nope", "", regUserError("NOT_FOUND", "Fulfillment provider nope was not found")},
		{"addRegionFulfillmentProvider", "reg_missing", "manual", "", regUserError("NOT_FOUND", "Region with reg_missing was not found")},
		{"addRegionFulfillmentProvider", id, "manual", withProviders(regNone, regManual, regManualOptions), ""},
	} {
		gql(e, provider(c.mutation), map[string]any{"id": c.id, "p": c.provider}).Expect(t, 200, regionPayloadGQL(c.mutation, c.region, c.userError))
	}
	after := withProviders(regNone, regManual, regManualOptions)
	gql(e, `query($id: ID!) { region(id: $id) { `+regionFields+` } }`, map[string]any{"id": id}).Expect(t, 200, `{"data":{"region":`+after+`}}`)

	// Delete; deleting again is a userError.
	del := `mutation($id: ID!) { deleteRegion(id: $id) { deletedId userErrors { field message code } } }`
	gql(e, del, map[string]any{"id": id}).Expect(t, 200, `{"data":{"deleteRegion":{"deletedId":"`+id+`","userErrors":[]}}}`)
	gql(e, del, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"deleteRegion":{"deletedId":null,"userErrors":[`+regUserError("NOT_FOUND", "Region with "+id+" was not found")+`]}}}`)
	gql(e, `query($id: ID!) { region(id: $id) { id } node(id: $id) { id } regions { totalCount nodes { `+regionFields+` } } }`,
		map[string]any{"id": id}).Expect(t, 200, `{"data":{"region":null,"node":null,"regions":{"totalCount":1,"nodes":[`+otherJSON+`]}}}`)
}

// A region may list a fulfillment provider this instance does not serve (a row left by another
// configuration): its fulfillmentOptions is null with Medusa's not_found error naming the
// provider; other regions, and the region's other fields, are unaffected.
func TestRegionFulfillmentOptionsUnknownProviderGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	if _, err := e.DB.Exec(`INSERT INTO fulfillment_provider (id, is_installed) VALUES ('webshipper', false)`); err != nil {
		t.Fatal(err)
	}
	bad, err := e.Store.CreateRegion(ctx, store.CreateRegionInput{Name: "Bad", CurrencyCode: "usd", FulfillmentProviders: []string{"manual", "webshipper"}})
	if err != nil {
		t.Fatal(err)
	}
	good, err := e.Store.CreateRegion(ctx, store.CreateRegionInput{Name: "Good", CurrencyCode: "usd", FulfillmentProviders: []string{"manual"}})
	if err != nil {
		t.Fatal(err)
	}
	gql(e, `{ regions { nodes { id fulfillmentProviders { id isInstalled } fulfillmentOptions { providerId options } } } }`, nil).Expect(t, 200,
		`{"errors":[{"message":"Could not find a fulfillment provider with id: webshipper","locations":[{"line":1,"column":64}],"path":["regions","nodes",0,"fulfillmentOptions"],
		"extensions":{"code":"NOT_FOUND"}}],
		"data":{"regions":{"nodes":[{"id":"`+bad.ID+`","fulfillmentProviders":[{"id":"manual","isInstalled":true},{"id":"webshipper","isInstalled":false}],
		"fulfillmentOptions":null},{"id":"`+good.ID+`","fulfillmentProviders":[{"id":"manual","isInstalled":true}],"fulfillmentOptions":`+string(regManualOptions)+`}]}}}`)
	gql(e, `query($id: ID!) { region(id: $id) { name fulfillmentOptions { providerId } } }`, map[string]any{"id": bad.ID}).Expect(t, 200,
		`{"errors":[{"message":"Could not find a fulfillment provider with id: webshipper","locations":[{"line":1,"column":42}],"path":["region","fulfillmentOptions"],
		"extensions":{"code":"NOT_FOUND"}}],"data":{"region":{"name":"Bad","fulfillmentOptions":null}}}`)
	// Mutations of the region still work.
	gql(e, `mutation($id: ID!) { removeRegionFulfillmentProvider(id: $id, providerId: "webshipper") { region { fulfillmentOptions { providerId } } userErrors { code } } }`,
		map[string]any{"id": bad.ID}).Expect(t, 200,
		`{"data":{"removeRegionFulfillmentProvider":{"region":{"fulfillmentOptions":[{"providerId":"manual"}]},"userErrors":[]}}}`)
}

// A page of regions with their countries, currency, tax provider, payment and fulfillment
// providers and fulfillment options costs the same statements whatever its size.
func TestRegionsBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	if _, err := e.DB.Exec(`INSERT INTO tax_provider (id, is_installed) VALUES ('avalara', false)`); err != nil {
		t.Fatal(err)
	}
	codes := []string{"dk", "se", "no", "fi", "is", "de", "fr", "it", "es", "pt", "nl", "be", "lu", "at", "ch", "pl", "cz", "sk", "hu", "si"}
	add := func(from, to int) {
		for i := from; i < to; i++ {
			r, err := e.Store.CreateRegion(ctx, store.CreateRegionInput{Name: fmt.Sprintf("R%d", i), CurrencyCode: "usd", TaxRate: 10,
				PaymentProviders: []string{"manual"}, FulfillmentProviders: []string{"manual"}, Countries: []string{codes[i]}})
			if err != nil {
				t.Fatal(err)
			}
			if i%2 == 0 {
				tp := "avalara"
				if _, err := e.Store.UpdateRegion(ctx, r.ID, store.UpdateRegionInput{TaxProviderID: func() **string { p := &tp; return &p }()}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	query := func(n int) int64 {
		res := gql(e, `{ regions(first: 100) { totalCount nodes { id currency { code } taxProvider { id } countries { iso2 region { id name } }
			paymentProviders { id } fulfillmentProviders { id } fulfillmentOptions { providerId } } } }`, nil)
		nodes := res.JSON(t)["data"].(map[string]any)["regions"].(map[string]any)["nodes"].([]any)
		if len(nodes) != n || strings.Contains(string(res.Body), `"errors"`) {
			t.Fatalf("%d regions, want %d: %s", len(nodes), n, res.Body)
		}
		return e.Queries
	}
	add(0, 2)
	q2 := query(2)
	add(2, 20)
	if q20 := query(20); q20 != q2 {
		t.Fatalf("20 regions cost %d statements, 2 regions %d", q20, q2)
	}
	t.Logf("a page of regions with countries, currency, tax provider, providers and fulfillment options: %d statements", q2)
}
