package store

import (
	"context"
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
	q := s.DB.NewSelect().Model(&returns).Relation("Swap").Relation("Order").
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
	q := s.DB.NewSelect().Model(&swaps).OrderExpr("swap.created_at DESC, swap.id DESC").Offset(int64(p.Offset))
	if !p.All {
		q = q.Limit(int64(p.Limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list swaps: %w", err)
	}
	return swaps, nil
}
