package graph

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/loaders"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// The catalog's nested fields (a product's variants, a variant's prices, …) use what a store read
// already loaded (a mutation answers with the product read whole), else the request's catalog
// loaders: the objects of one read (a connection's page) are registered as siblings, and each
// nested level loads once for all of them (graph/loaders/catalog.go), so a page of products costs
// the same statements whatever its size. A product's own lists (variants, options, images, tags)
// are bounded by what one product holds and count once in the complexity, as gqlgen counts lists;
// the long nested lists (a collection's products, a price list's prices) take a `first` and scale
// the cost like connections.

func init() {
	nodeFetchers["prod"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.Store.GetProduct(ctx, id, []string{}))
	}
	nodeFetchers["variant"] = byLoader(func(c *loaders.Catalog) loaderOf[model.ProductVariant] { return c.VariantByID })
	nodeFetchers["opt"] = byLoader(func(c *loaders.Catalog) loaderOf[model.ProductOption] { return c.OptionByID })
	nodeFetchers["optval"] = byLoader(func(c *loaders.Catalog) loaderOf[model.ProductOptionValue] { return c.OptionValueByID })
	nodeFetchers["ma"] = byLoader(func(c *loaders.Catalog) loaderOf[model.MoneyAmount] { return c.MoneyAmountByID })
	nodeFetchers["img"] = byLoader(func(c *loaders.Catalog) loaderOf[model.Image] { return c.ImageByID })
	nodeFetchers["ptag"] = byLoader(func(c *loaders.Catalog) loaderOf[model.ProductTag] { return c.TagByID })
	nodeFetchers["ptyp"] = byLoader(func(c *loaders.Catalog) loaderOf[model.ProductType] { return c.TypeByID })
	nodeFetchers["sp"] = byLoader(func(c *loaders.Catalog) loaderOf[model.ShippingProfile] { return c.ShippingProfileByID })
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.Products = func(child int, first *int, _ *string, _ map[string]any, _ *gqlmodel.ProductFilter, _ *gqlmodel.ProductOrder) int {
			return connCost(child, first)
		}
		c.Query.Variants = func(child int, first *int, _ *string, _ map[string]any, _, _ *string) int {
			return connCost(child, first)
		}
		c.Query.ProductTags = func(child int, first *int, _ *string, _ map[string]any, _ *gqlmodel.ProductValueFilter) int {
			return connCost(child, first)
		}
		c.Query.ProductTypes = func(child int, first *int, _ *string, _ map[string]any, _ *gqlmodel.ProductValueFilter) int {
			return connCost(child, first)
		}
		c.Query.ProductTagUsage = func(child int) int { return 1 + 10*child }
	})
}

type loaderOf[T any] interface {
	Load(ctx context.Context, key string) (*T, error)
}

// byLoader is a node fetcher over a catalog by-id loader: a missing id is null.
func byLoader[T any](pick func(*loaders.Catalog) loaderOf[T]) func(ctx context.Context, _ *Resolver, id string) (node.Node, error) {
	return func(ctx context.Context, _ *Resolver, id string) (node.Node, error) {
		return nodeOf(loaders.Optional(pick(catalog(ctx)).Load(ctx, id)))
	}
}

// nodeOf keeps a missing object a nil interface (not a typed nil pointer).
func nodeOf[T any](v *T, err error) (node.Node, error) {
	if err != nil || v == nil {
		return nil, err
	}
	return v, nil
}

func catalog(ctx context.Context) *loaders.Catalog { return loaders.For(ctx).Catalog }

// siblings registers the objects of one read, whose nested fields then load once for all.
func siblings[T any](ctx context.Context, items []*T) []*T {
	loaders.Siblings(catalog(ctx), items)
	return items
}

// wrote ends a mutation: on success the request's catalog caches are emptied, so fields read after
// it (its payload, later mutations of the same request) see what it changed; a userError hides
// the object.
func wrote[T any](ctx context.Context, v *T, err error) (*T, []*gqlmodel.UserError, error) {
	ue, err := payloadErrors(err)
	if err != nil || len(ue) > 0 {
		return nil, ue, err
	}
	catalog(ctx).Reset()
	return v, ue, nil
}

// enumOf upper-cases a stored value into a GraphQL enum value.
func enumOf[T ~string](s string) T { return T(strings.ToUpper(s)) }

