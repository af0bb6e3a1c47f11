package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

func customerGroupNotFound(id string) *Error {
	return NotFoundf("CustomerGroup with id %s was not found", id)
}

// StringRange is Medusa's StringComparisonOperator (lexical comparisons).
type StringRange struct{ Lt, Gt, Lte, Gte *string }

func (sr *StringRange) apply(q *bun.SelectQuery, col string) *bun.SelectQuery {
	if sr == nil {
		return q
	}
	for _, c := range []struct {
		op string
		v  *string
	}{{"<", sr.Lt}, {">", sr.Gt}, {"<=", sr.Lte}, {">=", sr.Gte}} {
		if c.v != nil {
			q = q.Where("? "+c.op+" ?", bun.Ident(col), *c.v)
		}
	}
	return q
}

// CustomerGroupFilter is Medusa's FilterableCustomerGroupProps.
type CustomerGroupFilter struct {
	IDs     []string // nil: any
	IDRange *StringRange
	// Q matches the name (ILIKE %q%).
	Q         *string
	Names     []string // nil: any
	CreatedAt *TimeRange
	UpdatedAt *TimeRange
}

// ListCustomerGroups lists customer groups, newest first unless p.Order says otherwise, with the
// relations in p.Expand (none by default); the count is the total.
func (s *Store) ListCustomerGroups(ctx context.Context, f CustomerGroupFilter, p Page) ([]*model.CustomerGroup, int, error) {
	groups := []*model.CustomerGroup{}
	q := s.DB.NewSelect().Model(&groups)
	if f.IDs != nil {
		q = q.Where("customer_group.id IN (?)", bun.In(nonEmpty(f.IDs)))
	}
	q = f.IDRange.apply(q, "customer_group.id")
	if f.Q != nil && *f.Q != "" {
		q = q.Where("customer_group.name ILIKE ?", "%"+*f.Q+"%")
	} else if f.Names != nil {
		// As in Medusa, q replaces the name filter.
		q = q.Where("customer_group.name IN (?)", bun.In(nonEmpty(f.Names)))
	}
	q = f.CreatedAt.apply(q, "customer_group.created_at")
	q = f.UpdatedAt.apply(q, "customer_group.updated_at")
	q, err := s.applyWhere(q, "customerGroup", p.Where)
	if err != nil {
		return nil, 0, err
	}
	q, paths, err := s.withTaxRelations(q, (*model.CustomerGroup)(nil), withPrefixes(p.Expand))
	if err != nil {
		return nil, 0, err
	}
	n, err := s.listPage(ctx, q, &groups, "customer_group", Page{Offset: p.Offset, Limit: p.Limit, Order: p.Order}, nil)
	if err != nil {
		return nil, 0, err
	}
	FillRelations(s.DB, groups, paths)
	return groups, n, nil
}

// GetCustomerGroup returns a live customer group with the relations in find.Expand (Medusa loads
// none by default). find.Fields must name columns or relations of a group.
func (s *Store) GetCustomerGroup(ctx context.Context, id string, find Find) (*model.CustomerGroup, error) {
	if err := s.checkModelFields((*model.CustomerGroup)(nil), find.Fields); err != nil {
		return nil, err
	}
	g := new(model.CustomerGroup)
	q, paths, err := s.withTaxRelations(s.DB.NewSelect().Model(g).Where("customer_group.id = ?", id), g,
		withPrefixes(find.Expand))
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, customerGroupNotFound(id)
		}
		return nil, fmt.Errorf("get customer group %s: %w", id, err)
	}
	FillRelations(s.DB, g, paths)
	return g, nil
}

// CheckCustomerGroupExpand refuses relation paths a customer group does not have, so that a
// write with a bad `expand` changes nothing.
func (s *Store) CheckCustomerGroupExpand(expand []string) error {
	_, err := Relations(s.DB, (*model.CustomerGroup)(nil), withPrefixes(expand))
	return err
}

// CreateCustomerGroup creates a customer group. Its name must be unique among live groups: a
// duplicate is Medusa's 422 duplicate_error with PostgreSQL's detail as the message.
func (s *Store) CreateCustomerGroup(ctx context.Context, name string, metadata map[string]any) (*model.CustomerGroup, error) {
	g := &model.CustomerGroup{ID: NewID("cgrp"), Name: name, Metadata: metadata}
	// The partial unique index on live names decides, so concurrent creates cannot both win.
	if _, err := s.DB.NewInsert().Model(g).Returning("*").Exec(ctx); err != nil {
		return nil, dbError(err, "insert customer group")
	}
	return g, nil
}

