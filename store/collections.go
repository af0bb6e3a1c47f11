package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// CollectionRelations are the relations Medusa's admin collection list and get load
// (defaultAdminCollectionsRelations).
var CollectionRelations = []string{"products"}

// CollectionFilter is the selector of Medusa's GET /admin/collections.
type CollectionFilter struct {
	// Q matches title or handle (ILIKE %q%, pattern characters included, as Medusa) and replaces
	// the Title and Handle filters.
	Q         *string
	Title     *string
	Handle    *string
	CreatedAt *TimeRange
	UpdatedAt *TimeRange
	// DeletedAt filters on deletion time and lists deleted collections too (Medusa's withDeleted).
	DeletedAt *TimeRange
}

// ListCollections returns a page of collections (created_at DESC) with p.Expand or their products.
func (s *Store) ListCollections(ctx context.Context, f CollectionFilter, p Page) ([]*model.ProductCollection, int, error) {
	cols := []*model.ProductCollection{}
	q := s.DB.NewSelect().Model(&cols)
	if f.Q != nil && *f.Q != "" {
		like := "%" + *f.Q + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("product_collection.title ILIKE ?", like).WhereOr("product_collection.handle ILIKE ?", like)
		})
	} else {
		if f.Title != nil {
			q = q.Where("product_collection.title = ?", *f.Title)
		}
		if f.Handle != nil {
			q = q.Where("product_collection.handle = ?", *f.Handle)
		}
	}
	q = f.CreatedAt.apply(q, "product_collection.created_at")
	q = f.UpdatedAt.apply(q, "product_collection.updated_at")
	if f.DeletedAt != nil {
		q = f.DeletedAt.apply(q.WhereAllWithDeleted(), "product_collection.deleted_at")
	}
	n, err := s.listOrdered(ctx, q, &cols, "product_collection", p, CollectionRelations)
	if err != nil {
		return nil, 0, err
	}
	return cols, n, nil
}

// withOrderedRelations loads Medusa relation paths on q, each to-many relation in its order
// (relationOrders).
func (s *Store) withOrderedRelations(q *bun.SelectQuery, model any, rels []string) (*bun.SelectQuery, error) {
	return withRelations(s.DB, q, model, rels)
}

// listOrdered is listPage with withOrderedRelations: p.Expand or defaults loaded one query per
// relation, p.Order (or created_at DESC), paging, and the total.
func (s *Store) listOrdered(ctx context.Context, q *bun.SelectQuery, dest any, alias string, p Page, defaults []string) (int, error) {
	rels := p.Expand
	if len(rels) == 0 {
		rels = defaults
	}
	elem := reflect.New(reflect.TypeOf(dest).Elem().Elem().Elem()).Interface()
	q, err := s.withOrderedRelations(q, elem, rels)
	if err != nil {
		return 0, err
	}
	if p.Order != "" {
		col := strings.TrimPrefix(p.Order, "-")
		if _, ok := s.DB.Table(reflect.TypeOf(elem)).FieldMap[col]; !ok {
			return 0, Invalidf("Order field %s is not valid", col)
		}
	}
	if q, err = order(q, alias, p.Order); err != nil {
		return 0, err
	}
	if p.Limit < 0 || p.Offset < 0 {
		return 0, Invalidf("limit and offset must not be negative")
	}
	n, err := q.Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return 0, dbError(err, "list "+alias)
	}
	FillRelations(s.DB, dest, rels)
	return int(n), nil
}

// GetCollection returns a live collection with the given relations (nil: none).
func (s *Store) GetCollection(ctx context.Context, id string, rels []string) (*model.ProductCollection, error) {
	return s.getCollection(ctx, s.DB, id, rels, false)
}

func (s *Store) getCollection(ctx context.Context, db bun.IDB, id string, rels []string, forUpdate bool) (*model.ProductCollection, error) {
	c := new(model.ProductCollection)
	q, err := s.withOrderedRelations(db.NewSelect().Model(c).Where("product_collection.id = ?", id), c, rels)
	if err != nil {
		return nil, err
	}
	if forUpdate {
		q = q.For("UPDATE OF product_collection")
	}
	err = q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Product collection with id: %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get collection %s: %w", id, err)
	}
	FillRelations(s.DB, c, rels)
	return c, nil
}

// CreateCollectionInput is Medusa's AdminPostCollectionsReq.
type CreateCollectionInput struct {
	Title    string
	Handle   *string // empty or nil: the title in kebab case, as Medusa's model does
	Metadata map[string]any
}

