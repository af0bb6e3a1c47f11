package loaders

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func customerID(c *model.Customer) *string { return &c.ID }

// CustomerGroups are a customer's live groups, loaded once for the customer's whole sibling group
// (the customers one read returned).
func (c *Catalog) CustomerGroups(ctx context.Context, cu *model.Customer) ([]*model.CustomerGroup, error) {
	return hasMany(ctx, c, cu, "groups", customerID, c.s.CustomerGroupsByCustomerIDs)
}

// GroupCustomers is the first page of a customer group's customers and their total.
type GroupCustomers struct {
	Customers []*model.Customer
	Total     int
}

// CustomerGroupCustomers are a group's first live customers and their count, loaded once for the
// group's whole sibling group; the customers of all the groups form the next group.
func (c *Catalog) CustomerGroupCustomers(ctx context.Context, g *model.CustomerGroup, offset, first int, where store.Where) (GroupCustomers, error) {
	// Siblings asking the same page with the same filter share one load; JSON writes a map's
	// keys in order, so equal filters make equal keys.
	filter, err := json.Marshal(where)
	if err != nil {
		return GroupCustomers{}, err
	}
	return load(ctx, c, g, "customers:"+strconv.Itoa(offset)+":"+strconv.Itoa(first)+":"+string(filter), func(ctx context.Context, groups []*model.CustomerGroup) (map[*model.CustomerGroup]GroupCustomers, error) {
		ids := uniqueKeys(groups, func(g *model.CustomerGroup) *string { return &g.ID })
		m, totals, err := c.s.CustomerGroupCustomersPage(ctx, ids, offset, first, where)
		if err != nil {
			return nil, err
		}
		out := make(map[*model.CustomerGroup]GroupCustomers, len(groups))
		var all []*model.Customer
		for _, g := range groups {
			out[g] = GroupCustomers{Customers: m[g.ID], Total: totals[g.ID]}
			all = append(all, m[g.ID]...)
		}
		Siblings(c, all)
		return out, nil
	})
}
