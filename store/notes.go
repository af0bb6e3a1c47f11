package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// noteRelations are the relations Medusa loads on every note it returns from a read.
var noteRelations = []string{"author"}

// NoteFilter is the selector of Medusa's GET /admin/notes.
type NoteFilter struct {
	ResourceID string // empty: every resource
}

// ListNotes returns a page of live notes with their author, oldest first (Medusa's unordered find
// returns them in insertion order). Medusa reports no total for notes, so no count is run.
func (s *Store) ListNotes(ctx context.Context, f NoteFilter, offset, limit int) ([]*model.Note, error) {
	if limit < 0 || offset < 0 {
		return nil, Invalidf("limit and offset must not be negative")
	}
	notes := []*model.Note{}
	q := s.DB.NewSelect().Model(&notes)
	if f.ResourceID != "" {
		q = q.Where("note.resource_id = ?", f.ResourceID)
	}
	q, err := withRelations(s.DB, q, (*model.Note)(nil), noteRelations)
	if err != nil {
		return nil, err
	}
	// Limit 0 means no limit, as TypeORM's take: 0.
	err = q.OrderExpr("note.created_at ASC, note.id ASC").Offset(int64(offset)).Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	return notes, nil
}

// GetNote returns a live note with its author.
func (s *Store) GetNote(ctx context.Context, id string) (*model.Note, error) {
	return getNote(ctx, s.DB, id, false)
}

// getNote reads a note with its author; forUpdate locks the note row (not the author's).
func getNote(ctx context.Context, db bun.IDB, id string, forUpdate bool) (*model.Note, error) {
	n := new(model.Note)
	q := db.NewSelect().Model(n).Relation("Author").Where("note.id = ?", id)
	if forUpdate {
		q = q.For("UPDATE OF note")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Note with id: %s was not found.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get note %s: %w", id, err)
	}
	return n, nil
}

// CreateNoteInput is Medusa's AdminPostNotesReq.
type CreateNoteInput struct {
	ResourceID   string
	ResourceType string
	Value        string
}

// CreateNote adds a note by the authenticated user (UserFrom(ctx)) and emits note.created. Like
// Medusa's, the note comes back without its author loaded.
func (s *Store) CreateNote(ctx context.Context, in CreateNoteInput) (*model.Note, error) {
	var v Violations
	v.Add(in.ResourceID == "", "resource_id", "resource_id should not be empty")
	v.Add(in.ResourceType == "", "resource_type", "resource_type should not be empty")
	v.Add(in.Value == "", "value", "value should not be empty")
	if err := v.Err(); err != nil {
		return nil, err
	}
	n := &model.Note{
		ID:           NewID("note"),
		Value:        in.Value,
		ResourceType: in.ResourceType,
		ResourceID:   in.ResourceID,
		Metadata:     map[string]any{}, // Medusa stores {} for a note's metadata
	}
	if u := UserFrom(ctx); u != nil {
		n.AuthorID = &u.ID
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(n).Returning("*").Exec(ctx); err != nil {
			return dbError(err, "insert note")
		}
		return emit(ctx, tx, "note.created", map[string]any{"id": n.ID})
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// UpdateNote sets a note's value (any string, even empty, as Medusa allows) and emits
// note.updated; the note is returned with its author.
func (s *Store) UpdateNote(ctx context.Context, id, value string) (*model.Note, error) {
	var n *model.Note
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if n, err = getNote(ctx, tx, id, true); err != nil {
			return err
		}
		n.Value = value
		n.UpdatedAt = model.Now()
		if _, err := tx.NewUpdate().Model(n).Column("value", "updated_at").WherePK().Exec(ctx); err != nil {
			return dbError(err, "update note")
		}
		return emit(ctx, tx, "note.updated", map[string]any{"id": n.ID})
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// DeleteNote soft-deletes a live note and emits note.deleted; a missing note is not_found, as in
// Medusa.
func (s *Store) DeleteNote(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// TypeORM's softRemove sets updated_at along with deleted_at.
		res, err := tx.NewUpdate().Model((*model.Note)(nil)).
			Set("deleted_at = now()").Set("updated_at = now()").
			Where("id = ?", id).Where("deleted_at IS NULL").Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete note: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFoundf("Note with id: %s was not found.", id)
		}
		return emit(ctx, tx, "note.deleted", map[string]any{"id": id})
	})
}

// ListNotesPage is ListNotes for GraphQL connections: live notes oldest first with their total,
// without the author (GraphQL loads authors in one batch per page).
func (s *Store) ListNotesPage(ctx context.Context, f NoteFilter, p Page) ([]*model.Note, int, error) {
	notes := []*model.Note{}
	q := s.DB.NewSelect().Model(&notes)
	if f.ResourceID != "" {
		q = q.Where("note.resource_id = ?", f.ResourceID)
	}
	q, err := s.applyWhere(q, "note", p.Where)
	if err != nil {
		return nil, 0, err
	}
	if p.Limit == 0 { // bun's Limit(0) means no limit; a page of none only needs the total
		n, err := q.Count(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("count notes: %w", err)
		}
		return notes, int(n), nil
	}
	n, err := q.OrderExpr("note.created_at ASC, note.id ASC").
		Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list notes: %w", err)
	}
	return notes, int(n), nil
}
