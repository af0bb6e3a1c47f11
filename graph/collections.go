package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	nodeFetchers["pcol"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.Store.GetCollection(ctx, id, nil))
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.Collections = func(child int, first *int, _ *string, _ map[string]any, _ *gqlmodel.ProductCollectionFilter) int {
			return connCost(child, first)
		}
		c.ProductCollection.Products = func(child int, first *int) int { return connCost(child, first) }
	})
}

func (r *Resolver) collectionConnection(ctx context.Context, first *int, after *string, where map[string]any, filter *gqlmodel.ProductCollectionFilter) (*gqlmodel.ProductCollectionConnection, error) {
	p, err := countedPage(ctx, first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	var f store.CollectionFilter
	if filter != nil {
		f = store.CollectionFilter{Q: filter.Q, Title: filter.Title, Handle: filter.Handle, CreatedAt: catalogRange(filter.CreatedAt),
			UpdatedAt: catalogRange(filter.UpdatedAt), DeletedAt: catalogRange(filter.DeletedAt)}
	}
	cols, total, err := r.Store.ListCollectionsPage(ctx, f, p)
	if err != nil {
		return nil, queryError(err)
	}
	siblings(ctx, cols)
	return &gqlmodel.ProductCollectionConnection{Nodes: cols, TotalCount: total, PageInfo: pageInfo(p, len(cols), total),
		Edges: edgesOf(p, cols, func(c string, n *model.ProductCollection) *gqlmodel.ProductCollectionEdge {
			return &gqlmodel.ProductCollectionEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) collection(ctx context.Context, id string) (*model.ProductCollection, error) {
	return foundOrNull(r.Store.GetCollection(ctx, id, nil))
}

// collectionProducts are the first products a collection read loaded, else one batched load.
func collectionProducts(ctx context.Context, c *model.ProductCollection, first *int) ([]*model.Product, error) {
	n, err := firstN(first, 50)
	if err != nil {
		return nil, err
	}
	return catalog(ctx).CollectionProducts(ctx, c, n)
}

// collectionPayload answers a collection mutation with the collection the store returned.
func collectionPayload(ctx context.Context) func(*model.ProductCollection, error) (*gqlmodel.ProductCollectionPayload, error) {
	return func(c *model.ProductCollection, err error) (*gqlmodel.ProductCollectionPayload, error) {
		c, ue, err := wrote(ctx, c, err)
		return &gqlmodel.ProductCollectionPayload{Collection: c, UserErrors: ue}, err
	}
}

func (r *Resolver) createCollection(ctx context.Context, in gqlmodel.CreateProductCollectionInput) (*gqlmodel.ProductCollectionPayload, error) {
	return collectionPayload(ctx)(r.Store.CreateCollection(ctx, store.CreateCollectionInput{Title: in.Title, Handle: in.Handle, Metadata: in.Metadata}))
}

func (r *Resolver) updateCollection(ctx context.Context, id string, in gqlmodel.UpdateProductCollectionInput) (*gqlmodel.ProductCollectionPayload, error) {
	return collectionPayload(ctx)(r.Store.UpdateCollection(ctx, id, store.UpdateCollectionInput{Title: in.Title, Handle: omit(in.Handle), Metadata: in.Metadata}))
}

func (r *Resolver) deleteCollection(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	_, ue, err := wrote(ctx, &id, r.Store.DeleteCollection(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

// productIDsGiven is Medusa's ArrayNotEmpty on a collection batch's product_ids.
func productIDsGiven(ids []string) error {
	if len(ids) == 0 {
		return violation("product_ids", "product_ids should not be empty")
	}
	return nil
}

func (r *Resolver) addProductsToCollection(ctx context.Context, id string, productIDs []string) (*gqlmodel.ProductCollectionPayload, error) {
	if err := productIDsGiven(productIDs); err != nil {
		return collectionPayload(ctx)(nil, err)
	}
	return collectionPayload(ctx)(r.Store.AddProductsToCollection(ctx, id, productIDs))
}

func (r *Resolver) removeProductsFromCollection(ctx context.Context, id string, productIDs []string) (*gqlmodel.ProductCollectionPayload, error) {
	err := productIDsGiven(productIDs)
	if err == nil {
		err = r.Store.RemoveProductsFromCollection(ctx, id, productIDs)
	}
	var c *model.ProductCollection
	if err == nil {
		c, err = r.Store.GetCollection(ctx, id, nil)
	}
	return collectionPayload(ctx)(c, err)
}
