package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// ShippingProfileRelations are the relations Medusa's GET /admin/shipping-profiles/:id loads.
var ShippingProfileRelations = []string{"products", "shipping_options"}

// Shipping profile types (Medusa's ShippingProfileType).
const (
	ProfileDefault  = "default"
	ProfileGiftCard = "gift_card"
	ProfileCustom   = "custom"
)

// shippingProfileListLimit is the page Medusa's profile service lists by default (take: 10) and
// its admin list route never changes: clients see at most 10 profiles.
const shippingProfileListLimit = 10

func shippingProfileNotFound(id string) *Error {
	return NotFoundf("Profile with id: %s was not found", id)
}

// ListShippingProfiles is GET /admin/shipping-profiles: the first 10 live profiles (Medusa's
// service default page), oldest first, without relations.
func (s *Store) ListShippingProfiles(ctx context.Context) ([]*model.ShippingProfile, error) {
	out := []*model.ShippingProfile{}
	if err := s.DB.NewSelect().Model(&out).OrderExpr("shipping_profile.created_at ASC, shipping_profile.id ASC").
		Limit(shippingProfileListLimit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list shipping profiles: %w", err)
	}
	return out, nil
}

// GetShippingProfile returns a live profile with the given relations (nil: none); its products
// and shipping options are the live ones, oldest first.
func (s *Store) GetShippingProfile(ctx context.Context, id string, rels []string) (*model.ShippingProfile, error) {
	p := new(model.ShippingProfile)
	q, paths, err := s.withTaxRelations(s.DB.NewSelect().Model(p).Where("shipping_profile.id = ?", id), p, rels)
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, shippingProfileNotFound(id)
		}
		return nil, fmt.Errorf("get shipping profile %s: %w", id, err)
	}
	FillRelations(s.DB, p, paths)
	for _, o := range p.ShippingOptions {
		fixLoadedRegion(o.Region)
	}
	return p, nil
}

// getShippingProfile reads a live profile, FOR UPDATE when lock is set.
func getShippingProfile(ctx context.Context, db bun.IDB, id string, lock bool) (*model.ShippingProfile, error) {
	p := new(model.ShippingProfile)
	q := db.NewSelect().Model(p).Where("shipping_profile.id = ?", id)
	if lock {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shippingProfileNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get shipping profile %s: %w", id, err)
	}
	return p, nil
}

// CreateShippingProfileInput is Medusa's AdminPostShippingProfilesReq (a name only).
type CreateShippingProfileInput struct {
	Name     string
	Metadata map[string]any
}

// CreateShippingProfile adds a custom profile. Medusa 1.3.8's route takes no type and then fails
// on the NOT NULL column (every create is a 500); a profile created by an admin is a custom one,
// the default and gift card profiles existing from the first start.
func (s *Store) CreateShippingProfile(ctx context.Context, in CreateShippingProfileInput) (*model.ShippingProfile, error) {
	p := &model.ShippingProfile{ID: NewID("sp"), Name: in.Name, Type: ProfileCustom, Metadata: in.Metadata}
	if _, err := s.DB.NewInsert().Model(p).Returning("*").Exec(ctx); err != nil {
		return nil, dbError(err, "insert shipping profile")
	}
	return p, nil
}

// UpdateShippingProfileInput is Medusa's UpdateShippingProfile. Nil fields are left alone.
// Products and ShippingOptions, when non-nil, are moved into the profile (Medusa's service takes
// them; its REST route does not).
type UpdateShippingProfileInput struct {
	Name            *string
	Metadata        map[string]any // merged into the existing metadata
	Products        []string
	ShippingOptions []string
}

