package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// ErrSalesChannelsDisabled is returned by every sales channel operation while the sales_channels
// feature (MEDUSA_FF_SALES_CHANNELS) is off: Medusa then has no such routes, and a database it
// migrated without the flag has no sales channel tables.
var ErrSalesChannelsDisabled = &Error{Type: NotFound, Message: "Sales channels are not enabled"}

// ErrProductsMissing marks the error of a batch naming products that do not exist, which
// Medusa's validateProductsExist middleware answers in its "multiple errors" form.
var ErrProductsMissing = errors.New("products do not exist")

func (s *Store) salesChannelsOn() error {
	if !s.Config.FeatureSalesChannels {
		return ErrSalesChannelsDisabled
	}
	return nil
}

// salesChannelNotFound is Medusa's message, whose selector formatting is garbled in 1.3.8
// ("Sales channel with id,sc_x: 0 was not found"); clients may match on it, so it is kept.
func salesChannelNotFound(id string) *Error {
	return NotFoundf("Sales channel with id,%s: 0 was not found", id)
}

// SalesChannelFilter is the selector of Medusa's GET /admin/sales-channels.
type SalesChannelFilter struct {
	ID *string
	// Q matches name or description (ILIKE %q%) and replaces the Name and Description filters.
	Q           *string
	Name        *string
	Description *string
	CreatedAt   *TimeRange
	UpdatedAt   *TimeRange
	DeletedAt   *TimeRange // lists deleted channels too
}

// ListSalesChannels returns a page of sales channels (created_at DESC unless p.Order).
func (s *Store) ListSalesChannels(ctx context.Context, f SalesChannelFilter, p Page) ([]*model.SalesChannel, int, error) {
	if err := s.salesChannelsOn(); err != nil {
		return nil, 0, err
	}
	chans := []*model.SalesChannel{}
	q := s.DB.NewSelect().Model(&chans)
	if f.ID != nil {
		q = q.Where("sales_channel.id = ?", *f.ID)
	}
	if f.Q != nil && *f.Q != "" {
		like := "%" + *f.Q + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("sales_channel.description ILIKE ?", like).WhereOr("sales_channel.name ILIKE ?", like)
		})
	} else {
		if f.Name != nil {
			q = q.Where("sales_channel.name = ?", *f.Name)
		}
		if f.Description != nil {
			q = q.Where("sales_channel.description = ?", *f.Description)
		}
	}
	q = f.CreatedAt.apply(q, "sales_channel.created_at")
	q = f.UpdatedAt.apply(q, "sales_channel.updated_at")
	if f.DeletedAt != nil {
		q = f.DeletedAt.apply(q.WhereAllWithDeleted(), "sales_channel.deleted_at")
	}
	q, err := s.applyWhere(q, "salesChannel", p.Where)
	if err != nil {
		return nil, 0, err
	}
	n, err := s.listOrdered(ctx, q, &chans, "sales_channel", p, nil)
	if err != nil {
		return nil, 0, err
	}
	return chans, n, nil
}

// GetSalesChannel returns a live sales channel.
func (s *Store) GetSalesChannel(ctx context.Context, id string) (*model.SalesChannel, error) {
	if err := s.salesChannelsOn(); err != nil {
		return nil, err
	}
	return getSalesChannel(ctx, s.DB, id, false)
}

func getSalesChannel(ctx context.Context, db bun.IDB, id string, forUpdate bool) (*model.SalesChannel, error) {
	sc := new(model.SalesChannel)
	q := db.NewSelect().Model(sc).Where("sales_channel.id = ?", id)
	if forUpdate {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, salesChannelNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get sales channel %s: %w", id, err)
	}
	return sc, nil
}

// CreateSalesChannelInput is Medusa's AdminPostSalesChannelsReq.
type CreateSalesChannelInput struct {
	Name        string
	Description *string
	IsDisabled  bool
}