// CreateCollection adds a collection. A handle another live collection has is a duplicate_error.
func (s *Store) CreateCollection(ctx context.Context, in CreateCollectionInput) (*model.ProductCollection, error) {
	var v Violations
	v.Add(in.Title == "", "title", "title should not be empty")
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := &model.ProductCollection{ID: NewID("pcol"), Title: in.Title, Handle: in.Handle, Metadata: in.Metadata}
	if c.Handle == nil || *c.Handle == "" {
		h := ProductHandle(in.Title)
		c.Handle = &h
	}
	if _, err := s.DB.NewInsert().Model(c).Returning("*").Exec(ctx); err != nil {
		return nil, formatDBError(err, "insert collection")
	}
	return c, nil
}

// UpdateCollectionInput is Medusa's AdminPostCollectionsCollectionReq. Handle: nil leaves it,
// a nil *string sets NULL.
type UpdateCollectionInput struct {
	Title    *string
	Handle   **string
	Metadata map[string]any // merged into the existing metadata
}

// UpdateCollection changes a live collection; updated_at moves only when something changed, as
// with TypeORM's save.
func (s *Store) UpdateCollection(ctx context.Context, id string, in UpdateCollectionInput) (*model.ProductCollection, error) {
	var c *model.ProductCollection
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if c, err = s.getCollection(ctx, tx, id, nil, true); err != nil {
			return err
		}
		var cols []string
		if in.Title != nil && *in.Title != c.Title {
			c.Title, cols = *in.Title, append(cols, "title")
		}
		if in.Handle != nil && !catalogPtrEq(*in.Handle, c.Handle) {
			c.Handle, cols = *in.Handle, append(cols, "handle")
		}
		if in.Metadata != nil {
			if m := mergeMetadata(c.Metadata, in.Metadata); !reflect.DeepEqual(m, c.Metadata) {
				c.Metadata, cols = m, append(cols, "metadata")
			}
		}
		if len(cols) == 0 {
			return nil
		}
		c.UpdatedAt = model.Now()
		_, err = tx.NewUpdate().Model(c).Column(append(cols, "updated_at")...).WherePK().Exec(ctx)
		return formatDBError(err, "update collection")
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func catalogPtrEq[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// DeleteCollection soft-deletes a live collection (its products keep their collection_id, as in
// Medusa); a missing collection is not_found.
func (s *Store) DeleteCollection(ctx context.Context, id string) error {
	// TypeORM's softRemove sets updated_at along with deleted_at.
	res, err := s.DB.NewUpdate().Model((*model.ProductCollection)(nil)).
		Set("deleted_at = now()").Set("updated_at = now()").
		Where("id = ?", id).Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete collection: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return NotFoundf("Product collection with id: %s was not found", id)
	}
	return nil
}

// AddProductsToCollection moves the live products to the collection in one statement and returns
// the collection with its products. Ids of no live product are ignored, as in Medusa.
func (s *Store) AddProductsToCollection(ctx context.Context, id string, productIDs []string) (*model.ProductCollection, error) {
	var c *model.ProductCollection
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// The lock keeps the collection from being deleted while products move into it.
		if _, err := s.getCollection(ctx, tx, id, nil, true); err != nil {
			return err
		}
		if len(productIDs) > 0 {
			_, err := tx.NewUpdate().Model((*model.Product)(nil)).
				Set("collection_id = ?", id).Set("updated_at = now()").
				Where("id IN (?)", bun.In(productIDs)).Where("deleted_at IS NULL").Exec(ctx)
			if err != nil {
				return formatDBError(err, "add products to collection")
			}
		}
		var err error
		c, err = s.getCollection(ctx, tx, id, CollectionRelations, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// RemoveProductsFromCollection takes the products out of the collection; products not in it are
// left alone.
func (s *Store) RemoveProductsFromCollection(ctx context.Context, id string, productIDs []string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.getCollection(ctx, tx, id, nil, true); err != nil {
			return err
		}
		if len(productIDs) == 0 {
			return nil
		}
		_, err := tx.NewUpdate().Model((*model.Product)(nil)).
			Set("collection_id = NULL").Set("updated_at = now()").
			Where("id IN (?)", bun.In(productIDs)).Where("collection_id = ?", id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove products from collection: %w", err)
		}
		return nil
	})
}