// UpdateShippingProfile changes a live profile and moves the products and shipping options into
// it, in one transaction: an id that names no live product or option is Medusa's not_found error
// and nothing changes. updated_at moves only when a column of the profile changed.
func (s *Store) UpdateShippingProfile(ctx context.Context, id string, in UpdateShippingProfileInput) (*model.ShippingProfile, error) {
	var p *model.ShippingProfile
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if p, err = getShippingProfile(ctx, tx, id, true); err != nil {
			return err
		}
		if err := moveToProfile(ctx, tx, p.ID, "product", in.Products, func(id string) *Error {
			return NotFoundf("Product with id: %s was not found", id)
		}); err != nil {
			return err
		}
		if err := moveToProfile(ctx, tx, p.ID, "shipping_option", in.ShippingOptions, shippingOptionNotFound); err != nil {
			return err
		}
		var cols []string
		if in.Metadata != nil {
			if m := mergeMetadata(p.Metadata, in.Metadata); !reflect.DeepEqual(m, p.Metadata) {
				p.Metadata, cols = m, append(cols, "metadata")
			}
		}
		if in.Name != nil && *in.Name != p.Name {
			p.Name, cols = *in.Name, append(cols, "name")
		}
		if len(cols) == 0 {
			return nil
		}
		p.UpdatedAt = model.Now()
		_, err = tx.NewUpdate().Model(p).Column(append(cols, "updated_at")...).WherePK().Exec(ctx)
		return dbError(err, "update shipping profile")
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// moveToProfile points the live rows of table with ids at the profile, in one statement, after
// checking that every id names one (the first that does not is notFound's error).
func moveToProfile(ctx context.Context, tx bun.Tx, profileID, table string, ids []string, notFound func(string) *Error) error {
	if len(ids) == 0 {
		return nil
	}
	var found []string
	if err := tx.NewRaw(fmt.Sprintf(`SELECT id FROM %s WHERE id IN (?) AND deleted_at IS NULL FOR UPDATE`, table), bun.In(ids)).
		Scan(ctx, &found); err != nil {
		return fmt.Errorf("check %s: %w", table, err)
	}
	have := make(map[string]bool, len(found))
	for _, f := range found {
		have[f] = true
	}
	for _, id := range ids {
		if !have[id] {
			return notFound(id)
		}
	}
	if _, err := tx.NewRaw(fmt.Sprintf(`UPDATE %s SET profile_id = ?, updated_at = now() WHERE id IN (?) AND profile_id <> ?`, table),
		profileID, bun.In(ids), profileID).Exec(ctx); err != nil {
		return fmt.Errorf("move %s to profile: %w", table, err)
	}
	return nil
}

// DeleteShippingProfile soft-deletes a profile; a missing one is no error, as in Medusa. The
// default and gift card profiles cannot be deleted: products are created in them (Medusa 1.3.8
// deletes them, and creating products then fails). Products and options of a deleted profile
// keep pointing at it, as in Medusa.
func (s *Store) DeleteShippingProfile(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := getShippingProfile(ctx, tx, id, true)
		if IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		switch p.Type {
		case ProfileDefault:
			return Errorf(NotAllowed, "The default shipping profile cannot be deleted")
		case ProfileGiftCard:
			return Errorf(NotAllowed, "The gift card shipping profile cannot be deleted")
		}
		// TypeORM's softRemove sets updated_at along with deleted_at.
		if _, err := tx.NewUpdate().Model((*model.ShippingProfile)(nil)).Set("deleted_at = now()").Set("updated_at = now()").
			Where("id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("delete shipping profile: %w", err)
		}
		return nil
	})
}

// ShippingProfileIDByType returns the id of the live profile of a type ("default", "gift_card").
func (s *Store) ShippingProfileIDByType(ctx context.Context, typ string) (string, error) {
	var id string
	err := s.DB.NewSelect().Model((*model.ShippingProfile)(nil)).Column("id").Where("type = ?", typ).
		OrderExpr("created_at").Limit(1).Scan(ctx, &id)
	if err != nil {
		return "", NotFoundf("Shipping profile of type %s was not found", typ)
	}
	return id, nil
}
