package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// ProductStatuses are Medusa's product_status_enum values.
var ProductStatuses = []string{"draft", "proposed", "published", "rejected"}

// ValidProductStatus reports whether s is one of ProductStatuses.
func ValidProductStatus(s string) bool {
	for _, v := range ProductStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// DefaultProductRelations are the relations Medusa's admin product routes load
// (defaultAdminProductRelations): sales_channels too when that feature is on.
func (s *Store) DefaultProductRelations() []string {
	rels := []string{"variants", "variants.prices", "variants.options", "images", "options", "tags", "type", "collection"}
	if s.Config.FeatureSalesChannels {
		rels = append(rels, "sales_channels")
	}
	return rels
}

// ProductFilter is Medusa's FilterableProductProps (the filters of GET /admin/products).
type ProductFilter struct {
	// Q searches title, description, variant title and sku, and collection title (ILIKE
	// %q%, the pattern characters of q included, as Medusa does).
	Q               *string
	IDs             []string
	Status          []string
	PriceListIDs    []string
	CollectionIDs   []string
	Tags            []string // tag ids
	Title           *string
	Description     *string
	Handle          *string
	IsGiftcard      *bool
	Type            *string // type id
	SalesChannelIDs []string
	CreatedAt       *TimeRange
	UpdatedAt       *TimeRange
	DeletedAt       *TimeRange
}

// apply adds the filter's conditions to a query on product (alias "product"). Conditions on
// other tables are EXISTS subqueries, so a product matches once however many rows match.
func (f *ProductFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if f.Q != nil && *f.Q != "" {
		like := "%" + *f.Q + "%"
		// One id set per searched column, united: each branch can use its trigram index
		// (migrations.Indexes), where an OR of the columns and subqueries scans every product.
		// An uncorrelated IN: PostgreSQL builds the set once (a hashed subplan or a join).
		q = q.Where(`product.id IN (SELECT p.id FROM product p WHERE p.title ILIKE ?
			UNION SELECT p.id FROM product p WHERE p.description ILIKE ?
			UNION SELECT pv.product_id FROM product_variant pv WHERE pv.deleted_at IS NULL AND (pv.title ILIKE ? OR pv.sku ILIKE ?)
			UNION SELECT p.id FROM product p JOIN product_collection pc ON pc.id = p.collection_id
				WHERE pc.deleted_at IS NULL AND pc.title ILIKE ?)`, like, like, like, like, like)
	}
	if f.IDs != nil {
		q = q.Where("product.id IN (?)", bun.In(nonEmpty(f.IDs)))
	}
	if f.Status != nil {
		q = q.Where("product.status::text IN (?)", bun.In(nonEmpty(f.Status)))
	}
	if f.CollectionIDs != nil {
		q = q.Where("product.collection_id IN (?)", bun.In(nonEmpty(f.CollectionIDs)))
	}
	if f.Tags != nil {
		q = q.Where(`EXISTS (SELECT 1 FROM product_tags pt JOIN product_tag t ON t.id = pt.product_tag_id AND t.deleted_at IS NULL
			WHERE pt.product_id = product.id AND pt.product_tag_id IN (?))`, bun.In(nonEmpty(f.Tags)))
	}
	if f.PriceListIDs != nil {
		q = q.Where(`EXISTS (SELECT 1 FROM product_variant pv JOIN money_amount ma ON ma.variant_id = pv.id AND ma.deleted_at IS NULL
			WHERE pv.product_id = product.id AND pv.deleted_at IS NULL AND ma.price_list_id IN (?))`, bun.In(nonEmpty(f.PriceListIDs)))
	}
	if f.SalesChannelIDs != nil {
		q = q.Where(`EXISTS (SELECT 1 FROM product_sales_channel psc JOIN sales_channel sc ON sc.id = psc.sales_channel_id
			AND sc.deleted_at IS NULL WHERE psc.product_id = product.id AND psc.sales_channel_id IN (?))`, bun.In(nonEmpty(f.SalesChannelIDs)))
	}
	if f.Title != nil {
		q = q.Where("product.title = ?", *f.Title)
	}
	if f.Description != nil {
		q = q.Where("product.description = ?", *f.Description)
	}
	if f.Handle != nil {
		q = q.Where("product.handle = ?", *f.Handle)
	}
	if f.IsGiftcard != nil {
		q = q.Where("product.is_giftcard = ?", *f.IsGiftcard)
	}
	if f.Type != nil {
		q = q.Where("product.type_id = ?", *f.Type)
	}
	q = f.CreatedAt.apply(q, "product.created_at")
	q = f.UpdatedAt.apply(q, "product.updated_at")
	if f.DeletedAt != nil {
		// Medusa's buildQuery includes deleted rows when deleted_at is filtered on.
		q = f.DeletedAt.apply(q.WhereAllWithDeleted(), "product.deleted_at")
	}
	return q
}

// nonEmpty keeps `IN (?)` valid for an empty list: no id equals "".
func nonEmpty(ids []string) []string {
	if len(ids) == 0 {
		return []string{""}
	}
	return ids
}

// productRelations loads Medusa relation paths of products on q: belongs-to ones are joined;
// the others are loaded one statement per level by loadLevels after the scan (plan not nil),
// or, for paths loadLevels does not load, by bun, one statement per relation.
func (s *Store) productRelations(q *bun.SelectQuery, rels []string) (*bun.SelectQuery, *levelPlan, error) {
	names, err := Relations(s.DB, (*model.Product)(nil), rels)
	if err != nil {
		return nil, nil, err
	}
	plan := planLevels(s.DB, (*model.Product)(nil), names).flat()
	if plan != nil {
		names = plan.joined
	}
	for _, n := range names {
		q = q.Relation(n, orderedRelation(s.DB, (*model.Product)(nil), n))
	}
	return q, plan, nil
}

// ListProducts is Medusa's product listing: the filter, the page (limit, offset; p.Order, a
// product column, or created_at DESC) and p.Expand or the default relations, in a constant
// number of statements.
func (s *Store) ListProducts(ctx context.Context, f ProductFilter, p Page) ([]*model.Product, int, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	if f.SalesChannelIDs != nil && !s.Config.FeatureSalesChannels {
		// Medusa 1.3.8 accepts the parameter with the flag off too, then fails with a 500 (its
		// product entity has no sales_channels relation then); refused as a property that is not.
		return nil, 0, Invalidf("property sales_channel_id should not exist")
	}
	rels := p.Expand
	if len(rels) == 0 {
		rels = s.DefaultProductRelations()
	}
	products := []*model.Product{}
	// The count rides along as an uncorrelated subquery (computed once): page and count are one
	// statement.
	countQ := f.apply(s.DB.NewSelect().Model((*model.Product)(nil)).ColumnExpr("count(*)"))
	q, counted := withCount(s.DB, f.apply(s.DB.NewSelect().Model(&products)).ColumnExpr("?TableColumns"), countQ)
	q, plan, err := s.productRelations(q, rels)
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
	// The id breaks ties (products created together) so that pages do not overlap.
	q = q.OrderExpr("product.id DESC").Offset(int64(p.Offset)).Limit(int64(p.Limit))
	if err := q.Scan(ctx); err != nil {
		return nil, 0, dbError(err, "list products")
	}
	n, err := pageCount(ctx, countQ, p.Offset, len(products) > 0, func() int64 {
		return counted.n(products[0].FullCount, products[0].Snapshot)
	})
	if err != nil {
		return nil, 0, dbError(err, "count products")
	}
	if plan != nil {
		if err := loadLevels(ctx, s.DB, plan, reflect.ValueOf(products)); err != nil {
			return nil, 0, err
		}
	}
	FillRelations(s.DB, products, rels)
	return products, int(n), nil
}

// GetProduct returns a live product with the given relations (the defaults when rels is nil).
func (s *Store) GetProduct(ctx context.Context, id string, rels []string) (*model.Product, error) {
	return s.getProduct(ctx, s.DB, id, rels)
}

// GetProductByHandle returns the live product with that handle (what a storefront page is
// addressed by), as GetProduct.
func (s *Store) GetProductByHandle(ctx context.Context, handle string, rels []string) (*model.Product, error) {
	var id string
	err := s.DB.NewSelect().Model((*model.Product)(nil)).Column("product.id").Where("product.handle = ?", handle).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Product with handle: %s was not found", handle)
	} else if err != nil {
		return nil, fmt.Errorf("get product by handle %q: %w", handle, err)
	}
	return s.getProduct(ctx, s.DB, id, rels)
}

