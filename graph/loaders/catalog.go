package loaders

import (
	"context"
	"strconv"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// The catalog's nested fields are batched by sibling groups rather than by a time window: the
// objects one read returned (a page of products, all the variants of that page, …) form a group,
// and a relation asked of any of them is fetched once for the whole group, by the first asker,
// while its siblings wait for that one statement. So a page costs one statement per nested
// level whatever its size and however the goroutines are scheduled (a wait window splits a batch
// when resolvers are slow to start), and no resolver waits for a timer. The rows a fetch returns
// form the next level's groups. An object no read registered (a single read) is its own group.

type group struct {
	items any // []*T
	mu    sync.Mutex
	calls map[string]*groupCall
}

type groupCall struct {
	once sync.Once
	res  any // map[*T]V
	err  error
}

func (g *group) call(rel string) *groupCall {
	g.mu.Lock()
	defer g.mu.Unlock()
	c, ok := g.calls[rel]
	if !ok {
		c = &groupCall{}
		g.calls[rel] = c
	}
	return c
}

type loader[K comparable, V any] = dataloadgen.Loader[K, V]

// Catalog batches the catalog's nested fields per request.
type Catalog struct {
	s *store.Store
	// object pointer → *group; a plain map under a mutex: a page registers its rows in bulk (a
	// sync.Map allocated an entry per row, a tenth of a product page's CPU).
	mu     sync.Mutex
	groups map[any]*group

	// By-id loaders for single reads (node, variant): time-window batched, as a nodes(ids:) list
	// asks one id after another.
	ProductByID         *loader[string, *model.Product]
	VariantByID         *loader[string, *model.ProductVariant]
	OptionByID          *loader[string, *model.ProductOption]
	OptionValueByID     *loader[string, *model.ProductOptionValue]
	MoneyAmountByID     *loader[string, *model.MoneyAmount]
	ImageByID           *loader[string, *model.Image]
	TagByID             *loader[string, *model.ProductTag]
	TypeByID            *loader[string, *model.ProductType]
	ShippingProfileByID *loader[string, *model.ShippingProfile]
	CustomerGroupByID   *loader[string, *model.CustomerGroup]

	clear []func()

	columns map[*ast.Field]columnSet // guarded by mu
}

type columnSet struct {
	key  string
	cols store.Columns
}

// Columns caches, per place in the query (field), the column set compute returns, and a key
// naming it: loads batch by that key, so that two places asking different fields of the same
// objects load them apart.
func (c *Catalog) Columns(field *ast.Field, compute func() store.Columns) (string, store.Columns) {
	c.mu.Lock()
	cs, ok := c.columns[field]
	c.mu.Unlock()
	if ok {
		return cs.key, cs.cols
	}
	cols := compute()
	c.mu.Lock()
	defer c.mu.Unlock()
	if cs, ok := c.columns[field]; ok {
		return cs.key, cs.cols
	}
	if c.columns == nil {
		c.columns = map[*ast.Field]columnSet{}
	}
	cs = columnSet{cols: cols}
	if cols != nil {
		cs.key = "#" + strconv.Itoa(len(c.columns)+1)
	}
	c.columns[field] = cs
	return cs.key, cs.cols
}

func mapped[K comparable, V any](c *Catalog, fetch func(context.Context, []K) (map[K]V, error)) *loader[K, V] {
	l := dataloadgen.NewMappedLoader(fetch, dataloadgen.WithWait(batchWait))
	c.clear = append(c.clear, l.ClearAll)
	return l
}

func newCatalog(s *store.Store) *Catalog {
	c := &Catalog{s: s}
	c.ProductByID = mapped(c, s.ProductsByIDs)
	c.VariantByID = mapped(c, s.VariantsByIDs)
	c.OptionByID = mapped(c, s.ProductOptionsByIDs)
	c.OptionValueByID = mapped(c, s.OptionValuesByIDs)
	c.MoneyAmountByID = mapped(c, s.MoneyAmountsByIDs)
	c.ImageByID = mapped(c, s.ImagesByIDs)
	c.TagByID = mapped(c, s.ProductTagsByIDs)
	c.TypeByID = mapped(c, s.ProductTypesByIDs)
	c.ShippingProfileByID = mapped(c, s.ShippingProfilesByIDs)
	c.CustomerGroupByID = mapped(c, s.CustomerGroupsByIDs)
	return c
}

// Reset forgets every group and cache: a mutation calls it so that the fields read after it, in
// the same request, see what it changed.
func (c *Catalog) Reset() {
	c.mu.Lock()
	clear(c.groups)
	clear(c.columns)
	c.mu.Unlock()
	for _, f := range c.clear {
		f()
	}
}

// Siblings registers the objects one read returned as a group, so their nested fields load once
// for all of them. Objects already in a group stay in it.
func Siblings[T any](c *Catalog, items []*T) {
	if len(items) == 0 {
		return
	}
	g := &group{items: items, calls: map[string]*groupCall{}}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.groups == nil {
		c.groups = make(map[any]*group, len(items))
	}
	for _, it := range items {
		if _, ok := c.groups[it]; !ok {
			c.groups[it] = g
		}
	}
}

// load resolves relation rel of obj: fetched once for obj's whole group by the first asker.
func load[T, V any](ctx context.Context, c *Catalog, obj *T, rel string, fetch func(context.Context, []*T) (map[*T]V, error)) (V, error) {
	c.mu.Lock()
	g, ok := c.groups[obj]
	if !ok {
		g = &group{items: []*T{obj}, calls: map[string]*groupCall{}}
		if c.groups == nil {
			c.groups = map[any]*group{}
		}
		c.groups[obj] = g
	}
	c.mu.Unlock()
	gc := g.call(rel)
	gc.once.Do(func() { gc.res, gc.err = fetch(ctx, g.items.([]*T)) })
	var zero V
	if gc.err != nil {
		return zero, gc.err
	}
	return gc.res.(map[*T]V)[obj], nil
}

func uniqueKeys[T any](items []*T, key func(*T) *string) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		if k := key(it); k != nil && !seen[*k] {
			seen[*k] = true
			out = append(out, *k)
		}
	}
	return out
}