// omit turns an omittable input into the store's nullable update: nil when absent, a pointer to
// nil when null.
func omit[T any](o graphql.Omittable[*T]) **T {
	v, ok := o.ValueOK()
	if !ok {
		return nil
	}
	return &v
}

func catalogRange(f *gqlmodel.DateTimeFilter) *store.TimeRange {
	if f == nil {
		return nil
	}
	t := func(v *model.Time) *time.Time {
		if v == nil {
			return nil
		}
		return &v.Time
	}
	return &store.TimeRange{Lt: t(f.Lt), Gt: t(f.Gt), Lte: t(f.Lte), Gte: t(f.Gte)}
}

// firstN reads a nested list's `first` argument.
func firstN(first *int, def int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 0 || *first > 1000 {
		return 0, fmt.Errorf("first must be between 0 and 1000")
	}
	return *first, nil
}

// limitPage guards store lists that read a limit of 0 as no limit: a page of 0 asks for one row
// (for the total) and drops it.
func limitPage(p store.Page) (store.Page, bool) {
	if p.Limit == 0 {
		p.Limit = 1
		return p, true
	}
	return p, false
}

// edgesOf builds a connection's edges, with cursors from the page's offset.
func edgesOf[N, E any](p store.Page, nodes []*N, edge func(cursor string, n *N) *E) []*E {
	out := make([]*E, len(nodes))
	for i, n := range nodes {
		out[i] = edge(encodeCursor(p.Offset+i), n)
	}
	return out
}

// --- queries ---

func productFilter(in *gqlmodel.ProductFilter) (store.ProductFilter, []string) {
	var f store.ProductFilter
	if in == nil {
		return f, nil
	}
	f = store.ProductFilter{Q: in.Q, IDs: in.Ids, CollectionIDs: in.CollectionIds, Tags: in.Tags, PriceListIDs: in.PriceListIds,
		SalesChannelIDs: in.SalesChannelIds, Title: in.Title, Description: in.Description, Handle: in.Handle, IsGiftcard: in.IsGiftcard,
		CreatedAt: catalogRange(in.CreatedAt), UpdatedAt: catalogRange(in.UpdatedAt), DeletedAt: catalogRange(in.DeletedAt)}
	if in.Status != nil {
		f.Status = make([]string, len(in.Status))
		for i, s := range in.Status {
			f.Status[i] = strings.ToLower(string(s))
		}
	}
	return f, in.TypeIds
}

func productOrder(o *gqlmodel.ProductOrder) string {
	if o == nil {
		return ""
	}
	col := strings.ToLower(string(o.Field))
	if o.Direction == gqlmodel.SortDirectionDesc {
		return "-" + col
	}
	return col
}

