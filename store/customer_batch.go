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

// CustomerGroupCustomersPage returns a page (offset, limit) of each group's live customers, in the order they
// joined, and each group's count of live customers: two statements whatever the number of groups.
// where filters the customers (the field map of the customer list).
func (s *Store) CustomerGroupCustomersPage(ctx context.Context, groupIDs []string, offset, limit int, where Where) (map[string][]*model.Customer, map[string]int, error) {
	ids := nonEmpty(groupIDs)
	// The filter, on the customers the statements below call c.
	cond, args, err := s.whereConditionAs("customer", "c", where)
	if err != nil {
		return nil, nil, err
	}
	if cond == "" {
		cond = "true"
	}
	var links []*model.CustomerGroupCustomer
	if err := s.DB.NewSelect().Model(&links).Relation("Customer").
		Where(`(customer_group_customers.customer_group_id, customer_group_customers.customer_id) IN (
			SELECT t.customer_group_id, t.customer_id FROM (SELECT cgc.customer_group_id, cgc.customer_id,
				row_number() OVER (PARTITION BY cgc.customer_group_id ORDER BY cgc.ctid) AS rn
			FROM customer_group_customers cgc JOIN customer c ON c.id = cgc.customer_id AND c.deleted_at IS NULL
			WHERE cgc.customer_group_id IN (?) AND (?)) t WHERE t.rn > ? AND t.rn <= ?)`, bun.In(ids), bun.SafeQuery(cond, args...), offset, offset+limit).
		Where("customer.id IS NOT NULL AND customer.deleted_at IS NULL").
		OrderExpr(relationOrderOf("customer_group", "Customers")).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("customer group customers: %w", err)
	}
	var counts []struct {
		GroupID string `bun:"customer_group_id"`
		N       int    `bun:"n"`
	}
	if err := s.DB.NewRaw(`SELECT cgc.customer_group_id, count(*) AS n FROM customer_group_customers cgc
		JOIN customer c ON c.id = cgc.customer_id AND c.deleted_at IS NULL
		WHERE cgc.customer_group_id IN (?) AND (?) GROUP BY cgc.customer_group_id`, bun.In(ids), bun.SafeQuery(cond, args...)).Scan(ctx, &counts); err != nil {
		return nil, nil, fmt.Errorf("customer group customer counts: %w", err)
	}
	out := make(map[string][]*model.Customer, len(groupIDs))
	totals := make(map[string]int, len(groupIDs))
	for _, id := range groupIDs {
		out[id] = []*model.Customer{}
	}
	for _, l := range links {
		if l.Customer != nil {
			out[l.CustomerGroupID] = append(out[l.CustomerGroupID], l.Customer)
		}
	}
	for _, c := range counts {
		totals[c.GroupID] = c.N
	}
	return out, totals, nil
}
