package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// GiftCardRelations are the relations Medusa's admin gift card routes load
// (defaultAdminGiftCardRelations); the region comes with its providers, which Medusa's Region
// entity loads eagerly.
var GiftCardRelations = []string{"region", "order"}

// giftCardNotFound is Medusa's message for a missing gift card, word for word (its service
// formats the selector oddly: "Gift card with id,gift_x: 0 was not found").
func giftCardNotFound(id string) *Error {
	return NotFoundf("Gift card with id,%s: 0 was not found", id)
}

// giftCardCodeAlphabet is randomatic's "A0": upper-case letters and digits.
const giftCardCodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// GenerateGiftCardCode returns a code in Medusa's format: four groups of four upper-case letters
// and digits joined by dashes (XXXX-XXXX-XXXX-XXXX), from a cryptographic source.
func GenerateGiftCardCode() (string, error) {
	var b strings.Builder
	max := big.NewInt(int64(len(giftCardCodeAlphabet)))
	for i := 0; i < 16; i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", fmt.Errorf("generate gift card code: %w", err)
		}
		b.WriteByte(giftCardCodeAlphabet[n.Int64()])
	}
	return b.String(), nil
}

// ListGiftCards lists live gift cards with their region and order. q matches the code
// (ILIKE %q%) or the display id of the order that bought the card. The page holds the newest
// cards (Medusa's created_at DESC) but lists them oldest first, as Medusa returns them in
// practice (it merges the page with its relations in their insertion order). Unlike Medusa,
// which pages nothing when q is given, limit and offset always apply. The count is the total.
func (s *Store) ListGiftCards(ctx context.Context, q *string, p Page) ([]*model.GiftCard, int, error) {
	cards := []*model.GiftCard{}
	sq := s.DB.NewSelect().Model(&cards)
	if q != nil && *q != "" {
		sq = sq.WhereGroup(" AND ", func(sq *bun.SelectQuery) *bun.SelectQuery {
			return sq.Where("gift_card.code ILIKE ?", "%"+*q+"%").
				WhereOr(`EXISTS (SELECT 1 FROM "order" o WHERE o.id = gift_card.order_id AND o.display_id::varchar(255) ILIKE ?)`, *q)
		})
	}
	sq, err := s.applyWhere(sq, "giftCard", p.Where)
	if err != nil {
		return nil, 0, err
	}
	sq, paths, err := s.withTaxRelations(sq, (*model.GiftCard)(nil), GiftCardRelations)
	if err != nil {
		return nil, 0, err
	}
	n, err := s.listPage(ctx, sq, &cards, "gift_card", Page{Offset: p.Offset, Limit: p.Limit}, nil)
	if err != nil {
		return nil, 0, err
	}
	sort.SliceStable(cards, func(i, j int) bool {
		if !cards[i].CreatedAt.Equal(cards[j].CreatedAt.Time) {
			return cards[i].CreatedAt.Before(cards[j].CreatedAt.Time)
		}
		return cards[i].ID < cards[j].ID
	})
	s.finishGiftCards(cards, paths)
	return cards, n, nil
}

// finishGiftCards normalises the loaded regions and orders; a region without providers has
// them as [] (Medusa's Region loads them eagerly).
func (s *Store) finishGiftCards(cards []*model.GiftCard, paths []string) {
	for _, c := range cards {
		FillRelations(s.DB, c, paths)
		fixLoadedRegion(c.Region)
		fixLoadedOrder(c.Order)
	}
}

// GetGiftCard returns a live gift card with its region and order.
func (s *Store) GetGiftCard(ctx context.Context, id string) (*model.GiftCard, error) {
	c := new(model.GiftCard)
	q, paths, err := s.withTaxRelations(s.DB.NewSelect().Model(c).Where("gift_card.id = ?", id), c, GiftCardRelations)
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, giftCardNotFound(id)
		}
		return nil, fmt.Errorf("get gift card %s: %w", id, err)
	}
	s.finishGiftCards([]*model.GiftCard{c}, paths)
	return c, nil
}

// CreateGiftCardInput is Medusa's AdminPostGiftCardsReq.
type CreateGiftCardInput struct {
	Value      int // minor units; also the initial balance
	RegionID   string
	EndsAt     *time.Time
	IsDisabled *bool
	Metadata   map[string]any
}