// hasMany loads a to-many relation for obj's group with one batch call keyed by key(parent); the
// children of the whole group form the next group.
func hasMany[T, V any](ctx context.Context, c *Catalog, obj *T, rel string, key func(*T) *string,
	fetch func(context.Context, []string) (map[string][]*V, error)) ([]*V, error) {
	return load(ctx, c, obj, rel, func(ctx context.Context, items []*T) (map[*T][]*V, error) {
		m, err := fetch(ctx, uniqueKeys(items, key))
		if err != nil {
			return nil, err
		}
		out := make(map[*T][]*V, len(items))
		var all []*V
		for _, it := range items {
			list := m[*key(it)]
			if list == nil {
				list = []*V{}
			}
			out[it] = list
			all = append(all, list...)
		}
		Siblings(c, unique(all))
		return out, nil
	})
}

// belongsTo loads a to-one relation (by the foreign key fk, null without one) for obj's group with
// one batch call; the distinct objects found form the next group.
func belongsTo[T, V any](ctx context.Context, c *Catalog, obj *T, rel string, fk func(*T) *string,
	fetch func(context.Context, []string) (map[string]*V, error)) (*V, error) {
	if fk(obj) == nil {
		return nil, nil
	}
	return load(ctx, c, obj, rel, func(ctx context.Context, items []*T) (map[*T]*V, error) {
		ids := uniqueKeys(items, fk)
		m, err := fetch(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[*T]*V, len(items))
		for _, it := range items {
			if k := fk(it); k != nil {
				out[it] = m[*k]
			}
		}
		found := make([]*V, 0, len(m))
		for _, id := range ids {
			if v := m[id]; v != nil {
				found = append(found, v)
			}
		}
		Siblings(c, found)
		return out, nil
	})
}

