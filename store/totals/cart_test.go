package totals

import (
	"encoding/json"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// prodItem is an item of a variant of productID (of product type typeID, if any).
func prodItem(id string, unit, qty int, productID string, typeID *string) *model.LineItem {
	it := li(id, unit, qty)
	it.Variant = &model.ProductVariant{ID: "v_" + id, ProductID: productID, Product: &model.Product{ID: productID, TypeID: typeID}}
	return it
}

func isReturn(it *model.LineItem) *model.LineItem { it.IsReturn = true; return it }

func rate(id, regionID string, r *float64) *model.TaxRate {
	code := "C_" + id
	return &model.TaxRate{ID: id, RegionID: regionID, Rate: r, Name: "rate " + id, Code: &code}
}

var (
	rReduced = rate("txr_red", "reg_eu", ptr(12.5))
	rType    = rate("txr_type", "reg_eu", ptr(7.0))
	rFar     = rate("txr_far", "reg_other", ptr(30.0))
	rShip    = rate("txr_ship", "reg_eu", ptr(10.0))
	rNull    = rate("txr_null", "reg_eu", nil)
	// testRates: A has its own 12.5% and (through its type) 7%, the reduced rate linked both
	// ways counting once; another region's rate on A is ignored; N's rate is null; shipping
	// option so_ship has 10%. Anything else falls back to the region's rate.
	testRates = &Rates{
		Product:        map[string][]*model.TaxRate{"prod_a": {rReduced, rFar}, "prod_n": {rNull}},
		ProductType:    map[string][]*model.TaxRate{"ptyp_1": {rType, rReduced}},
		ShippingOption: map[string][]*model.TaxRate{"so_ship": {rShip}},
	}
)

// mixedCart: A 1999×3 at 12.5% (749.625 → 750) and 7% (419.79 → 420); B 333 at the region's 20%
// (66.6 → 67); C 1250 of A's type at its 7% (87.5 → 88) and 12.5% (156.25 → 156); a custom item
// X without tax; shipping 795 at 10% (79.5 → 80) and 800 at 20% (160). tax 1721; subtotal 8080;
// shipping 1595.
func mixedCart(region *model.Region) *model.Cart {
	return &model.Cart{ID: "cart", Type: "default", Region: region, RegionID: region.ID,
		Items: []*model.LineItem{
			prodItem("a", 1999, 3, "prod_a", ptr("ptyp_1")),
			prodItem("b", 333, 1, "prod_b", nil),
			prodItem("c", 1250, 1, "prod_c", ptr("ptyp_1")),
			li("x", 500, 1),
		},
		ShippingMethods: []*model.ShippingMethod{sm("ship", 795), sm("std", 800)},
	}
}

func TestCart(t *testing.T) {
	t.Parallel()
	noAuto := *regionEU
	noAuto.AutomaticTaxes = false
	avalara := *regionEU
	avalara.TaxProviderID = ptr("avalara")
	avalaraManual := avalara
	avalaraManual.AutomaticTaxes = false

	swapItems := func() []*model.LineItem {
		return []*model.LineItem{
			taxed(adj(isReturn(prodItem("r", -333, 1, "prod_b", nil)), "d_pct", -50), 20),
			adj(prodItem("n", 1250, 1, "prod_b", nil), "d_pct", 188),
			taxed(isReturn(noDiscounts(li("rs", 600, 1))), 5),
		}
	}

	cases := []struct {
		name    string
		cart    *model.Cart
		force   bool
		want    CartTotals
		wantErr string
		// giftCardable is GiftCardableAmount's answer.
		giftCardable int64
	}{
		{
			name: "rates by product, product type, shipping option and region default",
			cart: mixedCart(regionEU),
			want: CartTotals{Subtotal: 8080, TaxTotal: ptr[int64](1721), ShippingTotal: 1595, Total: 8080 + 1595 + 1721},
			// gift cards taxable: subtotal − discounts
			giftCardable: 8080,
		},
		{
			name:         "no automatic taxes: tax_total null",
			cart:         mixedCart(&noAuto),
			want:         CartTotals{Subtotal: 8080, ShippingTotal: 1595, Total: 8080 + 1595},
			giftCardable: 8080,
		},
		{
			name:         "no automatic taxes, forced",
			cart:         mixedCart(&noAuto),
			force:        true,
			want:         CartTotals{Subtotal: 8080, TaxTotal: ptr[int64](1721), ShippingTotal: 1595, Total: 8080 + 1595 + 1721},
			giftCardable: 8080,
		},
		{
			name: "a null rate taxes nothing",
			cart: &model.Cart{Region: regionEU, Items: []*model.LineItem{prodItem("n", 1000, 1, "prod_n", nil)}},
			want: CartTotals{Subtotal: 1000, TaxTotal: ptr[int64](0), Total: 1000}, giftCardable: 1000,
		},
		{
			// Gift cards 500 + 300 = 800 of a 2000 subtotal; taxable at 20%: 160 off the tax of
			// 400 → 240; total 2000 + 240 − 800.
			name: "gift cards in a region that taxes them",
			cart: &model.Cart{Region: regionEU,
				Items:     []*model.LineItem{prodItem("p", 1000, 2, "prod_b", nil)},
				GiftCards: []*model.GiftCard{{ID: "gc1", Balance: 500}, {ID: "gc2", Balance: 300}},
			},
			want:         CartTotals{Subtotal: 2000, TaxTotal: ptr[int64](240), GiftCardTotal: 800, GiftCardTaxTotal: 160, Total: 1440},
			giftCardable: 2000,
		},
		{
			// A 5000 card pays at most subtotal − discount = 900, untaxed; tax 900 × 0.2 = 180;
			// total 1000 + 180 − 100 − 900. Gift-cardable: the total without gift cards, 1080.
			name: "gift card above the subtotal, region not taxing gift cards",
			cart: &model.Cart{Region: regionPlain, Discounts: []*model.Discount{disc("d_pct", "percentage", 10, "total")},
				Items:     []*model.LineItem{adj(prodItem("p", 1000, 1, "prod_b", nil), "d_pct", 100)},
				GiftCards: []*model.GiftCard{{ID: "gc", Balance: 5000}},
			},
			want:         CartTotals{Subtotal: 1000, TaxTotal: ptr[int64](180), DiscountTotal: 100, GiftCardTotal: 900, Total: 180},
			giftCardable: 1080,
		},
		{
			// A swap's cart: the returned B (−333, its −50 adjustment, its 20% tax line copied), the
			// new item N (1250, 188 off) taxed by the provider at 20%, the return shipping line (600,
			// no discounts, its 5% line). subtotal −333 + 1250 + 600 = 1517; discount
			// min(917, 138) = 138; tax round(−283 × 0.2 = −56.6) = −57, 1062 × 0.2 = 212.4 → 212,
			// 600 × 0.05 = 30: 185; total 1517 + 185 − 138.
			name: "swap cart with return lines",
			cart: &model.Cart{Type: "swap", Region: regionEU, Discounts: []*model.Discount{pct15()}, Items: swapItems()},
			want: CartTotals{Subtotal: 1517, TaxTotal: ptr[int64](185), DiscountTotal: 138, Total: 1564}, giftCardable: 1517 - 138,
		},
		{
			// The same lines in a cart that is not a swap's: return lines have no tax at all.
			name: "return lines outside a swap cart",
			cart: &model.Cart{Type: "default", Region: regionEU, Discounts: []*model.Discount{pct15()}, Items: swapItems()},
			want: CartTotals{Subtotal: 1517, TaxTotal: ptr[int64](212), DiscountTotal: 138, Total: 1591}, giftCardable: 1517 - 138,
		},
		{
			// Only the returned line: the discountable subtotal is negative, so the discount is
			// max(−333, −50) = −50; total −333 − 57 + 50.
			name: "negative subtotal",
			cart: &model.Cart{Type: "swap", Region: regionEU, Discounts: []*model.Discount{pct15()}, Items: swapItems()[:1]},
			want: CartTotals{Subtotal: -333, TaxTotal: ptr[int64](-57), DiscountTotal: -50, Total: -340}, giftCardable: -283,
		},
		{
			name:    "a tax provider Gorgon does not have",
			cart:    mixedCart(&avalara),
			wantErr: "not_found: Could not find a tax provider with id: avalara",
		},
		{
			// Without automatic taxes Medusa never asks the provider.
			name:         "a tax provider Gorgon does not have, taxes off",
			cart:         mixedCart(&avalaraManual),
			want:         CartTotals{Subtotal: 8080, ShippingTotal: 1595, Total: 8080 + 1595},
			giftCardable: 8080,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := Cart(c.cart, testRates, c.force)
			if c.wantErr != "" {
				if err == nil || err.Error() != c.wantErr {
					t.Fatalf("error %v, want %s", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(c.want)
			if string(g) != string(w) {
				t.Errorf("\n got %s\nwant %s", g, w)
			}
			gc, err := GiftCardableAmount(c.cart, testRates)
			if err != nil || gc != c.giftCardable {
				t.Errorf("GiftCardableAmount = %d, %v; want %d", gc, err, c.giftCardable)
			}
		})
	}
}

func TestCartTaxLines(t *testing.T) {
	t.Parallel()
	items, shipping, err := CartTaxLines(mixedCart(regionEU), testRates)
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		On   string
		Rate float64
		Name string
		Code *string
	}
	var got []line
	for _, l := range items {
		got = append(got, line{l.ItemID, l.Rate, l.Name, l.Code})
	}
	for _, l := range shipping {
		got = append(got, line{l.ShippingMethodID, l.Rate, l.Name, l.Code})
	}
	def := "default"
	want := []line{
		{"a", 12.5, "rate txr_red", ptr("C_txr_red")},
		{"a", 7, "rate txr_type", ptr("C_txr_type")},
		{"b", 20, "default", &def},
		{"c", 7, "rate txr_type", ptr("C_txr_type")},
		{"c", 12.5, "rate txr_red", ptr("C_txr_red")},
		{"ship", 10, "rate txr_ship", ptr("C_txr_ship")},
		{"std", 20, "default", &def},
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("\n got %s\nwant %s", g, w)
	}
	avalara := *regionEU
	avalara.TaxProviderID = ptr("avalara")
	if _, _, err := CartTaxLines(mixedCart(&avalara), testRates); err == nil {
		t.Error("tax lines from a provider Gorgon does not have")
	}
}
