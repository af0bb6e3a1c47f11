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

func init() {
	nodeFetchers["rr"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return r.Store.GetReturnReason(ctx, id)
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.ReturnReasons = func(child int, first *int, _ *string, _ map[string]any) int { return connCost(child, first) }
	})
}

func (r *Resolver) returnReasonConnection(ctx context.Context, first *int, after *string, where map[string]any) (*gqlmodel.ReturnReasonConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	reasons, total, err := r.Store.ListReturnReasonsPage(ctx, p)
	if err != nil {
		return nil, queryError(err)
	}
	conn := &gqlmodel.ReturnReasonConnection{Nodes: reasons, Edges: make([]*gqlmodel.ReturnReasonEdge, len(reasons)),
		TotalCount: total, PageInfo: pageInfo(p, len(reasons), total)}
	for i, rr := range reasons {
		conn.Edges[i] = &gqlmodel.ReturnReasonEdge{Cursor: encodeCursor(p.Offset + i), Node: rr}
	}
	return conn, nil
}

func (r *Resolver) createReturnReason(ctx context.Context, in gqlmodel.CreateReturnReasonInput) (*gqlmodel.ReturnReasonPayload, error) {
	rr, err := r.Store.CreateReturnReason(ctx, store.CreateReturnReasonInput{Value: in.Value, Label: in.Label,
		ParentReturnReasonID: in.ParentReturnReasonID, Description: in.Description, Metadata: in.Metadata})
	ue, err := payloadErrors(err)
	return &gqlmodel.ReturnReasonPayload{ReturnReason: rr, UserErrors: ue}, err
}

// updateReturnReason: a null value or label keeps it (the columns are NOT NULL); a null
// description or metadata clears it, an absent one keeps it.
func (r *Resolver) updateReturnReason(ctx context.Context, id string, in gqlmodel.UpdateReturnReasonInput) (*gqlmodel.ReturnReasonPayload, error) {
	up := store.UpdateReturnReasonInput{Label: in.Label, Value: in.Value}
	up.Description, up.SetDescription = in.Description.ValueOK()
	up.Metadata, up.SetMetadata = in.Metadata.ValueOK()
	rr, err := r.Store.UpdateReturnReason(ctx, id, up)
	ue, err := payloadErrors(err)
	return &gqlmodel.ReturnReasonPayload{ReturnReason: rr, UserErrors: ue}, err
}

func (r *Resolver) deleteReturnReason(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	ue, err := payloadErrors(r.Store.DeleteReturnReason(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

// returnReasonParent is the parent a single read already joined, else one batched load per level.
func returnReasonParent(ctx context.Context, rr *model.ReturnReason) (*model.ReturnReason, error) {
	if rr.ParentReturnReason != nil {
		return rr.ParentReturnReason, nil
	}
	if rr.ParentReturnReasonID == nil {
		return nil, nil
	}
	return loaders.Optional(loaders.For(ctx).ReturnReasonByID.Load(ctx, *rr.ParentReturnReasonID))
}

// returnReasonChildren are the children a single read already loaded (an empty slice when it
// found none; nil means not loaded), else one batched load per level.
func returnReasonChildren(ctx context.Context, rr *model.ReturnReason) ([]*model.ReturnReason, error) {
	if rr.ReturnReasonChildren != nil {
		return rr.ReturnReasonChildren, nil
	}
	return loaders.For(ctx).ReturnReasonChildrenByParentID.Load(ctx, rr.ID)
}
