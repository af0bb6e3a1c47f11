package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// CustomerRelations are the relations Medusa's admin customer routes load when `expand` is not
// given (defaultAdminCustomersRelations). The list loads none by default.
var CustomerRelations = []string{"orders", "shipping_addresses"}

// customerNotFound is Medusa's message for a missing customer, word for word: its service formats
// the selector's entries oddly ("Customer with id,cus_x: 0 was not found"), and clients match it.
func customerNotFound(id string) *Error {
	return NotFoundf("Customer with id,%s: 0 was not found", id)
}

// CustomerFilter is Medusa's AdminListCustomerSelector.
type CustomerFilter struct {
	// Q matches the email, first or last name (ILIKE %q%).
	Q *string
	// Groups keeps the customers of any of these groups (nil: no filter). As in Medusa, each
	// customer then comes with those of its groups that matched, unless groups are expanded.
	Groups []string
	// Order: the list order, keys in turn (nil: p.Order, else oldest first); ties end by id.
	Order []ListOrder
}

// ListCustomers lists live customers, oldest first (Medusa sends no order; PostgreSQL returns
// insertion order in practice), with the relations in p.Expand (none by default); the count is
// the total. It costs one statement per relation level whatever the page size.
func (s *Store) ListCustomers(ctx context.Context, f CustomerFilter, p Page) ([]*model.Customer, int, error) {
	customers := []*model.Customer{}
	filter := func(q *bun.SelectQuery) (*bun.SelectQuery, error) {
		if f.Q != nil && *f.Q != "" {
			like := "%" + *f.Q + "%"
			q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
				return q.Where("customer.email ILIKE ?", like).WhereOr("customer.first_name ILIKE ?", like).
					WhereOr("customer.last_name ILIKE ?", like)
			})
		}
		if f.Groups != nil {
			q = q.Where(`EXISTS (SELECT 1 FROM customer_group_customers cgc WHERE cgc.customer_id = customer.id
			AND cgc.customer_group_id IN (?))`, bun.In(nonEmpty(f.Groups)))
		}
		return s.applyWhere(q, "customer", p.Where)
	}
	// The count rides along as an uncorrelated subquery (computed once): page and count are one
	// statement.
	countQ, err := filter(s.DB.NewSelect().Model((*model.Customer)(nil)).ColumnExpr("count(*)"))
	if err != nil {
		return nil, 0, err
	}
	q, err := filter(s.DB.NewSelect().Model(&customers))
	if err != nil {
		return nil, 0, err
	}
	q, counted := withCount(s.DB, q.ColumnExpr("?TableColumns"), countQ)
	paths := withPrefixes(p.Expand)
	var loaded []string
	if f.Groups != nil {
		groups := nonEmpty(f.Groups)
		if !catalogHas(paths, "groups") {
			q = q.Relation("Groups", func(q *bun.SelectQuery) *bun.SelectQuery {
				return q.Where("customer_group.id IN (?)", bun.In(groups)).OrderExpr(relationOrderOf("customer", "Groups"))
			})
		}
	}
	q, loaded, err = s.withTaxRelations(q, (*model.Customer)(nil), paths)
	if err != nil {
		return nil, 0, err
	}
	if f.Groups != nil {
		loaded = append(loaded, "groups")
	}
	if f.Order != nil {
		keys, err := listOrder("customer", f.Order, customerOrderColumns)
		if err != nil {
			return nil, 0, err
		}
		// The keys end with the id, so listPage's own order by id changes nothing.
		q, p.Order = q.OrderExpr(keys), "id"
	}
	if p.Order == "" {
		p.Order = "created_at"
	}
	n, err := s.listPageCounted(ctx, q, countQ, &customers, "customer", Page{Offset: p.Offset, Limit: p.Limit, Order: p.Order}, nil,
		func() (int64, bool) {
			if len(customers) == 0 {
				return 0, false
			}
			return counted.n(customers[0].FullCount, customers[0].Snapshot), true
		})
	if err != nil {
		return nil, 0, err
	}
	s.finishCustomers(customers, loaded)
	return customers, n, nil
}

