package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// The admin actions on an order's existing claims (Medusa 1.3.8's ClaimService.cancel,
// createFulfillment, cancelFulfillment and createShipment, and their routes' checks). Creating
// and updating claims are not served yet.

// readClaim reads a live claim, locked: Medusa's "Claim with <id> was not found".
func readClaim(ctx context.Context, tx bun.IDB, id string) (*model.ClaimOrder, error) {
	c := new(model.ClaimOrder)
	err := tx.NewSelect().Model(c).Where("?TableAlias.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Claim with %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read claim %s: %w", id, err)
	}
	return c, nil
}

// orderClaim is readClaim and the routes' check that the claim is the order's.
func orderClaim(ctx context.Context, tx bun.IDB, orderID, claimID string) (*model.ClaimOrder, error) {
	c, err := readClaim(ctx, tx, claimID)
	if err != nil {
		return nil, err
	}
	if c.OrderID != orderID {
		return nil, NotFoundf("no claim was found with the id: %s related to order: %s", claimID, orderID)
	}
	return c, nil
}

// CancelClaim cancels a claim of the order (cancel): not one with a refund, not while a
// fulfillment is live or its return is not canceled. Records claim.canceled.
func (s *Store) CancelClaim(ctx context.Context, orderID, claimID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := orderClaim(ctx, tx, orderID, claimID)
		if err != nil {
			return err
		}
		if deref(c.RefundAmount) != 0 {
			return Errorf(NotAllowed, "Claim with a refund cannot be canceled")
		}
		var open struct {
			Fulfillments int  `bun:"f"`
			Return       bool `bun:"r"`
		}
		if err := tx.NewRaw(`SELECT (SELECT count(*) FROM fulfillment WHERE claim_order_id = ?0 AND canceled_at IS NULL) AS f,
			EXISTS (SELECT 1 FROM "return" WHERE claim_order_id = ?0 AND status <> 'canceled') AS r`, c.ID).Scan(ctx, &open); err != nil {
			return fmt.Errorf("cancel claim: %w", err)
		}
		if open.Fulfillments > 0 {
			return Errorf(NotAllowed, "All fulfillments must be canceled before the claim can be canceled")
		}
		if open.Return {
			return Errorf(NotAllowed, "Return must be canceled before the claim can be canceled")
		}
		if _, err := tx.NewUpdate().Model(c).Set("fulfillment_status = 'canceled'").Set("canceled_at = now()").
			Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("cancel claim: %w", err)
		}
		return emit(ctx, tx, "claim.canceled", map[string]any{"id": c.ID, "no_notification": notify(c.NoNotification)})
	})
}

// FulfillClaim fulfils all of a replacement claim's additional items (createFulfillment): not
// a canceled claim, not one fulfilled already, not a refund claim, not one without shipping
// methods. As in Medusa the claim is not checked to be the order's. The claim becomes
// fulfilled, or requires_action. Records claim.fulfillment_created per fulfillment.
func (s *Store) FulfillClaim(ctx context.Context, claimID string, in SwapFulfillmentInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := readClaim(ctx, tx, claimID)
		if err != nil {
			return err
		}
		if c.CanceledAt != nil {
			return Errorf(NotAllowed, "Canceled claim cannot be fulfilled")
		}
		if c.FulfillmentStatus != "not_fulfilled" && c.FulfillmentStatus != "canceled" {
			return Errorf(NotAllowed, "The claim has already been fulfilled.")
		}
		if c.Type != "replace" {
			return Errorf(NotAllowed, `Claims with the type "%s" can not be fulfilled.`, c.Type)
		}
		var methods []*model.ShippingMethod
		if err := tx.NewSelect().Model(&methods).Relation("ShippingOption").Where("shipping_method.claim_order_id = ?", c.ID).
			OrderExpr("shipping_method.ctid").Scan(ctx); err != nil {
			return fmt.Errorf("fulfill claim: %w", err)
		}
		if len(methods) == 0 {
			return Errorf(NotAllowed, "Cannot fulfill a claim without a shipping method.")
		}
		o, err := lockOrder(ctx, tx, c.OrderID)
		if err != nil {
			return err
		}
		var items []*model.LineItem
		if err := tx.NewSelect().Model(&items).Where("line_item.claim_order_id = ?", c.ID).OrderExpr("line_item.ctid").Scan(ctx); err != nil {
			return fmt.Errorf("fulfill claim: %w", err)
		}
		created, status, err := s.fulfillOwnItems(ctx, tx, o, nil, methods, items, in)
		if err != nil {
			return err
		}
		for _, f := range created {
			if _, err := tx.NewUpdate().Model(f).Set("order_id = NULL").Set("claim_order_id = ?", c.ID).WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("fulfill claim: %w", err)
			}
		}
		if _, err := tx.NewUpdate().Model(c).Set("fulfillment_status = ?", status).Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("fulfill claim: %w", err)
		}
		for _, f := range created {
			if err := emit(ctx, tx, "claim.fulfillment_created", map[string]any{"id": c.ID, "fulfillment_id": f.ID, "no_notification": notify(c.NoNotification)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// CancelClaimFulfillment cancels a fulfillment of a claim of the order (the route's checks,
// then cancelFulfillment): the claim's fulfillment_status becomes canceled.
func (s *Store) CancelClaimFulfillment(ctx context.Context, orderID, claimID, fulfillmentID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		f, err := readFulfillment(ctx, tx, fulfillmentID)
		if err != nil {
			return err
		}
		if f.ClaimOrderID == nil || *f.ClaimOrderID != claimID {
			return NotFoundf("no fulfillment was found with the id: %s related to claim: %s", fulfillmentID, claimID)
		}
		c, err := orderClaim(ctx, tx, orderID, claimID)
		if err != nil {
			return err
		}
		if f.ShippedAt != nil {
			return Errorf(NotAllowed, "The fulfillment has already been shipped. Shipped fulfillments cannot be canceled")
		}
		if err := s.cancelFulfillment(ctx, tx, f); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(c).Set("fulfillment_status = 'canceled'").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("cancel claim fulfillment: %w", err)
		}
		return nil
	})
}

// CreateClaimShipment marks a fulfillment shipped for a claim (createShipment): not on a
// canceled claim; as in Medusa the fulfillment is not checked to be the claim's, and the
// claim's no_notification is the shipment's. The claim's additional items' shipped_quantity
// grows, and the claim becomes shipped or partially_shipped. Records claim.shipment_created.
func (s *Store) CreateClaimShipment(ctx context.Context, claimID string, in CreateShipmentInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := readClaim(ctx, tx, claimID)
		if err != nil {
			return err
		}
		if c.CanceledAt != nil {
			return Errorf(NotAllowed, "Canceled claim cannot be fulfilled as shipped")
		}
		f, err := readFulfillment(ctx, tx, in.FulfillmentID)
		if err != nil {
			return err
		}
		fitems, err := shipFulfillment(ctx, tx, f, in.TrackingNumbers, c.NoNotification)
		if err != nil {
			return err
		}
		var items []*model.LineItem
		if err := tx.NewSelect().Model(&items).Where("line_item.claim_order_id = ?", c.ID).OrderExpr("line_item.ctid").Scan(ctx); err != nil {
			return fmt.Errorf("claim shipment: %w", err)
		}
		status, err := shipItems(ctx, tx, items, fitems)
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(c).Set("fulfillment_status = ?", status).Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("claim shipment: %w", err)
		}
		return emit(ctx, tx, "claim.shipment_created", map[string]any{"id": c.ID, "fulfillment_id": f.ID, "no_notification": notify(c.NoNotification)})
	})
}
