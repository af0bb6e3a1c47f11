package graph

import (
	"context"
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

// Discounts are read with the store's default relations (rule, rule.conditions, regions, one
// statement each whatever the page size); a read registers its discounts, all their conditions
// and all their regions as sibling groups (loaders.Discounts), so that the conditions' lists, the
// regions' fields and the parent discounts load once per page (graph/loaders/discounts.go).

func init() {
	nodeFetchers["disc"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.discount(ctx, id))
	}
	nodeFetchers["discon"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.Store.DiscountConditionByID(ctx, id))
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.Discounts = func(child int, first *int, _ *string, _ map[string]any, _ *string, _, _ *bool, _ []string, _ *gqlmodel.DiscountRuleType,
			_ *gqlmodel.DiscountAllocation, _, _ *gqlmodel.DateTimeFilter, _ []*gqlmodel.DiscountOrder) int {
			return connCost(child, first)
		}
	})
}

// discountsRead registers the discounts of one read (nil ones are skipped).
func discountsRead(ctx context.Context, ds ...*model.Discount) {
	var live []*model.Discount
	for _, d := range ds {
		if d != nil {
			live = append(live, d)
		}
	}
	loaders.Discounts(catalog(ctx), live)
}

func (r *Resolver) discountConnection(ctx context.Context, first *int, after *string, where map[string]any, f store.DiscountFilter) (*gqlmodel.DiscountConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	ds, total, err := r.Store.ListDiscounts(ctx, f, p)
	if err != nil {
		return nil, queryError(err)
	}
	discountsRead(ctx, ds...)
	return &gqlmodel.DiscountConnection{Nodes: ds, TotalCount: total, PageInfo: pageInfo(p, len(ds), total),
		Edges: edgesOf(p, ds, func(c string, n *model.Discount) *gqlmodel.DiscountEdge {
			return &gqlmodel.DiscountEdge{Cursor: c, Node: n}
		})}, nil
}

// discountFilter is the discounts connection's arguments as the store's filter.
func discountFilter(q *string, isDynamic, isDisabled *bool, regionIDs []string, ruleType *gqlmodel.DiscountRuleType,
	allocation *gqlmodel.DiscountAllocation, startsAt, endsAt *gqlmodel.DateTimeFilter, orderBy []*gqlmodel.DiscountOrder) store.DiscountFilter {
	f := store.DiscountFilter{Q: q, IsDynamic: isDynamic, IsDisabled: isDisabled, RegionIDs: regionIDs,
		RuleType: enumIn(ruleType), RuleAllocation: enumIn(allocation), StartsAt: timeRange(startsAt), EndsAt: timeRange(endsAt)}
	for _, o := range orderBy {
		f.Order = append(f.Order, listOrderOf(o.Field, o.Direction))
	}
	return f
}

// listOrderOf is one orderBy key: the enum's column, snake_case as stored.
func listOrderOf[T ~string](field T, dir gqlmodel.SortDirection) store.ListOrder {
	return store.ListOrder{Column: strings.ToLower(string(field)), Desc: dir == gqlmodel.SortDirectionDesc}
}

// discountRead is a single discount read: null when there is none.
func discountRead(ctx context.Context) func(*model.Discount, error) (*model.Discount, error) {
	return func(d *model.Discount, err error) (*model.Discount, error) {
		d, err = foundOrNull(d, err)
		discountsRead(ctx, d)
		return d, err
	}
}

func (r *Resolver) discount(ctx context.Context, id string) (*model.Discount, error) {
	return discountRead(ctx)(r.Store.GetDiscount(ctx, id, store.Find{}))
}

func (r *Resolver) discountByCode(ctx context.Context, code string) (*model.Discount, error) {
	return discountRead(ctx)(r.Store.GetDiscountByCode(ctx, code, store.Find{}))
}

func (r *Resolver) discountCondition(ctx context.Context, discountID, id string) (*model.DiscountCondition, error) {
	return foundOrNull(r.Store.GetDiscountCondition(ctx, discountID, id, store.Find{}))
}