func unique[V any](list []*V) []*V {
	seen := make(map[*V]bool, len(list))
	out := list[:0:0]
	for _, v := range list {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// preloaded is a relation a store read already loaded: its rows join a group of their own.
func preloaded[V any](c *Catalog, list []*V) []*V {
	Siblings(c, list)
	return list
}

func productID(p *model.Product) *string                { return &p.ID }
func variantID(v *model.ProductVariant) *string         { return &v.ID }
func optionID(o *model.ProductOption) *string           { return &o.ID }
func collectionID(col *model.ProductCollection) *string { return &col.ID }
func priceListID(pl *model.PriceList) *string           { return &pl.ID }

// Variants registers variants a store read returned as a group, with the relations it loaded
// (prices, option values, products) as groups across all of them.
func (c *Catalog) Variants(variants []*model.ProductVariant) {
	var prices []*model.MoneyAmount
	var values []*model.ProductOptionValue
	var products []*model.Product
	for _, v := range variants {
		prices, values = append(prices, v.Prices...), append(values, v.Options...)
		if v.Product != nil {
			products = append(products, v.Product)
		}
	}
	Siblings(c, variants)
	Siblings(c, prices)
	Siblings(c, values)
	Siblings(c, unique(products))
}

// ProductVariants are a product's live variants by rank. Variants a product read loaded come
// with their prices and option values, which then form groups across all of them.
// cols narrows the columns read (nil: all), key names that set (Columns).
func (c *Catalog) ProductVariants(ctx context.Context, p *model.Product, key string, cols store.Columns) ([]*model.ProductVariant, error) {
	if p.Variants != nil {
		c.Variants(p.Variants)
		return p.Variants, nil
	}
	return hasMany(ctx, c, p, "variants"+key, productID, func(ctx context.Context, ids []string) (map[string][]*model.ProductVariant, error) {
		return c.s.VariantsByProductIDs(ctx, ids, cols)
	})
}

// ProductOptions are a product's live options, oldest first.
func (c *Catalog) ProductOptions(ctx context.Context, p *model.Product) ([]*model.ProductOption, error) {
	if p.Options != nil {
		return preloaded(c, p.Options), nil
	}
	return hasMany(ctx, c, p, "options", productID, c.s.OptionsByProductIDs)
}

// ProductImages are a product's live images in their stored order.
func (c *Catalog) ProductImages(ctx context.Context, p *model.Product) ([]*model.Image, error) {
	if p.Images != nil {
		return p.Images, nil
	}
	return hasMany(ctx, c, p, "images", productID, c.s.ImagesByProductIDs)
}

// ProductTags are a product's live tags in their stored order.
func (c *Catalog) ProductTags(ctx context.Context, p *model.Product) ([]*model.ProductTag, error) {
	if p.Tags != nil {
		return p.Tags, nil
	}
	return hasMany(ctx, c, p, "tags", productID, c.s.TagsByProductIDs)
}

// ProductSalesChannels are a product's live sales channels in their stored order.
func (c *Catalog) ProductSalesChannels(ctx context.Context, p *model.Product) ([]*model.SalesChannel, error) {
	if p.SalesChannels != nil {
		return p.SalesChannels, nil
	}
	return hasMany(ctx, c, p, "sales_channels", productID, c.s.SalesChannelsByProductIDs)
}

// ProductType is a product's type; null without one or when it is gone.
func (c *Catalog) ProductType(ctx context.Context, p *model.Product) (*model.ProductType, error) {
	if p.Type != nil {
		return p.Type, nil
	}
	return belongsTo(ctx, c, p, "type", func(p *model.Product) *string { return p.TypeID }, c.s.ProductTypesByIDs)
}

// ProductCollection is a product's collection; null without one or when it is deleted.
func (c *Catalog) ProductCollection(ctx context.Context, p *model.Product) (*model.ProductCollection, error) {
	if p.Collection != nil {
		return p.Collection, nil
	}
	return belongsTo(ctx, c, p, "collection", func(p *model.Product) *string { return p.CollectionID }, c.s.CollectionsByIDs)
}

// ProductProfile is a product's shipping profile.
func (c *Catalog) ProductProfile(ctx context.Context, p *model.Product) (*model.ShippingProfile, error) {
	if p.Profile != nil {
		return p.Profile, nil
	}
	return belongsTo(ctx, c, p, "profile", func(p *model.Product) *string { return &p.ProfileID }, c.s.ShippingProfilesByIDs)
}

// VariantProduct is a variant's live product.
func (c *Catalog) VariantProduct(ctx context.Context, v *model.ProductVariant) (*model.Product, error) {
	if v.Product != nil {
		return v.Product, nil
	}
	return belongsTo(ctx, c, v, "product", func(v *model.ProductVariant) *string { return &v.ProductID }, c.s.ProductsByIDs)
}

// VariantPrices are a variant's live prices outside any price list and, when priceList is not
// empty, those of that price list, oldest first. cols narrows the columns read (nil: all), key
// names that set (Columns).
func (c *Catalog) VariantPrices(ctx context.Context, v *model.ProductVariant, priceList, key string, cols store.Columns) ([]*model.MoneyAmount, error) {
	keep := func(prices []*model.MoneyAmount) []*model.MoneyAmount {
		out := []*model.MoneyAmount{}
		for _, ma := range prices {
			if ma.PriceListID == nil || *ma.PriceListID == priceList {
				out = append(out, ma)
			}
		}
		return out
	}
	if v.Prices != nil {
		return keep(v.Prices), nil
	}
	return hasMany(ctx, c, v, "prices:"+priceList+key, variantID, func(ctx context.Context, ids []string) (map[string][]*model.MoneyAmount, error) {
		var lists []string
		if priceList != "" {
			lists = []string{priceList}
		}
		rows, err := c.s.VariantPrices(ctx, ids, lists, cols)
		if err != nil {
			return nil, err
		}
		out := map[string][]*model.MoneyAmount{}
		for _, ma := range rows {
			out[*ma.VariantID] = append(out[*ma.VariantID], ma)
		}
		return out, nil
	})
}

// VariantOptions are a variant's live option values, oldest first.
func (c *Catalog) VariantOptions(ctx context.Context, v *model.ProductVariant) ([]*model.ProductOptionValue, error) {
	if v.Options != nil {
		return v.Options, nil
	}
	return hasMany(ctx, c, v, "options", variantID, c.s.OptionValuesByVariantIDs)
}

// OptionValues are an option's live values, oldest first.
func (c *Catalog) OptionValues(ctx context.Context, o *model.ProductOption) ([]*model.ProductOptionValue, error) {
	if o.Values != nil {
		return preloaded(c, o.Values), nil
	}
	return hasMany(ctx, c, o, "values", optionID, c.s.OptionValuesByOptionIDs)
}

// OptionValueOption is an option value's option; null once the option is deleted.
func (c *Catalog) OptionValueOption(ctx context.Context, ov *model.ProductOptionValue) (*model.ProductOption, error) {
	if ov.Option != nil {
		return ov.Option, nil
	}
	return belongsTo(ctx, c, ov, "option", func(ov *model.ProductOptionValue) *string { return &ov.OptionID }, c.s.ProductOptionsByIDs)
}

// MoneyAmountPriceList is a price's price list; null outside one.
func (c *Catalog) MoneyAmountPriceList(ctx context.Context, ma *model.MoneyAmount) (*model.PriceList, error) {
	if ma.PriceList != nil {
		return ma.PriceList, nil
	}
	return belongsTo(ctx, c, ma, "price_list", func(ma *model.MoneyAmount) *string { return ma.PriceListID }, c.s.PriceListsByIDs)
}

// MoneyAmountVariant is a price's live variant.
func (c *Catalog) MoneyAmountVariant(ctx context.Context, ma *model.MoneyAmount) (*model.ProductVariant, error) {
	if ma.Variant != nil {
		return ma.Variant, nil
	}
	return belongsTo(ctx, c, ma, "variant", func(ma *model.MoneyAmount) *string { return ma.VariantID }, c.s.VariantsByIDs)
}

// CollectionProducts are a collection's first live products, oldest first.
func (c *Catalog) CollectionProducts(ctx context.Context, col *model.ProductCollection, first int) ([]*model.Product, error) {
	if col.Products != nil {
		return preloaded(c, col.Products[:min(first, len(col.Products))]), nil
	}
	return hasMany(ctx, c, col, "products:"+strconv.Itoa(first), collectionID, func(ctx context.Context, ids []string) (map[string][]*model.Product, error) {
		return c.s.CollectionProductsFirst(ctx, ids, first)
	})
}

// PriceListPrices are a price list's first prices in stored order.
func (c *Catalog) PriceListPrices(ctx context.Context, pl *model.PriceList, first int) ([]*model.MoneyAmount, error) {
	if pl.Prices != nil {
		return preloaded(c, pl.Prices[:min(first, len(pl.Prices))]), nil
	}
	return hasMany(ctx, c, pl, "prices:"+strconv.Itoa(first), priceListID, func(ctx context.Context, ids []string) (map[string][]*model.MoneyAmount, error) {
		return c.s.PriceListPricesFirst(ctx, ids, first)
	})
}

// PriceListCustomerGroups are a price list's live customer groups in their stored order.
func (c *Catalog) PriceListCustomerGroups(ctx context.Context, pl *model.PriceList) ([]*model.CustomerGroup, error) {
	if pl.CustomerGroups != nil {
		return pl.CustomerGroups, nil
	}
	return hasMany(ctx, c, pl, "customer_groups", priceListID, c.s.CustomerGroupsByPriceListIDs)
}

// VariantPrice is the price selection's result for a variant in the context pc, computed once
// for the variant's whole group; key names the context. The candidate prices of the group form
// a group of their own.
func (c *Catalog) VariantPrice(ctx context.Context, v *model.ProductVariant, key string, pc store.PriceContext) (*store.VariantPrice, error) {
	return load(ctx, c, v, "price:"+key, func(ctx context.Context, items []*model.ProductVariant) (map[*model.ProductVariant]*store.VariantPrice, error) {
		m, err := c.s.SelectVariantPrices(ctx, uniqueKeys(items, variantID), pc)
		if err != nil {
			return nil, err
		}
		out := make(map[*model.ProductVariant]*store.VariantPrice, len(items))
		var prices []*model.MoneyAmount
		for _, it := range items {
			vp := m[it.ID]
			out[it] = vp
			prices = append(prices, vp.Prices...)
		}
		Siblings(c, unique(prices))
		return out, nil
	})
}