func (s *Store) getProduct(ctx context.Context, db bun.IDB, id string, rels []string) (*model.Product, error) {
	if rels == nil {
		rels = s.DefaultProductRelations()
	}
	p := new(model.Product)
	q, plan, err := s.productRelations(db.NewSelect().Model(p).Where("product.id = ?", id), rels)
	if err != nil {
		return nil, err
	}
	if _, ok := db.(*bun.DB); ok && plan != nil && len(plan.levels) == 1 {
		return s.getProductAtOnce(ctx, q, p, id, plan, rels)
	}
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Product with id: %s was not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("get product %s: %w", id, err)
	}
	if plan != nil {
		if err := loadLevels(ctx, db, plan, reflect.ValueOf([]*model.Product{p})); err != nil {
			return nil, fmt.Errorf("get product %s: %w", id, err)
		}
	}
	FillRelations(s.DB, p, rels)
	return p, nil
}

// getProductAtOnce is getProduct outside a transaction with relations in one level: the product
// (q, into p) and its relations (by its id, into a stand-in moved over after) are read at the
// same time on two connections, one round trip instead of two one after the other. Like
// Medusa's reads (a statement per relation, no transaction), they are separate snapshots.
func (s *Store) getProductAtOnce(ctx context.Context, q *bun.SelectQuery, p *model.Product, id string, plan *levelPlan, rels []string) (*model.Product, error) {
	stand := &model.Product{ID: id}
	levels := make(chan error, 1)
	go func() { levels <- loadLevels(ctx, s.DB, plan, reflect.ValueOf([]*model.Product{stand})) }()
	err := q.Scan(ctx)
	lerr := <-levels
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Product with id: %s was not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("get product %s: %w", id, err)
	}
	if lerr != nil {
		return nil, fmt.Errorf("get product %s: %w", id, lerr)
	}
	pv, sv := reflect.ValueOf(p).Elem(), reflect.ValueOf(stand).Elem()
	for _, lr := range plan.levels[0] {
		if lr.parent == "" {
			lr.rel.Field.Value(pv).Set(lr.rel.Field.Value(sv))
		}
	}
	FillRelations(s.DB, p, rels)
	return p, nil
}

