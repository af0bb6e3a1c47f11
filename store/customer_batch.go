package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Batch reads for the GraphQL loaders of customers (graph/loaders/customers.go): each answers a
// whole sibling group with one statement.

// CustomerGroupsByCustomerIDs returns each customer's live groups, in the order the memberships
// were made.
func (s *Store) CustomerGroupsByCustomerIDs(ctx context.Context, ids []string) (map[string][]*model.CustomerGroup, error) {
	var links []*model.CustomerGroupCustomer
	if err := s.DB.NewSelect().Model(&links).Relation("CustomerGroup").
		Where("customer_group_customers.customer_id IN (?)", bun.In(nonEmpty(ids))).
		Where("customer_group.id IS NOT NULL AND customer_group.deleted_at IS NULL").
		OrderExpr(relationOrderOf("customer", "Groups")).Scan(ctx); err != nil {
		return nil, fmt.Errorf("customer groups by customer: %w", err)
	}
	out := make(map[string][]*model.CustomerGroup, len(ids))
	for _, id := range ids {
		out[id] = []*model.CustomerGroup{}
	}
	for _, l := range links {
		if l.CustomerGroup != nil {
			out[l.CustomerID] = append(out[l.CustomerID], l.CustomerGroup)
		}
	}
	return out, nil
}