// --- nested fields ---

func discountRule(d *model.Discount) *model.DiscountRule { return d.Rule }

func discountRegions(ctx context.Context, d *model.Discount) []*model.Region {
	return catalog(ctx).DiscountRegions(d)
}

func discountParent(ctx context.Context, d *model.Discount) (*model.Discount, error) {
	return catalog(ctx).DiscountParent(ctx, d)
}

func discountRuleConditions(ctx context.Context, rule *model.DiscountRule) []*model.DiscountCondition {
	return catalog(ctx).DiscountRuleConditions(rule)
}

// --- mutations ---

func timeIn(t *model.Time) *time.Time {
	if t == nil {
		return nil
	}
	return &t.Time
}

func omitTime(o graphql.Omittable[*model.Time]) **time.Time {
	v, ok := o.ValueOK()
	if !ok {
		return nil
	}
	t := timeIn(v)
	return &t
}

func omitEnum[T ~string](o graphql.Omittable[*T]) **string {
	v, ok := o.ValueOK()
	if !ok {
		return nil
	}
	s := enumIn(v)
	return &s
}

func discountConditionsIn(in []*gqlmodel.DiscountConditionInput) []store.DiscountConditionInput {
	out := make([]store.DiscountConditionInput, len(in))
	for i, c := range in {
		out[i] = discountConditionIn(c)
	}
	return out
}

func discountConditionIn(c *gqlmodel.DiscountConditionInput) store.DiscountConditionInput {
	return store.DiscountConditionInput{ID: c.ID, Operator: enumIn(c.Operator), Products: c.Products, ProductTypes: c.ProductTypes,
		ProductCollections: c.ProductCollections, ProductTags: c.ProductTags, CustomerGroups: c.CustomerGroups}
}

// discountPayload answers a discount mutation with the discount the store returned.
func discountPayload(ctx context.Context) func(*model.Discount, error) (*gqlmodel.DiscountPayload, error) {
	return func(d *model.Discount, err error) (*gqlmodel.DiscountPayload, error) {
		d, ue, err := wrote(ctx, d, err)
		discountsRead(ctx, d)
		return &gqlmodel.DiscountPayload{Discount: d, UserErrors: ue}, err
	}
}

// discountAfter answers a mutation the store reports only an error of with discount id as it is
// afterwards.
func (r *Resolver) discountAfter(ctx context.Context, id string, err error) (*gqlmodel.DiscountPayload, error) {
	if err != nil {
		return discountPayload(ctx)(nil, err)
	}
	return discountPayload(ctx)(r.Store.GetDiscount(ctx, id, store.Find{}))
}

func (r *Resolver) createDiscount(ctx context.Context, in gqlmodel.CreateDiscountInput) (*gqlmodel.DiscountPayload, error) {
	s := store.CreateDiscountInput{Code: in.Code, StartsAt: timeIn(in.StartsAt), EndsAt: timeIn(in.EndsAt),
		ValidDuration: in.ValidDuration, UsageLimit: in.UsageLimit, Regions: in.Regions, Metadata: in.Metadata}
	if in.IsDynamic != nil {
		s.IsDynamic = *in.IsDynamic
	}
	if in.IsDisabled != nil {
		s.IsDisabled = *in.IsDisabled
	}
	if in.Rule != nil {
		s.Rule = store.DiscountRuleInput{Description: in.Rule.Description, Type: *enumIn(&in.Rule.Type), Value: in.Rule.Value,
			Allocation: *enumIn(&in.Rule.Allocation), Conditions: discountConditionsIn(in.Rule.Conditions)}
	}
	return discountPayload(ctx)(r.Store.CreateDiscount(ctx, s, store.Find{}))
}

