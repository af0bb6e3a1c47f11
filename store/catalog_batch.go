package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Batch reads of the catalog for GraphQL's dataloaders: each answers for many parents in one
// statement, so a page of N products with nested data costs the same statements whatever N.
// Rows come in the order the product reads of products.go give their relations, so a product read
// whole and one read field by field show the same lists.

// byIDs returns the live rows of table with the given ids, by id.
func byIDs[T any](ctx context.Context, db bun.IDB, table string, ids []string, id func(*T) string) (map[string]*T, error) {
	var rows []*T
	if err := db.NewSelect().Model(&rows).Where("?.id IN (?)", bun.Ident(table), bun.In(nonEmpty(ids))).Scan(ctx); err != nil {
		return nil, fmt.Errorf("%s by ids: %w", table, err)
	}
	out := make(map[string]*T, len(rows))
	for _, r := range rows {
		out[id(r)] = r
	}
	return out, nil
}

// groupBy gives every key a list, empty when no row belongs to it, and rows keep their order.
func groupBy[T any](keys []string, rows []*T, key func(*T) string) map[string][]*T {
	out := make(map[string][]*T, len(keys))
	for _, k := range keys {
		out[k] = []*T{}
	}
	for _, r := range rows {
		k := key(r)
		out[k] = append(out[k], r)
	}
	return out
}

// ProductsByIDs returns the live products with the given ids, without relations.
func (s *Store) ProductsByIDs(ctx context.Context, ids []string) (map[string]*model.Product, error) {
	return byIDs(ctx, s.DB, "product", ids, func(p *model.Product) string { return p.ID })
}

// VariantsByIDs returns the live variants with the given ids, without relations.
func (s *Store) VariantsByIDs(ctx context.Context, ids []string) (map[string]*model.ProductVariant, error) {
	return byIDs(ctx, s.DB, "product_variant", ids, func(v *model.ProductVariant) string { return v.ID })
}

// ProductOptionsByIDs returns the live product options with the given ids.
func (s *Store) ProductOptionsByIDs(ctx context.Context, ids []string) (map[string]*model.ProductOption, error) {
	return byIDs(ctx, s.DB, "product_option", ids, func(o *model.ProductOption) string { return o.ID })
}

// OptionValuesByIDs returns the live option values with the given ids.
func (s *Store) OptionValuesByIDs(ctx context.Context, ids []string) (map[string]*model.ProductOptionValue, error) {
	return byIDs(ctx, s.DB, "product_option_value", ids, func(v *model.ProductOptionValue) string { return v.ID })
}

// MoneyAmountsByIDs returns the live prices with the given ids.
func (s *Store) MoneyAmountsByIDs(ctx context.Context, ids []string) (map[string]*model.MoneyAmount, error) {
	return byIDs(ctx, s.DB, "money_amount", ids, func(m *model.MoneyAmount) string { return m.ID })
}

// ImagesByIDs returns the live images with the given ids.
func (s *Store) ImagesByIDs(ctx context.Context, ids []string) (map[string]*model.Image, error) {
	return byIDs(ctx, s.DB, "image", ids, func(i *model.Image) string { return i.ID })
}

// ProductTagsByIDs returns the live product tags with the given ids.
func (s *Store) ProductTagsByIDs(ctx context.Context, ids []string) (map[string]*model.ProductTag, error) {
	return byIDs(ctx, s.DB, "product_tag", ids, func(t *model.ProductTag) string { return t.ID })
}

// ProductTypesByIDs returns the live product types with the given ids.
func (s *Store) ProductTypesByIDs(ctx context.Context, ids []string) (map[string]*model.ProductType, error) {
	return byIDs(ctx, s.DB, "product_type", ids, func(t *model.ProductType) string { return t.ID })
}

// CollectionsByIDs returns the live collections with the given ids, without products.
func (s *Store) CollectionsByIDs(ctx context.Context, ids []string) (map[string]*model.ProductCollection, error) {
	return byIDs(ctx, s.DB, "product_collection", ids, func(c *model.ProductCollection) string { return c.ID })
}

// PriceListsByIDs returns the live price lists with the given ids, without relations.
func (s *Store) PriceListsByIDs(ctx context.Context, ids []string) (map[string]*model.PriceList, error) {
	return byIDs(ctx, s.DB, "price_list", ids, func(p *model.PriceList) string { return p.ID })
}

