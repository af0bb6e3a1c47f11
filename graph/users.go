package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/node"
)

func init() {
	nodeFetchers["usr"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return r.Store.GetUser(ctx, id)
	}
	nodeFetchers["invite"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return r.Store.GetInvite(ctx, id)
	}
}
