package loaders

import (
	"context"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Discounts are read with their rule, the rule's conditions and their regions (the store's
// DiscountRelations, one statement each whatever the page size); Discounts registers a read's
// discounts, all their conditions and all their regions as three groups, so that the conditions'
// lists and the regions' fields load once for the whole read.

func discountConditionID(c *model.DiscountCondition) *string { return &c.ID }

// Discounts registers the discounts one read returned, with their conditions and regions.
func Discounts(c *Catalog, ds []*model.Discount) {
	Siblings(c, ds)
	var conds []*model.DiscountCondition
	var regions []*model.Region
	for _, d := range ds {
		if d.Rule != nil {
			conds = append(conds, d.Rule.Conditions...)
		}
		regions = append(regions, d.Regions...)
	}
	Siblings(c, unique(conds))
	Siblings(c, unique(regions))
}

// DiscountRegions are a discount's regions, read with it.
func (c *Catalog) DiscountRegions(d *model.Discount) []*model.Region {
	if d.Regions == nil {
		return []*model.Region{}
	}
	return preloaded(c, d.Regions)
}

// DiscountRuleConditions are a rule's conditions, read with its discount.
func (c *Catalog) DiscountRuleConditions(r *model.DiscountRule) []*model.DiscountCondition {
	if r.Conditions == nil {
		return []*model.DiscountCondition{}
	}
	return preloaded(c, r.Conditions)
}

// DiscountParent is the dynamic discount a code was issued from, with its relations; null once
// it is deleted.
func (c *Catalog) DiscountParent(ctx context.Context, d *model.Discount) (*model.Discount, error) {
	return belongsTo(ctx, c, d, "parent", func(d *model.Discount) *string { return d.ParentDiscountID },
		func(ctx context.Context, ids []string) (map[string]*model.Discount, error) {
			m, err := c.s.DiscountsByIDs(ctx, ids)
			if err != nil {
				return nil, err
			}
			found := make([]*model.Discount, 0, len(m))
			for _, id := range ids {
				if p := m[id]; p != nil {
					found = append(found, p)
				}
			}
			Discounts(c, found)
			return m, nil
		})
}

// DiscountConditionProducts are a condition's live products, in the order they were linked.
func (c *Catalog) DiscountConditionProducts(ctx context.Context, dc *model.DiscountCondition) ([]*model.Product, error) {
	return hasMany(ctx, c, dc, "products", discountConditionID, c.s.DiscountConditionProductsByIDs)
}

// DiscountConditionProductTypes are a condition's live product types, in the order linked.
func (c *Catalog) DiscountConditionProductTypes(ctx context.Context, dc *model.DiscountCondition) ([]*model.ProductType, error) {
	return hasMany(ctx, c, dc, "product_types", discountConditionID, c.s.DiscountConditionProductTypesByIDs)
}

// DiscountConditionProductCollections are a condition's live collections, in the order linked.
func (c *Catalog) DiscountConditionProductCollections(ctx context.Context, dc *model.DiscountCondition) ([]*model.ProductCollection, error) {
	return hasMany(ctx, c, dc, "product_collections", discountConditionID, c.s.DiscountConditionProductCollectionsByIDs)
}

// DiscountConditionProductTags are a condition's live product tags, in the order linked.
func (c *Catalog) DiscountConditionProductTags(ctx context.Context, dc *model.DiscountCondition) ([]*model.ProductTag, error) {
	return hasMany(ctx, c, dc, "product_tags", discountConditionID, c.s.DiscountConditionProductTagsByIDs)
}

// DiscountConditionCustomerGroups are a condition's live customer groups, in the order linked.
func (c *Catalog) DiscountConditionCustomerGroups(ctx context.Context, dc *model.DiscountCondition) ([]*model.CustomerGroup, error) {
	return hasMany(ctx, c, dc, "customer_groups", discountConditionID, c.s.DiscountConditionCustomerGroupsByIDs)
}