// CustomerGroupsByIDs returns the live customer groups with the given ids.
func (s *Store) CustomerGroupsByIDs(ctx context.Context, ids []string) (map[string]*model.CustomerGroup, error) {
	return byIDs(ctx, s.DB, "customer_group", ids, func(g *model.CustomerGroup) string { return g.ID })
}

// ShippingProfilesByIDs returns the live shipping profiles with the given ids.
func (s *Store) ShippingProfilesByIDs(ctx context.Context, ids []string) (map[string]*model.ShippingProfile, error) {
	return byIDs(ctx, s.DB, "shipping_profile", ids, func(p *model.ShippingProfile) string { return p.ID })
}

// VariantsByProductIDs returns each product's live variants by rank, as product reads order them.
// cols narrows the columns read (nil: all; see Columns).
func (s *Store) VariantsByProductIDs(ctx context.Context, productIDs []string, cols Columns) (map[string][]*model.ProductVariant, error) {
	var rows []*model.ProductVariant
	err := cols.apply(s.DB.NewSelect().Model(&rows)).Where("product_variant.product_id IN (?)", bun.In(nonEmpty(productIDs))).
		OrderExpr("product_variant.variant_rank ASC NULLS LAST, product_variant.created_at ASC, product_variant.id ASC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("variants by products: %w", err)
	}
	return groupBy(productIDs, rows, func(v *model.ProductVariant) string { return v.ProductID }), nil
}

// OptionsByProductIDs returns each product's live options, in Medusa's order (relationOrders).
func (s *Store) OptionsByProductIDs(ctx context.Context, productIDs []string) (map[string][]*model.ProductOption, error) {
	var rows []*model.ProductOption
	err := s.DB.NewSelect().Model(&rows).Where("product_option.product_id IN (?)", bun.In(nonEmpty(productIDs))).
		OrderExpr(relationOrderOf("product", "Options")).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("options by products: %w", err)
	}
	return groupBy(productIDs, rows, func(o *model.ProductOption) string { return *o.ProductID }), nil
}

// OptionValuesByOptionIDs returns each option's live values (one per live variant), oldest first.
func (s *Store) OptionValuesByOptionIDs(ctx context.Context, optionIDs []string) (map[string][]*model.ProductOptionValue, error) {
	var rows []*model.ProductOptionValue
	err := s.DB.NewSelect().Model(&rows).Where("product_option_value.option_id IN (?)", bun.In(nonEmpty(optionIDs))).
		OrderExpr("product_option_value.created_at, product_option_value.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("option values by options: %w", err)
	}
	return groupBy(optionIDs, rows, func(v *model.ProductOptionValue) string { return v.OptionID }), nil
}

// OptionValuesByVariantIDs returns each variant's live option values, oldest first.
func (s *Store) OptionValuesByVariantIDs(ctx context.Context, variantIDs []string) (map[string][]*model.ProductOptionValue, error) {
	var rows []*model.ProductOptionValue
	err := s.DB.NewSelect().Model(&rows).Where("product_option_value.variant_id IN (?)", bun.In(nonEmpty(variantIDs))).
		OrderExpr("product_option_value.created_at, product_option_value.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("option values by variants: %w", err)
	}
	return groupBy(variantIDs, rows, func(v *model.ProductOptionValue) string { return v.VariantID }), nil
}

// VariantPrices returns the live prices of the variants that are outside any price list or in one
// of priceListIDs, oldest first, in one statement; the caller sorts them per variant and list.
func (s *Store) VariantPrices(ctx context.Context, variantIDs, priceListIDs []string, cols Columns) ([]*model.MoneyAmount, error) {
	rows := []*model.MoneyAmount{}
	q := cols.apply(s.DB.NewSelect().Model(&rows)).Where("money_amount.variant_id IN (?)", bun.In(nonEmpty(variantIDs)))
	if len(priceListIDs) > 0 {
		q = q.Where("(money_amount.price_list_id IS NULL OR money_amount.price_list_id IN (?))", bun.In(priceListIDs))
	} else {
		q = q.Where("money_amount.price_list_id IS NULL")
	}
	if err := q.OrderExpr("money_amount.created_at, money_amount.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("variant prices: %w", err)
	}
	return rows, nil
}

