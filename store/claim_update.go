package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

// Updating a claim (Medusa 1.3.8's ClaimService.update and ClaimItemService.update).

// ClaimImageInput is an image of a claim item: an existing one by id, else a new one by url.
type ClaimImageInput struct {
	ID  *string
	URL *string
}

// ClaimTagInput is a tag of a claim item: an existing one by id, else one by value (trimmed
// and lower-cased; an existing tag of that value is reused).
type ClaimTagInput struct {
	ID    *string
	Value *string
}

// ClaimItemUpdate is one of the update route's claim_items: images and tags replace the
// item's (the route requires both).
type ClaimItemUpdate struct {
	ID       string
	Note     *string
	Reason   *string
	Metadata map[string]any
	Images   []ClaimImageInput
	Tags     []ClaimTagInput
}

// ClaimShippingMethodInput is a shipping method of a claim: an existing method by id, else a
// new one of an option, at the price given (the option's own price when nil).
type ClaimShippingMethodInput struct {
	ID       *string
	OptionID *string
	Price    *int
}

// UpdateClaimInput is AdminPostOrdersOrderClaimsClaimReq. A nil ShippingMethods leaves the
// claim's methods as they are; a non-nil one replaces them.
type UpdateClaimInput struct {
	ClaimItems      []ClaimItemUpdate
	ShippingMethods []ClaimShippingMethodInput
	NoNotification  *bool
	Metadata        map[string]any
}

// UpdateClaim updates a claim (ClaimService.update): not a canceled one; as in Medusa's route
// the claim is not checked to be the order's. metadata merges into the claim's; shipping
// methods replace the claim's (its methods are detached, those named by id attached, the others
// created); no_notification is set; each claim item named is updated (note and reason when not
// empty, metadata merged, tags and images replaced: images left out are deleted). A method
// detached from the claim that belongs to nothing else breaks Medusa's shipping_method check
// (a 500, nothing changed): Gorgon refuses it. Records claim_item.updated per item, then
// claim.updated.
func (s *Store) UpdateClaim(ctx context.Context, claimID string, in UpdateClaimInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := readClaim(ctx, tx, claimID)
		if err != nil {
			return err
		}
		if c.CanceledAt != nil {
			return Errorf(NotAllowed, "Canceled claim cannot be updated")
		}
		if in.Metadata != nil {
			c.Metadata = mergeMetadata(c.Metadata, in.Metadata)
			if _, err := tx.NewUpdate().Model(c).Column("metadata").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("update claim: %w", err)
			}
		}
		if in.ShippingMethods != nil {
			if err := s.replaceClaimShippingMethods(ctx, tx, c.ID, in.ShippingMethods); err != nil {
				return err
			}
		}
		if in.NoNotification != nil {
			c.NoNotification = in.NoNotification
			if _, err := tx.NewUpdate().Model(c).Column("no_notification").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("update claim: %w", err)
			}
		}
		for _, it := range in.ClaimItems {
			if it.ID == "" {
				continue
			}
			if err := updateClaimItem(ctx, tx, it); err != nil {
				return err
			}
		}
		return emit(ctx, tx, "claim.updated", map[string]any{"id": c.ID, "no_notification": notify(c.NoNotification)})
	})
}

// replaceClaimShippingMethods detaches a claim's shipping methods and attaches or creates the
// ones given, in request order.
func (s *Store) replaceClaimShippingMethods(ctx context.Context, tx bun.IDB, claimID string, methods []ClaimShippingMethodInput) error {
	var current []*model.ShippingMethod
	if err := tx.NewSelect().Model(&current).Where("shipping_method.claim_order_id = ?", claimID).
		OrderExpr("shipping_method.ctid").Scan(ctx); err != nil {
		return fmt.Errorf("update claim shipping methods: %w", err)
	}
	for _, m := range current {
		if m.OrderID == nil && m.CartID == nil && m.SwapID == nil && m.ReturnID == nil {
			return Errorf(NotAllowed, "The claim's shipping method %s belongs to nothing else and cannot be detached from it", m.ID)
		}
		if _, err := tx.NewUpdate().Model(m).Set("claim_order_id = NULL").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update claim shipping methods: %w", err)
		}
	}
	for _, in := range methods {
		if in.ID != nil && *in.ID != "" {
			// updateShippingMethod: an unknown method is skipped.
			if _, err := tx.NewUpdate().Model((*model.ShippingMethod)(nil)).Set("claim_order_id = ?", claimID).
				Where("id = ?", *in.ID).Exec(ctx); err != nil {
				return fmt.Errorf("update claim shipping methods: %w", err)
			}
			continue
		}
		if err := s.claimShippingMethod(ctx, tx, claimID, deref(in.OptionID), in.Price); err != nil {
			return err
		}
	}
	return nil
}

