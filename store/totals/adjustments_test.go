package totals

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/store/model"
)

func cond(typ, op string) *model.DiscountCondition {
	return &model.DiscountCondition{ID: "dc_" + typ + "_" + op, Type: typ, Operator: op}
}

func TestAdjustment(t *testing.T) {
	t.Parallel()
	prodA := &model.Product{ID: "prod_a", TypeID: ptr("ptyp_1")}
	prodB := &model.Product{ID: "prod_b"}
	prodC := &model.Product{ID: "prod_c"}
	withConds := func(d *model.Discount, cs ...*model.DiscountCondition) *model.Discount {
		d.Rule.Conditions = cs
		return d
	}
	inA := cond("products", "in")
	inA.Products = []*model.Product{prodA}
	notInAC := cond("products", "not_in")
	notInAC.Products = []*model.Product{prodA, prodC}
	groups := cond("customer_groups", "in")
	groups.CustomerGroups = []*model.CustomerGroup{{ID: "cgrp_1"}}

	// fixedCart: A 1999, B 333×3, C 1250×2 (subtotal 5498) and D, which allows no discounts.
	fixedCart := func(d *model.Discount) *model.Cart {
		return &model.Cart{Region: regionEU, Discounts: []*model.Discount{d}, Items: []*model.LineItem{
			li("a", 1999, 1), li("b", 333, 3), li("c", 1250, 2), noDiscounts(li("d", 1000, 1)),
		}}
	}
	type want struct {
		amount int // 0: no adjustment
		err    string
	}
	cases := []struct {
		name    string
		cart    *model.Cart
		item    string
		product *model.Product
		want    want
	}{
		// 15%: round(1999/100 × 15 = 299.85) = 300.
		{"percentage", fixedCart(pct15()), "a", prodA, want{amount: 300}},
		// round(999/100 × 15 = 149.85) = 150
		{"percentage of several units", fixedCart(pct15()), "b", prodB, want{amount: 150}},
		// 2500 × 15% = 375
		{"percentage exact", fixedCart(pct15()), "c", prodC, want{amount: 375}},
		{"percentage 100", fixedCart(disc("d_all", "percentage", 100, "total")), "c", prodC, want{amount: 2500}},
		// Fixed 1000 on the total, shares of 5498 (D excluded): A 1000 × 1999/5498 = 363.59 → 364,
		// B 1000 × (333/5498 × 3) = 181.70 → 182, C 1000 × (1250/5498 × 2) = 454.71 → 455: 1001
		// in all, as the reference server's order "fixed_total_gift_card" has it.
		{"fixed total, share of A", fixedCart(fixed()), "a", prodA, want{amount: 364}},
		{"fixed total, share of B", fixedCart(fixed()), "b", prodB, want{amount: 182}},
		{"fixed total, share of C", fixedCart(fixed()), "c", prodC, want{amount: 455}},
		{"item that allows no discount", fixedCart(fixed()), "d", prodB, want{}},
		// 100000 off a 5498 subtotal: each item its whole price.
		{"fixed total above the subtotal", fixedCart(disc("d_big", "fixed", 100000, "total")), "c", prodC, want{amount: 2500}},
		// Fixed 300 per unit, only on A: 300 × 1.
		{"fixed per item on a product in the condition", fixedCart(withConds(disc("d_item", "fixed", 300, "item"), inA)), "a", prodA, want{amount: 300}},
		{"fixed per item, product not in the condition", fixedCart(withConds(disc("d_item", "fixed", 300, "item"), inA)), "b", prodB, want{}},
		// 500 per unit of B (333) × 3 is more than B's 999: 999.
		{"fixed per item above the price", fixedCart(disc("d_item", "fixed", 500, "item")), "b", prodB, want{amount: 999}},
		// 33% off anything but A and C: B round(999/100 × 33 = 329.67) = 330 (the reference
		// server's order "percentage_not_in").
		{"percentage with not_in, allowed product", fixedCart(withConds(disc("d_33", "percentage", 33, "item"), notInAC)), "b", prodB, want{amount: 330}},
		{"percentage with not_in, excluded product", fixedCart(withConds(disc("d_33", "percentage", 33, "item"), notInAC)), "a", prodA, want{}},
		// Medusa checks customer group conditions against the product id: never a member.
		{"customer group condition in", fixedCart(withConds(pct15(), groups)), "a", prodA, want{}},
		{"custom item without product", fixedCart(pct15()), "a", nil, want{}},
		{"only free shipping", fixedCart(freeSh()), "a", prodA, want{}},
		{"free shipping first, then the discount", &model.Cart{Discounts: []*model.Discount{freeSh(), pct15()},
			Items: []*model.LineItem{li("a", 1999, 1)}}, "a", prodA, want{amount: 300}},
		{"no discount", &model.Cart{Items: []*model.LineItem{li("a", 1999, 1)}}, "a", prodA, want{}},
		{"return line", &model.Cart{Discounts: []*model.Discount{pct15()},
			Items: []*model.LineItem{isReturn(li("a", 1999, 1))}}, "a", prodA, want{}},
		// A 0% discount records no adjustment.
		{"zero amount", fixedCart(disc("d_zero", "percentage", 0, "total")), "a", prodA, want{}},
		// The swap's cart as Medusa passes it, without items: 0/0.
		{"fixed total on a cart without items", &model.Cart{Discounts: []*model.Discount{fixed()}}, "a", prodA,
			want{err: "unexpected_state: discount amount of line item a is not a number"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var it *model.LineItem
			for _, x := range c.cart.Items {
				if x.ID == c.item {
					it = x
				}
			}
			if it == nil {
				it = li(c.item, 1999, 1)
			}
			got, err := Adjustment(c.cart, it, c.product)
			if c.want.err != "" {
				if err == nil || err.Error() != c.want.err {
					t.Fatalf("error %v, want %s", err, c.want.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.want.amount == 0 {
				if got != nil {
					t.Fatalf("adjustment %+v, want none", got)
				}
				return
			}
			d := mainDiscountID(c.cart)
			if got == nil || got.Amount != c.want.amount || got.ItemID != it.ID || got.Description != "discount" ||
				got.DiscountID == nil || *got.DiscountID != d {
				t.Fatalf("adjustment %+v, want %d of %s", got, c.want.amount, d)
			}
		})
	}
}

// mainDiscountID is the id of the cart's main discount, for the assertions above.
func mainDiscountID(c *model.Cart) string { return cartSubject(c).mainDiscount().ID }

func TestValidForProduct(t *testing.T) {
	t.Parallel()
	p := &model.Product{ID: "prod_1", TypeID: ptr("ptyp_1"), CollectionID: ptr("pcol_1"),
		Tags: []*model.ProductTag{{ID: "ptag_1"}, {ID: "ptag_2"}}}
	bare := &model.Product{ID: "prod_2"}
	c := func(typ, op string, setup func(*model.DiscountCondition)) *model.DiscountCondition {
		x := cond(typ, op)
		setup(x)
		return x
	}
	typ1 := func(x *model.DiscountCondition) { x.ProductTypes = []*model.ProductType{{ID: "ptyp_1"}} }
	col1 := func(x *model.DiscountCondition) { x.ProductCollections = []*model.ProductCollection{{ID: "pcol_1"}} }
	tag2 := func(x *model.DiscountCondition) { x.ProductTags = []*model.ProductTag{{ID: "ptag_2"}, {ID: "ptag_9"}} }
	prod1 := func(x *model.DiscountCondition) { x.Products = []*model.Product{{ID: "prod_1"}} }
	grp := func(x *model.DiscountCondition) { x.CustomerGroups = []*model.CustomerGroup{{ID: "cgrp_1"}} }
	for _, tc := range []struct {
		name  string
		conds []*model.DiscountCondition
		p     *model.Product
		want  bool
	}{
		{"no conditions", nil, bare, true},
		{"type in", []*model.DiscountCondition{c("product_types", "in", typ1)}, p, true},
		{"type in, product without type", []*model.DiscountCondition{c("product_types", "in", typ1)}, bare, false},
		{"type not_in", []*model.DiscountCondition{c("product_types", "not_in", typ1)}, p, false},
		{"collection in", []*model.DiscountCondition{c("product_collections", "in", col1)}, p, true},
		{"collection not_in, other product", []*model.DiscountCondition{c("product_collections", "not_in", col1)}, bare, true},
		{"one of the tags", []*model.DiscountCondition{c("product_tags", "in", tag2)}, p, true},
		{"tags not_in", []*model.DiscountCondition{c("product_tags", "not_in", tag2)}, p, false},
		{"all conditions must hold", []*model.DiscountCondition{c("products", "in", prod1), c("product_types", "not_in", typ1)}, p, false},
		{"all conditions hold", []*model.DiscountCondition{c("products", "in", prod1), c("product_tags", "in", tag2), c("product_collections", "in", col1)}, p, true},
		{"customer groups in", []*model.DiscountCondition{c("customer_groups", "in", grp)}, p, false},
		{"customer groups not_in", []*model.DiscountCondition{c("customer_groups", "not_in", grp)}, p, true},
	} {
		if got := ValidForProduct(tc.conds, tc.p); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