// ImagesByProductIDs returns each product's live images in their stored order.
func (s *Store) ImagesByProductIDs(ctx context.Context, productIDs []string) (map[string][]*model.Image, error) {
	var links []*model.ProductImage
	err := s.DB.NewSelect().Model(&links).Relation("Image").Where("product_images.product_id IN (?)", bun.In(nonEmpty(productIDs))).
		OrderExpr("product_images.ctid").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("images by products: %w", err)
	}
	out := groupBy[model.Image](productIDs, nil, nil)
	for _, l := range links {
		if l.Image != nil && l.Image.ID != "" {
			out[l.ProductID] = append(out[l.ProductID], l.Image)
		}
	}
	return out, nil
}

// TagsByProductIDs returns each product's live tags in their stored order.
func (s *Store) TagsByProductIDs(ctx context.Context, productIDs []string) (map[string][]*model.ProductTag, error) {
	var links []*model.ProductProductTag
	err := s.DB.NewSelect().Model(&links).Relation("ProductTag").Where("product_tags.product_id IN (?)", bun.In(nonEmpty(productIDs))).
		OrderExpr("product_tags.ctid").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("tags by products: %w", err)
	}
	out := groupBy[model.ProductTag](productIDs, nil, nil)
	for _, l := range links {
		if l.ProductTag != nil && l.ProductTag.ID != "" {
			out[l.ProductID] = append(out[l.ProductID], l.ProductTag)
		}
	}
	return out, nil
}

// SalesChannelsByProductIDs returns each product's live sales channels in their stored order;
// none while the sales channels feature is off.
func (s *Store) SalesChannelsByProductIDs(ctx context.Context, productIDs []string) (map[string][]*model.SalesChannel, error) {
	out := groupBy[model.SalesChannel](productIDs, nil, nil)
	if !s.Config.FeatureSalesChannels {
		return out, nil
	}
	var links []*model.ProductSalesChannel
	err := s.DB.NewSelect().Model(&links).Relation("SalesChannel").
		Where("product_sales_channel.product_id IN (?)", bun.In(nonEmpty(productIDs))).OrderExpr("product_sales_channel.ctid").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("sales channels by products: %w", err)
	}
	for _, l := range links {
		if l.SalesChannel != nil && l.SalesChannel.ID != "" {
			out[l.ProductID] = append(out[l.ProductID], l.SalesChannel)
		}
	}
	return out, nil
}

// CustomerGroupsByPriceListIDs returns each price list's live customer groups in their stored order.
func (s *Store) CustomerGroupsByPriceListIDs(ctx context.Context, priceListIDs []string) (map[string][]*model.CustomerGroup, error) {
	var links []*model.PriceListCustomerGroup
	err := s.DB.NewSelect().Model(&links).Relation("CustomerGroup").
		Where("price_list_customer_groups.price_list_id IN (?)", bun.In(nonEmpty(priceListIDs))).
		OrderExpr("price_list_customer_groups.ctid").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("customer groups by price lists: %w", err)
	}
	out := groupBy[model.CustomerGroup](priceListIDs, nil, nil)
	for _, l := range links {
		if l.CustomerGroup != nil && l.CustomerGroup.ID != "" {
			out[l.PriceListID] = append(out[l.PriceListID], l.CustomerGroup)
		}
	}
	return out, nil
}

// PriceListPricesFirst returns the first limit live prices of each price list in their stored
// order (as a price list read orders them), in one statement whatever the number of lists.
func (s *Store) PriceListPricesFirst(ctx context.Context, priceListIDs []string, limit int) (map[string][]*model.MoneyAmount, error) {
	var rows []*model.MoneyAmount
	err := s.DB.NewSelect().Model(&rows).
		Where(`money_amount.id IN (SELECT t.id FROM (SELECT ma.id, row_number() OVER (PARTITION BY ma.price_list_id ORDER BY ma.ctid) AS rn
			FROM money_amount ma WHERE ma.price_list_id IN (?) AND ma.deleted_at IS NULL) t WHERE t.rn <= ?)`, bun.In(nonEmpty(priceListIDs)), limit).
		OrderExpr("money_amount.ctid").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("price list prices: %w", err)
	}
	return groupBy(priceListIDs, rows, func(m *model.MoneyAmount) string { return *m.PriceListID }), nil
}