// ListProductTypes returns every live product type (GET /admin/products/types).
func (s *Store) ListProductTypes(ctx context.Context) ([]*model.ProductType, error) {
	types := []*model.ProductType{}
	if err := s.DB.NewSelect().Model(&types).OrderExpr("product_type.created_at, product_type.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list product types: %w", err)
	}
	return types, nil
}

// TagUsage is a product tag with the number of products that carry it. UsageCount is a string,
// as PostgreSQL's bigint COUNT reaches Medusa's raw query.
type TagUsage struct {
	ID         string `bun:"id" json:"id"`
	UsageCount string `bun:"usage_count" json:"usage_count"`
	Value      string `bun:"value" json:"value"`
}

// ListTagsByUsage returns the 10 most used product tags (GET /admin/products/tag-usage). Like
// Medusa's raw query it counts every product_tags row and lists deleted tags too.
func (s *Store) ListTagsByUsage(ctx context.Context) ([]*TagUsage, error) {
	tags := []*TagUsage{}
	err := s.DB.NewRaw(`SELECT pt.id, COUNT(pts.product_tag_id)::text AS usage_count, pt.value
		FROM product_tag pt LEFT JOIN product_tags pts ON pt.id = pts.product_tag_id
		GROUP BY pt.id ORDER BY COUNT(pts.product_tag_id) DESC, pt.id LIMIT 10`).Scan(ctx, &tags)
	if err != nil {
		return nil, fmt.Errorf("list tags by usage: %w", err)
	}
	return tags, nil
}

// MissingSalesChannels returns the ids among ids that are no live sales channel, in order.
func (s *Store) MissingSalesChannels(ctx context.Context, ids []string) ([]string, error) {
	var found []string
	if err := s.DB.NewSelect().Model((*model.SalesChannel)(nil)).Column("id").Where("id IN (?)", bun.In(ids)).Scan(ctx, &found); err != nil {
		return nil, fmt.Errorf("find sales channels: %w", err)
	}
	have := map[string]bool{}
	for _, id := range found {
		have[id] = true
	}
	var missing []string
	for _, id := range ids {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}
