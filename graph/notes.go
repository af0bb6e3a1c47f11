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
	nodeFetchers["note"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return r.Store.GetNote(ctx, id)
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.Notes = func(child int, first *int, _ *string, _ map[string]any, _ *string) int { return connCost(child, first) }
	})
}

// foundOrNull is a query's answer for one object: null when the store does not find it.
func foundOrNull[T any](v *T, err error) (*T, error) {
	if store.IsNotFound(err) {
		return nil, nil
	}
	return v, queryError(err)
}

func (r *Resolver) noteConnection(ctx context.Context, first *int, after *string, where map[string]any, resourceID *string) (*gqlmodel.NoteConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	var f store.NoteFilter
	if resourceID != nil {
		f.ResourceID = *resourceID
	}
	notes, total, err := r.Store.ListNotesPage(ctx, f, p)
	if err != nil {
		return nil, queryError(err)
	}
	conn := &gqlmodel.NoteConnection{Nodes: notes, Edges: make([]*gqlmodel.NoteEdge, len(notes)), TotalCount: total,
		PageInfo: pageInfo(p, len(notes), total)}
	for i, n := range notes {
		conn.Edges[i] = &gqlmodel.NoteEdge{Cursor: encodeCursor(p.Offset + i), Node: n}
	}
	return conn, nil
}

func (r *Resolver) createNote(ctx context.Context, in gqlmodel.CreateNoteInput) (*gqlmodel.NotePayload, error) {
	n, err := r.Store.CreateNote(ctx, store.CreateNoteInput{ResourceID: in.ResourceID, ResourceType: in.ResourceType, Value: in.Value})
	ue, err := payloadErrors(err)
	return &gqlmodel.NotePayload{Note: n, UserErrors: ue}, err
}

func (r *Resolver) updateNote(ctx context.Context, id string, in gqlmodel.UpdateNoteInput) (*gqlmodel.NotePayload, error) {
	n, err := r.Store.UpdateNote(ctx, id, in.Value)
	ue, err := payloadErrors(err)
	return &gqlmodel.NotePayload{Note: n, UserErrors: ue}, err
}

func (r *Resolver) deleteNote(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	ue, err := payloadErrors(r.Store.DeleteNote(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

// noteAuthor is the author a single-note read already joined, else one batched load per page;
// a deleted author is null, as in REST.
func noteAuthor(ctx context.Context, n *model.Note) (*model.User, error) {
	if n.Author != nil {
		return n.Author, nil
	}
	if n.AuthorID == nil {
		return nil, nil
	}
	return loaders.Optional(loaders.For(ctx).UserByID.Load(ctx, *n.AuthorID))
}
