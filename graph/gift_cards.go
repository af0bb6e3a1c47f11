package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/loaders"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// Gift cards are read with their region (one statement whatever the page size); a read registers
// its cards and their regions as sibling groups (loaders.GiftCards), so that the regions' fields
// load once per page.

func init() {
	nodeFetchers["gift"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.giftCard(ctx, id))
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.GiftCards = func(child int, first *int, _ *string, _ map[string]any, _ *string) int { return connCost(child, first) }
	})
}

func (r *Resolver) giftCardConnection(ctx context.Context, first *int, after *string, where map[string]any, q *string) (*gqlmodel.GiftCardConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	cs, total, err := r.Store.ListGiftCards(ctx, q, p)
	if err != nil {
		return nil, queryError(err)
	}
	loaders.GiftCards(catalog(ctx), cs)
	return &gqlmodel.GiftCardConnection{Nodes: cs, TotalCount: total, PageInfo: pageInfo(p, len(cs), total),
		Edges: edgesOf(p, cs, func(c string, n *model.GiftCard) *gqlmodel.GiftCardEdge {
			return &gqlmodel.GiftCardEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) giftCard(ctx context.Context, id string) (*model.GiftCard, error) {
	c, err := foundOrNull(r.Store.GetGiftCard(ctx, id))
	if c != nil {
		loaders.GiftCards(catalog(ctx), []*model.GiftCard{c})
	}
	return c, err
}

// giftCardPayload ends a gift card mutation (wrote): the card, or null with userErrors.
func giftCardPayload(ctx context.Context) func(*model.GiftCard, error) (*gqlmodel.GiftCardPayload, error) {
	return func(c *model.GiftCard, err error) (*gqlmodel.GiftCardPayload, error) {
		c, ue, err := wrote(ctx, c, err)
		if err != nil {
			return nil, err
		}
		if c != nil {
			loaders.GiftCards(catalog(ctx), []*model.GiftCard{c})
		}
		return &gqlmodel.GiftCardPayload{GiftCard: c, UserErrors: ue}, nil
	}
}

func (r *Resolver) createGiftCard(ctx context.Context, in gqlmodel.CreateGiftCardInput) (*gqlmodel.GiftCardPayload, error) {
	return giftCardPayload(ctx)(r.Store.CreateGiftCard(ctx, store.CreateGiftCardInput{Value: in.Value, RegionID: in.RegionID,
		EndsAt: timeIn(in.EndsAt), IsDisabled: in.IsDisabled, Metadata: in.Metadata}))
}

func (r *Resolver) updateGiftCard(ctx context.Context, id string, in gqlmodel.UpdateGiftCardInput) (*gqlmodel.GiftCardPayload, error) {
	return giftCardPayload(ctx)(r.Store.UpdateGiftCard(ctx, id, store.UpdateGiftCardInput{Balance: in.Balance,
		IsDisabled: in.IsDisabled, EndsAt: omitTime(in.EndsAt), RegionID: in.RegionID, Metadata: in.Metadata}))
}

func (r *Resolver) deleteGiftCard(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	_, ue, err := wrote(ctx, &id, r.Store.DeleteGiftCard(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}
