package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// Draft orders: draftOrder reads one as GET /admin/draft-orders/:id does (its cart with the
// relations Medusa loads), draftOrders a page as the list does (carts with their items). A
// cart's totals read the cart with what they need (one read per cart asked for).

func init() {
	nodeFetchers["dorder"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.draftOrder(ctx, id))
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.DraftOrders = func(child int, first *int, _ *string, _ map[string]any, _ *string) int { return connCost(child, first) }
	})
}

func (r *Resolver) draftOrder(ctx context.Context, id string) (*model.DraftOrder, error) {
	v, err := r.Store.RetrieveDraftOrder(ctx, id)
	if err != nil {
		return foundOrNull[model.DraftOrder](nil, err)
	}
	return v.DraftOrder, nil
}

func (r *Resolver) draftOrderConnection(ctx context.Context, first *int, after *string, where map[string]any, q *string) (*gqlmodel.DraftOrderConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	ds, total, err := r.Store.ListDraftOrders(ctx, store.DraftOrderFilter{Q: q}, p)
	if err != nil {
		return nil, queryError(err)
	}
	return &gqlmodel.DraftOrderConnection{Nodes: ds, TotalCount: total, PageInfo: pageInfo(p, len(ds), total),
		Edges: edgesOf(p, ds, func(c string, n *model.DraftOrder) *gqlmodel.DraftOrderEdge {
			return &gqlmodel.DraftOrderEdge{Cursor: c, Node: n}
		})}, nil
}

// draftOrderOrder is the order a draft order became (null while open).
func (r *Resolver) draftOrderOrder(ctx context.Context, d *model.DraftOrder) (*model.Order, error) {
	if d.OrderID == nil {
		return nil, nil
	}
	return r.order(ctx, *d.OrderID)
}

func (r *Resolver) deleteDraftOrder(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	ue, err := payloadErrors(r.Store.DeleteDraftOrder(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

func (r *Resolver) deleteDraftOrderLineItem(ctx context.Context, id, lineID string) (*gqlmodel.DraftOrderPayload, error) {
	ue, err := payloadErrors(r.Store.DeleteDraftOrderLineItem(ctx, id, lineID))
	if len(ue) > 0 || err != nil {
		return &gqlmodel.DraftOrderPayload{UserErrors: ue}, err
	}
	d, err := r.draftOrder(ctx, id)
	return &gqlmodel.DraftOrderPayload{DraftOrder: d, UserErrors: ue}, err
}

func (r *Resolver) updateDraftOrderLineItem(ctx context.Context, id, lineID string, in gqlmodel.DraftOrderLineItemInput) (*gqlmodel.DraftOrderPayload, error) {
	ue, err := payloadErrors(r.Store.UpdateDraftOrderLineItem(ctx, id, lineID, store.UpdateDraftLineInput{
		Title: in.Title, UnitPrice: in.UnitPrice, Quantity: in.Quantity, Metadata: in.Metadata}))
	if len(ue) > 0 || err != nil {
		return &gqlmodel.DraftOrderPayload{UserErrors: ue}, err
	}
	d, err := r.draftOrder(ctx, id)
	return &gqlmodel.DraftOrderPayload{DraftOrder: d, UserErrors: ue}, err
}

func (r *Resolver) draftOrderPayload(ctx context.Context, id string, err error) (*gqlmodel.DraftOrderPayload, error) {
	ue, err := payloadErrors(err)
	if len(ue) > 0 || err != nil {
		return &gqlmodel.DraftOrderPayload{UserErrors: ue}, err
	}
	d, err := r.draftOrder(ctx, id)
	return &gqlmodel.DraftOrderPayload{DraftOrder: d, UserErrors: ue}, err
}

func (r *Resolver) createDraftOrder(ctx context.Context, in gqlmodel.CreateDraftOrderInput) (*gqlmodel.DraftOrderPayload, error) {
	sin := store.CreateDraftOrderInput{Email: in.Email, RegionID: in.RegionID, Discounts: in.Discounts, CustomerID: in.CustomerID,
		BillingAddress: addressIn(in.BillingAddress), ShippingAddress: addressIn(in.ShippingAddress),
		NoNotificationOrder: in.NoNotificationOrder, Metadata: in.Metadata}
	for _, it := range in.Items {
		sin.Items = append(sin.Items, store.DraftItemInput{VariantID: it.VariantID, Title: it.Title, UnitPrice: it.UnitPrice,
			Quantity: it.Quantity, Metadata: it.Metadata})
	}
	for _, m := range in.ShippingMethods {
		sin.ShippingMethods = append(sin.ShippingMethods, store.DraftShippingMethodInput{OptionID: m.OptionID, Data: m.Data, Price: m.Price})
	}
	id, err := r.Store.CreateDraftOrder(ctx, sin)
	return r.draftOrderPayload(ctx, id, err)
}

func (r *Resolver) updateDraftOrder(ctx context.Context, id string, in gqlmodel.UpdateDraftOrderInput) (*gqlmodel.DraftOrderPayload, error) {
	_, err := r.Store.UpdateDraftOrder(ctx, id, store.UpdateDraftOrderInput{RegionID: in.RegionID, CountryCode: in.CountryCode,
		Email: in.Email, BillingAddress: addressIn(in.BillingAddress), ShippingAddress: addressIn(in.ShippingAddress),
		Discounts: in.Discounts, CustomerID: in.CustomerID, NoNotificationOrder: in.NoNotificationOrder})
	return r.draftOrderPayload(ctx, id, err)
}

func (r *Resolver) addDraftOrderLineItem(ctx context.Context, id string, in gqlmodel.AddDraftOrderLineItemInput) (*gqlmodel.DraftOrderPayload, error) {
	return r.draftOrderPayload(ctx, id, r.Store.AddDraftOrderLineItem(ctx, id, store.AddDraftLineInput{VariantID: in.VariantID,
		Title: in.Title, UnitPrice: in.UnitPrice, Quantity: in.Quantity, Metadata: in.Metadata}))
}

func (r *Resolver) registerDraftOrderPayment(ctx context.Context, id string) (*gqlmodel.OrderPayload, error) {
	orderID, err := r.Store.RegisterDraftOrderPayment(ctx, id)
	return r.orderPayload(ctx, orderID, err)
}