// claimShippingMethod creates a claim's shipping method of an option (createShippingMethod with
// claim_order_id): the data the option's provider validates, at the price given or the option's
// (its amount, or the provider's calculated price).
func (s *Store) claimShippingMethod(ctx context.Context, tx bun.IDB, claimID, optionID string, price *int) error {
	opt := new(model.ShippingOption)
	err := tx.NewSelect().Model(opt).Where("?TableAlias.id = ?", optionID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFoundf("Shipping Option with %s was not found", optionID)
	}
	if err != nil {
		return fmt.Errorf("claim shipping method: %w", err)
	}
	fp, err := s.registry().Fulfillment(opt.ProviderID)
	if err != nil {
		return providerError(err)
	}
	data, err := fp.ValidateFulfillmentData(ctx, opt.Data, provider.Data{}, nil)
	if err != nil {
		return fmt.Errorf("claim shipping method: %w", err)
	}
	amount := 0
	switch {
	case price != nil:
		amount = *price
	case opt.PriceType == "calculated":
		amount, err = fp.CalculatePrice(ctx, opt.Data, data, nil)
		if err != nil {
			return fmt.Errorf("claim shipping method: %w", err)
		}
	default:
		amount = deref(opt.Amount)
	}
	m := &model.ShippingMethod{ID: NewID("sm"), ShippingOptionID: opt.ID, ClaimOrderID: &claimID, Price: amount, Data: nonNilData(data)}
	if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
		return fmt.Errorf("claim shipping method: %w", err)
	}
	return nil
}

// updateClaimItem is ClaimItemService.update.
func updateClaimItem(ctx context.Context, tx bun.IDB, in ClaimItemUpdate) error {
	it := new(model.ClaimItem)
	err := tx.NewSelect().Model(it).Where("?TableAlias.id = ?", in.ID).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFoundf("Claim item with id: %s was not found.", in.ID)
	}
	if err != nil {
		return fmt.Errorf("update claim item: %w", err)
	}
	var cols []string
	if in.Note != nil && *in.Note != "" && (it.Note == nil || *it.Note != *in.Note) {
		it.Note = in.Note
		cols = append(cols, "note")
	}
	if in.Reason != nil && *in.Reason != "" && *in.Reason != it.Reason {
		switch *in.Reason {
		case "missing_item", "wrong_item", "production_failure", "other":
		default:
			// The column is an enum: Medusa fails with the driver's error (a 500).
			return Invalidf("Claim item reason must be one of missing_item, wrong_item, production_failure, other")
		}
		it.Reason = *in.Reason
		cols = append(cols, "reason")
	}
	if in.Metadata != nil {
		it.Metadata = mergeMetadata(it.Metadata, in.Metadata)
		cols = append(cols, "metadata")
	}
	if len(cols) > 0 {
		if _, err := tx.NewUpdate().Model(it).Column(cols...).Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update claim item: %w", err)
		}
	}
	if in.Tags != nil {
		if err := setClaimItemTags(ctx, tx, it.ID, in.Tags); err != nil {
			return err
		}
	}
	if in.Images != nil {
		if err := setClaimItemImages(ctx, tx, it.ID, in.Images); err != nil {
			return err
		}
	}
	return emit(ctx, tx, "claim_item.updated", map[string]any{"id": it.ID})
}

