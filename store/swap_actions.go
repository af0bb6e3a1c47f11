package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// The admin actions on an order's existing swaps (Medusa 1.3.8's SwapService.cancel,
// createFulfillment, cancelFulfillment and createShipment, and their routes' checks). Creating
// a swap and processing its payment are in swap_create.go.

// lockSwap reads a live swap of the order, locked: Medusa's "Swap was not found", then the
// route's check that it is the order's.
func lockSwap(ctx context.Context, tx bun.IDB, orderID, swapID string) (*model.Swap, error) {
	sw := new(model.Swap)
	err := tx.NewSelect().Model(sw).Where("?TableAlias.id = ?", swapID).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Swap was not found")
	}
	if err != nil {
		return nil, fmt.Errorf("read swap %s: %w", swapID, err)
	}
	if sw.OrderID != orderID {
		return nil, NotFoundf("no swap was found with the id: %s related to order: %s", swapID, orderID)
	}
	return sw, nil
}

// CancelSwap cancels a swap of the order (cancel): not once refunded, not while a fulfillment
// is live or its return is not canceled; its payment, if any, is canceled with its provider.
func (s *Store) CancelSwap(ctx context.Context, orderID, swapID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sw, err := lockSwap(ctx, tx, orderID, swapID)
		if err != nil {
			return err
		}
		switch sw.PaymentStatus {
		case "difference_refunded", "partially_refunded", "refunded":
			return Errorf(NotAllowed, "Swap with a refund cannot be canceled")
		}
		var open struct {
			Fulfillments int  `bun:"f"`
			Return       bool `bun:"r"`
		}
		if err := tx.NewRaw(`SELECT (SELECT count(*) FROM fulfillment WHERE swap_id = ?0 AND canceled_at IS NULL) AS f,
			EXISTS (SELECT 1 FROM "return" WHERE swap_id = ?0 AND status <> 'canceled') AS r`, sw.ID).Scan(ctx, &open); err != nil {
			return fmt.Errorf("cancel swap: %w", err)
		}
		if open.Fulfillments > 0 {
			return Errorf(NotAllowed, "All fulfillments must be canceled before the swap can be canceled")
		}
		if open.Return {
			return Errorf(NotAllowed, "Return must be canceled before the swap can be canceled")
		}
		var payments []*model.Payment
		if err := tx.NewSelect().Model(&payments).Where("payment.swap_id = ?", sw.ID).Limit(1).For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("cancel swap: %w", err)
		}
		for _, p := range payments {
			if err := s.cancelPayment(ctx, tx, p); err != nil {
				return err
			}
		}
		if _, err := tx.NewUpdate().Model(sw).Set("payment_status = 'canceled'").Set("fulfillment_status = 'canceled'").
			Set("canceled_at = now()").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("cancel swap: %w", err)
		}
		return nil
	})
}

// SwapFulfillmentInput is AdminPostOrdersOrderSwapsSwapFulfillmentsReq.
type SwapFulfillmentInput struct {
	Metadata       map[string]any
	NoNotification *bool
}

// FulfillSwap fulfils all of a swap's additional items (createFulfillment): not a canceled
// swap, not one fulfilled already (only not_fulfilled or canceled), not one without shipping
// methods; one fulfillment per shipping method as for orders. The swap becomes fulfilled, or
// requires_action when an item is not wholly fulfilled. Records swap.fulfillment_created, whose
// fulfillment_id is, as in Medusa, the swap's id.
func (s *Store) FulfillSwap(ctx context.Context, orderID, swapID string, in SwapFulfillmentInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sw := new(model.Swap)
		err := tx.NewSelect().Model(sw).Where("?TableAlias.id = ?", swapID).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return NotFoundf("Swap was not found")
		}
		if err != nil {
			return fmt.Errorf("read swap %s: %w", swapID, err)
		}
		if sw.CanceledAt != nil {
			return Errorf(NotAllowed, "Canceled swap cannot be fulfilled")
		}
		if sw.FulfillmentStatus != "not_fulfilled" && sw.FulfillmentStatus != "canceled" {
			return Errorf(NotAllowed, "The swap was already fulfilled")
		}
		var methods []*model.ShippingMethod
		if err := tx.NewSelect().Model(&methods).Relation("ShippingOption").Where("shipping_method.swap_id = ?", sw.ID).
			OrderExpr("shipping_method.ctid").Scan(ctx); err != nil {
			return fmt.Errorf("fulfill swap: %w", err)
		}
		if len(methods) == 0 {
			return Errorf(NotAllowed, "Cannot fulfill an swap that doesn't have shipping methods")
		}
		o, err := lockOrder(ctx, tx, sw.OrderID)
		if err != nil {
			return err
		}
		var items []*model.LineItem
		if err := tx.NewSelect().Model(&items).Where("line_item.swap_id = ?", sw.ID).OrderExpr("line_item.ctid").Scan(ctx); err != nil {
			return fmt.Errorf("fulfill swap: %w", err)
		}
		_, status, err := s.fulfillOwnItems(ctx, tx, o, &sw.ID, methods, items, in)
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(sw).Set("fulfillment_status = ?", status).Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("fulfill swap: %w", err)
		}
		no := notify(sw.NoNotification)
		if in.NoNotification != nil {
			no = *in.NoNotification
		}
		return emit(ctx, tx, "swap.fulfillment_created", map[string]any{"id": sw.ID, "fulfillment_id": sw.ID, "no_notification": no})
	})
}