// lockCustomerGroup reads a live customer group FOR UPDATE.
func lockCustomerGroup(ctx context.Context, tx bun.Tx, id string) (*model.CustomerGroup, error) {
	g := new(model.CustomerGroup)
	err := tx.NewSelect().Model(g).Where("customer_group.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, customerGroupNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("lock customer group %s: %w", id, err)
	}
	return g, nil
}

// UpdateCustomerGroup renames a customer group and/or merges its metadata (nil: leave), then
// returns it with the relations in find.Expand. A taken name is a 422 duplicate_error (Medusa
// answers 500).
func (s *Store) UpdateCustomerGroup(ctx context.Context, id string, name *string, metadata map[string]any, find Find) (*model.CustomerGroup, error) {
	if err := s.CheckCustomerGroupExpand(find.Expand); err != nil {
		return nil, err
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		g, err := lockCustomerGroup(ctx, tx, id)
		if err != nil {
			return err
		}
		var cols []string
		if name != nil && *name != g.Name {
			g.Name = *name
			cols = append(cols, "name")
		}
		if metadata != nil {
			g.Metadata = mergeMetadata(g.Metadata, metadata)
			cols = append(cols, "metadata")
		}
		if len(cols) == 0 {
			return nil
		}
		g.UpdatedAt = model.Now()
		if _, err := tx.NewUpdate().Model(g).Column(append(cols, "updated_at")...).WherePK().Exec(ctx); err != nil {
			return dbError(err, "update customer group")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.GetCustomerGroup(ctx, id, Find{Expand: find.Expand})
}

// DeleteCustomerGroup deletes a customer group as Medusa does: for good (its memberships, price
// list and discount condition links go with it by cascade); its customers stay. A missing group
// is no error (delete is idempotent).
func (s *Store) DeleteCustomerGroup(ctx context.Context, id string) error {
	if _, err := s.DB.NewDelete().Model((*model.CustomerGroup)(nil)).Where("id = ?", id).ForceDelete().Exec(ctx); err != nil {
		return fmt.Errorf("delete customer group: %w", err)
	}
	return nil
}

// AddCustomersToGroup adds customers to a group in one transaction; members already in it stay.
// A missing group, or any id that is not a live customer, refuses the whole batch with Medusa's
// not_found error naming every missing id, and nothing changes. It returns the group.
func (s *Store) AddCustomersToGroup(ctx context.Context, id string, customerIDs []string) (*model.CustomerGroup, error) {
	var g *model.CustomerGroup
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		// FOR UPDATE: a concurrent delete of the group waits for the batch (or the batch for it).
		if g, err = lockCustomerGroup(ctx, tx, id); err != nil {
			return err
		}
		ids := dedupe(customerIDs)
		if len(ids) == 0 {
			return nil
		}
		var found []string
		if err := tx.NewSelect().Model((*model.Customer)(nil)).Column("id").Where("id IN (?)", bun.In(ids)).
			For("SHARE").Scan(ctx, &found); err != nil {
			return fmt.Errorf("find customers: %w", err)
		}
		have := make(map[string]bool, len(found))
		for _, c := range found {
			have[c] = true
		}
		var missing []string
		for _, c := range ids {
			if !have[c] {
				missing = append(missing, c)
			}
		}
		if len(missing) > 0 {
			return NotFoundf("The following customer ids do not exist: %s", jsString(strings.Join(missing, ", ")))
		}
		links := make([]*model.CustomerGroupCustomer, len(ids))
		for i, c := range ids {
			links[i] = &model.CustomerGroupCustomer{CustomerGroupID: id, CustomerID: c}
		}
		if _, err := tx.NewInsert().Model(&links).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return dbError(err, "add customers to group")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// RemoveCustomersFromGroup takes customers out of a group in one statement; ids that are not
// members (or not customers) are no change, as in Medusa. A missing group is not_found. It
// returns the group.
func (s *Store) RemoveCustomersFromGroup(ctx context.Context, id string, customerIDs []string) (*model.CustomerGroup, error) {
	var g *model.CustomerGroup
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if g, err = lockCustomerGroup(ctx, tx, id); err != nil {
			return err
		}
		if len(customerIDs) == 0 {
			return nil
		}
		if _, err := tx.NewDelete().Model((*model.CustomerGroupCustomer)(nil)).Where("customer_group_id = ?", id).
			Where("customer_id IN (?)", bun.In(customerIDs)).Exec(ctx); err != nil {
			return fmt.Errorf("remove customers from group: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// jsString is JavaScript's JSON.stringify of a string (no HTML escaping, unlike encoding/json).
func jsString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