// updateDiscount: a rule update names the discount's own rule, which is read first.
func (r *Resolver) updateDiscount(ctx context.Context, id string, in gqlmodel.UpdateDiscountInput) (*gqlmodel.DiscountPayload, error) {
	s := store.UpdateDiscountInput{Code: in.Code, IsDisabled: in.IsDisabled, StartsAt: timeIn(in.StartsAt), EndsAt: omitTime(in.EndsAt),
		ValidDuration: omit(in.ValidDuration), UsageLimit: omit(in.UsageLimit), Regions: in.Regions, Metadata: in.Metadata}
	if in.Rule != nil {
		d, err := r.Store.GetDiscount(ctx, id, store.Find{Expand: []string{"rule"}})
		if err != nil {
			return discountPayload(ctx)(nil, err)
		}
		rule := &store.UpdateDiscountRuleInput{Description: omit(in.Rule.Description), Value: in.Rule.Value,
			Allocation: omitEnum(in.Rule.Allocation), Conditions: discountConditionsIn(in.Rule.Conditions)}
		if d.RuleID != nil {
			rule.ID = *d.RuleID
		}
		s.Rule = rule
	}
	return discountPayload(ctx)(r.Store.UpdateDiscount(ctx, id, s, store.Find{}))
}

func (r *Resolver) deleteDiscount(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	_, ue, err := wrote(ctx, &id, r.Store.DeleteDiscount(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

// createDynamicCode answers with the new code.
func (r *Resolver) createDynamicCode(ctx context.Context, id string, in gqlmodel.CreateDynamicCodeInput) (*gqlmodel.DiscountPayload, error) {
	childID, err := r.Store.CreateDynamicCode(ctx, id, store.DynamicCodeInput{Code: in.Code, Metadata: in.Metadata})
	return r.discountAfter(ctx, childID, err)
}

// deleteDynamicCode requires a live parent (Medusa's route does not check) and answers with it.
func (r *Resolver) deleteDynamicCode(ctx context.Context, id, code string) (*gqlmodel.DiscountPayload, error) {
	if _, err := r.Store.GetDiscount(ctx, id, store.Find{Expand: []string{"rule"}}); err != nil {
		return discountPayload(ctx)(nil, err)
	}
	return r.discountAfter(ctx, id, r.Store.DeleteDynamicCode(ctx, id, code))
}

func (r *Resolver) addDiscountRegion(ctx context.Context, id, regionID string) (*gqlmodel.DiscountPayload, error) {
	return r.discountAfter(ctx, id, r.Store.AddDiscountRegion(ctx, id, regionID))
}

func (r *Resolver) removeDiscountRegion(ctx context.Context, id, regionID string) (*gqlmodel.DiscountPayload, error) {
	return r.discountAfter(ctx, id, r.Store.RemoveDiscountRegion(ctx, id, regionID))
}

func (r *Resolver) createDiscountCondition(ctx context.Context, discountID string, in gqlmodel.DiscountConditionInput) (*gqlmodel.DiscountPayload, error) {
	return discountPayload(ctx)(r.Store.CreateDiscountCondition(ctx, discountID, discountConditionIn(&in), store.Find{}))
}

func (r *Resolver) updateDiscountCondition(ctx context.Context, discountID, id string, in gqlmodel.DiscountConditionInput) (*gqlmodel.DiscountPayload, error) {
	return discountPayload(ctx)(r.Store.UpdateDiscountCondition(ctx, discountID, id, discountConditionIn(&in), store.Find{}))
}

// deleteDiscountCondition: a missing condition is no change, answered with the discount as it is
// (null when there is none).
func (r *Resolver) deleteDiscountCondition(ctx context.Context, discountID, id string) (*gqlmodel.DiscountPayload, error) {
	d, err := r.Store.DeleteDiscountCondition(ctx, discountID, id, store.Find{})
	if err == nil && d == nil {
		d, err = r.Store.GetDiscount(ctx, discountID, store.Find{})
		if store.IsNotFound(err) {
			return &gqlmodel.DiscountPayload{UserErrors: []*gqlmodel.UserError{}}, nil
		}
	}
	return discountPayload(ctx)(d, err)
}
