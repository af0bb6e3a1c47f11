package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

// Fulfilments and shipments of orders (Medusa 1.3.8's OrderService.createFulfillment,
// cancelFulfillment, createShipment and the FulfillmentService behind them), through the
// fulfillment providers.

// FulfillmentItemInput is one {item_id, quantity} of a fulfilment request.
type FulfillmentItemInput struct {
	ItemID   string
	Quantity int
}

// CreateFulfillmentInput is AdminPostOrdersOrderFulfillmentsReq.
type CreateFulfillmentInput struct {
	Items          []FulfillmentItemInput
	NoNotification *bool
	Metadata       map[string]any
}

// CreateFulfillment fulfils quantities of an order's items (createFulfillment): not on a
// canceled order nor one without shipping methods; no item beyond what is left to fulfil
// (ids that are not the order's items are skipped, as Medusa allows for webhooks). One
// fulfillment is created per shipping method, with the provider of its option: with a single
// method it holds the items; with several, Medusa's partition (a filter whose callback returns
// nothing) gives each one no items, and so does Gorgon. The items' fulfilled_quantity grows,
// the order becomes fulfilled or partially_fulfilled, and order.fulfillment_created is
// recorded per fulfillment.
//
// The order is locked in the round trip that begins the transaction, and the writes are
// committed with their script (inLockedTx).
func (s *Store) CreateFulfillment(ctx context.Context, id string, in CreateFulfillmentInput) error {
	o := new(model.Order)
	// The order locked and read with its shipping methods (and their options, as
	// Relation("ShippingOption") joins them) and its items, each in storage order, in the
	// statement that begins the transaction.
	methods, items := []*model.ShippingMethod{}, []*model.LineItem{}
	tables := s.DB.Dialect().Tables()
	lock, scan := s.lockOrderWith(id, o, lockedList{
		from: `shipping_method LEFT JOIN shipping_option AS shipping_option ON (shipping_option.id = shipping_method.shipping_option_id)
			AND shipping_option.deleted_at IS NULL WHERE shipping_method.order_id = o.id ORDER BY shipping_method.ctid`,
		tables: []*schema.Table{tables.Get(reflect.TypeFor[model.ShippingMethod]()), tables.Get(reflect.TypeFor[model.ShippingOption]())},
		add: func(m []reflect.Value) {
			sm := m[0].Interface().(*model.ShippingMethod)
			if m[1].IsValid() {
				sm.ShippingOption = m[1].Interface().(*model.ShippingOption)
			}
			methods = append(methods, sm)
		},
	}, lockedList{
		from:   "line_item WHERE line_item.order_id = o.id ORDER BY line_item.ctid", // orderItems' read
		tables: []*schema.Table{tables.Get(reflect.TypeFor[model.LineItem]())},
		add:    func(m []reflect.Value) { items = append(items, m[0].Interface().(*model.LineItem)) },
	})
	return s.inLockedTx(ctx, "create fulfillment", lock, scan, func(ctx context.Context, tx bun.IDB, found bool) (*script, error) {
		if !found {
			return nil, NotFoundf("Order with %s was not found", id)
		}
		sc, err := s.createFulfillment(ctx, tx, o, methods, items, in)
		return &sc, err
	})
}

