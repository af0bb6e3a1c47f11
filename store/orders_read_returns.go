package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// ListReturns is GET /admin/returns: the page of returns, newest first, each with its swap,
// its order (the entity alone) and its items (Medusa's Return loads them eagerly). Medusa's
// return service lists with `find`: no count, the route answers the page's length.
func (s *Store) ListReturns(ctx context.Context, p Page) ([]*model.Return, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, Invalidf("limit and offset must not be negative")
	}
	returns := []*model.Return{}
	q, err := s.applyWhere(s.DB.NewSelect().Model(&returns), "return", p.Where)
	if err != nil {
		return nil, err
	}
	q = q.Relation("Swap").Relation("Order").
		Relation("Items", orderedRelation(s.DB, (*model.Return)(nil), "Items")).
		OrderExpr(`"return".created_at DESC, "return".id DESC`).Offset(int64(p.Offset))
	if !p.All {
		q = q.Limit(int64(p.Limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list returns: %w", err)
	}
	FillRelations(s.DB, returns, []string{"items"})
	return returns, nil
}

// ListSwaps is GET /admin/swaps: the page of swaps, newest first, their columns only (Medusa's
// route asks for no relation). No count: the route answers the page's length.
func (s *Store) ListSwaps(ctx context.Context, p Page) ([]*model.Swap, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, Invalidf("limit and offset must not be negative")
	}
	swaps := []*model.Swap{}
	q, err := s.applyWhere(s.DB.NewSelect().Model(&swaps), "swap", p.Where)
	if err != nil {
		return nil, err
	}
	q = q.OrderExpr("swap.created_at DESC, swap.id DESC").Offset(int64(p.Offset))
	if !p.All {
		q = q.Limit(int64(p.Limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list swaps: %w", err)
	}
	return swaps, nil
}

// CountReturns is the number of returns matching where (GraphQL's totalCount; Medusa's route has
// no count).
func (s *Store) CountReturns(ctx context.Context, where Where) (int, error) {
	q, err := s.applyWhere(s.DB.NewSelect().Model((*model.Return)(nil)), "return", where)
	if err != nil {
		return 0, err
	}
	n, err := q.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count returns: %w", err)
	}
	return int(n), nil
}

// CountSwaps is the number of live swaps matching where (GraphQL's totalCount).
func (s *Store) CountSwaps(ctx context.Context, where Where) (int, error) {
	q, err := s.applyWhere(s.DB.NewSelect().Model((*model.Swap)(nil)), "swap", where)
	if err != nil {
		return 0, err
	}
	n, err := q.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count swaps: %w", err)
	}
	return int(n), nil
}

// GetReturn returns a return with its items and shipping method; not_found as Medusa's return
// service words it.
func (s *Store) GetReturn(ctx context.Context, id string) (*model.Return, error) {
	r := new(model.Return)
	err := s.DB.NewSelect().Model(r).Where(`"return".id = ?`, id).
		Relation("Items", orderedRelation(s.DB, (*model.Return)(nil), "Items")).
		Relation("ShippingMethod").Relation("ShippingMethod.TaxLines").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Return with id: %s was not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("get return %s: %w", id, err)
	}
	FillRelations(s.DB, r, []string{"items", "shipping_method.tax_lines"})
	return r, nil
}

// swapRelations are the relations of a swap read by GetSwap (defaultAdminSwapRelations but the
// cart, with the entities' eager relations).
var swapRelations = []string{"AdditionalItems", "AdditionalItems.Adjustments", "AdditionalItems.TaxLines",
	"AdditionalItems.Variant", "AdditionalItems.Variant.Product", "ReturnOrder", "ReturnOrder.Items",
	"Fulfillments", "Fulfillments.Items", "Fulfillments.TrackingLinks", "Payment", "ShippingAddress",
	"ShippingMethods", "ShippingMethods.ShippingOption", "ShippingMethods.TaxLines"}

// GetSwap returns a live swap with its additional items, return, fulfilments, payment,
// shipping address and methods; not_found "Swap was not found" as Medusa.
func (s *Store) GetSwap(ctx context.Context, id string) (*model.Swap, error) {
	sw := new(model.Swap)
	q := s.DB.NewSelect().Model(sw).Where("swap.id = ?", id)
	q = addOrderedRelations(s.DB, q, (*model.Swap)(nil), swapRelations)
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Swap was not found")
	} else if err != nil {
		return nil, fmt.Errorf("get swap %s: %w", id, err)
	}
	FillRelations(s.DB, sw, []string{"additional_items.adjustments", "additional_items.tax_lines", "return_order.items",
		"fulfillments.items", "fulfillments.tracking_links", "shipping_methods.tax_lines"})
	return sw, nil
}
