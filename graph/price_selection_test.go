package graph_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// priceWorld is a product whose variant A has a currency price, a region price and prices in
// price lists of every kind (active sale, group override, draft, expired, quantity-bound), B only
// a currency price and C none in euros.
type priceWorld struct {
	a, b, c                    string
	sale, vip, bulk, group     string
	eurA, regA, usdA, eurB     string
	saleA, vipA, bulkA, usdCID string
}

func priceSetup(t *testing.T, e *resttest.Env) *priceWorld {
	t.Helper()
	ctx := context.Background()
	catFixtures(t, e)
	eur, usd, region := "eur", "usd", catRegion
	p, err := e.Store.CreateProduct(ctx, store.CreateProductInput{Title: "Priced", Options: []string{"Size"}, Variants: []store.CreateVariantInput{
		{Title: "A", Prices: []store.PriceInput{{CurrencyCode: &eur, Amount: 1000}, {RegionID: &region, Amount: 1100}, {CurrencyCode: &usd, Amount: 2000}},
			Options: []store.VariantOptionInput{{Value: "A"}}},
		{Title: "B", Prices: []store.PriceInput{{CurrencyCode: &eur, Amount: 500}}, Options: []store.VariantOptionInput{{Value: "B"}}},
		{Title: "C", Prices: []store.PriceInput{{CurrencyCode: &usd, Amount: 300}}, Options: []store.VariantOptionInput{{Value: "C"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	catExec(t, e, `UPDATE region SET tax_rate = 25, automatic_taxes = true WHERE id = '`+catRegion+`'`)
	w := &priceWorld{a: p.Variants[0].ID, b: p.Variants[1].ID, c: p.Variants[2].ID}
	w.eurA, w.regA, w.usdA = p.Variants[0].Prices[0].ID, p.Variants[0].Prices[1].ID, p.Variants[0].Prices[2].ID
	w.eurB, w.usdCID = p.Variants[1].Prices[0].ID, p.Variants[2].Prices[0].ID
	g, err := e.Store.CreateCustomerGroup(ctx, "VIP", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.group = g.ID
	active, draft := "active", "draft"
	past := time.Now().Add(-time.Hour)
	ten := 10
	list := func(name, typ string, status *string, ends *time.Time, groups []string, amount int, min *int) (string, string) {
		pl, err := e.Store.CreatePriceList(ctx, store.CreatePriceListInput{Name: name, Description: name, Type: typ, Status: status, EndsAt: ends,
			CustomerGroups: groups, Prices: []store.PriceListPriceInput{{CurrencyCode: &eur, VariantID: w.a, Amount: amount, MinQuantity: min}}})
		if err != nil {
			t.Fatal(err)
		}
		var price string
		if err := e.DB.QueryRow(`SELECT id FROM money_amount WHERE price_list_id = ?`, pl.ID).Scan(&price); err != nil {
			t.Fatal(err)
		}
		return pl.ID, price
	}
	w.sale, w.saleA = list("Sale", "sale", &active, nil, nil, 900, nil)
	w.vip, w.vipA = list("VIP", "override", &active, nil, []string{g.ID}, 700, nil)
	list("Draft", "sale", &draft, nil, nil, 100, nil)
	list("Expired", "sale", &active, &past, nil, 50, nil)
	w.bulk, w.bulkA = list("Bulk", "sale", &active, nil, nil, 600, &ten)
	return w
}

const priceFields = `currencyCode originalPrice calculatedPrice calculatedPriceType calculatedPriceListId prices { id amount priceList { id } }
	originalTax calculatedTax originalPriceInclTax calculatedPriceInclTax taxRates { rate name code }`

func TestVariantPriceSelection(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	w := priceSetup(t, e)
	ask := func(args string, vars catJ) *resttest.Response {
		decl := map[string]string{"r": "$r: ID", "c": "$c: String", "g": "$g: ID", "q": "$q: Int"}
		var ds []string
		for _, k := range []string{"r", "c", "g", "q"} {
			if _, ok := vars[k]; ok {
				ds = append(ds, decl[k])
			}
		}
		return gql(e, `query(`+strings.Join(ds, ", ")+`) { product: variant(id: "`+w.a+`") { product { variants {
			title price(`+args+`) { `+priceFields+` } } } } }`, vars)
	}
	pr := func(id string, amount int, list string) catJ {
		if list == "" {
			return catJ{"id": id, "amount": amount, "priceList": nil}
		}
		return catJ{"id": id, "amount": amount, "priceList": catJ{"id": list}}
	}
	vp := func(cur string, orig, calc any, typ, list any, prices ...catJ) catJ {
		if prices == nil {
			prices = []catJ{}
		}
		return catJ{"currencyCode": cur, "originalPrice": orig, "calculatedPrice": calc, "calculatedPriceType": typ,
			"calculatedPriceListId": list, "prices": prices, "originalTax": nil, "calculatedTax": nil, "originalPriceInclTax": nil,
			"calculatedPriceInclTax": nil, "taxRates": nil}
	}
	// taxed adds the taxes of a region with automatic taxes: tax of the original and the
	// calculated price (nil: none), at the rates.
	taxed := func(v catJ, origTax, calcTax any, rates ...catJ) catJ {
		out := catMerge(catJ{}, v)
		out["originalTax"], out["calculatedTax"], out["taxRates"] = origTax, calcTax, rates
		if origTax != nil {
			out["originalPriceInclTax"] = v["originalPrice"].(int) + origTax.(int)
		}
		if calcTax != nil {
			out["calculatedPriceInclTax"] = v["calculatedPrice"].(int) + calcTax.(int)
		}
		return out
	}
	def := catJ{"rate": 25, "name": "default", "code": "default"}
	variants := func(a, b, c catJ) string {
		return catData(catJ{"product": catJ{"product": catJ{"variants": []any{
			catJ{"title": "A", "price": a}, catJ{"title": "B", "price": b}, catJ{"title": "C", "price": c}}}}})
	}
	// The region: its price takes precedence over its currency's for the original price; the
	// active sale list without groups is the lowest for one unit; the group's, draft and expired
	// lists are out; the quantity-bound price is a candidate that one unit does not reach.
	regionPrices := []catJ{pr(w.eurA, 1000, ""), pr(w.regA, 1100, ""), pr(w.saleA, 900, w.sale), pr(w.bulkA, 600, w.bulk)}
	bEUR := vp("eur", 500, 500, "DEFAULT", nil, pr(w.eurB, 500, ""))
	cEUR := vp("eur", nil, nil, nil, nil)
	// The region (automatic taxes, 25%) taxes its prices; a currency does not.
	bReg, cReg := taxed(bEUR, 125, 125, def), taxed(cEUR, nil, nil, def)
	ask("regionId: $r", catJ{"r": catRegion}).Expect(t, 200, variants(taxed(vp("eur", 1100, 900, "SALE", w.sale, regionPrices...), 275, 225, def), bReg, cReg))
	// Ten units reach the bulk price.
	ask("regionId: $r, quantity: $q", catJ{"r": catRegion, "q": 10}).Expect(t, 200,
		variants(taxed(vp("eur", 1100, 600, "SALE", w.bulk, regionPrices...), 275, 150, def), bReg, cReg))
	// Without a quantity (Medusa's undefined) a minimum quantity excludes the price.
	ask("regionId: $r, quantity: $q", catJ{"r": catRegion, "q": nil}).Expect(t, 200,
		variants(taxed(vp("eur", 1100, 900, "SALE", w.sale, regionPrices...), 275, 225, def), bReg, cReg))
	// The group unlocks its override list.
	ask("regionId: $r, customerGroupId: $g", catJ{"r": catRegion, "g": w.group}).Expect(t, 200,
		variants(taxed(vp("eur", 1100, 700, "OVERRIDE", w.vip, pr(w.eurA, 1000, ""), pr(w.regA, 1100, ""), pr(w.saleA, 900, w.sale),
			pr(w.vipA, 700, w.vip), pr(w.bulkA, 600, w.bulk)), 275, 175, def), bReg, cReg))
	// Another group does not.
	ask("regionId: $r, customerGroupId: $g", catJ{"r": catRegion, "g": "cgrp_other"}).Expect(t, 200,
		variants(taxed(vp("eur", 1100, 900, "SALE", w.sale, regionPrices...), 275, 225, def), bReg, cReg))
	// A currency: only its prices, the currency price is the original one.
	ask("currencyCode: $c", catJ{"c": "usd"}).Expect(t, 200, variants(vp("usd", 2000, 2000, "DEFAULT", nil, pr(w.usdA, 2000, "")),
		vp("usd", nil, nil, nil, nil), vp("usd", 300, 300, "DEFAULT", nil, pr(w.usdCID, 300, ""))))
	ask("currencyCode: $c", catJ{"c": "eur"}).Expect(t, 200, variants(vp("eur", 1000, 900, "SALE", w.sale,
		pr(w.eurA, 1000, ""), pr(w.regA, 1100, ""), pr(w.saleA, 900, w.sale), pr(w.bulkA, 600, w.bulk)), bEUR, cEUR))

	// The product's own rates replace the default, summed as fractions: 20.2% of 1100 is 222.2,
	// of 900 181.8, of 500 101.
	catExec(t, e, `INSERT INTO tax_rate (id, rate, code, name, region_id) VALUES ('txr_a', 12.5, 'R1', 'Reduced', '`+catRegion+`'),
		('txr_b', 7.7, NULL, 'Extra', '`+catRegion+`')`,
		`INSERT INTO product_tax_rate (product_id, rate_id) SELECT product_id, r FROM product_variant, unnest(ARRAY['txr_a', 'txr_b']) r WHERE id = '`+w.a+`'`)
	own := []catJ{{"rate": 12.5, "name": "Reduced", "code": "R1"}, {"rate": 7.7, "name": "Extra", "code": nil}}
	ask("regionId: $r", catJ{"r": catRegion}).Expect(t, 200, variants(taxed(vp("eur", 1100, 900, "SALE", w.sale, regionPrices...), 222, 182, own...),
		taxed(bEUR, 101, 101, own...), taxed(cEUR, nil, nil, own...)))
	// Without automatic taxes, none.
	catExec(t, e, `UPDATE region SET automatic_taxes = false WHERE id = '`+catRegion+`'`)
	ask("regionId: $r", catJ{"r": catRegion}).Expect(t, 200, variants(vp("eur", 1100, 900, "SALE", w.sale, regionPrices...), bEUR, cEUR))

	// Exactly one of regionId and currencyCode; an unknown region is not found.
	one := func(args, msg, code string) {
		t.Helper()
		gql(e, `{ variant(id: "`+w.a+`") { price(`+args+`) { calculatedPrice } } }`, nil).Expect(t, 200, catJSON(catJ{
			"errors": []any{catJ{"message": msg, "path": []any{"variant", "price"}, "locations": "$any", "extensions": catJ{"code": code}}},
			"data":   catJ{"variant": catJ{"price": nil}}}))
	}
	one(`regionId: "`+catRegion+`", currencyCode: "eur"`, "Exactly one of regionId and currencyCode is required", "INVALID_DATA")
	one(`quantity: 2`, "Exactly one of regionId and currencyCode is required", "INVALID_DATA")
	one(`regionId: "reg_missing"`, "Region with id: reg_missing was not found", "NOT_FOUND")
}

// A page of products with their variants' prices costs the same statements whatever its size:
// each price context is selected once for all the variants of the page.
func TestVariantPriceBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	channel := catFixtures(t, e)
	active := "active"
	pl, err := e.Store.CreatePriceList(context.Background(), store.CreatePriceListInput{Name: "Sale", Description: "d", Type: "sale", Status: &active})
	if err != nil {
		t.Fatal(err)
	}
	query := `query($r: ID) { products(first: 50) { nodes { id variants { id
		eu: price(regionId: $r) { originalPrice calculatedPrice calculatedPriceType prices { id priceList { id type } } }
		usd: price(currencyCode: "usd", quantity: null) { originalPrice calculatedPrice calculatedPriceListId }
		prices { id } } } } }`
	run := func() (int64, *resttest.Response) {
		t.Helper()
		res := gql(e, query, catJ{"r": catRegion})
		if res.Status != 200 || res.JSON(t)["errors"] != nil {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
		return e.Queries, res
	}
	catAddProducts(t, e, channel, pl.ID, 0, 2)
	small, _ := run()
	catAddProducts(t, e, channel, pl.ID, 2, 25)
	large, res := run()
	if small != large {
		t.Errorf("25 products cost %d statements, 2 products %d", large, small)
	}
	// The two price contexts cost four statements: the region, its prices and their tax rates,
	// and the currency's prices.
	gql(e, `{ products(first: 50) { nodes { id variants { id prices { id } } } } }`, nil).Expect(t, 200, `{"data":{"products":"$any"}}`)
	if large-e.Queries != 4 {
		t.Errorf("prices cost %d statements (%d with, %d without), want 4", large-e.Queries, large, e.Queries)
	}
	// The page really holds the selected prices: the first variant of each product is on sale in
	// dollars (500), the others are not; in the EU region the euro prices apply.
	var got struct {
		Data struct {
			Products struct {
				Nodes []struct {
					Variants []struct {
						EU struct {
							OriginalPrice, CalculatedPrice int
							CalculatedPriceType            string
						}
						USD struct {
							OriginalPrice, CalculatedPrice int
							CalculatedPriceListID          *string `json:"calculatedPriceListId"`
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal(res.Body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Data.Products.Nodes) != 25 {
		t.Fatalf("%d products", len(got.Data.Products.Nodes))
	}
	for _, p := range got.Data.Products.Nodes {
		for j, v := range p.Variants {
			wantUSD, list := 1000+j, (*string)(nil)
			if j == 0 {
				wantUSD, list = 500, &pl.ID
			}
			if v.EU.OriginalPrice != 900+j || v.EU.CalculatedPrice != 900+j || v.EU.CalculatedPriceType != "DEFAULT" ||
				v.USD.OriginalPrice != 1000+j || v.USD.CalculatedPrice != wantUSD || (v.USD.CalculatedPriceListID == nil) != (list == nil) {
				t.Fatalf("variant %d: %+v", j, v)
			}
		}
	}
}