// CreateSalesChannel adds a sales channel and emits sales_channel.created.
func (s *Store) CreateSalesChannel(ctx context.Context, in CreateSalesChannelInput) (*model.SalesChannel, error) {
	if err := s.salesChannelsOn(); err != nil {
		return nil, err
	}
	sc := &model.SalesChannel{ID: NewID("sc"), Name: in.Name, Description: in.Description, IsDisabled: in.IsDisabled}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(sc).Returning("*").Exec(ctx); err != nil {
			return formatDBError(err, "insert sales channel")
		}
		return emit(ctx, tx, "sales_channel.created", map[string]any{"id": sc.ID})
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// UpdateSalesChannelInput is Medusa's AdminPostSalesChannelsSalesChannelReq. Description: nil
// leaves it, a nil *string sets NULL.
type UpdateSalesChannelInput struct {
	Name        *string
	Description **string
	IsDisabled  *bool
}

// UpdateSalesChannel changes a live sales channel and emits sales_channel.updated; updated_at
// moves only when a value changed, as with TypeORM's save.
func (s *Store) UpdateSalesChannel(ctx context.Context, id string, in UpdateSalesChannelInput) (*model.SalesChannel, error) {
	if err := s.salesChannelsOn(); err != nil {
		return nil, err
	}
	var sc *model.SalesChannel
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if sc, err = getSalesChannel(ctx, tx, id, true); err != nil {
			return err
		}
		var cols []string
		if in.Name != nil && *in.Name != sc.Name {
			sc.Name, cols = *in.Name, append(cols, "name")
		}
		if in.Description != nil && !catalogPtrEq(*in.Description, sc.Description) {
			sc.Description, cols = *in.Description, append(cols, "description")
		}
		if in.IsDisabled != nil && *in.IsDisabled != sc.IsDisabled {
			sc.IsDisabled, cols = *in.IsDisabled, append(cols, "is_disabled")
		}
		if len(cols) > 0 {
			sc.UpdatedAt = model.Now()
			if _, err := tx.NewUpdate().Model(sc).Column(append(cols, "updated_at")...).WherePK().Exec(ctx); err != nil {
				return formatDBError(err, "update sales channel")
			}
		}
		return emit(ctx, tx, "sales_channel.updated", map[string]any{"id": sc.ID})
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// DeleteSalesChannel soft-deletes a sales channel and emits sales_channel.deleted. A missing one
// is not an error (as Medusa); the store's default channel cannot be deleted.
func (s *Store) DeleteSalesChannel(ctx context.Context, id string) error {
	if err := s.salesChannelsOn(); err != nil {
		return err
	}
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var isDefault bool
		err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM store WHERE default_sales_channel_id = ?)`, id).Scan(ctx, &isDefault)
		if err != nil {
			return fmt.Errorf("read default sales channel: %w", err)
		}
		// TypeORM's softRemove sets updated_at along with deleted_at.
		res, err := tx.NewUpdate().Model((*model.SalesChannel)(nil)).
			Set("deleted_at = now()").Set("updated_at = now()").
			Where("id = ?", id).Where("deleted_at IS NULL").Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete sales channel: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if isDefault {
			return Errorf(NotAllowed, "You cannot delete the default sales channel")
		}
		return emit(ctx, tx, "sales_channel.deleted", map[string]any{"id": id})
	})
}

// AddProductsToSalesChannel makes the products available in a live sales channel, in one
// statement (products already in it are skipped), and returns the channel. Every product must
// exist: otherwise nothing changes and the error wraps ErrProductsMissing.
func (s *Store) AddProductsToSalesChannel(ctx context.Context, id string, productIDs []string) (*model.SalesChannel, error) {
	if err := s.salesChannelsOn(); err != nil {
		return nil, err
	}
	var sc *model.SalesChannel
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// Medusa checks the products before anything else (a middleware).
		if len(productIDs) > 0 {
			var found []string
			err := tx.NewSelect().Model((*model.Product)(nil)).Column("id").
				Where("id IN (?)", bun.In(productIDs)).For("SHARE").Scan(ctx, &found)
			if err != nil {
				return fmt.Errorf("check products: %w", err)
			}
			have := make(map[string]bool, len(found))
			for _, f := range found {
				have[f] = true
			}
			var missing []string
			for _, p := range productIDs {
				if !have[p] {
					missing = append(missing, p)
				}
			}
			if len(missing) > 0 {
				return &Error{Type: InvalidData, Message: fmt.Sprintf("Products %s do not exist", strings.Join(missing, ", ")),
					Field: []string{"product_ids"}, err: ErrProductsMissing}
			}
		}
		var err error
		if sc, err = getSalesChannel(ctx, tx, id, true); err != nil {
			return err
		}
		if len(productIDs) == 0 {
			return nil
		}
		_, err = tx.NewRaw(`INSERT INTO product_sales_channel (sales_channel_id, product_id)
			SELECT ?, p FROM unnest(?::text[]) AS p ON CONFLICT DO NOTHING`, id, pgdialect.Array(productIDs)).Exec(ctx)
		return formatDBError(err, "add products to sales channel")
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// RemoveProductsFromSalesChannel takes the products out of a live sales channel and returns it.
func (s *Store) RemoveProductsFromSalesChannel(ctx context.Context, id string, productIDs []string) (*model.SalesChannel, error) {
	if err := s.salesChannelsOn(); err != nil {
		return nil, err
	}
	var sc *model.SalesChannel
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if sc, err = getSalesChannel(ctx, tx, id, true); err != nil {
			return err
		}
		if len(productIDs) == 0 {
			return nil
		}
		_, err = tx.NewDelete().TableExpr("product_sales_channel").
			Where("sales_channel_id = ?", id).Where("product_id IN (?)", bun.In(productIDs)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove products from sales channel: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}