// CreateGiftCard creates a gift card with a generated code and its value as balance, in an
// existing region, and emits gift_card.created. Unlike Medusa, a negative value is refused: a
// balance is never negative.
func (s *Store) CreateGiftCard(ctx context.Context, in CreateGiftCardInput) (*model.GiftCard, error) {
	var v Violations
	v.Add(in.Value < 0, "value", "value must not be less than 0")
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := &model.GiftCard{
		ID:       NewID("gift"),
		Value:    in.Value,
		Balance:  in.Value,
		RegionID: in.RegionID,
		Metadata: in.Metadata,
	}
	if in.IsDisabled != nil {
		c.IsDisabled = *in.IsDisabled
	}
	if in.EndsAt != nil {
		c.EndsAt = &model.Time{Time: in.EndsAt.UTC()}
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// FOR SHARE: the region cannot be deleted before the card is in.
		ok, err := tx.NewSelect().Model((*model.Region)(nil)).Where("id = ?", in.RegionID).For("SHARE").Exists(ctx)
		if err != nil {
			return fmt.Errorf("find region: %w", err)
		}
		if !ok {
			return regionNotFound(in.RegionID)
		}
		// A code collision (1 in 36^16) takes another code rather than failing the request.
		for attempt := 0; ; attempt++ {
			if c.Code, err = GenerateGiftCardCode(); err != nil {
				return err
			}
			res, err := tx.NewInsert().Model(c).On("CONFLICT (code) DO NOTHING").Returning("*").Exec(ctx)
			if err != nil {
				return dbError(err, "insert gift card")
			}
			if n, _ := res.RowsAffected(); n == 1 {
				break
			}
			if attempt == 5 {
				return fmt.Errorf("insert gift card: no free code after %d attempts", attempt+1)
			}
		}
		return emit(ctx, tx, "gift_card.created", map[string]any{"id": c.ID})
	})
	if err != nil {
		return nil, err
	}
	return s.GetGiftCard(ctx, c.ID)
}

// UpdateGiftCardInput is Medusa's AdminPostGiftCardsGiftCardReq. Nil fields are left as they
// are; EndsAt is nullable: a pointer to nil clears it.
type UpdateGiftCardInput struct {
	Balance    *int
	IsDisabled *bool
	EndsAt     **time.Time
	RegionID   *string
	Metadata   map[string]any
}

// UpdateGiftCard changes a gift card with Medusa's rules: a new region must exist, metadata is
// merged, the balance stays between 0 and the card's value.
func (s *Store) UpdateGiftCard(ctx context.Context, id string, in UpdateGiftCardInput) (*model.GiftCard, error) {
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c := new(model.GiftCard)
		err := tx.NewSelect().Model(c).Where("gift_card.id = ?", id).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return giftCardNotFound(id)
		}
		if err != nil {
			return fmt.Errorf("lock gift card %s: %w", id, err)
		}
		var cols []string
		if in.RegionID != nil && *in.RegionID != "" && *in.RegionID != c.RegionID {
			ok, err := tx.NewSelect().Model((*model.Region)(nil)).Where("id = ?", *in.RegionID).For("SHARE").Exists(ctx)
			if err != nil {
				return fmt.Errorf("find region: %w", err)
			}
			if !ok {
				return regionNotFound(*in.RegionID)
			}
			c.RegionID = *in.RegionID
			cols = append(cols, "region_id")
		}
		if in.Metadata != nil {
			c.Metadata = mergeMetadata(c.Metadata, in.Metadata)
			cols = append(cols, "metadata")
		}
		if in.Balance != nil {
			// Medusa's check and words, answered as a 400 (Medusa: a 500 invalid_argument).
			if *in.Balance < 0 || *in.Balance > c.Value {
				return Invalidf("new balance is invalid")
			}
			if *in.Balance != c.Balance {
				c.Balance = *in.Balance
				cols = append(cols, "balance")
			}
		}
		if in.IsDisabled != nil && *in.IsDisabled != c.IsDisabled {
			c.IsDisabled = *in.IsDisabled
			cols = append(cols, "is_disabled")
		}
		if in.EndsAt != nil {
			var ends *model.Time
			if *in.EndsAt != nil {
				ends = &model.Time{Time: (*in.EndsAt).UTC()}
			}
			if !equalTimePtr(c.EndsAt, ends) {
				c.EndsAt = ends
				cols = append(cols, "ends_at")
			}
		}
		if len(cols) == 0 {
			return nil
		}
		// Like TypeORM, touch updated_at only when a column changed.
		c.UpdatedAt = model.Now()
		if _, err := tx.NewUpdate().Model(c).Column(append(cols, "updated_at")...).WherePK().Exec(ctx); err != nil {
			return dbError(err, "update gift card")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.GetGiftCard(ctx, id)
}

func equalTimePtr(a, b *model.Time) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(b.Time))
}

// DeleteGiftCard soft-deletes a gift card; a missing one is no error (Medusa: delete is
// idempotent).
func (s *Store) DeleteGiftCard(ctx context.Context, id string) error {
	if _, err := s.DB.NewDelete().Model((*model.GiftCard)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("delete gift card: %w", err)
	}
	return nil
}