// setClaimItemTags makes the item's tags the ones given: links no longer wanted are removed,
// new ones added in request order; a tag by value reuses the live tag of that value or is
// created.
func setClaimItemTags(ctx context.Context, tx bun.IDB, itemID string, tags []ClaimTagInput) error {
	// Medusa looks every value up before it saves any new tag: two new tags of one value in a
	// request are two tags.
	want := make([]string, len(tags))
	var created []*model.ClaimTag
	for i, t := range tags {
		if t.ID != nil && *t.ID != "" {
			want[i] = *t.ID
			continue
		}
		if t.Value == nil {
			// Medusa fails reading the value (a 500).
			return Invalidf("A claim tag needs an id or a value")
		}
		id, tag, err := lookupClaimTag(ctx, tx, *t.Value)
		if err != nil {
			return err
		}
		if tag != nil {
			created = append(created, tag)
		}
		want[i] = id
	}
	for _, tag := range created {
		if _, err := tx.NewInsert().Model(tag).Exec(ctx); err != nil {
			return fmt.Errorf("create claim tag: %w", err)
		}
	}
	var have []string
	if err := tx.NewSelect().Model((*model.ClaimItemTag)(nil)).Column("tag_id").Where("item_id = ?", itemID).
		OrderExpr("ctid").Scan(ctx, &have); err != nil {
		return fmt.Errorf("claim item tags: %w", err)
	}
	for _, h := range have {
		if !slices.Contains(want, h) {
			if _, err := tx.NewDelete().Model((*model.ClaimItemTag)(nil)).Where("item_id = ? AND tag_id = ?", itemID, h).Exec(ctx); err != nil {
				return fmt.Errorf("claim item tags: %w", err)
			}
		}
	}
	for _, w := range want {
		if slices.Contains(have, w) {
			continue
		}
		have = append(have, w)
		if _, err := tx.NewInsert().Model(&model.ClaimItemTag{ItemID: itemID, TagID: w}).Exec(ctx); err != nil {
			return dbError(err, "claim item tags")
		}
	}
	return nil
}

// lookupClaimTag finds the live tag of a value (trimmed, lower-cased), or makes a new one (not
// yet inserted) and answers its id.
func lookupClaimTag(ctx context.Context, tx bun.IDB, value string) (string, *model.ClaimTag, error) {
	v := strings.ToLower(strings.TrimSpace(value))
	var id string
	err := tx.NewSelect().Model((*model.ClaimTag)(nil)).Column("id").Where("value = ?", v).Limit(1).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		tag := &model.ClaimTag{ID: NewID("ctag"), Value: v}
		return tag.ID, tag, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("claim tag: %w", err)
	}
	return id, nil, nil
}

// setClaimItemImages makes the item's images the ones given: its images left out are deleted,
// images named by id become the item's, the others are created with their url.
func setClaimItemImages(ctx context.Context, tx bun.IDB, itemID string, images []ClaimImageInput) error {
	var ids []string
	for _, im := range images {
		if im.ID != nil {
			ids = append(ids, *im.ID)
		}
	}
	q := tx.NewDelete().Model((*model.ClaimImage)(nil)).ForceDelete().Where("claim_item_id = ?", itemID)
	if len(ids) > 0 {
		q = q.Where("id NOT IN (?)", bun.In(ids))
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("claim item images: %w", err)
	}
	for _, im := range images {
		if im.ID != nil && *im.ID != "" {
			if _, err := tx.NewUpdate().Model((*model.ClaimImage)(nil)).Set("claim_item_id = ?", itemID).Set("updated_at = now()").
				Where("id = ? AND claim_item_id <> ?", *im.ID, itemID).Exec(ctx); err != nil {
				return fmt.Errorf("claim item images: %w", err)
			}
			continue
		}
		if im.URL == nil {
			// Medusa fails on the url column (a 500).
			return Invalidf("A claim image needs an id or a url")
		}
		if _, err := tx.NewInsert().Model(&model.ClaimImage{ID: NewID("cimg"), ClaimItemID: itemID, URL: *im.URL}).Exec(ctx); err != nil {
			return fmt.Errorf("claim item images: %w", err)
		}
	}
	return nil
}