// finishCustomers makes loaded to-many relations that found nothing [] and normalises loaded
// regions.
func (s *Store) finishCustomers(customers []*model.Customer, paths []string) {
	for _, c := range customers {
		FillRelations(s.DB, c, paths)
		for _, o := range c.Orders {
			fixLoadedOrder(o)
		}
	}
}

// fixLoadedOrder normalises what Gorgon reads differently from Medusa in an order loaded as a
// relation (bun runs no scan hooks there): its real tax rate, and its region's.
func fixLoadedOrder(o *model.Order) {
	if o == nil {
		return
	}
	if o.TaxRate != nil {
		r := model.Real(*o.TaxRate)
		o.TaxRate = &r
	}
	fixLoadedRegion(o.Region)
}

// GetCustomer returns a live customer with the relations in expand, or CustomerRelations when
// expand is empty.
func (s *Store) GetCustomer(ctx context.Context, id string, expand []string) (*model.Customer, error) {
	if len(expand) == 0 {
		expand = CustomerRelations
	}
	c := new(model.Customer)
	q, paths, err := s.withTaxRelations(s.DB.NewSelect().Model(c).Where("customer.id = ?", id), c, withPrefixes(expand))
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, customerNotFound(id)
		}
		return nil, fmt.Errorf("get customer %s: %w", id, err)
	}
	s.finishCustomers([]*model.Customer{c}, paths)
	return c, nil
}

// CheckCustomerExpand refuses relation paths a customer does not have, so that a write with a
// bad `expand` changes nothing.
func (s *Store) CheckCustomerExpand(expand []string) error {
	_, err := Relations(s.DB, (*model.Customer)(nil), withPrefixes(expand))
	return err
}

// CreateCustomerInput is Medusa's AdminPostCustomersReq.
type CreateCustomerInput struct {
	Email     string
	FirstName string
	LastName  string
	// Password gives the customer an account; empty, as in Medusa, makes a customer without one.
	Password string
	Phone    *string
	Metadata map[string]any
}

// validateCustomerEmail is class-validator's IsEmail on a customer's email.
func validateCustomerEmail(v *Violations, email string) {
	v.Add(!IsEmail(email), "email", "email must be an email")
}

