package totals

import (
	"encoding/json"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Builders for hand-made rows. Items allow discounts unless said otherwise, as Medusa's do.

func li(id string, unit, qty int) *model.LineItem {
	return &model.LineItem{ID: id, UnitPrice: unit, Quantity: qty, AllowDiscounts: true}
}

func adj(it *model.LineItem, discountID string, amount int) *model.LineItem {
	d := discountID
	it.Adjustments = append(it.Adjustments, &model.LineItemAdjustment{ItemID: it.ID, DiscountID: &d, Amount: amount, Description: "discount"})
	return it
}

func taxed(it *model.LineItem, rates ...float64) *model.LineItem {
	for _, r := range rates {
		it.TaxLines = append(it.TaxLines, &model.LineItemTaxLine{ItemID: it.ID, Rate: r, Name: "t"})
	}
	return it
}

func noDiscounts(it *model.LineItem) *model.LineItem { it.AllowDiscounts = false; return it }

func returned(it *model.LineItem, q int) *model.LineItem { it.ReturnedQuantity = &q; return it }

func sm(id string, price int, rates ...float64) *model.ShippingMethod {
	m := &model.ShippingMethod{ID: id, Price: price, ShippingOptionID: "so_" + id}
	for _, r := range rates {
		m.TaxLines = append(m.TaxLines, &model.ShippingMethodTaxLine{ShippingMethodID: id, Rate: r, Name: "t"})
	}
	return m
}

func disc(id, typ string, value int, allocation string) *model.Discount {
	a := allocation
	return &model.Discount{ID: id, Code: id, RuleID: ptr("dru_" + id), Rule: &model.DiscountRule{ID: "dru_" + id, Type: typ, Value: value, Allocation: &a}}
}

func gcTx(amount int, taxable *bool, rate *float64) *model.GiftCardTransaction {
	return &model.GiftCardTransaction{Amount: amount, IsTaxable: taxable, TaxRate: rate}
}

func ptr[T any](v T) *T { return &v }

var (
	regionEU = &model.Region{ID: "reg_eu", TaxRate: 20, GiftCardsTaxable: true, AutomaticTaxes: true}
	// regionPlain taxes no gift cards.
	regionPlain = &model.Region{ID: "reg_plain", TaxRate: 20, AutomaticTaxes: true}
)

func pct15() *model.Discount  { return disc("d_pct", "percentage", 15, "total") }
func fixed() *model.Discount  { return disc("d_fix", "fixed", 1000, "total") }
func freeSh() *model.Discount { return disc("d_free", "free_shipping", 0, "total") }

func TestOrder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		order *model.Order
		want  OrderTotals
	}{
		{
			name:  "empty order",
			order: &model.Order{Region: regionEU},
			want:  OrderTotals{Refundable: map[string]int64{}},
		},
		{
			// subtotal 1999×3 = 5997; tax round(5997×0.2 = 1199.4) = 1199 + shipping round(800×0.2)
			// = 160 → 1359; total 5997 + 800 + 1359 = 8156. refundable 5997 + 1199.
			name: "one item and shipping at 20%",
			order: &model.Order{Region: regionEU,
				Items:           []*model.LineItem{taxed(li("a", 1999, 3), 20)},
				ShippingMethods: []*model.ShippingMethod{sm("s", 800, 20)},
			},
			want: OrderTotals{ShippingTotal: 800, TaxTotal: 1359, Subtotal: 5997, Total: 8156,
				Refundable: map[string]int64{"a": 7196}},
		},
		{
			// Two tax lines on A are rounded apart: 5997×0.125 = 749.625 → 750, 5997×0.07 = 419.79 →
			// 420; B 333×0.2 = 66.6 → 67; shipping 800×0.05 = 40. tax 1277, total 6330+800+1277.
			// (The reference server's order "plain" has these numbers.)
			name: "several tax lines per item, each rounded",
			order: &model.Order{Region: regionEU,
				Items:           []*model.LineItem{taxed(li("a", 1999, 3), 12.5, 7), taxed(li("b", 333, 1), 20)},
				ShippingMethods: []*model.ShippingMethod{sm("s", 800, 5)},
			},
			want: OrderTotals{ShippingTotal: 800, TaxTotal: 1277, Subtotal: 6330, Total: 8407,
				Refundable: map[string]int64{"a": 7167, "b": 400}},
		},
		{
			// Adjustments of a 15% discount: A 900 (unit 300), B 100 (unit 50), C 188. Taxable A 5097:
			// 637.125 → 637 and 356.79 → 357; B 566×0.2 = 113.2 → 113; C 1062×0.07 = 74.34 → 74;
			// shipping 795×0.1 = 79.5 → 80. tax 1261; discount 1188; total 7913−1188+795+1261.
			name: "percentage discount through adjustments",
			order: &model.Order{Region: regionEU, Discounts: []*model.Discount{pct15()},
				Items: []*model.LineItem{
					taxed(adj(li("a", 1999, 3), "d_pct", 900), 12.5, 7),
					taxed(adj(li("b", 333, 2), "d_pct", 100), 20),
					taxed(adj(li("c", 1250, 1), "d_pct", 188), 7),
				},
				ShippingMethods: []*model.ShippingMethod{sm("s", 795, 10)},
			},
			want: OrderTotals{ShippingTotal: 795, DiscountTotal: 1188, TaxTotal: 1261, Subtotal: 7913, Total: 8781,
				Refundable: map[string]int64{"a": 5097 + 637 + 357, "b": 566 + 113, "c": 1062 + 74}},
		},
		{
			// The tax base takes the discount per unit, rounded: 1000/3 → 333, so 3000 − 999 = 2001
			// is taxed (400.2 → 400) although 1000 is discounted: total 3000 − 1000 + 400 = 2400,
			// refundable 2001 + 400 = 2401.
			name: "discount rounded per unit in the tax base",
			order: &model.Order{Region: regionEU, Discounts: []*model.Discount{fixed()},
				Items: []*model.LineItem{taxed(adj(li("a", 1000, 3), "d_fix", 1000), 20)},
			},
			want: OrderTotals{DiscountTotal: 1000, TaxTotal: 400, Subtotal: 3000, Total: 2400,
				Refundable: map[string]int64{"a": 2401}},
		},
		{
			// 501/2 = 250.5 rounds up to 251: taxable 2002 − 502 = 1500 → 150.
			name: "per-unit discount half rounds up",
			order: &model.Order{Region: regionEU, Discounts: []*model.Discount{fixed()},
				Items: []*model.LineItem{taxed(adj(li("a", 1001, 2), "d_fix", 501), 10)},
			},
			want: OrderTotals{DiscountTotal: 501, TaxTotal: 150, Subtotal: 2002, Total: 1651,
				Refundable: map[string]int64{"a": 1650}},
		},
		{
			// discount_total adds every adjustment (300 + 500) but stops at the subtotal of items
			// that allow discounts (500). X allows none, so its allocation is 0.
			name: "discount capped at the discountable subtotal",
			order: &model.Order{Region: regionEU, Discounts: []*model.Discount{fixed()},
				Items: []*model.LineItem{
					adj(noDiscounts(li("x", 1000, 1)), "d_fix", 300),
					adj(li("y", 500, 1), "d_fix", 500),
				},
			},
			want: OrderTotals{DiscountTotal: 500, Subtotal: 1500, Total: 1000,
				Refundable: map[string]int64{"x": 1000, "y": 0}},
		},
		{
			// With only a free-shipping discount there is no discount total nor allocation, whatever
			// adjustments the items carry; the shipping price is already 0.
			name: "free shipping alone",
			order: &model.Order{Region: regionEU, Discounts: []*model.Discount{freeSh()},
				Items:           []*model.LineItem{taxed(adj(li("a", 1000, 1), "d_free", 100), 20)},
				ShippingMethods: []*model.ShippingMethod{sm("s", 0, 20)},
			},
			want: OrderTotals{TaxTotal: 200, Subtotal: 1000, Total: 1200,
				Refundable: map[string]int64{"a": 1200}},
		},
		{
			name: "adjustments without a discount count for nothing",
			order: &model.Order{Region: regionEU,
				Items: []*model.LineItem{taxed(adj(li("a", 1000, 1), "d_gone", 100), 20)},
			},
			want: OrderTotals{TaxTotal: 200, Subtotal: 1000, Total: 1200,
				Refundable: map[string]int64{"a": 1200}},
		},
		{
			// discount_total adds the adjustments of any discount (150), the allocation only the
			// main discount's (100): tax on 900 → 90, refundable 900 + 90.
			name: "adjustments of another discount",
			order: &model.Order{Region: regionEU, Discounts: []*model.Discount{fixed()},
				Items: []*model.LineItem{taxed(adj(adj(li("a", 1000, 1), "d_fix", 100), "d_old", 50), 10)},
			},
			want: OrderTotals{DiscountTotal: 150, TaxTotal: 90, Subtotal: 1000, Total: 940,
				Refundable: map[string]int64{"a": 990}},
		},
		{
			// Orders from before tax lines keep a tax_rate: tax = round((2000 − 200 − 300 + 500) ×
			// 0.25) = 500; total 2000 + 500 + 500 − 200 − 300 = 2500. refundable: (2000 − 100×2) ×
			// 1.25 = 2250. The transaction (no is_taxable, region not taxing gift cards) has no tax.
			name: "legacy order tax rate",
			order: &model.Order{Region: regionPlain, TaxRate: ptr(25.0), Discounts: []*model.Discount{fixed()},
				Items:                []*model.LineItem{adj(li("a", 1000, 2), "d_fix", 200)},
				GiftCardTransactions: []*model.GiftCardTransaction{gcTx(300, nil, nil)},
				GiftCards:            []*model.GiftCard{{ID: "gc", Balance: 0}},
				ShippingMethods:      []*model.ShippingMethod{sm("s", 500)},
			},
			want: OrderTotals{ShippingTotal: 500, DiscountTotal: 200, TaxTotal: 500, GiftCardTotal: 300,
				Subtotal: 2000, Total: 2500, Refundable: map[string]int64{"a": 2250}},
		},
		{
			// 1003 × 0.125 = 125.375 → 125; refundable round(1003 × 1.125 = 1128.375) = 1128.
			name: "legacy order tax rate rounding",
			order: &model.Order{Region: regionPlain, TaxRate: ptr(12.5),
				Items: []*model.LineItem{li("a", 1003, 1)},
			},
			want: OrderTotals{TaxTotal: 125, Subtotal: 1003, Total: 1128, Refundable: map[string]int64{"a": 1128}},
		},
		{
			// Gift card transactions: 500 at its recorded 20% → 100; 333 at 12.5% → 41.625; 200
			// from before rates were recorded (is_taxable null), region taxes gift cards → its 20%
			// → 40; 100 not taxable → 0. gift_card_total 1133, gift_card_tax_total 181.625 (not
			// rounded). tax = round(400 − 181.625 = 218.375) = 218; total 2000 + 218 − 1133.
			name: "gift card transactions and their tax",
			order: &model.Order{Region: regionEU,
				Items: []*model.LineItem{taxed(li("a", 2000, 1), 20)},
				GiftCardTransactions: []*model.GiftCardTransaction{
					gcTx(500, ptr(true), ptr(20.0)), gcTx(333, ptr(true), ptr(12.5)),
					gcTx(200, nil, nil), gcTx(100, ptr(false), nil),
				},
			},
			want: OrderTotals{TaxTotal: 218, GiftCardTotal: 1133, GiftCardTaxTotal: 181.625, Subtotal: 2000,
				Total: 1085, Refundable: map[string]int64{"a": 2400}},
		},
		{
			// Gift card tax above the items' tax: round(0 − 2.5) is −2 in JavaScript (halves go up).
			name: "negative tax total rounds half up",
			order: &model.Order{Region: regionEU,
				Items:                []*model.LineItem{li("a", 1000, 1)},
				GiftCardTransactions: []*model.GiftCardTransaction{gcTx(10, ptr(true), ptr(25.0))},
			},
			want: OrderTotals{TaxTotal: -2, GiftCardTotal: 10, GiftCardTaxTotal: 2.5, Subtotal: 1000, Total: 988,
				Refundable: map[string]int64{"a": 1000}},
		},
		{
			name: "payments and refunds",
			order: &model.Order{Region: regionEU,
				Items:    []*model.LineItem{li("a", 3500, 1)},
				Payments: []*model.Payment{{Amount: 3000}, {Amount: 500}},
				Refunds:  []*model.Refund{{Amount: 1000}, {Amount: 250}},
			},
			want: OrderTotals{RefundedTotal: 1250, Subtotal: 3500, Total: 3500, PaidTotal: 3500, RefundableAmount: 2250,
				Refundable: map[string]int64{"a": 3500}},
		},
		{
			// A: 3 bought, 2 returned: refundable for 1 at 1000 − 100 (unit discount of 300/3) =
			// 900 + 90. The swap's new item shares the order's discount (100/2 = 50 per unit):
			// 900 + 90; the claim's replacement 800. Subtotal and discount count order items only:
			// tax round(2700 × 0.1) = 270, total 3000 − 300 + 270.
			name: "returned quantities, swap and claim items",
			order: &model.Order{Region: regionEU, Discounts: []*model.Discount{fixed()},
				Items:  []*model.LineItem{returned(taxed(adj(li("a", 1000, 3), "d_fix", 300), 10), 2)},
				Swaps:  []*model.Swap{{AdditionalItems: []*model.LineItem{taxed(adj(li("s", 500, 2), "d_fix", 100), 10)}}},
				Claims: []*model.ClaimOrder{{AdditionalItems: []*model.LineItem{li("c", 800, 1)}}},
			},
			want: OrderTotals{DiscountTotal: 300, TaxTotal: 270, Subtotal: 3000, Total: 2970,
				Refundable: map[string]int64{"a": 990, "s": 990, "c": 800}},
		},
		{
			// A quantity of 0: its allocation is 0/0 = NaN, which Medusa reads as 0 (`|| 0`).
			name: "item of quantity 0",
			order: &model.Order{Region: regionEU, Discounts: []*model.Discount{fixed()},
				Items: []*model.LineItem{taxed(li("a", 1000, 0), 20), taxed(adj(li("b", 500, 1), "d_fix", 50), 20)},
			},
			want: OrderTotals{DiscountTotal: 50, TaxTotal: 90, Subtotal: 500, Total: 540,
				Refundable: map[string]int64{"a": 0, "b": 540}},
		},
		{
			// A tax line of rate 0 taxes nothing, like no tax line.
			name: "tax lines at 0%",
			order: &model.Order{Region: regionEU,
				Items:           []*model.LineItem{taxed(li("a", 1999, 2), 0), li("b", 335, 1)},
				ShippingMethods: []*model.ShippingMethod{sm("s", 1000, 0)},
			},
			want: OrderTotals{ShippingTotal: 1000, Subtotal: 4333, Total: 5333,
				Refundable: map[string]int64{"a": 3998, "b": 335}},
		},
		{
			// A fixed discount above the subtotal gives each item its whole price (666); shipping is
			// still taxed: 800 × 0.05 = 40; total 666 − 666 + 800 + 40.
			name: "fixed discount above the subtotal",
			order: &model.Order{Region: regionEU, Discounts: []*model.Discount{disc("d_big", "fixed", 100000, "total")},
				Items:           []*model.LineItem{taxed(adj(li("b", 333, 2), "d_big", 666), 20)},
				ShippingMethods: []*model.ShippingMethod{sm("s", 800, 5)},
			},
			want: OrderTotals{ShippingTotal: 800, DiscountTotal: 666, TaxTotal: 40, Subtotal: 666, Total: 840,
				Refundable: map[string]int64{"b": 0}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := Order(c.order)
			g, _ := json.Marshal(struct {
				OrderTotals
				R map[string]int64
			}{got, got.Refundable})
			w, _ := json.Marshal(struct {
				OrderTotals
				R map[string]int64
			}{c.want, c.want.Refundable})
			if string(g) != string(w) {
				t.Errorf("\n got %s\nwant %s", g, w)
			}
		})
	}
}

