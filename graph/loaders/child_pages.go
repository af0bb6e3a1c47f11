package loaders

import (
	"context"
	"encoding/json"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// childPage loads a page of a nested connection of obj for obj's whole sibling group, once per
// window and filter: siblings asking the same page share one read (JSON writes a map's keys in
// order, so equal filters make equal keys).
func childPage[T, V any](ctx context.Context, c *Catalog, obj *T, rel string, key func(*T) *string, win store.ChildWindow, where store.Where,
	fetch func(context.Context, []string, store.ChildWindow, store.Where) (map[string]store.ChildPage[V], error)) (store.ChildPage[V], error) {
	k, err := json.Marshal(struct {
		W store.ChildWindow
		F store.Where
	}{win, where})
	if err != nil {
		return store.ChildPage[V]{}, err
	}
	return load(ctx, c, obj, rel+":"+string(k), func(ctx context.Context, items []*T) (map[*T]store.ChildPage[V], error) {
		m, err := fetch(ctx, uniqueKeys(items, key), win, where)
		if err != nil {
			return nil, err
		}
		out := make(map[*T]store.ChildPage[V], len(items))
		var all []*V
		for _, it := range items {
			p := m[*key(it)]
			if p.Rows == nil {
				p.Rows = []*V{}
			}
			out[it] = p
			all = append(all, p.Rows...)
		}
		Siblings(c, unique(all))
		return out, nil
	})
}

// CollectionProductsPage is a page of a collection's products (productsConnection).
func (c *Catalog) CollectionProductsPage(ctx context.Context, col *model.ProductCollection, win store.ChildWindow, where store.Where) (store.ChildPage[model.Product], error) {
	return childPage(ctx, c, col, "productsPage", collectionID, win, where, c.s.CollectionProductsPages)
}

// ProfileProductsPage is a page of a shipping profile's products (productsConnection).
func (c *Catalog) ProfileProductsPage(ctx context.Context, p *model.ShippingProfile, win store.ChildWindow, where store.Where) (store.ChildPage[model.Product], error) {
	return childPage(ctx, c, p, "productsPage", func(p *model.ShippingProfile) *string { return &p.ID }, win, where, c.s.ProfileProductsPages)
}

// TaxRateProductsPage is a page of a tax rate's products (productsConnection).
func (c *Catalog) TaxRateProductsPage(ctx context.Context, r *model.TaxRate, win store.ChildWindow, where store.Where) (store.ChildPage[model.Product], error) {
	return childPage(ctx, c, r, "productsPage", func(r *model.TaxRate) *string { return &r.ID }, win, where, c.s.TaxRateProductsPages)
}

// PriceListPricesPage is a page of a price list's prices (pricesConnection).
func (c *Catalog) PriceListPricesPage(ctx context.Context, pl *model.PriceList, win store.ChildWindow, where store.Where) (store.ChildPage[model.MoneyAmount], error) {
	return childPage(ctx, c, pl, "pricesPage", priceListID, win, where, c.s.PriceListPricesPages)
}

// CustomerGroupCustomersPage is a page of a group's customers (CustomerGroup.customers).
func (c *Catalog) CustomerGroupCustomersPage(ctx context.Context, g *model.CustomerGroup, win store.ChildWindow, where store.Where) (store.ChildPage[model.Customer], error) {
	return childPage(ctx, c, g, "customersPage", func(g *model.CustomerGroup) *string { return &g.ID }, win, where, c.s.CustomerGroupCustomersPages)
}