// CancelSwapFulfillment cancels a fulfillment of a swap of the order (the route's checks, then
// cancelFulfillment): the swap's fulfillment_status becomes canceled.
func (s *Store) CancelSwapFulfillment(ctx context.Context, orderID, swapID, fulfillmentID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		f, err := readFulfillment(ctx, tx, fulfillmentID)
		if err != nil {
			return err
		}
		if f.SwapID == nil || *f.SwapID != swapID {
			// Medusa names the order's id as the swap's in this message.
			return NotFoundf("no fulfillment was found with the id: %s related to swap: %s", fulfillmentID, orderID)
		}
		sw, err := lockSwap(ctx, tx, orderID, swapID)
		if err != nil {
			return err
		}
		if f.ShippedAt != nil {
			return Errorf(NotAllowed, "The fulfillment has already been shipped. Shipped fulfillments cannot be canceled")
		}
		if err := s.cancelFulfillment(ctx, tx, f); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(sw).Set("fulfillment_status = 'canceled'").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("cancel swap fulfillment: %w", err)
		}
		return nil
	})
}

// CreateSwapShipment marks a fulfillment shipped for a swap (createShipment): not on a
// canceled swap. As in Medusa, the fulfillment is not checked to be the swap's; its
// no_notification becomes the request's, else the swap's. The swap's additional items'
// shipped_quantity grows, and the swap becomes shipped or partially_shipped. Records
// swap.shipment_created.
func (s *Store) CreateSwapShipment(ctx context.Context, orderID, swapID string, in CreateShipmentInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sw := new(model.Swap)
		err := tx.NewSelect().Model(sw).Where("?TableAlias.id = ?", swapID).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return NotFoundf("Swap was not found")
		}
		if err != nil {
			return fmt.Errorf("read swap %s: %w", swapID, err)
		}
		if sw.CanceledAt != nil {
			return Errorf(NotAllowed, "Canceled swap cannot be fulfilled as shipped")
		}
		no := sw.NoNotification
		if in.NoNotification != nil {
			no = in.NoNotification
		}
		f, err := readFulfillment(ctx, tx, in.FulfillmentID)
		if err != nil {
			return err
		}
		fitems, err := shipFulfillment(ctx, tx, f, in.TrackingNumbers, no)
		if err != nil {
			return err
		}
		var items []*model.LineItem
		if err := tx.NewSelect().Model(&items).Where("line_item.swap_id = ?", sw.ID).OrderExpr("line_item.ctid").Scan(ctx); err != nil {
			return fmt.Errorf("swap shipment: %w", err)
		}
		status, err := shipItems(ctx, tx, items, fitems)
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(sw).Set("fulfillment_status = ?", status).Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("swap shipment: %w", err)
		}
		return emit(ctx, tx, "swap.shipment_created", map[string]any{"id": sw.ID, "fulfillment_id": f.ID, "no_notification": notify(sw.NoNotification)})
	})
}

// fulfillOwnItems creates the fulfillments of a swap's or a claim's own items, as Medusa's
// createFulfillment does for both: one per shipping method, carrying every item when there is a
// single method and none when there are several; then it sets the items' fulfilled quantities
// and returns the fulfillment status they imply. swapID is the swap the fulfillments belong to
// (nil for a claim, whose caller moves them onto the claim).
func (s *Store) fulfillOwnItems(ctx context.Context, tx bun.Tx, o *model.Order, swapID *string, methods []*model.ShippingMethod,
	items []*model.LineItem, in SwapFulfillmentInput) ([]*model.Fulfillment, string, error) {
	var lines []FulfillmentItemInput
	var lineItems []*model.LineItem
	for _, it := range items {
		if it.Quantity > it.Quantity-deref(it.FulfilledQuantity) {
			return nil, "", Errorf(NotAllowed, "Cannot fulfill more items than have been purchased")
		}
		lines = append(lines, FulfillmentItemInput{ItemID: it.ID, Quantity: it.Quantity})
		cp := *it
		lineItems = append(lineItems, &cp)
	}
	fulfilled := map[string]int{}
	var created []*model.Fulfillment
	for _, m := range methods {
		mine, myItems := lines, lineItems
		if len(methods) > 1 {
			mine, myItems = nil, nil
		}
		f, err := s.newFulfillment(ctx, tx, nil, o, swapID, m, mine, myItems, CreateFulfillmentInput{Metadata: in.Metadata})
		if err != nil {
			return nil, "", err
		}
		created = append(created, f)
		for _, fi := range f.Items {
			if _, seen := fulfilled[fi.ItemID]; !seen {
				fulfilled[fi.ItemID] = fi.Quantity
			}
		}
	}
	status := "fulfilled"
	for _, it := range items {
		q, ok := fulfilled[it.ID]
		if !ok {
			if it.FulfilledQuantity == nil || *it.FulfilledQuantity != it.Quantity {
				status = "requires_action"
			}
			continue
		}
		n := deref(it.FulfilledQuantity) + q
		if err := setItemQuantity(ctx, tx, it.ID, "fulfilled_quantity", n); err != nil {
			return nil, "", err
		}
		if n != it.Quantity {
			status = "requires_action"
		}
	}
	return created, status, nil
}
