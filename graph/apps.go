package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// The oauth table holds the few applications that plugins install, and the store reads it whole
// (as GET /admin/apps does), so apps are paged and found by id in memory.

func init() {
	nodeFetchers["oauth"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		apps, err := r.Store.ListApps(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			if a.ID == id {
				return a, nil
			}
		}
		return nil, store.NotFoundf("App with id: %s was not found.", id)
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.Apps = func(child int, first *int, _ *string, _ map[string]any) int { return connCost(child, first) }
	})
}

func (r *Resolver) appConnection(ctx context.Context, first *int, after *string, where map[string]any) (*gqlmodel.AppConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	apps, err := r.Store.ListAppsWhere(ctx, p.Where)
	if err != nil {
		return nil, queryError(err)
	}
	total := len(apps)
	lo := min(p.Offset, total)
	apps = apps[lo:min(lo+p.Limit, total)]
	conn := &gqlmodel.AppConnection{Nodes: apps, Edges: make([]*gqlmodel.AppEdge, len(apps)), TotalCount: total,
		PageInfo: pageInfo(p, len(apps), total)}
	for i, a := range apps {
		conn.Edges[i] = &gqlmodel.AppEdge{Cursor: encodeCursor(p.Offset + i), Node: a}
	}
	return conn, nil
}

// authorizeApp checks the input as POST /admin/apps/authorizations does (the store takes the
// strings as they come), in the same words.
func (r *Resolver) authorizeApp(ctx context.Context, in gqlmodel.AuthorizeAppInput) (*gqlmodel.AppPayload, error) {
	var v store.Violations
	v.Add(in.ApplicationName == "", "application_name", "application_name should not be empty")
	v.Add(in.State == "", "state", "state should not be empty")
	v.Add(in.Code == "", "code", "code should not be empty")
	var app *model.Oauth
	err := v.Err()
	if err == nil {
		app, err = r.Store.AuthorizeApp(ctx, in.ApplicationName, in.Code, in.State)
	}
	ue, err := payloadErrors(err)
	return &gqlmodel.AppPayload{App: app, UserErrors: ue}, err
}
