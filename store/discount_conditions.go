package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// DiscountConditionFields are the columns Medusa's condition route returns when `fields` is not
// given (defaultAdminDiscountConditionFields), and DiscountConditionRelations its relations.
var (
	DiscountConditionFields    = []string{"id", "type", "operator", "discount_rule_id", "created_at", "updated_at"}
	DiscountConditionRelations = []string{"discount_rule"}
)

// DiscountConditionInput is Medusa's AdminUpsertCondition: a condition to create (no ID) or to
// update (ID), with the ids of one kind of resource (exactly one list is expected non-empty).
type DiscountConditionInput struct {
	ID                 *string
	Operator           *string
	Products           []string
	ProductCollections []string
	ProductTypes       []string
	ProductTags        []string
	CustomerGroups     []string
}

// conditionKind describes one type of condition: its join table and the table it points to.
type conditionKind struct {
	typ, join, col, table string
	notFound              func(id string) *Error // the error of the service Medusa would ask
}

// conditionKinds in the order Medusa resolves a condition's type.
var conditionKinds = []conditionKind{
	{"products", "discount_condition_product", "product_id", "product",
		func(id string) *Error { return NotFoundf("Product with id: %s was not found", id) }},
	{"product_collections", "discount_condition_product_collection", "product_collection_id", "product_collection",
		func(id string) *Error { return NotFoundf("Product collection with id: %s was not found", id) }},
	{"product_types", "discount_condition_product_type", "product_type_id", "product_type",
		// Medusa's product type service words it as a product's.
		func(id string) *Error { return NotFoundf("Product with id: %s was not found", id) }},
	{"product_tags", "discount_condition_product_tag", "product_tag_id", "product_tag",
		func(id string) *Error { return NotFoundf("Product tag with id: %s was not found", id) }},
	{"customer_groups", "discount_condition_customer_group", "customer_group_id", "customer_group",
		func(id string) *Error { return NotFoundf("CustomerGroup with id %s was not found", id) }},
}

// resolve is Medusa's resolveConditionType_: the first non-empty list decides the type.
func (in DiscountConditionInput) resolve() (*conditionKind, []string) {
	for i, ids := range [][]string{in.Products, in.ProductCollections, in.ProductTypes, in.ProductTags, in.CustomerGroups} {
		if len(ids) > 0 {
			return &conditionKinds[i], ids
		}
	}
	return nil, nil
}

func conditionNotFound(id string) *Error {
	return NotFoundf("DiscountCondition with id %s was not found", id)
}

func conditionNotOfDiscount(conditionID, discountID string) *Error {
	return NotFoundf("Condition with id %s does not belong to Discount with id %s", conditionID, discountID)
}

// conditionWriteError words a clash with the one-condition-per-type-and-operator rule (dctypeuniq)
// as Medusa does.
func conditionWriteError(err error, operator, typ, what string) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" && pg.TableName == "discount_condition" {
		return &Error{Type: DuplicateError, err: err,
			Message: fmt.Sprintf("Discount Condition with operator '%s' and type '%s' already exist on a Discount Rule", operator, typ)}
	}
	return dbError(err, what)
}