// createFulfillment is CreateFulfillment's work in its transaction, o locked and read with its
// shipping methods and items: it returns the script of its writes.
func (s *Store) createFulfillment(ctx context.Context, tx bun.IDB, o *model.Order, methods []*model.ShippingMethod,
	items []*model.LineItem, in CreateFulfillmentInput) (script, error) {
	var sc script
	err := func() error {
		if o.Status == "canceled" {
			return Errorf(NotAllowed, "A canceled order cannot be fulfilled")
		}
		if len(methods) == 0 {
			return Errorf(NotAllowed, "Cannot fulfill an order that lacks shipping methods")
		}
		byID := map[string]*model.LineItem{}
		for _, it := range items {
			byID[it.ID] = it
		}
		var lines []FulfillmentItemInput
		var lineItems []*model.LineItem
		for _, r := range in.Items {
			it := byID[r.ItemID]
			if it == nil {
				continue
			}
			if r.Quantity > it.Quantity-deref(it.FulfilledQuantity) {
				return Errorf(NotAllowed, "Cannot fulfill more items than have been purchased")
			}
			lines = append(lines, r)
			cp := *it
			cp.Quantity = r.Quantity
			lineItems = append(lineItems, &cp)
		}
		// After each fulfillment's row (which its provider is given, timestamps included), the
		// writes go in one script: items, provider data, quantities, order, events.
		var created []*model.Fulfillment
		for _, m := range methods {
			mine, myItems := lines, lineItems
			if len(methods) > 1 {
				mine, myItems = nil, nil
			}
			f, err := s.newFulfillment(ctx, tx, &sc, o, nil, m, mine, myItems, in)
			if err != nil {
				return err
			}
			created = append(created, f)
		}
		fulfilled := map[string]int{}
		for _, f := range created {
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
				if it.FulfilledQuantity == nil || it.Quantity != *it.FulfilledQuantity {
					status = "partially_fulfilled"
				}
				continue
			}
			n := deref(it.FulfilledQuantity) + q
			sc.add(tx.NewRaw(`UPDATE line_item SET ? = ?, updated_at = now() WHERE id = ?`, bun.Ident("fulfilled_quantity"), n, it.ID))
			if it.Quantity != n {
				status = "partially_fulfilled"
			}
		}
		if status != o.FulfillmentStatus {
			o.FulfillmentStatus = status
			sc.add(tx.NewUpdate().Model(o).Column("fulfillment_status").Set("updated_at = now()").WherePK())
		}
		no := notify(o.NoNotification)
		if in.NoNotification != nil {
			no = *in.NoNotification
		}
		var events []event
		for _, f := range created {
			events = append(events, event{"order.fulfillment_created", map[string]any{"id": o.ID, "fulfillment_id": f.ID, "no_notification": no}})
		}
		q, err := emitAllQuery(tx, events)
		if err != nil {
			return err
		}
		if q != nil {
			sc.add(q)
		}
		return nil
	}()
	return sc, err
}

// newFulfillment creates one fulfillment of the shipping method's provider with the items, and
// stores what the provider answers as its data. With sc, the fulfillment's row (its data in it)
// and its items are added to sc; without, the row is written at once, then its items and data.
func (s *Store) newFulfillment(ctx context.Context, tx bun.IDB, sc *script, o *model.Order, swapID *string, m *model.ShippingMethod,
	lines []FulfillmentItemInput, lineItems []*model.LineItem, in CreateFulfillmentInput) (*model.Fulfillment, error) {
	now := sc == nil
	if now {
		sc = new(script)
	}
	if m.ShippingOption == nil {
		return nil, NotFoundf("Shipping option with id: %s was not found", m.ShippingOptionID)
	}
	providerID := m.ShippingOption.ProviderID
	fp, err := s.registry().Fulfillment(providerID)
	if err != nil {
		return nil, providerError(err)
	}
	f := &model.Fulfillment{ID: NewID("ful"), OrderID: &o.ID, NoNotification: in.NoNotification, ProviderID: &providerID,
		TrackingNumbers: []string{}, Data: map[string]any{}, Metadata: in.Metadata}
	if swapID != nil {
		f.OrderID, f.SwapID = nil, swapID
	}
	if now {
		if _, err := tx.NewInsert().Model(f).Returning("created_at, updated_at").Exec(ctx); err != nil {
			return nil, fmt.Errorf("create fulfillment: %w", err)
		}
	} else {
		// The row goes in the script, after the provider's answer (its data in it): its
		// timestamps are set here, not read back.
		f.CreatedAt = model.Now()
		f.UpdatedAt = f.CreatedAt
	}
	var items []*bun.InsertQuery
	for _, l := range lines {
		fi := &model.FulfillmentItem{FulfillmentID: f.ID, ItemID: l.ItemID, Quantity: l.Quantity}
		// A repeated item id is one row, holding the last quantity (TypeORM's save of the
		// cascaded items).
		items = append(items, tx.NewInsert().Model(fi).On("CONFLICT (fulfillment_id, item_id) DO UPDATE").Set("quantity = EXCLUDED.quantity"))
		f.Items = append(f.Items, fi)
	}
	data, err := fp.CreateFulfillment(ctx, provider.FulfillmentRequest{MethodData: m.Data, Items: lineItems, Order: o, Fulfillment: f})
	if err != nil {
		return nil, fmt.Errorf("create fulfillment with %s: %w", providerID, err)
	}
	f.Data = nonNilData(data)
	if !now {
		sc.add(tx.NewInsert().Model(f))
	}
	for _, q := range items {
		sc.add(q)
	}
	if now {
		sc.add(tx.NewUpdate().Model(f).Column("data").WherePK())
	}
	if now {
		if err := sc.exec(ctx, tx, "create fulfillment"); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// setItemQuantity writes one of a line item's quantity columns (fulfilled_quantity,
// shipped_quantity, returned_quantity) and its updated_at, as LineItemService.update does.
func setItemQuantity(ctx context.Context, tx bun.IDB, itemID, col string, n int) error {
	if _, err := tx.NewRaw(`UPDATE line_item SET ? = ?, updated_at = now() WHERE id = ?`, bun.Ident(col), n, itemID).Exec(ctx); err != nil {
		return fmt.Errorf("update line item %s: %w", itemID, err)
	}
	return nil
}

// readFulfillment reads a fulfillment by id (FulfillmentService.retrieve), locked.
func readFulfillment(ctx context.Context, tx bun.IDB, id string) (*model.Fulfillment, error) {
	f := new(model.Fulfillment)
	err := tx.NewSelect().Model(f).Where("?TableAlias.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Fulfillment with id: %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read fulfillment %s: %w", id, err)
	}
	return f, nil
}

// fulfillmentItems reads a fulfillment's items in storage order.
func fulfillmentItems(ctx context.Context, tx bun.IDB, id string) ([]*model.FulfillmentItem, error) {
	var items []*model.FulfillmentItem
	if err := tx.NewSelect().Model(&items).Where("fulfillment_item.fulfillment_id = ?", id).
		OrderExpr("fulfillment_item.ctid").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read fulfillment items: %w", err)
	}
	return items, nil
}

