package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/totals"
)

// A totals error reaches the adapters as Medusa's error of its type, with its message.
func TestTotalsErr(t *testing.T) {
	t.Parallel()
	_, err := totals.RefundTotal(&model.Order{}, []totals.RefundLine{{Item: &model.LineItem{ID: "item_x"}, Quantity: 1}})
	var se *Error
	if !errors.As(fmt.Errorf("create return: %w", totalsErr(err)), &se) || se.Type != InvalidData ||
		se.Message != "Line item does not exist on order" {
		t.Fatalf("totalsErr = %v", se)
	}
	other := errors.New("boom")
	if totalsErr(other) != other || totalsErr(nil) != nil {
		t.Fatal("other errors must pass unchanged")
	}
}
