package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// returnReasonRelations loads what Medusa returns with every return reason: its live parent and
// its live children (the parent in the same statement, all children of a page in one more).
func returnReasonRelations(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Relation("ParentReturnReason").Relation("ReturnReasonChildren", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.OrderExpr(relationOrderOf("return_reason", "ReturnReasonChildren"))
	})
}

func returnReasonNotFound(id string) *Error {
	return NotFoundf("Return Reason with id: %s was not found.", id)
}

// ListReturnReasons returns every live top-level return reason with its children, oldest first;
// Medusa lists them without paging.
func (s *Store) ListReturnReasons(ctx context.Context) ([]*model.ReturnReason, error) {
	reasons := []*model.ReturnReason{}
	err := returnReasonRelations(s.DB.NewSelect().Model(&reasons)).
		Where("return_reason.parent_return_reason_id IS NULL").
		OrderExpr("return_reason.created_at ASC, return_reason.id ASC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list return reasons: %w", err)
	}
	FillRelations(s.DB, reasons, []string{"return_reason_children"})
	return reasons, nil
}

// GetReturnReason returns a live return reason with its parent and children.
func (s *Store) GetReturnReason(ctx context.Context, id string) (*model.ReturnReason, error) {
	rr := new(model.ReturnReason)
	err := returnReasonRelations(s.DB.NewSelect().Model(rr)).Where("return_reason.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, returnReasonNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get return reason %s: %w", id, err)
	}
	FillRelations(s.DB, rr, []string{"return_reason_children"})
	return rr, nil
}

// lockReturnReason reads a live return reason with the given row lock ("UPDATE", "SHARE").
func lockReturnReason(ctx context.Context, tx bun.Tx, id, lock string) (*model.ReturnReason, error) {
	rr := new(model.ReturnReason)
	err := tx.NewSelect().Model(rr).Where("return_reason.id = ?", id).For(lock).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, returnReasonNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("lock return reason %s: %w", id, err)
	}
	return rr, nil
}

// returnReasonWriteError words a clash on the unique value like Medusa's formatException does
// for duplicate keys. The index covers deleted reasons too, so their values stay taken.
func returnReasonWriteError(err error, value, what string) error {
	err = dbError(err, what)
	if e, ok := AsError(err); ok && e.Type == DuplicateError {
		e.Message = fmt.Sprintf("Return_reason with value %s already exists.", value)
	}
	return err
}

// CreateReturnReasonInput is Medusa's AdminPostReturnReasonsReq.
type CreateReturnReasonInput struct {
	Value                string
	Label                string
	ParentReturnReasonID *string
	Description          *string
	Metadata             map[string]any
}