// productConnection is products and, with priceListID, priceListProducts (whose list replaces
// the filter's priceListIds, as GET /admin/price-lists/:id/products does).
func (r *Resolver) productConnection(ctx context.Context, first *int, after *string, where map[string]any, filter *gqlmodel.ProductFilter,
	orderBy *gqlmodel.ProductOrder, priceListID *string) (*gqlmodel.ProductConnection, error) {
	p, err := countedPage(ctx, first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	f, typeIDs := productFilter(filter)
	if priceListID != nil {
		f.PriceListIDs = []string{*priceListID}
	}
	p.Order = productOrder(orderBy)
	p.Columns = connectionColumns[model.Product](ctx, r.Store, "Product")
	products, total, err := r.Store.ListProductsPage(ctx, f, typeIDs, p)
	if err != nil {
		return nil, queryError(err)
	}
	siblings(ctx, products)
	return &gqlmodel.ProductConnection{Nodes: products, TotalCount: total, PageInfo: pageInfo(p, len(products), total),
		Edges: edgesOf(p, products, func(c string, n *model.Product) *gqlmodel.ProductEdge {
			return &gqlmodel.ProductEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) product(ctx context.Context, id, handle *string) (*model.Product, error) {
	switch {
	case (id == nil) == (handle == nil):
		return nil, queryError(store.Invalidf("product takes exactly one of id and handle"))
	case handle != nil:
		return foundOrNull(r.Store.GetProductByHandle(ctx, *handle, []string{}))
	}
	return foundOrNull(r.Store.GetProduct(ctx, *id, []string{}))
}

// variantConnection is GET /admin/variants, or GET /admin/products/:id/variants with productID.
func (r *Resolver) variantConnection(ctx context.Context, first *int, after *string, where map[string]any, q, productID *string) (*gqlmodel.ProductVariantConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	if q != nil && productID != nil {
		return nil, fmt.Errorf("q and productId do not combine")
	}
	lp, none := limitPage(p)
	var variants []*model.ProductVariant
	var total int
	if productID != nil {
		lp.Expand = store.DefaultVariantRelations
		variants, total, err = r.Store.ListProductVariants(ctx, *productID, lp)
	} else {
		variants, total, err = r.Store.ListVariants(ctx, q, lp)
	}
	if err != nil {
		return nil, queryError(err)
	}
	if none {
		variants = variants[:0]
	}
	catalog(ctx).Variants(variants)
	return &gqlmodel.ProductVariantConnection{Nodes: variants, TotalCount: total, PageInfo: pageInfo(p, len(variants), total),
		Edges: edgesOf(p, variants, func(c string, n *model.ProductVariant) *gqlmodel.ProductVariantEdge {
			return &gqlmodel.ProductVariantEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) variant(ctx context.Context, id string) (*model.ProductVariant, error) {
	return loaders.Optional(catalog(ctx).VariantByID.Load(ctx, id))
}

// withWhere is f with the where filter.
func withWhere(f store.ValueFilter, w store.Where) store.ValueFilter {
	f.Where = w
	return f
}

func valueFilter(in *gqlmodel.ProductValueFilter) store.ValueFilter {
	var f store.ValueFilter
	if in == nil {
		return f
	}
	if in.Ids != nil {
		f.ID = &store.StringFilter{In: in.Ids}
	}
	if in.Values != nil {
		f.Value = &store.StringFilter{In: in.Values}
	}
	f.Q, f.CreatedAt, f.UpdatedAt = in.Q, catalogRange(in.CreatedAt), catalogRange(in.UpdatedAt)
	return f
}

func (r *Resolver) productTagConnection(ctx context.Context, first *int, after *string, where map[string]any, filter *gqlmodel.ProductValueFilter) (*gqlmodel.ProductTagConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	lp, none := limitPage(p)
	tags, total, err := r.Store.ListProductTagsPage(ctx, withWhere(valueFilter(filter), p.Where), lp.Offset, lp.Limit, "")
	if err != nil {
		return nil, queryError(err)
	}
	if none {
		tags = tags[:0]
	}
	return &gqlmodel.ProductTagConnection{Nodes: tags, TotalCount: total, PageInfo: pageInfo(p, len(tags), total),
		Edges: edgesOf(p, tags, func(c string, n *model.ProductTag) *gqlmodel.ProductTagEdge {
			return &gqlmodel.ProductTagEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) productTypeConnection(ctx context.Context, first *int, after *string, where map[string]any, filter *gqlmodel.ProductValueFilter) (*gqlmodel.ProductTypeConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	lp, none := limitPage(p)
	types, total, err := r.Store.ListProductTypesPage(ctx, withWhere(valueFilter(filter), p.Where), lp.Offset, lp.Limit, "")
	if err != nil {
		return nil, queryError(err)
	}
	if none {
		types = types[:0]
	}
	return &gqlmodel.ProductTypeConnection{Nodes: types, TotalCount: total, PageInfo: pageInfo(p, len(types), total),
		Edges: edgesOf(p, types, func(c string, n *model.ProductType) *gqlmodel.ProductTypeEdge {
			return &gqlmodel.ProductTypeEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) productTagUsage(ctx context.Context) ([]*store.TagUsage, error) {
	tags, err := r.Store.ListTagsByUsage(ctx)
	return tags, queryError(err)
}

func tagUsageCount(t *store.TagUsage) (int, error) { return strconv.Atoi(t.UsageCount) }

// --- nested fields ---

func (r *Resolver) productVariants(ctx context.Context, p *model.Product) ([]*model.ProductVariant, error) {
	key, cols := listColumns[model.ProductVariant](ctx, r.Store, "ProductVariant")
	return catalog(ctx).ProductVariants(ctx, p, key, cols)
}

func productOptions(ctx context.Context, p *model.Product) ([]*model.ProductOption, error) {
	return catalog(ctx).ProductOptions(ctx, p)
}

func productImages(ctx context.Context, p *model.Product) ([]*model.Image, error) {
	return catalog(ctx).ProductImages(ctx, p)
}

func productTags(ctx context.Context, p *model.Product) ([]*model.ProductTag, error) {
	return catalog(ctx).ProductTags(ctx, p)
}

// productSalesChannels is null while the sales channels feature is off.
func (r *Resolver) productSalesChannels(ctx context.Context, p *model.Product) ([]*model.SalesChannel, error) {
	if !r.Store.Config.FeatureSalesChannels {
		return nil, nil
	}
	return catalog(ctx).ProductSalesChannels(ctx, p)
}

func productType(ctx context.Context, p *model.Product) (*model.ProductType, error) {
	return catalog(ctx).ProductType(ctx, p)
}

func productCollection(ctx context.Context, p *model.Product) (*model.ProductCollection, error) {
	return catalog(ctx).ProductCollection(ctx, p)
}

func productProfile(ctx context.Context, p *model.Product) (*model.ShippingProfile, error) {
	return catalog(ctx).ProductProfile(ctx, p)
}

func variantProduct(ctx context.Context, v *model.ProductVariant) (*model.Product, error) {
	return catalog(ctx).VariantProduct(ctx, v)
}

func (r *Resolver) variantPrices(ctx context.Context, v *model.ProductVariant, priceListID *string) ([]*model.MoneyAmount, error) {
	list := ""
	if priceListID != nil {
		list = *priceListID
	}
	key, cols := listColumns[model.MoneyAmount](ctx, r.Store, "MoneyAmount")
	return catalog(ctx).VariantPrices(ctx, v, list, key, cols)
}

// variantPrice is the price selection for v, batched over v's siblings per distinct context.
func variantPrice(ctx context.Context, v *model.ProductVariant, regionID, currencyCode, customerGroupID *string, quantity *int) (*store.VariantPrice, error) {
	pc := store.PriceContext{RegionID: regionID, CurrencyCode: currencyCode, CustomerGroupID: customerGroupID, Quantity: quantity}
	key := fmt.Sprintf("%s|%s|%s|", optString(regionID), optString(currencyCode), optString(customerGroupID))
	if quantity != nil {
		key += strconv.Itoa(*quantity)
	}
	vp, err := catalog(ctx).VariantPrice(ctx, v, key, pc)
	if err != nil {
		return nil, queryError(err)
	}
	return vp, nil
}

// optString is a nullable argument for a batch key: the value quoted, or "-" when null.
func optString(s *string) string {
	if s == nil {
		return "-"
	}
	return strconv.Quote(*s)
}

func variantOptions(ctx context.Context, v *model.ProductVariant) ([]*model.ProductOptionValue, error) {
	return catalog(ctx).VariantOptions(ctx, v)
}

func optionValues(ctx context.Context, o *model.ProductOption) ([]*model.ProductOptionValue, error) {
	return catalog(ctx).OptionValues(ctx, o)
}

func optionValueOption(ctx context.Context, v *model.ProductOptionValue) (*model.ProductOption, error) {
	return catalog(ctx).OptionValueOption(ctx, v)
}

func moneyAmountPriceList(ctx context.Context, ma *model.MoneyAmount) (*model.PriceList, error) {
	return catalog(ctx).MoneyAmountPriceList(ctx, ma)
}

func moneyAmountVariant(ctx context.Context, ma *model.MoneyAmount) (*model.ProductVariant, error) {
	return catalog(ctx).MoneyAmountVariant(ctx, ma)
}

// --- mutations ---

// violation is one invalid_data userError about an input field (snake_case, as the store names
// fields).
func violation(field, msg string) error {
	var v store.Violations
	v.Add(true, field, msg)
	return v.Err()
}

// checkPrices applies Medusa's XOR rule to variant prices: exactly one of regionId and
// currencyCode, unless an update names the price by id.
func checkPrices(field string, prices []*gqlmodel.ProductVariantPriceInput, update bool) error {
	for _, p := range prices {
		if update && p.ID != nil && *p.ID != "" {
			continue
		}
		if (p.RegionID != nil && *p.RegionID != "") == (p.CurrencyCode != nil && *p.CurrencyCode != "") {
			return violation(field, `Failed XOR relation between "region_id" and "currency_code".`)
		}
	}
	return nil
}

func priceInputs(in []*gqlmodel.ProductVariantPriceInput) []store.PriceInput {
	if in == nil {
		return nil
	}
	out := make([]store.PriceInput, len(in))
	for i, p := range in {
		out[i] = store.PriceInput{ID: p.ID, RegionID: p.RegionID, CurrencyCode: p.CurrencyCode, Amount: p.Amount,
			MinQuantity: p.MinQuantity, MaxQuantity: p.MaxQuantity}
	}
	return out
}

func variantOptionInputs(in []*gqlmodel.ProductVariantOptionInput) []store.VariantOptionInput {
	if in == nil {
		return nil
	}
	out := make([]store.VariantOptionInput, len(in))
	for i, o := range in {
		out[i] = store.VariantOptionInput{Value: o.Value}
		if o.OptionID != nil {
			out[i].OptionID = *o.OptionID
		}
	}
	return out
}

func createVariantInput(field string, in *gqlmodel.CreateProductVariantInput) (store.CreateVariantInput, error) {
	if err := checkPrices(field, in.Prices, false); err != nil {
		return store.CreateVariantInput{}, err
	}
	out := store.CreateVariantInput{Title: in.Title, SKU: in.Sku, EAN: in.Ean, UPC: in.Upc, Barcode: in.Barcode, HSCode: in.HsCode,
		AllowBackorder: in.AllowBackorder, ManageInventory: in.ManageInventory, Weight: in.Weight, Length: in.Length,
		Height: in.Height, Width: in.Width, OriginCountry: in.OriginCountry, MIDCode: in.MidCode, Material: in.Material,
		Metadata: in.Metadata, Prices: priceInputs(in.Prices), Options: variantOptionInputs(in.Options)}
	if in.InventoryQuantity != nil {
		out.InventoryQuantity = *in.InventoryQuantity
	}
	return out, nil
}

// fieldNames collects the snake_case names of the fields a change gives (non-null), sorted, for
// the update events as REST announces them.
type fieldNames []string

func (f *fieldNames) add(given bool, name string) {
	if given {
		*f = append(*f, name)
	}
}

func givenOmit[T any](o graphql.Omittable[*T]) bool {
	v, ok := o.ValueOK()
	return ok && v != nil
}

func updateVariantInput(field string, in *gqlmodel.UpdateProductVariantInput) (store.UpdateVariantInput, error) {
	if err := checkPrices(field, in.Prices, true); err != nil {
		return store.UpdateVariantInput{}, err
	}
	out := store.UpdateVariantInput{ID: in.ID, Title: in.Title, SKU: omit(in.Sku), EAN: omit(in.Ean), UPC: omit(in.Upc),
		Barcode: omit(in.Barcode), HSCode: omit(in.HsCode), InventoryQuantity: in.InventoryQuantity,
		AllowBackorder: in.AllowBackorder, ManageInventory: in.ManageInventory, Weight: omit(in.Weight), Length: omit(in.Length),
		Height: omit(in.Height), Width: omit(in.Width), OriginCountry: omit(in.OriginCountry), MIDCode: omit(in.MidCode),
		Material: omit(in.Material), Metadata: in.Metadata, Prices: priceInputs(in.Prices), Options: variantOptionInputs(in.Options)}
	var f fieldNames
	f.add(in.ID != nil, "id")
	f.add(in.Title != nil, "title")
	f.add(givenOmit(in.Sku), "sku")
	f.add(givenOmit(in.Ean), "ean")
	f.add(givenOmit(in.Upc), "upc")
	f.add(givenOmit(in.Barcode), "barcode")
	f.add(givenOmit(in.HsCode), "hs_code")
	f.add(in.InventoryQuantity != nil, "inventory_quantity")
	f.add(in.AllowBackorder != nil, "allow_backorder")
	f.add(in.ManageInventory != nil, "manage_inventory")
	f.add(givenOmit(in.Weight), "weight")
	f.add(givenOmit(in.Length), "length")
	f.add(givenOmit(in.Height), "height")
	f.add(givenOmit(in.Width), "width")
	f.add(givenOmit(in.OriginCountry), "origin_country")
	f.add(givenOmit(in.MidCode), "mid_code")
	f.add(givenOmit(in.Material), "material")
	f.add(in.Metadata != nil, "metadata")
	f.add(in.Prices != nil, "prices")
	f.add(in.Options != nil, "options")
	slices.Sort(f)
	out.Fields = f
	return out, nil
}

// salesChannelIDs checks sales channel ids as Medusa's validateSalesChannelsExist does; with the
// feature off the field does not exist.
func (r *Resolver) salesChannelIDs(ctx context.Context, given bool, ids []string) error {
	if !given {
		return nil
	}
	if !r.Store.Config.FeatureSalesChannels {
		return violation("sales_channel_ids", "Sales channels are not enabled")
	}
	if len(ids) == 0 {
		return nil
	}
	missing, err := r.Store.MissingSalesChannels(ctx, ids)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return violation("sales_channel_ids", "Sales Channels "+strings.Join(missing, ", ")+" do not exist")
	}
	return nil
}

func tagInputs(in []*gqlmodel.ProductTagInput) []store.ProductTagInput {
	if in == nil {
		return nil
	}
	out := make([]store.ProductTagInput, len(in))
	for i, t := range in {
		out[i] = store.ProductTagInput{ID: t.ID, Value: t.Value}
	}
	return out
}

func typeInput(in *gqlmodel.ProductTypeInput) *store.ProductTypeInput {
	if in == nil {
		return nil
	}
	return &store.ProductTypeInput{ID: in.ID, Value: in.Value}
}

func (r *Resolver) createProductInput(ctx context.Context, in gqlmodel.CreateProductInput) (store.CreateProductInput, error) {
	out := store.CreateProductInput{Title: in.Title, Subtitle: in.Subtitle, Description: in.Description, Discountable: true,
		Images: in.Images, Thumbnail: in.Thumbnail, Handle: in.Handle, Status: enumIn(in.Status), Type: typeInput(in.Type),
		CollectionID: in.CollectionID, Tags: tagInputs(in.Tags), SalesChannels: in.SalesChannelIds, Weight: in.Weight,
		Length: in.Length, Height: in.Height, Width: in.Width, HSCode: in.HsCode, OriginCountry: in.OriginCountry,
		MIDCode: in.MidCode, Material: in.Material, Metadata: in.Metadata}
	if in.IsGiftcard != nil {
		out.IsGiftcard = *in.IsGiftcard
	}
	if in.Discountable != nil {
		out.Discountable = *in.Discountable
	}
	for _, o := range in.Options {
		out.Options = append(out.Options, o.Title)
	}
	for _, v := range in.Variants {
		cv, err := createVariantInput("variants", v)
		if err != nil {
			return out, err
		}
		out.Variants = append(out.Variants, cv)
	}
	return out, r.salesChannelIDs(ctx, in.SalesChannelIds != nil, in.SalesChannelIds)
}

func (r *Resolver) createProduct(ctx context.Context, in gqlmodel.CreateProductInput) (*gqlmodel.ProductPayload, error) {
	cin, err := r.createProductInput(ctx, in)
	var p *model.Product
	if err == nil {
		p, err = r.Store.CreateProduct(ctx, cin)
	}
	p, ue, err := wrote(ctx, p, err)
	return &gqlmodel.ProductPayload{Product: p, UserErrors: ue}, err
}

func (r *Resolver) updateProductInput(ctx context.Context, in gqlmodel.UpdateProductInput) (store.UpdateProductInput, error) {
	out := store.UpdateProductInput{Title: in.Title, Subtitle: omit(in.Subtitle), Description: omit(in.Description),
		Discountable: in.Discountable, Images: in.Images, Thumbnail: omit(in.Thumbnail), Handle: omit(in.Handle),
		Status: enumIn(in.Status), CollectionID: omit(in.CollectionID), Tags: tagInputs(in.Tags), Weight: omit(in.Weight),
		Length: omit(in.Length), Height: omit(in.Height), Width: omit(in.Width), HSCode: omit(in.HsCode),
		OriginCountry: omit(in.OriginCountry), MIDCode: omit(in.MidCode), Material: omit(in.Material), Metadata: in.Metadata}
	if t, ok := in.Type.ValueOK(); ok {
		st := typeInput(t)
		out.Type = &st
	}
	scIDs, scGiven := in.SalesChannelIds.ValueOK()
	if scGiven {
		ids := scIDs
		if ids == nil {
			ids = []string{}
		}
		out.SalesChannels = &ids
	}
	if in.Variants != nil {
		out.Variants = []store.UpdateVariantInput{}
		for _, v := range in.Variants {
			uv, err := updateVariantInput("variants", v)
			if err != nil {
				return out, err
			}
			out.Variants = append(out.Variants, uv)
		}
	}
	var f fieldNames
	f.add(in.Title != nil, "title")
	f.add(givenOmit(in.Subtitle), "subtitle")
	f.add(givenOmit(in.Description), "description")
	f.add(in.Discountable != nil, "discountable")
	f.add(in.Images != nil, "images")
	f.add(givenOmit(in.Thumbnail), "thumbnail")
	f.add(givenOmit(in.Handle), "handle")
	f.add(in.Status != nil, "status")
	f.add(givenOmit(in.Type), "type")
	f.add(givenOmit(in.CollectionID), "collection_id")
	f.add(in.Tags != nil, "tags")
	f.add(scGiven && scIDs != nil, "sales_channels")
	f.add(in.Variants != nil, "variants")
	f.add(givenOmit(in.Weight), "weight")
	f.add(givenOmit(in.Length), "length")
	f.add(givenOmit(in.Height), "height")
	f.add(givenOmit(in.Width), "width")
	f.add(givenOmit(in.HsCode), "hs_code")
	f.add(givenOmit(in.OriginCountry), "origin_country")
	f.add(givenOmit(in.MidCode), "mid_code")
	f.add(givenOmit(in.Material), "material")
	f.add(in.Metadata != nil, "metadata")
	slices.Sort(f)
	out.Fields = f
	return out, r.salesChannelIDs(ctx, scGiven, scIDs)
}

func (r *Resolver) updateProduct(ctx context.Context, id string, in gqlmodel.UpdateProductInput) (*gqlmodel.ProductPayload, error) {
	uin, err := r.updateProductInput(ctx, in)
	var p *model.Product
	if err == nil {
		p, err = r.Store.UpdateProduct(ctx, id, uin)
	}
	p, ue, err := wrote(ctx, p, err)
	return &gqlmodel.ProductPayload{Product: p, UserErrors: ue}, err
}

func (r *Resolver) deleteProduct(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	_, ue, err := wrote(ctx, &id, r.Store.DeleteProduct(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

// productAfter answers a change of a product's option or variant with the product read whole, as
// the REST routes do.
func (r *Resolver) productAfter(ctx context.Context, productID string, err error) (*gqlmodel.ProductPayload, error) {
	var p *model.Product
	if err == nil {
		p, err = r.Store.GetProduct(ctx, productID, nil)
	}
	p, ue, err := wrote(ctx, p, err)
	return &gqlmodel.ProductPayload{Product: p, UserErrors: ue}, err
}

func (r *Resolver) productPartDeleted(ctx context.Context, productID, partID string, err error) (*gqlmodel.DeleteProductPartPayload, error) {
	pp, err := r.productAfter(ctx, productID, err)
	return &gqlmodel.DeleteProductPartPayload{DeletedID: deletedID(partID, pp.UserErrors), Product: pp.Product, UserErrors: pp.UserErrors}, err
}

func (r *Resolver) createProductOption(ctx context.Context, productID string, in gqlmodel.ProductOptionInput) (*gqlmodel.ProductPayload, error) {
	return r.productAfter(ctx, productID, r.Store.AddProductOption(ctx, productID, in.Title))
}

func (r *Resolver) updateProductOption(ctx context.Context, productID, optionID string, in gqlmodel.ProductOptionInput) (*gqlmodel.ProductPayload, error) {
	return r.productAfter(ctx, productID, r.Store.UpdateProductOption(ctx, productID, optionID, in.Title))
}

func (r *Resolver) deleteProductOption(ctx context.Context, productID, optionID string) (*gqlmodel.DeleteProductPartPayload, error) {
	return r.productPartDeleted(ctx, productID, optionID, r.Store.DeleteProductOption(ctx, productID, optionID))
}

func (r *Resolver) createProductVariant(ctx context.Context, productID string, in gqlmodel.CreateProductVariantInput) (*gqlmodel.ProductPayload, error) {
	cv, err := createVariantInput("prices", &in)
	if err == nil {
		err = r.Store.CreateVariant(ctx, productID, cv)
	}
	return r.productAfter(ctx, productID, err)
}

func (r *Resolver) updateProductVariant(ctx context.Context, productID, variantID string, in gqlmodel.UpdateProductVariantInput) (*gqlmodel.ProductPayload, error) {
	uv, err := updateVariantInput("prices", &in)
	if err == nil && uv.ID != nil {
		err = violation("id", "id is given by variantId")
	}
	if err == nil {
		err = r.Store.UpdateVariant(ctx, productID, variantID, uv)
	}
	return r.productAfter(ctx, productID, err)
}

func (r *Resolver) deleteProductVariant(ctx context.Context, productID, variantID string) (*gqlmodel.DeleteProductPartPayload, error) {
	return r.productPartDeleted(ctx, productID, variantID, r.Store.DeleteVariant(ctx, productID, variantID))
}
