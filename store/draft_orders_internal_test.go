package store

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// withDiscount is applyDiscount's choice: one free shipping discount and one other at most, a
// new one replacing the one of its kind, a discount already there changing nothing.
func TestDraftCartWithDiscount(t *testing.T) {
	d := func(id, typ string) *model.Discount {
		return &model.Discount{ID: id, Rule: &model.DiscountRule{Type: typ}}
	}
	pct, fixed, free, free2 := d("pct", "percentage"), d("fixed", "fixed"), d("free", "free_shipping"), d("free2", "free_shipping")
	ids := func(list []*model.Discount) string {
		s := ""
		for _, x := range list {
			s += x.ID + " "
		}
		return s
	}
	for _, c := range []struct {
		list []*model.Discount
		add  *model.Discount
		want string
	}{
		{nil, pct, "pct "},
		{[]*model.Discount{pct}, fixed, "fixed "},
		{[]*model.Discount{pct}, free, "pct free "},
		{[]*model.Discount{free, pct}, fixed, "free fixed "},
		{[]*model.Discount{free, pct}, free2, "free2 pct "},
		{[]*model.Discount{free, pct}, pct, "free pct "},
		{[]*model.Discount{free}, free2, "free2 "},
	} {
		if got := ids(withDiscount(c.list, c.add)); got != c.want {
			t.Errorf("%s+ %s: %s, want %s", ids(c.list), c.add.ID, got, c.want)
		}
	}
}
