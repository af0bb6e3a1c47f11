package totals

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// TestOracleOrders checks Order against orders the real Medusa 1.3.8 placed and priced:
// testdata/oracle/*.json are its GET /admin/orders/:id answers (written by place_orders.py on
// the reference server: carts completed through the store API, then captured, refunded,
// fulfilled, returned, swapped and claimed through the admin API). The answer carries every row
// the totals read (items with tax lines and adjustments, swaps' and claims' additional items,
// discounts with rules, gift card transactions, refunds, payments, shipping methods with tax
// lines, the region), so each file is both the input and Medusa's expected output.
func TestOracleOrders(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/oracle/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("expected the oracle's orders in testdata/oracle, found %d files", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var in struct {
				Order *model.Order `json:"order"`
			}
			if err := json.Unmarshal(raw, &in); err != nil {
				t.Fatalf("decode %s as an order: %v", f, err)
			}
			var want struct {
				Order struct {
					OrderTotals
					Items []refundableItem `json:"items"`
					Swaps []struct {
						AdditionalItems []refundableItem `json:"additional_items"`
					} `json:"swaps"`
					Claims []struct {
						AdditionalItems []refundableItem `json:"additional_items"`
					} `json:"claims"`
				} `json:"order"`
			}
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("decode %s totals: %v", f, err)
			}
			got := Order(in.Order)
			w := want.Order.OrderTotals
			w.Refundable = map[string]int64{}
			items := want.Order.Items
			for _, s := range want.Order.Swaps {
				items = append(items, s.AdditionalItems...)
			}
			for _, c := range want.Order.Claims {
				items = append(items, c.AdditionalItems...)
			}
			for _, it := range items {
				w.Refundable[it.ID] = it.Refundable
			}
			gotJSON, _ := json.Marshal(struct {
				OrderTotals
				Refundable map[string]int64 `json:"refundable"`
			}{got, got.Refundable})
			wantJSON, _ := json.Marshal(struct {
				OrderTotals
				Refundable map[string]int64 `json:"refundable"`
			}{w, w.Refundable})
			if len(w.Refundable) == 0 || w.Total == 0 {
				t.Fatalf("%s carries no totals or items", f)
			}
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("totals differ from Medusa's\n got: %s\nwant: %s", gotJSON, wantJSON)
			}
		})
	}
}

type refundableItem struct {
	ID         string `json:"id"`
	Refundable int64  `json:"refundable"`
}

// TestOracleRefunds checks RefundTotal and ReturnShippingTotal against the refund amounts
// Medusa 1.3.8 computed for the returns and refund claims in testdata/oracle: a return's
// refund_amount is the refund of its items less its shipping with tax (return.ts create), a
// refund claim's the refund of its claimed items (claim.ts create).
func TestOracleRefunds(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/oracle/*.json")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var in struct {
			Order *model.Order `json:"order"`
		}
		if err := json.Unmarshal(raw, &in); err != nil {
			t.Fatalf("decode %s: %v", f, err)
		}
		o := in.Order
		byID := map[string]*model.LineItem{}
		for _, it := range o.Items {
			byID[it.ID] = it
		}
		for _, s := range o.Swaps {
			for _, it := range s.AdditionalItems {
				byID[it.ID] = it
			}
		}
		for _, r := range o.Returns {
			if r.SwapID != nil || r.ClaimOrderID != nil {
				continue // their items are not among the order's default relations
			}
			var lines []RefundLine
			for _, ri := range r.Items {
				lines = append(lines, RefundLine{Item: byID[ri.ItemID], Quantity: ri.Quantity})
			}
			got, err := RefundTotal(o, lines)
			if err != nil {
				t.Fatalf("%s return %s: %v", f, r.ID, err)
			}
			if sm := r.ShippingMethod; sm != nil {
				var rates []float64
				for _, tl := range sm.TaxLines {
					rates = append(rates, tl.Rate)
				}
				got -= ReturnShippingTotal(sm.Price, rates)
			}
			if got != int64(r.RefundAmount) {
				t.Errorf("%s return %s: refund %d, Medusa %d", f, r.ID, got, r.RefundAmount)
			}
			checked++
		}
		for _, c := range o.Claims {
			if c.Type != "refund" {
				continue
			}
			var lines []RefundLine
			for _, ci := range c.ClaimItems {
				lines = append(lines, RefundLine{Item: byID[ci.ItemID], Quantity: ci.Quantity})
			}
			got, err := RefundTotal(o, lines)
			if err != nil {
				t.Fatalf("%s claim %s: %v", f, c.ID, err)
			}
			if c.RefundAmount == nil || got != int64(*c.RefundAmount) {
				t.Errorf("%s claim %s: refund %d, Medusa %v", f, c.ID, got, c.RefundAmount)
			}
			checked++
		}
	}
	if checked < 5 {
		t.Fatalf("only %d returns and claims checked", checked)
	}
}