// CancelOrderFulfillment cancels a fulfillment of an order (the route's check, then
// cancelFulfillment): it must be the order's and not shipped. Its items' fulfilled_quantity
// shrinks, the order's fulfillment_status becomes canceled (whatever its other fulfillments
// are, as in Medusa), and order.fulfillment_canceled is recorded. Medusa does not refuse a
// fulfillment canceled before; neither does Gorgon.
func (s *Store) CancelOrderFulfillment(ctx context.Context, orderID, fulfillmentID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		f, err := readFulfillment(ctx, tx, fulfillmentID)
		if err != nil {
			return err
		}
		if f.OrderID == nil || *f.OrderID != orderID {
			return NotFoundf("no fulfillment was found with the id: %s related to order: %s", fulfillmentID, orderID)
		}
		o, err := lockOrder(ctx, tx, orderID)
		if err != nil {
			return err
		}
		if f.ShippedAt != nil {
			return Errorf(NotAllowed, "The fulfillment has already been shipped. Shipped fulfillments cannot be canceled")
		}
		if err := s.cancelFulfillment(ctx, tx, f); err != nil {
			return err
		}
		if o.FulfillmentStatus != "canceled" {
			o.FulfillmentStatus = "canceled"
			if err := setOrderColumns(ctx, tx, o, "fulfillment_status"); err != nil {
				return err
			}
		}
		return emit(ctx, tx, "order.fulfillment_canceled", map[string]any{"id": o.ID, "fulfillment_id": f.ID, "no_notification": notify(f.NoNotification)})
	})
}

// cancelFulfillment cancels a fulfillment with its provider, records canceled_at and gives
// its items' quantities back to fulfil (FulfillmentService.cancelFulfillment).
func (s *Store) cancelFulfillment(ctx context.Context, tx bun.IDB, f *model.Fulfillment) error {
	providerID := deref(f.ProviderID)
	fp, err := s.registry().Fulfillment(providerID)
	if err != nil {
		return providerError(err)
	}
	if _, err := fp.CancelFulfillment(ctx, f.Data); err != nil {
		return fmt.Errorf("cancel fulfillment with %s: %w", providerID, err)
	}
	items, err := fulfillmentItems(ctx, tx, f.ID)
	if err != nil {
		return err
	}
	for _, fi := range items {
		if _, err := tx.NewRaw(`UPDATE line_item SET fulfilled_quantity = fulfilled_quantity - ?, updated_at = now() WHERE id = ?`,
			fi.Quantity, fi.ItemID).Exec(ctx); err != nil {
			return fmt.Errorf("cancel fulfillment: update line item: %w", err)
		}
	}
	if _, err := tx.NewUpdate().Model(f).Set("canceled_at = now()").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("cancel fulfillment: %w", err)
	}
	return nil
}

// CreateShipmentInput is AdminPostOrdersOrderShipmentReq.
type CreateShipmentInput struct {
	FulfillmentID   string
	TrackingNumbers []string
	NoNotification  *bool
}