// upsertCondition is Medusa's upsertCondition on the rule of discount d: without an ID it creates a
// condition, with one it changes the operator (if given) and replaces the condition's resources.
// Every id must name a row (deleted or not, as the foreign keys require); the first that does not
// is Medusa's not_found error, and the caller's transaction changes nothing.
func upsertCondition(ctx context.Context, tx bun.Tx, d *model.Discount, ruleID string, in DiscountConditionInput) error {
	kind, ids := in.resolve()
	if kind == nil {
		return Invalidf("Missing one of products, collections, tags, types or customer groups in data")
	}
	if in.Operator != nil && !discountInList(DiscountConditionOps, *in.Operator) {
		// Medusa lets the database refuse it (a 500).
		return Invalidf("operator must be a valid enum value")
	}
	var c *model.DiscountCondition
	if in.ID != nil {
		c = new(model.DiscountCondition)
		err := tx.NewSelect().Model(c).Where("discount_condition.id = ?", *in.ID).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return conditionNotFound(*in.ID)
		}
		if err != nil {
			return fmt.Errorf("get discount condition %s: %w", *in.ID, err)
		}
		// Medusa updates any condition by id, and adds resources of another type to it; Gorgon
		// keeps to the discount's conditions and their type.
		if c.DiscountRuleID != ruleID {
			return conditionNotOfDiscount(c.ID, d.ID)
		}
		if c.Type != kind.typ {
			return Invalidf("Condition with id %s is of type %s, not %s", c.ID, c.Type, kind.typ)
		}
		if in.Operator != nil && *in.Operator != c.Operator {
			c.Operator, c.UpdatedAt = *in.Operator, model.Now()
			if _, err := tx.NewUpdate().Model(c).Column("operator", "updated_at").WherePK().Exec(ctx); err != nil {
				return conditionWriteError(err, c.Operator, c.Type, "update discount condition")
			}
		}
	} else {
		if in.Operator == nil {
			// Medusa lets the database refuse the missing operator (a 500).
			return Invalidf("operator must be a string")
		}
		c = &model.DiscountCondition{ID: NewID("discon"), Type: kind.typ, Operator: *in.Operator, DiscountRuleID: ruleID}
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return conditionWriteError(err, c.Operator, c.Type, "insert discount condition")
		}
	}
	return setConditionResources(ctx, tx, c.ID, *kind, ids, in.ID != nil)
}

// setConditionResources links the rows with ids to the condition in the order given (replace:
// and unlinks every other row), after checking that each exists; the rows are locked (FOR KEY
// SHARE) so that they cannot disappear before the links are written.
func setConditionResources(ctx context.Context, tx bun.Tx, conditionID string, k conditionKind, ids []string, replace bool) error {
	var found []string
	if err := tx.NewRaw(fmt.Sprintf(`SELECT id FROM %s WHERE id IN (?) FOR KEY SHARE`, k.table), bun.In(ids)).
		Scan(ctx, &found); err != nil {
		return fmt.Errorf("check %s: %w", k.table, err)
	}
	have := make(map[string]bool, len(found))
	for _, f := range found {
		have[f] = true
	}
	for _, id := range ids {
		if !have[id] {
			return k.notFound(id)
		}
	}
	if _, err := tx.NewRaw(fmt.Sprintf(`INSERT INTO %s (condition_id, %s)
		SELECT ?, u.x FROM unnest(?::text[]) WITH ORDINALITY AS u(x, n) ORDER BY u.n ON CONFLICT DO NOTHING`, k.join, k.col),
		conditionID, pgdialect.Array(ids)).Exec(ctx); err != nil {
		return dbError(err, "link "+k.join)
	}
	if replace {
		if _, err := tx.NewRaw(fmt.Sprintf(`DELETE FROM %s WHERE condition_id = ? AND %s <> ALL(?::text[])`, k.join, k.col),
			conditionID, pgdialect.Array(ids)).Exec(ctx); err != nil {
			return fmt.Errorf("unlink %s: %w", k.join, err)
		}
	}
	return nil
}

// CreateDiscountCondition adds a condition to a discount's rule and returns the discount as find
// asks.
func (s *Store) CreateDiscountCondition(ctx context.Context, discountID string, in DiscountConditionInput, find Find) (*model.Discount, error) {
	if err := s.checkDiscountFind(find); err != nil {
		return nil, err
	}
	in.ID = nil
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d, err := lockDiscount(ctx, tx, discountID)
		if err != nil {
			return err
		}
		rule, err := discountRule(ctx, tx, d)
		if err != nil {
			return err
		}
		return upsertCondition(ctx, tx, d, rule.ID, in)
	})
	if err != nil {
		return nil, err
	}
	return s.GetDiscount(ctx, discountID, find)
}