// CollectionProductsFirst returns the first limit live products of each collection, oldest first
// (as a collection read orders them), in one statement whatever the number of collections.
func (s *Store) CollectionProductsFirst(ctx context.Context, collectionIDs []string, limit int) (map[string][]*model.Product, error) {
	var rows []*model.Product
	err := s.DB.NewSelect().Model(&rows).
		Where(`product.id IN (SELECT t.id FROM (SELECT p.id, row_number() OVER (PARTITION BY p.collection_id ORDER BY p.created_at, p.id) AS rn
			FROM product p WHERE p.collection_id IN (?) AND p.deleted_at IS NULL) t WHERE t.rn <= ?)`, bun.In(nonEmpty(collectionIDs)), limit).
		OrderExpr("product.created_at ASC, product.id ASC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("collection products: %w", err)
	}
	return groupBy(collectionIDs, rows, func(p *model.Product) string { return *p.CollectionID }), nil
}

// ListProductsPage is ListProducts without relations (GraphQL loads them field by field, batched):
// the same filter, plus typeIDs for products of any of several types, and the same order.
func (s *Store) ListProductsPage(ctx context.Context, f ProductFilter, typeIDs []string, p Page) ([]*model.Product, int, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	products := []*model.Product{}
	q := f.apply(p.Columns.apply(s.DB.NewSelect().Model(&products)))
	if typeIDs != nil {
		q = q.Where("product.type_id IN (?)", bun.In(nonEmpty(typeIDs)))
	}
	q, err := s.applyWhere(q, "product", p.Where)
	if err != nil {
		return nil, 0, err
	}
	if p.Order == "" {
		q = q.OrderExpr("product.created_at DESC")
	} else {
		col := strings.TrimPrefix(p.Order, "-")
		if _, ok := s.DB.Table(reflect.TypeOf(model.Product{})).FieldMap[col]; !ok {
			return nil, 0, Invalidf("Order field %s is not valid", col)
		}
		if q, err = order(q, "product", p.Order); err != nil {
			return nil, 0, err
		}
	}
	return scanPage(ctx, q.OrderExpr("product.id DESC"), &products, p, "list products")
}

// ListCollectionsPage is ListCollections without the products (GraphQL loads them per field,
// batched), created_at DESC; the filter is applied as ListCollections applies it.
func (s *Store) ListCollectionsPage(ctx context.Context, f CollectionFilter, p Page) ([]*model.ProductCollection, int, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	cols := []*model.ProductCollection{}
	q := s.DB.NewSelect().Model(&cols)
	if f.Q != nil && *f.Q != "" {
		like := "%" + *f.Q + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("product_collection.title ILIKE ?", like).WhereOr("product_collection.handle ILIKE ?", like)
		})
	} else {
		if f.Title != nil {
			q = q.Where("product_collection.title = ?", *f.Title)
		}
		if f.Handle != nil {
			q = q.Where("product_collection.handle = ?", *f.Handle)
		}
	}
	q = f.CreatedAt.apply(q, "product_collection.created_at")
	q = f.UpdatedAt.apply(q, "product_collection.updated_at")
	if f.DeletedAt != nil {
		q = f.DeletedAt.apply(q.WhereAllWithDeleted(), "product_collection.deleted_at")
	}
	q, err := s.applyWhere(q, "collection", p.Where)
	if err != nil {
		return nil, 0, err
	}
	q, _ = order(q, "product_collection", "")
	return scanPage(ctx, q, &cols, p, "list collections")
}

// Columns are the columns a read selects, unqualified (nil: every column of the model). GraphQL
// narrows its reads to the fields a query selects (graph/columns.go); the rows read are then
// only for that answer.
type Columns []string

func (c Columns) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if c == nil {
		return q
	}
	return q.Column(c...)
}

// scanPage runs a page query with its total; a page of 0 rows only counts (bun reads LIMIT 0 as
// no limit).
// q must select into dest.
func scanPage[T any](ctx context.Context, q *bun.SelectQuery, dest *[]*T, p Page, what string) ([]*T, int, error) {
	if p.Limit == 0 {
		n, err := q.Count(ctx)
		if err != nil {
			return nil, 0, dbError(err, what)
		}
		return *dest, int(n), nil
	}
	if p.NoCount {
		if err := q.Offset(int64(p.Offset)).Limit(int64(p.Limit) + 1).Scan(ctx); err != nil {
			return nil, 0, dbError(err, what)
		}
		rows := *dest
		return rows[:min(len(rows), p.Limit)], p.Offset + len(rows), nil
	}
	n, err := q.Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, dbError(err, what)
	}
	return *dest, int(n), nil
}