// CreateShipment marks a fulfillment of the order shipped (createShipment): not on a canceled
// order, not a canceled fulfillment. Each tracking number becomes a tracking link (added to
// those the fulfillment has), no_notification is stored when given, the items' shipped_quantity
// grows, the order becomes shipped or partially_shipped, and order.shipment_created is recorded.
func (s *Store) CreateShipment(ctx context.Context, id string, in CreateShipmentInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		o, err := lockOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		items, err := orderItems(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		f, err := readFulfillment(ctx, tx, in.FulfillmentID)
		if err != nil {
			return err
		}
		if o.Status == "canceled" {
			return Errorf(NotAllowed, "A canceled order cannot be fulfilled as shipped")
		}
		if f.OrderID == nil || *f.OrderID != o.ID {
			return NotFoundf("Could not find fulfillment")
		}
		no := f.NoNotification
		if in.NoNotification != nil {
			no = in.NoNotification
		}
		fitems, err := shipFulfillment(ctx, tx, f, in.TrackingNumbers, no)
		if err != nil {
			return err
		}
		status, err := shipItems(ctx, tx, items, fitems)
		if err != nil {
			return err
		}
		if status != o.FulfillmentStatus {
			o.FulfillmentStatus = status
			if err := setOrderColumns(ctx, tx, o, "fulfillment_status"); err != nil {
				return err
			}
		}
		return emit(ctx, tx, "order.shipment_created", map[string]any{"id": o.ID, "fulfillment_id": f.ID, "no_notification": notify(no)})
	})
}

// shipFulfillment is FulfillmentService.createShipment: not a canceled fulfillment; each
// tracking number becomes a tracking link, no_notification and shipped_at are stored, and the
// metadata (merged with none) becomes at least {}. It answers the fulfillment's items.
func shipFulfillment(ctx context.Context, tx bun.IDB, f *model.Fulfillment, trackingNumbers []string, no *bool) ([]*model.FulfillmentItem, error) {
	if f.CanceledAt != nil {
		return nil, Errorf(NotAllowed, "Fulfillment has been canceled")
	}
	if f.ShippedAt != nil {
		// Medusa replaces the tracking links of a fulfillment shipped again, and fails (a
		// 500, nothing changed) when it has any: unlinking them breaks their NOT NULL
		// fulfillment_id. A fulfillment shipped without links is shipped again.
		n, err := tx.NewSelect().Model((*model.TrackingLink)(nil)).Where("fulfillment_id = ?", f.ID).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("create shipment: %w", err)
		}
		if n > 0 {
			return nil, Errorf(NotAllowed, "The fulfillment has already been shipped with tracking links")
		}
	}
	for _, n := range trackingNumbers {
		tl := &model.TrackingLink{ID: NewID("tlink"), TrackingNumber: n, FulfillmentID: f.ID}
		if _, err := tx.NewInsert().Model(tl).Exec(ctx); err != nil {
			return nil, fmt.Errorf("create tracking link: %w", err)
		}
	}
	f.NoNotification = no
	if f.Metadata == nil {
		f.Metadata = map[string]any{}
	}
	if _, err := tx.NewUpdate().Model(f).Column("no_notification", "metadata").Set("shipped_at = now()").
		Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
		return nil, fmt.Errorf("create shipment: %w", err)
	}
	return fulfillmentItems(ctx, tx, f.ID)
}

// shipItems adds a shipment's quantities to the items' shipped_quantity and answers the
// owner's new status: shipped, or partially_shipped while an item is not wholly shipped.
func shipItems(ctx context.Context, tx bun.IDB, items []*model.LineItem, fitems []*model.FulfillmentItem) (string, error) {
	shipped := map[string]int{}
	for _, fi := range fitems {
		if _, seen := shipped[fi.ItemID]; !seen {
			shipped[fi.ItemID] = fi.Quantity
		}
	}
	status := "shipped"
	for _, it := range items {
		q, ok := shipped[it.ID]
		if !ok {
			if it.ShippedQuantity == nil || *it.ShippedQuantity != it.Quantity {
				status = "partially_shipped"
			}
			continue
		}
		n := deref(it.ShippedQuantity) + q
		if n != it.Quantity {
			status = "partially_shipped"
		}
		if err := setItemQuantity(ctx, tx, it.ID, "shipped_quantity", n); err != nil {
			return "", err
		}
	}
	return status, nil
}

func deref[T any](p *T) T {
	if p == nil {
		var z T
		return z
	}
	return *p
}
