package totals

import (
	"encoding/json"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/model"
)

func TestOrderLineItemTotals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		order *model.Order
		item  int
		want  LineItemTotals
	}{
		{
			// Legacy rate, unrounded: 1003 × 0.125 = 125.375.
			name:  "legacy tax rate",
			order: &model.Order{Region: regionPlain, TaxRate: ptr(12.5), Items: []*model.LineItem{li("a", 1003, 1)}},
			want: LineItemTotals{UnitPrice: 1003, Quantity: 1, Subtotal: 1003, TaxTotal: 125.375, Total: 1128.375,
				OriginalTotal: 1128.375, OriginalTaxTotal: 125.375},
		},
		{
			// Discount 900 (300 a unit); tax on 5097: 637 + 357 = 994, without the discount on
			// 5997: 750 + 420 = 1170. total 5997 − 900 + 994, original 5997 + 1170.
			name: "tax lines and a discount",
			order: &model.Order{Region: regionEU, Discounts: []*model.Discount{pct15()},
				Items: []*model.LineItem{taxed(adj(li("a", 1999, 3), "d_pct", 900), 12.5, 7)}},
			want: LineItemTotals{UnitPrice: 1999, Quantity: 3, Subtotal: 5997, TaxTotal: 994, Total: 6091,
				OriginalTotal: 7167, OriginalTaxTotal: 1170, DiscountTotal: 900},
		},
		{
			// 500 of gift cards over a 4000 subtotal: 12.5% of each item, B 3000 → 375.
			name: "gift card share",
			order: &model.Order{Region: regionEU, GiftCards: []*model.GiftCard{{ID: "gc"}},
				GiftCardTransactions: []*model.GiftCardTransaction{gcTx(500, ptr(false), nil)},
				Items:                []*model.LineItem{li("a", 1000, 1), li("b", 1500, 2)}},
			item: 1,
			want: LineItemTotals{UnitPrice: 1500, Quantity: 2, Subtotal: 3000, Total: 3000, OriginalTotal: 3000, GiftCardTotal: 375},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			it := c.order.Items[c.item]
			got := OrderLineItemTotals(c.order, it)
			if len(got.TaxLines) != len(it.TaxLines) {
				t.Fatalf("tax lines %v, want the item's", got.TaxLines)
			}
			got.TaxLines, c.want.TaxLines = nil, nil
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(c.want)
			if string(g) != string(w) {
				t.Errorf("\n got %s\nwant %s", g, w)
			}
		})
	}
}

func TestCartLineItemTotals(t *testing.T) {
	t.Parallel()
	// A of mixedCart: 12.5% and 7% computed from the rates: 750 + 420.
	c := mixedCart(regionEU)
	got, err := CartLineItemTotals(c, c.Items[0], testRates, true)
	if err != nil {
		t.Fatal(err)
	}
	if got.TaxTotal != 1170 || got.Total != 7167 || got.OriginalTaxTotal != 1170 || len(got.TaxLines) != 2 {
		t.Errorf("with taxes: %+v", got)
	}
	// Without taxes, and no stored tax lines: no tax.
	got, err = CartLineItemTotals(c, c.Items[0], testRates, false)
	if err != nil || got.TaxTotal != 0 || got.Total != 5997 || len(got.TaxLines) != 0 {
		t.Errorf("without taxes: %+v, %v", got, err)
	}
	// Without taxes, stored tax lines still count (Medusa joins them).
	stored := taxed(prodItem("s", 1000, 1, "prod_b", nil), 10)
	c.Items = append(c.Items, stored)
	got, err = CartLineItemTotals(c, stored, testRates, false)
	if err != nil || got.TaxTotal != 100 || got.Total != 1100 {
		t.Errorf("stored tax lines: %+v, %v", got, err)
	}
	// A return line keeps its own tax lines even when taxes are computed.
	ret := taxed(isReturn(li("r", -500, 1)), 5)
	c.Items = append(c.Items, ret)
	got, err = CartLineItemTotals(c, ret, testRates, true)
	if err != nil || got.TaxTotal != -25 || got.Total != -525 {
		t.Errorf("return line: %+v, %v", got, err)
	}
}

func TestGiftCardUsage(t *testing.T) {
	t.Parallel()
	// Region not taxing gift cards: the cards pay the total with tax, 1000 + 200 = 1200, in
	// turn: 700, 300, then 200 of the 900 card.
	c := &model.Cart{Region: regionPlain, Items: []*model.LineItem{prodItem("p", 1000, 1, "prod_b", nil)},
		GiftCards: []*model.GiftCard{{ID: "g1", Balance: 700}, {ID: "g2", Balance: 300}, {ID: "g3", Balance: 900}, {ID: "g4", Balance: 50}}}
	got, err := GiftCardUsage(c, testRates)
	if err != nil {
		t.Fatal(err)
	}
	want := []GiftCardUse{
		{GiftCardID: "g1", Amount: 700, NewBalance: 0},
		{GiftCardID: "g2", Amount: 300, NewBalance: 0},
		{GiftCardID: "g3", Amount: 200, NewBalance: 700},
		{GiftCardID: "g4", Amount: 0, NewBalance: 50},
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("\n got %s\nwant %s", g, w)
	}
	// Region taxing them: the subtotal only, and the region's rate recorded.
	c.Region = regionEU
	got, err = GiftCardUsage(c, testRates)
	if err != nil {
		t.Fatal(err)
	}
	want = []GiftCardUse{
		{GiftCardID: "g1", Amount: 700, NewBalance: 0, IsTaxable: true, TaxRate: ptr(20.0)},
		{GiftCardID: "g2", Amount: 300, NewBalance: 0, IsTaxable: true, TaxRate: ptr(20.0)},
		{GiftCardID: "g3", Amount: 0, NewBalance: 900, IsTaxable: true, TaxRate: ptr(20.0)},
		{GiftCardID: "g4", Amount: 0, NewBalance: 50, IsTaxable: true, TaxRate: ptr(20.0)},
	}
	g, _ = json.Marshal(got)
	w, _ = json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("\n got %s\nwant %s", g, w)
	}
}
