package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// StringFilter is a string column condition of Medusa's IsType([String, [String],
// StringComparisonOperator]) parameters: equal to one of In, and/or compared.
type StringFilter struct {
	In               []string
	Lt, Gt, Lte, Gte *string
}

func (sf *StringFilter) apply(q *bun.SelectQuery, col string) *bun.SelectQuery {
	if sf == nil {
		return q
	}
	if sf.In != nil {
		q = q.Where("? IN (?)", bun.Ident(col), bun.In(nonEmpty(sf.In)))
	}
	for _, c := range []struct {
		op string
		v  *string
	}{{"<", sf.Lt}, {">", sf.Gt}, {"<=", sf.Lte}, {">=", sf.Gte}} {
		if c.v != nil {
			q = q.Where("? "+c.op+" ?", bun.Ident(col), *c.v)
		}
	}
	return q
}

// ValueFilter is the selector of Medusa's product tag and product type lists.
type ValueFilter struct {
	ID    *StringFilter
	Value *StringFilter
	// Q matches the value (ILIKE %q%, pattern characters included) and replaces the Value filter.
	Q         *string
	CreatedAt *TimeRange
	UpdatedAt *TimeRange
	// Where is a typed filter (GraphQL's where) on the tags or types.
	Where Where
}

// ValueListOrders are the columns product tags and types can be ordered by.
var ValueListOrders = []string{"id", "value", "created_at", "updated_at"}

// ListProductTagsPage is GET /admin/product-tags: live tags, in the order PostgreSQL stores them
// unless order (a ValueListOrders column, "-" for descending) says otherwise, with the total.
func (s *Store) ListProductTagsPage(ctx context.Context, f ValueFilter, offset, limit int, order string) ([]*model.ProductTag, int, error) {
	tags := []*model.ProductTag{}
	n, err := s.listValues(ctx, s.DB.NewSelect().Model(&tags), "product_tag", f, offset, limit, order, "Order field must be a valid product tag field")
	return tags, n, err
}

// ListProductTypesPage is GET /admin/product-types, as ListProductTagsPage.
func (s *Store) ListProductTypesPage(ctx context.Context, f ValueFilter, offset, limit int, order string) ([]*model.ProductType, int, error) {
	types := []*model.ProductType{}
	n, err := s.listValues(ctx, s.DB.NewSelect().Model(&types), "product_type", f, offset, limit, order, "Order field must be a valid product type field")
	return types, n, err
}

func (s *Store) listValues(ctx context.Context, q *bun.SelectQuery, table string, f ValueFilter, offset, limit int, order, badOrder string) (int, error) {
	if order != "" {
		dir, col := "ASC", order
		if order[0] == '-' {
			dir, col = "DESC", order[1:]
		}
		ok := false
		for _, c := range ValueListOrders {
			ok = ok || c == col
		}
		if !ok {
			return 0, Invalidf("%s", badOrder)
		}
		// Medusa 1.3.8 answers any order with a 500; Gorgon orders as asked.
		q = q.OrderExpr(fmt.Sprintf("?.? %s, ?.id %s", dir, dir), bun.Ident(table), bun.Ident(col), bun.Ident(table))
	} else {
		// Medusa does not order these lists: rows come as PostgreSQL stores them.
		q = q.OrderExpr("?.ctid", bun.Ident(table))
	}
	if limit < 0 || offset < 0 {
		return 0, Invalidf("limit and offset must not be negative")
	}
	q = f.ID.apply(q, table+".id")
	if f.Q != nil && *f.Q != "" {
		q = q.Where("?.value ILIKE ?", bun.Ident(table), "%"+*f.Q+"%")
	} else {
		q = f.Value.apply(q, table+".value")
	}
	q = f.CreatedAt.apply(q, table+".created_at")
	q = f.UpdatedAt.apply(q, table+".updated_at")
	q, err := s.applyWhere(q, map[string]string{"product_tag": "productTag", "product_type": "productType"}[table], f.Where)
	if err != nil {
		return 0, err
	}
	// Limit 0 means no limit, as TypeORM's take: 0.
	n, err := q.Offset(int64(offset)).Limit(int64(limit)).ScanAndCount(ctx)
	if err != nil {
		return 0, dbError(err, "list "+table)
	}
	return int(n), nil
}