// UpdateDiscountCondition replaces the resources of a discount's condition and returns the
// discount as find asks. As in Medusa, a missing condition is reported before a missing discount.
func (s *Store) UpdateDiscountCondition(ctx context.Context, discountID, conditionID string, in DiscountConditionInput, find Find) (*model.Discount, error) {
	if err := s.checkDiscountFind(find); err != nil {
		return nil, err
	}
	in.ID = &conditionID
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if ok, err := tx.NewSelect().Model((*model.DiscountCondition)(nil)).Where("id = ?", conditionID).Exists(ctx); err != nil {
			return fmt.Errorf("find discount condition: %w", err)
		} else if !ok {
			return conditionNotFound(conditionID)
		}
		d, err := lockDiscount(ctx, tx, discountID)
		if err != nil {
			return err
		}
		rule, err := discountRule(ctx, tx, d)
		if err != nil {
			return err
		}
		return upsertCondition(ctx, tx, d, rule.ID, in)
	})
	if err != nil {
		return nil, err
	}
	return s.GetDiscount(ctx, discountID, find)
}

// DeleteDiscountCondition deletes a discount's condition (and its links) and returns the discount
// as find asks. A missing condition is no error and returns no discount, as in Medusa.
func (s *Store) DeleteDiscountCondition(ctx context.Context, discountID, conditionID string, find Find) (*model.Discount, error) {
	if err := s.checkDiscountFind(find); err != nil {
		return nil, err
	}
	gone := false
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c := new(model.DiscountCondition)
		err := tx.NewSelect().Model(c).Where("discount_condition.id = ?", conditionID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			gone = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("get discount condition %s: %w", conditionID, err)
		}
		d, err := lockDiscount(ctx, tx, discountID)
		if err != nil {
			return err
		}
		if d.RuleID == nil || *d.RuleID != c.DiscountRuleID {
			return conditionNotOfDiscount(conditionID, discountID)
		}
		// Medusa removes the row; its links cascade.
		if _, err := tx.NewDelete().Model(c).WherePK().ForceDelete().Exec(ctx); err != nil {
			return fmt.Errorf("delete discount condition: %w", err)
		}
		return nil
	})
	if err != nil || gone {
		return nil, err
	}
	return s.GetDiscount(ctx, discountID, find)
}

// GetDiscountCondition returns a condition of a discount with find's columns checked and its
// relations (default DiscountConditionRelations) loaded.
func (s *Store) GetDiscountCondition(ctx context.Context, discountID, conditionID string, find Find) (*model.DiscountCondition, error) {
	if err := s.checkModelFields((*model.DiscountCondition)(nil), find.Fields); err != nil {
		return nil, err
	}
	paths := find.Expand
	if len(paths) == 0 {
		paths = DiscountConditionRelations
	}
	if _, err := Relations(s.DB, (*model.DiscountCondition)(nil), paths); err != nil {
		return nil, err
	}
	d := new(model.Discount)
	err := s.DB.NewSelect().Model(d).Column("id", "rule_id").Where("discount.id = ?", discountID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, discountNotFound(discountID)
	}
	if err != nil {
		return nil, fmt.Errorf("get discount %s: %w", discountID, err)
	}
	c := new(model.DiscountCondition)
	q, paths, err := s.withTaxRelations(s.DB.NewSelect().Model(c).Where("discount_condition.id = ?", conditionID),
		c, withPrefixes(paths))
	if err != nil {
		return nil, err
	}
	if d.RuleID != nil {
		q = q.Where("discount_condition.discount_rule_id = ?", *d.RuleID)
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, conditionNotOfDiscount(conditionID, discountID)
		}
		return nil, fmt.Errorf("get discount condition %s: %w", conditionID, err)
	}
	FillRelations(s.DB, c, paths)
	return c, nil
}
