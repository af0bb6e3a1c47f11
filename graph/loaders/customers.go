package loaders

import (
	"context"

	"github.com/gorgon-commerce/gorgon/store/model"
)

func customerID(c *model.Customer) *string { return &c.ID }

// CustomerGroups are a customer's live groups, loaded once for the customer's whole sibling group
// (the customers one read returned).
func (c *Catalog) CustomerGroups(ctx context.Context, cu *model.Customer) ([]*model.CustomerGroup, error) {
	return hasMany(ctx, c, cu, "groups", customerID, c.s.CustomerGroupsByCustomerIDs)
}