// CreateReturnReason adds a return reason. A parent must be a live top-level reason: reasons nest
// one level only.
func (s *Store) CreateReturnReason(ctx context.Context, in CreateReturnReasonInput) (*model.ReturnReason, error) {
	rr := &model.ReturnReason{
		ID:                   NewID("rr"),
		Value:                in.Value,
		Label:                in.Label,
		Description:          in.Description,
		ParentReturnReasonID: in.ParentReturnReasonID,
		Metadata:             in.Metadata,
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if in.ParentReturnReasonID != nil {
			// Medusa skips the check for "" and then fails on the foreign key (500); "" is
			// simply a parent that does not exist.
			// FOR SHARE: the parent cannot be deleted until this child is committed.
			parent, err := lockReturnReason(ctx, tx, *in.ParentReturnReasonID, "SHARE")
			if err != nil {
				return err
			}
			if parent.ParentReturnReasonID != nil {
				return Invalidf("Doubly nested return reasons is not supported")
			}
		}
		if _, err := tx.NewInsert().Model(rr).Exec(ctx); err != nil {
			return returnReasonWriteError(err, rr.Value, "insert return reason")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.GetReturnReason(ctx, rr.ID)
}

// UpdateReturnReasonInput is Medusa's AdminPostReturnReasonsReasonReq. Nil Value and Label keep
// the current ones; Description and Metadata are replaced (nil clears them) when their Set flag is
// true. Metadata is replaced, not merged, as Medusa does for return reasons.
type UpdateReturnReasonInput struct {
	Label          *string
	Value          *string
	SetDescription bool
	Description    *string
	SetMetadata    bool
	Metadata       map[string]any
}

// UpdateReturnReason changes a live return reason.
func (s *Store) UpdateReturnReason(ctx context.Context, id string, in UpdateReturnReasonInput) (*model.ReturnReason, error) {
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		rr, err := lockReturnReason(ctx, tx, id, "UPDATE")
		if err != nil {
			return err
		}
		var cols []string
		if in.Label != nil {
			rr.Label, cols = *in.Label, append(cols, "label")
		}
		if in.Value != nil {
			rr.Value, cols = *in.Value, append(cols, "value")
		}
		if in.SetDescription {
			rr.Description, cols = in.Description, append(cols, "description")
		}
		if in.SetMetadata {
			rr.Metadata, cols = in.Metadata, append(cols, "metadata")
		}
		if len(cols) == 0 { // TypeORM's save writes nothing when nothing was given
			return nil
		}
		rr.UpdatedAt = model.Now()
		if _, err := tx.NewUpdate().Model(rr).Column(append(cols, "updated_at")...).WherePK().Exec(ctx); err != nil {
			return returnReasonWriteError(err, rr.Value, "update return reason")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.GetReturnReason(ctx, id)
}

// DeleteReturnReason soft-deletes a live return reason and its live children together, as
// Medusa's cascading softRemove does; a missing reason is not_found.
func (s *Store) DeleteReturnReason(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockReturnReason(ctx, tx, id, "UPDATE"); err != nil {
			return err
		}
		// TypeORM's softRemove sets updated_at along with deleted_at.
		_, err := tx.NewUpdate().Model((*model.ReturnReason)(nil)).
			Set("deleted_at = now()").Set("updated_at = now()").
			Where("id = ? OR parent_return_reason_id = ?", id, id).Where("deleted_at IS NULL").Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete return reason: %w", err)
		}
		return nil
	})
}

// ListReturnReasonsPage is ListReturnReasons for GraphQL connections: live top-level reasons
// oldest first with their total, without relations (GraphQL loads them in batches).
func (s *Store) ListReturnReasonsPage(ctx context.Context, p Page) ([]*model.ReturnReason, int, error) {
	reasons := []*model.ReturnReason{}
	q := s.DB.NewSelect().Model(&reasons).Where("return_reason.parent_return_reason_id IS NULL")
	q, err := s.applyWhere(q, "returnReason", p.Where)
	if err != nil {
		return nil, 0, err
	}
	if p.Limit == 0 { // bun's Limit(0) means no limit; a page of none only needs the total
		n, err := q.Count(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("count return reasons: %w", err)
		}
		return reasons, int(n), nil
	}
	n, err := q.OrderExpr("return_reason.created_at ASC, return_reason.id ASC").
		Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list return reasons: %w", err)
	}
	return reasons, int(n), nil
}

// ReturnReasonsByIDs returns the live return reasons with the given ids, by id, in one
// statement (for dataloaders); missing or deleted ids are absent.
func (s *Store) ReturnReasonsByIDs(ctx context.Context, ids []string) (map[string]*model.ReturnReason, error) {
	var reasons []*model.ReturnReason
	if err := s.DB.NewSelect().Model(&reasons).Where("return_reason.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("return reasons by ids: %w", err)
	}
	out := make(map[string]*model.ReturnReason, len(reasons))
	for _, rr := range reasons {
		out[rr.ID] = rr
	}
	return out, nil
}

// ReturnReasonChildrenByParentIDs returns the live children of each given reason (in the order
// GetReturnReason gives them), in one statement (for dataloaders). Every id gets an entry, empty when it has no children.
func (s *Store) ReturnReasonChildrenByParentIDs(ctx context.Context, parentIDs []string) (map[string][]*model.ReturnReason, error) {
	var reasons []*model.ReturnReason
	err := s.DB.NewSelect().Model(&reasons).Where("return_reason.parent_return_reason_id IN (?)", bun.In(parentIDs)).
		OrderExpr(relationOrderOf("return_reason", "ReturnReasonChildren")).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("return reason children: %w", err)
	}
	out := make(map[string][]*model.ReturnReason, len(parentIDs))
	for _, id := range parentIDs {
		out[id] = []*model.ReturnReason{}
	}
	for _, rr := range reasons {
		out[*rr.ParentReturnReasonID] = append(out[*rr.ParentReturnReasonID], rr)
	}
	return out, nil
}
