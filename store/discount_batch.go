package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Batch reads for the GraphQL loaders of discounts (graph/loaders/discounts.go): each answers a
// whole sibling group of conditions with one statement.

// discountConditionLinked returns, per condition id, the live rows linked through the join table
// join (relation rel, whose alias is table), in the order they were linked.
func discountConditionLinked[L, T any](ctx context.Context, db bun.IDB, join, rel, table string, conditionIDs []string,
	get func(*L) (string, *T)) (map[string][]*T, error) {
	var links []*L
	if err := db.NewSelect().Model(&links).Relation(rel).
		Where("?.condition_id IN (?)", bun.Ident(join), bun.In(nonEmpty(conditionIDs))).
		Where("?.id IS NOT NULL AND ?.deleted_at IS NULL", bun.Ident(table), bun.Ident(table)).
		OrderExpr("?.ctid", bun.Ident(join)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("discount condition %s: %w", table, err)
	}
	out := make(map[string][]*T, len(conditionIDs))
	for _, id := range conditionIDs {
		out[id] = []*T{}
	}
	for _, lk := range links {
		if c, row := get(lk); row != nil {
			out[c] = append(out[c], row)
		}
	}
	return out, nil
}

// DiscountConditionProductsByIDs returns each condition's live products, in the order linked.
func (s *Store) DiscountConditionProductsByIDs(ctx context.Context, ids []string) (map[string][]*model.Product, error) {
	return discountConditionLinked(ctx, s.DB, "discount_condition_product", "Product", "product", ids,
		func(l *model.DiscountConditionProduct) (string, *model.Product) { return l.ConditionID, l.Product })
}

// DiscountConditionProductTypesByIDs returns each condition's live product types, in the order linked.
func (s *Store) DiscountConditionProductTypesByIDs(ctx context.Context, ids []string) (map[string][]*model.ProductType, error) {
	return discountConditionLinked(ctx, s.DB, "discount_condition_product_type", "ProductType", "product_type", ids,
		func(l *model.DiscountConditionProductType) (string, *model.ProductType) {
			return l.ConditionID, l.ProductType
		})
}

// DiscountConditionProductTagsByIDs returns each condition's live product tags, in the order linked.
func (s *Store) DiscountConditionProductTagsByIDs(ctx context.Context, ids []string) (map[string][]*model.ProductTag, error) {
	return discountConditionLinked(ctx, s.DB, "discount_condition_product_tag", "ProductTag", "product_tag", ids,
		func(l *model.DiscountConditionProductTag) (string, *model.ProductTag) {
			return l.ConditionID, l.ProductTag
		})
}

// DiscountConditionProductCollectionsByIDs returns each condition's live collections, in the order linked.
func (s *Store) DiscountConditionProductCollectionsByIDs(ctx context.Context, ids []string) (map[string][]*model.ProductCollection, error) {
	return discountConditionLinked(ctx, s.DB, "discount_condition_product_collection", "ProductCollection", "product_collection", ids,
		func(l *model.DiscountConditionProductCollection) (string, *model.ProductCollection) {
			return l.ConditionID, l.ProductCollection
		})
}

// DiscountConditionCustomerGroupsByIDs returns each condition's live customer groups, in the order linked.
func (s *Store) DiscountConditionCustomerGroupsByIDs(ctx context.Context, ids []string) (map[string][]*model.CustomerGroup, error) {
	return discountConditionLinked(ctx, s.DB, "discount_condition_customer_group", "CustomerGroup", "customer_group", ids,
		func(l *model.DiscountConditionCustomerGroup) (string, *model.CustomerGroup) {
			return l.ConditionID, l.CustomerGroup
		})
}

// DiscountConditionByID returns a live condition by id alone (for node(id:)); nil when there is none.
func (s *Store) DiscountConditionByID(ctx context.Context, id string) (*model.DiscountCondition, error) {
	var cs []*model.DiscountCondition
	if err := s.DB.NewSelect().Model(&cs).Where("discount_condition.id = ?", id).Limit(1).Scan(ctx); err != nil {
		return nil, fmt.Errorf("get discount condition %s: %w", id, err)
	}
	if len(cs) == 0 {
		return nil, nil
	}
	return cs[0], nil
}

// DiscountsByIDs returns the live discounts with these ids, each with DiscountRelations loaded
// (one statement per relation, whatever the number of ids).
func (s *Store) DiscountsByIDs(ctx context.Context, ids []string) (map[string]*model.Discount, error) {
	var discounts []*model.Discount
	q, paths, err := s.loadDiscountRelations(s.DB.NewSelect().Model(&discounts).Where("discount.id IN (?)", bun.In(nonEmpty(ids))),
		DiscountRelations)
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("discounts by ids: %w", err)
	}
	s.finishDiscounts(discounts, paths)
	out := make(map[string]*model.Discount, len(discounts))
	for _, d := range discounts {
		out[d.ID] = d
	}
	return out, nil
}