// CreateCustomer creates a customer with a hashed password (Medusa's rules): the email is
// lower-cased and must not belong to a customer with an account; a customer without an account
// (a guest who ordered) and the same email gets the account instead, keeping its id and orders.
// It emits customer.created, or customer.updated for a guest.
func (s *Store) CreateCustomer(ctx context.Context, in CreateCustomerInput) (*model.Customer, error) {
	var v Violations
	validateCustomerEmail(&v, in.Email)
	if err := v.Err(); err != nil {
		return nil, err
	}
	email := strings.ToLower(in.Email)
	var hash *string
	if in.Password != "" {
		h, err := s.Passwords.Hash(ctx, in.Password)
		if err != nil {
			return nil, fmt.Errorf("hash password: %w", err)
		}
		hash = &h
	}
	if c, err := s.insertCustomer(ctx, email, hash, in); !errors.Is(err, errCustomerEmailTaken) {
		return c, err
	}
	var c *model.Customer
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		existing := new(model.Customer)
		err := tx.NewSelect().Model(existing).Where("customer.email = ?", email).For("UPDATE").Limit(1).Scan(ctx)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			existing = nil
		case err != nil:
			return fmt.Errorf("find customer by email: %w", err)
		case existing.HasAccount:
			return Errorf(DuplicateError, "A customer with the given email already has an account. Log in instead")
		}
		if existing != nil && hash != nil {
			// The guest becomes an account holder: the given fields replace its own.
			existing.Email, existing.FirstName, existing.LastName = email, &in.FirstName, &in.LastName
			existing.PasswordHash, existing.HasAccount = hash, true
			cols := []string{"email", "first_name", "last_name", "password_hash", "has_account", "updated_at"}
			if in.Phone != nil {
				existing.Phone = in.Phone
				cols = append(cols, "phone")
			}
			if in.Metadata != nil {
				existing.Metadata = in.Metadata
				cols = append(cols, "metadata")
			}
			existing.UpdatedAt = model.Now()
			if _, err := tx.NewUpdate().Model(existing).Column(cols...).WherePK().Exec(ctx); err != nil {
				return dbError(err, "update customer")
			}
			c = existing
			return emit(ctx, tx, "customer.updated", c)
		}
		c = newCustomer(email, hash, in)
		if _, err := tx.NewInsert().Model(c).Returning("*").Exec(ctx); err != nil {
			err = dbError(err, "insert customer")
			if e, ok := AsError(err); ok && e.Type == DuplicateError && hash != nil {
				// A concurrent create won the email: Medusa's words for the loser.
				return Errorf(DuplicateError, "A customer with the given email already has an account. Log in instead")
			}
			return err
		}
		return emit(ctx, tx, "customer.created", c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// newCustomer is the customer CreateCustomer inserts for an email no customer has.
func newCustomer(email string, hash *string, in CreateCustomerInput) *model.Customer {
	return &model.Customer{
		ID:           NewID("cus"),
		Email:        email,
		FirstName:    &in.FirstName,
		LastName:     &in.LastName,
		Phone:        in.Phone,
		PasswordHash: hash,
		HasAccount:   hash != nil,
		Metadata:     in.Metadata,
	}
}

// errCustomerEmailTaken says insertCustomer found the email taken (and wrote nothing).
var errCustomerEmailTaken = errors.New("customer email taken")

// insertCustomer is CreateCustomer for an email no customer has (the usual case), in one round
// trip: the insert and customer.created in one script (one transaction), every column written
// from here so that nothing needs to be read back. When the email is taken (customer's unique
// index on email: a customer with an account, a guest, or a deleted customer) the script fails
// and changes nothing, and it returns errCustomerEmailTaken: CreateCustomer then takes its
// locking transaction, which finds the customer and applies Medusa's rules.
func (s *Store) insertCustomer(ctx context.Context, email string, hash *string, in CreateCustomerInput) (*model.Customer, error) {
	c := newCustomer(email, hash, in)
	c.CreatedAt = model.Now()
	c.UpdatedAt = c.CreatedAt
	var sc script
	sc.add(s.DB.NewInsert().Model(c))
	ev, err := emitAllQuery(s.DB, []event{{"customer.created", c}})
	if err != nil {
		return nil, err
	}
	sc.add(ev)
	if err := sc.exec(ctx, s.DB, "insert customer"); err != nil {
		var pg *pgconn.PgError
		if errors.As(err, &pg) && pg.Code == "23505" && pg.TableName == "customer" {
			return nil, errCustomerEmailTaken
		}
		return nil, err
	}
	return c, nil
}

// UpdateCustomerInput is Medusa's AdminPostCustomersCustomerReq. Nil fields are left as they
// are; FirstName, LastName and Phone are nullable: a pointer to nil clears them. Groups, when
// not nil, replaces the customer's group memberships.
type UpdateCustomerInput struct {
	Email     *string
	FirstName **string
	LastName  **string
	Password  *string
	Phone     **string
	Metadata  map[string]any
	Groups    []string
}

// lockCustomer reads a live customer FOR UPDATE.
func lockCustomer(ctx context.Context, tx bun.Tx, id string) (*model.Customer, error) {
	c := new(model.Customer)
	err := tx.NewSelect().Model(c).Where("customer.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, customerNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("lock customer %s: %w", id, err)
	}
	return c, nil
}

// UpdateCustomer changes a customer with Medusa's rules and emits customer.updated; it returns
// the customer with the relations in expand (CustomerRelations when empty). The email of a
// customer with an account cannot change. Unlike Medusa, a new email is lower-cased as on
// create (Medusa stores it as given, and then its own lower-casing look-ups miss the customer).
func (s *Store) UpdateCustomer(ctx context.Context, id string, in UpdateCustomerInput, expand []string) (*model.Customer, error) {
	var v Violations
	if in.Email != nil {
		validateCustomerEmail(&v, *in.Email)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.CheckCustomerExpand(expand); err != nil {
		return nil, err
	}
	var hash *string
	if in.Password != nil && *in.Password != "" {
		h, err := s.Passwords.Hash(ctx, *in.Password)
		if err != nil {
			return nil, fmt.Errorf("hash password: %w", err)
		}
		hash = &h
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := lockCustomer(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.Email != nil && c.HasAccount {
			return Invalidf("Email cannot be changed when the user has registered their account")
		}
		var cols []string
		setStr := func(col string, dst **string, val **string) {
			if val == nil || equalStrPtr(*dst, *val) {
				return
			}
			*dst = *val
			cols = append(cols, col)
		}
		if in.Email != nil {
			email := strings.ToLower(*in.Email)
			if email != c.Email {
				taken, err := tx.NewSelect().Model((*model.Customer)(nil)).WhereAllWithDeleted().
					Where("email = ? AND id <> ?", email, c.ID).Exists(ctx)
				if err != nil {
					return fmt.Errorf("check customer email: %w", err)
				}
				if taken {
					return Errorf(DuplicateError, "Customer with email %s already exists.", email)
				}
				c.Email = email
				cols = append(cols, "email")
			}
		}
		setStr("first_name", &c.FirstName, in.FirstName)
		setStr("last_name", &c.LastName, in.LastName)
		setStr("phone", &c.Phone, in.Phone)
		if hash != nil {
			c.PasswordHash = hash
			cols = append(cols, "password_hash")
		}
		if in.Metadata != nil {
			c.Metadata = mergeMetadata(c.Metadata, in.Metadata)
			cols = append(cols, "metadata")
		}
		if len(cols) > 0 {
			// Like TypeORM, touch updated_at only when a column changed.
			c.UpdatedAt = model.Now()
			if _, err := tx.NewUpdate().Model(c).Column(append(cols, "updated_at")...).WherePK().Exec(ctx); err != nil {
				return dbError(err, "update customer")
			}
		}
		if in.Groups != nil {
			if err := setCustomerGroups(ctx, tx, c.ID, in.Groups); err != nil {
				return err
			}
		}
		return emit(ctx, tx, "customer.updated", c)
	})
	if err != nil {
		return nil, err
	}
	return s.GetCustomer(ctx, id, expand)
}

func equalStrPtr(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// setCustomerGroups makes groups exactly the customer's group memberships. Every group must
// exist; the first that does not is Medusa's not_found error and nothing changes.
func setCustomerGroups(ctx context.Context, tx bun.Tx, customerID string, groups []string) error {
	ids := dedupe(groups)
	if len(ids) > 0 {
		var found []string
		if err := tx.NewSelect().Model((*model.CustomerGroup)(nil)).Column("id").Where("id IN (?)", bun.In(ids)).
			For("SHARE").Scan(ctx, &found); err != nil {
			return fmt.Errorf("find customer groups: %w", err)
		}
		have := make(map[string]bool, len(found))
		for _, id := range found {
			have[id] = true
		}
		for _, id := range ids {
			if !have[id] {
				return NotFoundf("Customer_group with customer_group_id %s does not exist.", id)
			}
		}
	}
	if _, err := tx.NewDelete().Model((*model.CustomerGroupCustomer)(nil)).Where("customer_id = ?", customerID).
		Where("customer_group_id NOT IN (?)", bun.In(nonEmpty(ids))).Exec(ctx); err != nil {
		return fmt.Errorf("remove customer groups: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	links := make([]*model.CustomerGroupCustomer, len(ids))
	for i, g := range ids {
		links[i] = &model.CustomerGroupCustomer{CustomerGroupID: g, CustomerID: customerID}
	}
	if _, err := tx.NewInsert().Model(&links).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return dbError(err, "add customer groups")
	}
	return nil
}

// dedupe returns ids without repeats, in their first order.
func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
