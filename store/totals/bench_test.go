package totals

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// BenchmarkOrder prices one of the oracle's orders (3 items with tax lines and a discount, a
// swap's additional item, a return and a refund): the cost per order of a page of orders.
func BenchmarkOrder(b *testing.B) {
	raw, err := os.ReadFile("testdata/oracle/order_percentage_swap.json")
	if err != nil {
		b.Fatal(err)
	}
	var in struct {
		Order *model.Order `json:"order"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Order(in.Order)
	}
}
