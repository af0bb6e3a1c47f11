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

// Customers are read without relations; a read registers its customers as one sibling group, so
// that their groups load with one statement per page (graph/loaders/customers.go).

func init() {
	nodeFetchers["cus"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		return nodeOf(r.customer(ctx, id))
	}
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.Customers = func(child int, first *int, _ *string, _ map[string]any, _ *string, _ []string, _ []*gqlmodel.CustomerOrder) int {
			return connCost(child, first)
		}
	})
}

func (r *Resolver) customerConnection(ctx context.Context, first *int, after *string, where map[string]any, q *string, groupIDs []string,
	orderBy []*gqlmodel.CustomerOrder) (*gqlmodel.CustomerConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	f := store.CustomerFilter{Q: q, Groups: groupIDs}
	for _, o := range orderBy {
		f.Order = append(f.Order, listOrderOf(o.Field, o.Direction))
	}
	cs, total, err := r.Store.ListCustomers(ctx, f, p)
	if err != nil {
		return nil, queryError(err)
	}
	loaders.Siblings(catalog(ctx), cs)
	return &gqlmodel.CustomerConnection{Nodes: cs, TotalCount: total, PageInfo: pageInfo(p, len(cs), total),
		Edges: edgesOf(p, cs, func(c string, n *model.Customer) *gqlmodel.CustomerEdge {
			return &gqlmodel.CustomerEdge{Cursor: c, Node: n}
		})}, nil
}

func (r *Resolver) customer(ctx context.Context, id string) (*model.Customer, error) {
	return foundOrNull(r.Store.GetCustomer(ctx, id, nil))
}

func customerGroups(ctx context.Context, c *model.Customer) ([]*model.CustomerGroup, error) {
	return catalog(ctx).CustomerGroups(ctx, c)
}

// --- mutations ---

// customerPayload ends a customer mutation (wrote): the customer, or null with userErrors.
func customerPayload(ctx context.Context) func(*model.Customer, error) (*gqlmodel.CustomerPayload, error) {
	return func(c *model.Customer, err error) (*gqlmodel.CustomerPayload, error) {
		c, ue, err := wrote(ctx, c, err)
		if err != nil {
			return nil, err
		}
		return &gqlmodel.CustomerPayload{Customer: c, UserErrors: ue}, nil
	}
}

func (r *Resolver) createCustomer(ctx context.Context, in gqlmodel.CreateCustomerInput) (*gqlmodel.CustomerPayload, error) {
	return customerPayload(ctx)(r.Store.CreateCustomer(ctx, store.CreateCustomerInput{Email: in.Email, FirstName: in.FirstName,
		LastName: in.LastName, Password: in.Password, Phone: in.Phone, Metadata: in.Metadata}))
}

func (r *Resolver) updateCustomer(ctx context.Context, id string, in gqlmodel.UpdateCustomerInput) (*gqlmodel.CustomerPayload, error) {
	return customerPayload(ctx)(r.Store.UpdateCustomer(ctx, id, store.UpdateCustomerInput{Email: in.Email,
		FirstName: omit(in.FirstName), LastName: omit(in.LastName), Password: in.Password, Phone: omit(in.Phone),
		Metadata: in.Metadata, Groups: in.GroupIds}, nil))
}

// --- customer groups ---

func init() {
	complexityHooks = append(complexityHooks, func(c *generated.ComplexityRoot) {
		c.Query.CustomerGroups = func(child int, first *int, _ *string, _ map[string]any, _ *string) int { return connCost(child, first) }
		c.CustomerGroup.Customers = func(child int, first *int, _ *string, last *int, _ *string, _ map[string]any) int {
			return windowCost(child, first, last)
		}
	})
}

func (r *Resolver) customerGroupConnection(ctx context.Context, first *int, after *string, where map[string]any, q *string) (*gqlmodel.CustomerGroupConnection, error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	if p.Where, err = plainWhere(where); err != nil {
		return nil, err
	}
	gs, total, err := r.Store.ListCustomerGroups(ctx, store.CustomerGroupFilter{Q: q}, p)
	if err != nil {
		return nil, queryError(err)
	}
	loaders.Siblings(catalog(ctx), gs)
	return &gqlmodel.CustomerGroupConnection{Nodes: gs, TotalCount: total, PageInfo: pageInfo(p, len(gs), total),
		Edges: edgesOf(p, gs, func(c string, n *model.CustomerGroup) *gqlmodel.CustomerGroupEdge {
			return &gqlmodel.CustomerGroupEdge{Cursor: c, Node: n}
		})}, nil
}

// customerGroupCustomers is a page of a group's customers, batched over the group's siblings.
func customerGroupCustomers(ctx context.Context, g *model.CustomerGroup, first *int, after *string, last *int, before *string,
	where map[string]any) (*gqlmodel.CustomerConnection, error) {
	win, w, err := window(first, after, last, before, where)
	if err != nil {
		return nil, err
	}
	p, err := catalog(ctx).CustomerGroupCustomersPage(ctx, g, win, w)
	if err != nil {
		return nil, queryError(err)
	}
	edges, pi := childEdges(p, func(c string, n *model.Customer) *gqlmodel.CustomerEdge {
		return &gqlmodel.CustomerEdge{Cursor: c, Node: n}
	})
	return &gqlmodel.CustomerConnection{Nodes: p.Rows, TotalCount: p.Total, PageInfo: pi, Edges: edges}, nil
}

// customerGroupPayload ends a customer group mutation (wrote): the group, or null with userErrors.
func customerGroupPayload(ctx context.Context) func(*model.CustomerGroup, error) (*gqlmodel.CustomerGroupPayload, error) {
	return func(g *model.CustomerGroup, err error) (*gqlmodel.CustomerGroupPayload, error) {
		g, ue, err := wrote(ctx, g, err)
		if err != nil {
			return nil, err
		}
		return &gqlmodel.CustomerGroupPayload{CustomerGroup: g, UserErrors: ue}, nil
	}
}

func (r *Resolver) createCustomerGroup(ctx context.Context, in gqlmodel.CreateCustomerGroupInput) (*gqlmodel.CustomerGroupPayload, error) {
	return customerGroupPayload(ctx)(r.Store.CreateCustomerGroup(ctx, in.Name, in.Metadata))
}

func (r *Resolver) updateCustomerGroup(ctx context.Context, id string, in gqlmodel.UpdateCustomerGroupInput) (*gqlmodel.CustomerGroupPayload, error) {
	return customerGroupPayload(ctx)(r.Store.UpdateCustomerGroup(ctx, id, in.Name, in.Metadata, store.Find{}))
}

func (r *Resolver) deleteCustomerGroup(ctx context.Context, id string) (*gqlmodel.DeletePayload, error) {
	_, ue, err := wrote(ctx, &id, r.Store.DeleteCustomerGroup(ctx, id))
	return &gqlmodel.DeletePayload{DeletedID: deletedID(id, ue), UserErrors: ue}, err
}

func (r *Resolver) addCustomersToGroup(ctx context.Context, id string, customerIDs []string) (*gqlmodel.CustomerGroupPayload, error) {
	return customerGroupPayload(ctx)(r.Store.AddCustomersToGroup(ctx, id, customerIDs))
}

func (r *Resolver) removeCustomersFromGroup(ctx context.Context, id string, customerIDs []string) (*gqlmodel.CustomerGroupPayload, error) {
	return customerGroupPayload(ctx)(r.Store.RemoveCustomersFromGroup(ctx, id, customerIDs))
}