func TestRefundTotal(t *testing.T) {
	t.Parallel()
	a := taxed(adj(li("a", 1000, 3), "d_fix", 300), 10)
	s := taxed(li("s", 500, 1), 20)
	c := li("c", 800, 1)
	o := &model.Order{Region: regionEU, Discounts: []*model.Discount{fixed()},
		Items:  []*model.LineItem{a},
		Swaps:  []*model.Swap{{AdditionalItems: []*model.LineItem{s}}},
		Claims: []*model.ClaimOrder{{AdditionalItems: []*model.LineItem{c}}},
	}
	// A ×2: 2000 − 100×2 = 1800 + 180; S: 500 + 100; C: 800.
	got, err := RefundTotal(o, []RefundLine{{Item: a, Quantity: 2}, {Item: s, Quantity: 1}, {Item: c, Quantity: 1}})
	if err != nil || got != 1980+600+800 {
		t.Fatalf("RefundTotal = %d, %v; want 3380", got, err)
	}
	got, err = RefundTotal(o, nil)
	if err != nil || got != 0 {
		t.Fatalf("RefundTotal of nothing = %d, %v", got, err)
	}
	_, err = RefundTotal(o, []RefundLine{{Item: a, Quantity: 1}, {Item: li("other", 100, 1), Quantity: 1}})
	if e, ok := err.(*Error); !ok || *e != (Error{Type: "invalid_data", Message: "Line item does not exist on order"}) {
		t.Fatalf("RefundTotal of a foreign item: %v", err)
	}
}

func TestReturnShippingTotal(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		price int
		rates []float64
		want  int64
	}{
		{600, []float64{5}, 630},
		{795, []float64{10}, 875}, // 79.5 → 80
		{1000, []float64{12.5, 7}, 1195},
		{0, nil, 0},
		{1000, nil, 1000},
	} {
		if got := ReturnShippingTotal(c.price, c.rates); got != c.want {
			t.Errorf("ReturnShippingTotal(%d, %v) = %d, want %d", c.price, c.rates, got, c.want)
		}
	}
}

func TestJSRound(t *testing.T) {
	t.Parallel()
	for _, c := range [][2]float64{
		{2.5, 3}, {-2.5, -2}, {-56.6, -57}, {-0.4, 0}, {0.49999999999999994, 0}, {1199.4, 1199},
		{749.625, 750}, {187.5, 188}, {-187.5, -187}, {4503599627370495.5, 4503599627370496},
	} {
		if got := jsRound(c[0]); got != c[1] {
			t.Errorf("jsRound(%v) = %v, want %v", c[0], got, c[1])
		}
	}
}
