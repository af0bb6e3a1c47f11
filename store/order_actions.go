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

// The admin actions on orders (Medusa 1.3.8's OrderService: update, completeOrder, archive,
// cancel, addShippingMethod; payments in order_payment.go, fulfilments and shipments in
// order_fulfillment.go, returns in returns_write.go). Each runs in one transaction that locks
// the order row first, so two actions on one order run one after the other, and records
// Medusa's events with emit in that transaction. They answer nothing but an error: the routes
// then read the order as Medusa's routes do (the order response of the read side).

// lockOrder reads an order's row for an action and locks it until the transaction ends. A
// missing order is Medusa's retrieve error.
func lockOrder(ctx context.Context, tx bun.IDB, id string) (*model.Order, error) {
	o := new(model.Order)
	err := tx.NewSelect().Model(o).Where("?TableAlias.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Order with %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read order %s: %w", id, err)
	}
	return o, nil
}

// orderItems loads an order's own line items (the "items" relation) in Medusa's storage order.
func orderItems(ctx context.Context, tx bun.IDB, orderID string) ([]*model.LineItem, error) {
	var items []*model.LineItem
	if err := tx.NewSelect().Model(&items).Where("line_item.order_id = ?", orderID).
		OrderExpr("line_item.ctid").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read order items: %w", err)
	}
	return items, nil
}

// setOrderColumns writes the given columns of an order and its updated_at, as TypeORM's save
// does when something changed.
func setOrderColumns(ctx context.Context, tx bun.IDB, o *model.Order, cols ...string) error {
	q := tx.NewUpdate().Model(o).Column(cols...).Set("updated_at = now()").WherePK().Returning("updated_at")
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("update order %s: %w", o.ID, err)
	}
	return nil
}

// notify is the no_notification value of an event: the order's (null when unset).
func notify(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

// CompleteOrder marks an order completed (completeOrder): any order but a canceled one.
func (s *Store) CompleteOrder(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		o, err := lockOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if o.Status == "canceled" {
			return Errorf(NotAllowed, "A canceled order cannot be completed")
		}
		if err := emit(ctx, tx, "order.completed", map[string]any{"id": o.ID, "no_notification": notify(o.NoNotification)}); err != nil {
			return err
		}
		if o.Status == "completed" {
			return nil
		}
		o.Status = "completed"
		return setOrderColumns(ctx, tx, o, "status")
	})
}

// ArchiveOrder archives a completed order (archive). Medusa's check reads
// `status !== ("completed" || "refunded")`, i.e. only completed orders.
func (s *Store) ArchiveOrder(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		o, err := lockOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if o.Status != "completed" {
			return Errorf(NotAllowed, "Can't archive an unprocessed order")
		}
		o.Status = "archived"
		return setOrderColumns(ctx, tx, o, "status")
	})
}

// CancelOrder cancels an order (cancel): every fulfillment, swap and claim must be canceled
// and every return canceled first; the items go back to stock, the payments are canceled with
// their provider, and the three statuses become canceled. Medusa's "Order with refund(s)
// cannot be canceled" check reads a relation it does not load, so it never refuses: neither
// does Gorgon.
func (s *Store) CancelOrder(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		o, err := lockOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		var open struct {
			Fulfillments int `bun:"f"`
			Returns      int `bun:"r"`
			Swaps        int `bun:"s"`
			Claims       int `bun:"c"`
		}
		if err := tx.NewRaw(`SELECT
			(SELECT count(*) FROM fulfillment WHERE order_id = ?0 AND canceled_at IS NULL) AS f,
			(SELECT count(*) FROM "return" WHERE order_id = ?0 AND status <> 'canceled') AS r,
			(SELECT count(*) FROM swap WHERE order_id = ?0 AND canceled_at IS NULL AND deleted_at IS NULL) AS s,
			(SELECT count(*) FROM claim_order WHERE order_id = ?0 AND canceled_at IS NULL AND deleted_at IS NULL) AS c`, o.ID).
			Scan(ctx, &open); err != nil {
			return fmt.Errorf("cancel order: %w", err)
		}
		for _, c := range []struct {
			n    int
			what string
		}{{open.Fulfillments, "fulfillments"}, {open.Returns, "returns"}, {open.Swaps, "swaps"}, {open.Claims, "claims"}} {
			if c.n > 0 {
				return Errorf(NotAllowed, "All %s must be canceled before canceling an order", c.what)
			}
		}
		items, err := orderItems(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := adjustInventory(ctx, tx, it.VariantID, it.Quantity); err != nil {
				return err
			}
		}
		var payments []*model.Payment
		if err := tx.NewSelect().Model(&payments).Where("payment.order_id = ?", o.ID).OrderExpr("payment.ctid").Scan(ctx); err != nil {
			return fmt.Errorf("cancel order: read payments: %w", err)
		}
		for _, p := range payments {
			if err := s.cancelPayment(ctx, tx, p); err != nil {
				return err
			}
		}
		o.Status, o.FulfillmentStatus, o.PaymentStatus = "canceled", "canceled", "canceled"
		if _, err := tx.NewUpdate().Model(o).Column("status", "fulfillment_status", "payment_status").
			Set("canceled_at = now()").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("cancel order: %w", err)
		}
		return emit(ctx, tx, "order.canceled", map[string]any{"id": o.ID, "no_notification": notify(o.NoNotification)})
	})
}

// adjustInventory is InventoryService.adjustInventory: a variant that manages its inventory
// gains adjustment units (a negative adjustment takes them), recorded as Medusa's variant
// update with its product-variant.updated event; a custom item (no variant) is left alone.
func adjustInventory(ctx context.Context, tx bun.IDB, variantID *string, adjustment int) error {
	if variantID == nil || *variantID == "" {
		return nil
	}
	v := new(model.ProductVariant)
	err := tx.NewSelect().Model(v).Column("id", "product_id", "manage_inventory", "inventory_quantity").
		Where("?TableAlias.id = ?", *variantID).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFoundf("Variant with id: %s was not found", *variantID)
	}
	if err != nil {
		return fmt.Errorf("adjust inventory: %w", err)
	}
	if !v.ManageInventory {
		return nil
	}
	if _, err := tx.NewRaw(`UPDATE product_variant SET inventory_quantity = inventory_quantity + ?, updated_at = now() WHERE id = ?`,
		adjustment, v.ID).Exec(ctx); err != nil {
		return fmt.Errorf("adjust inventory: %w", err)
	}
	return emit(ctx, tx, "product-variant.updated", map[string]any{"id": v.ID, "product_id": v.ProductID, "fields": []string{"inventory_quantity"}})
}

// AddressInput is Medusa's AddressPayload: the address columns given (first_name, last_name,
// phone, company, address_1, address_2, city, country_code, province, postal_code), a nil value
// being an explicit null, which clears the column; Metadata replaces the address's when set.
type AddressInput struct {
	Fields   map[string]*string
	Metadata map[string]any
}

// UpdateOrderInput is what POST /admin/orders/:id may change (AdminPostOrdersOrderReq). Nil
// fields are absent.
type UpdateOrderInput struct {
	Email           *string
	BillingAddress  *AddressInput
	ShippingAddress *AddressInput
	// Items are new line items for the order (Medusa creates them as given).
	Items          []LineItemInput
	CustomerID     *string
	NoNotification *bool
	Metadata       map[string]any
}

// LineItemInput is a line item given to an order update, by Medusa's line item columns.
type LineItemInput struct {
	Title          *string
	Description    *string
	Thumbnail      *string
	VariantID      *string
	UnitPrice      *int
	Quantity       *int
	AllowDiscounts *bool
	HasShipping    *bool
	IsGiftcard     *bool
	ShouldMerge    *bool
	Metadata       map[string]any
}

// UpdateOrder applies an admin update (update): not on a canceled order; items only while the
// order is unprocessed (pending, not fulfilled, payment awaiting); each address must be in a
// country of the order's region and is written over the order's address (an order without
// one gets a new address row that, as in Medusa, stays unlinked); no_notification is only ever
// set, never cleared (Medusa tests it for truthiness); metadata keys are merged.
func (s *Store) UpdateOrder(ctx context.Context, id string, in UpdateOrderInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		o, err := lockOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if o.Status == "canceled" {
			return Errorf(NotAllowed, "A canceled order cannot be updated")
		}
		if in.Email != nil && !IsEmail(*in.Email) {
			// The route's IsEmail, for callers that do not check it (GraphQL).
			return &Error{Type: InvalidData, Message: "email must be an email", Field: []string{"email"}}
		}
		if in.Items != nil && (o.FulfillmentStatus != "not_fulfilled" || o.PaymentStatus != "awaiting" || o.Status != "pending") {
			return Errorf(NotAllowed, "Can't update shipping, billing, items and payment method when order is processed")
		}
		var cols []string
		if in.Metadata != nil {
			o.Metadata = mergeMetadata(o.Metadata, in.Metadata)
			cols = append(cols, "metadata")
		}
		if in.ShippingAddress != nil {
			if err := updateOrderAddress(ctx, tx, o, o.ShippingAddressID, in.ShippingAddress); err != nil {
				return err
			}
		}
		if in.BillingAddress != nil {
			if err := updateOrderAddress(ctx, tx, o, o.BillingAddressID, in.BillingAddress); err != nil {
				return err
			}
		}
		if in.NoNotification != nil && *in.NoNotification {
			o.NoNotification = in.NoNotification
			cols = append(cols, "no_notification")
		}
		for _, it := range in.Items {
			if err := insertOrderItem(ctx, tx, o.ID, it); err != nil {
				return err
			}
		}
		if in.Email != nil {
			o.Email = *in.Email
			cols = append(cols, "email")
		}
		if in.CustomerID != nil {
			o.CustomerID = *in.CustomerID
			cols = append(cols, "customer_id")
		}
		if len(cols) > 0 {
			if err := setOrderColumns(ctx, tx, o, cols...); err != nil {
				return dbError(err, "update order")
			}
		}
		return emit(ctx, tx, "order.updated", map[string]any{"id": o.ID, "no_notification": notify(o.NoNotification)})
	})
}

// updateOrderAddress is updateShippingAddress/updateBillingAddress: the country (lower-cased)
// must be one of the region's, then the address's given fields overwrite the stored ones.
func updateOrderAddress(ctx context.Context, tx bun.IDB, o *model.Order, addrID *string, in *AddressInput) error {
	var country *string
	if c := in.Fields["country_code"]; c != nil {
		lc := strings.ToLower(*c)
		country = &lc
	}
	ok := false
	if country != nil {
		n, err := tx.NewSelect().TableExpr("country").Where("region_id = ? AND iso_2 = ?", o.RegionID, *country).Count(ctx)
		if err != nil {
			return fmt.Errorf("update order address: %w", err)
		}
		ok = n > 0
	}
	if !ok {
		return Invalidf("Shipping country must be in the order region")
	}
	a := &model.Address{}
	if addrID != nil {
		if err := tx.NewSelect().Model(a).Where("?TableAlias.id = ?", *addrID).WhereAllWithDeleted().Scan(ctx); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("update order address: %w", err)
		}
	}
	cols := map[string]**string{"first_name": &a.FirstName, "last_name": &a.LastName, "phone": &a.Phone, "company": &a.Company,
		"address_1": &a.Address1, "address_2": &a.Address2, "city": &a.City, "country_code": &a.CountryCode,
		"province": &a.Province, "postal_code": &a.PostalCode}
	for k, v := range in.Fields {
		if dst, ok := cols[k]; ok {
			*dst = v
		}
	}
	a.CountryCode = country
	if in.Metadata != nil {
		a.Metadata = in.Metadata
	}
	if a.ID == "" {
		a.ID = NewID("addr")
		if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
			return fmt.Errorf("create address: %w", err)
		}
		return nil
	}
	if _, err := tx.NewUpdate().Model(a).Column("first_name", "last_name", "phone", "company", "address_1", "address_2",
		"city", "country_code", "province", "postal_code", "metadata").Set("updated_at = now()").WherePK().WhereAllWithDeleted().Exec(ctx); err != nil {
		return fmt.Errorf("update address: %w", err)
	}
	return nil
}

// insertOrderItem creates a line item on the order as LineItemService.create does with what
// the update gave (columns the request leaves out take their defaults; a missing title, price
// or quantity is the database's refusal, as in Medusa).
func insertOrderItem(ctx context.Context, tx bun.IDB, orderID string, in LineItemInput) error {
	it := &model.LineItem{ID: NewID("item"), OrderID: &orderID, Description: in.Description, Thumbnail: in.Thumbnail,
		VariantID: in.VariantID, HasShipping: in.HasShipping, Metadata: in.Metadata, ShouldMerge: true, AllowDiscounts: true}
	if in.Title == nil || in.UnitPrice == nil || in.Quantity == nil {
		return Invalidf("A line item needs a title, a unit_price and a quantity")
	}
	it.Title, it.UnitPrice, it.Quantity = *in.Title, *in.UnitPrice, *in.Quantity
	if in.AllowDiscounts != nil {
		it.AllowDiscounts = *in.AllowDiscounts
	}
	if in.ShouldMerge != nil {
		it.ShouldMerge = *in.ShouldMerge
	}
	if in.IsGiftcard != nil {
		it.IsGiftcard = *in.IsGiftcard
	}
	if _, err := tx.NewInsert().Model(it).Exec(ctx); err != nil {
		return dbError(err, "create line item")
	}
	return nil
}

// AddShippingMethodInput is AdminPostOrdersOrderShippingMethodsReq.
type AddShippingMethodInput struct {
	OptionID string
	Price    int
	Data     map[string]any
}

// AddShippingMethod adds a shipping method of an option to an order at the given price
// (addShippingMethod): not on a canceled order; the method stores what the option's provider
// validates of the data. A method of the same shipping profile already on the order is
// replaced (deleted); Medusa fails (a 500, nothing changed) when that method has tax lines, as
// every method of a placed order has, since it deletes the method alone: Gorgon refuses it.
// Records order.updated.
func (s *Store) AddShippingMethod(ctx context.Context, id string, in AddShippingMethodInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		o, err := lockOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if o.Status == "canceled" {
			return Errorf(NotAllowed, "A shipping method cannot be added to a canceled order")
		}
		opt := new(model.ShippingOption)
		err = tx.NewSelect().Model(opt).Where("?TableAlias.id = ?", in.OptionID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return NotFoundf("Shipping Option with %s was not found", in.OptionID)
		}
		if err != nil {
			return fmt.Errorf("add shipping method: %w", err)
		}
		fp, err := s.registry().Fulfillment(opt.ProviderID)
		if err != nil {
			return providerError(err)
		}
		data := in.Data
		if data == nil {
			data = map[string]any{}
		}
		data, err = fp.ValidateFulfillmentData(ctx, opt.Data, data, nil)
		if err != nil {
			return fmt.Errorf("add shipping method: %w", err)
		}
		var existing []*model.ShippingMethod
		if err := tx.NewSelect().Model(&existing).Relation("ShippingOption").Relation("TaxLines").
			Where("shipping_method.order_id = ?", o.ID).OrderExpr("shipping_method.ctid").Scan(ctx); err != nil {
			return fmt.Errorf("add shipping method: %w", err)
		}
		m := &model.ShippingMethod{ID: NewID("sm"), ShippingOptionID: opt.ID, OrderID: &o.ID, Price: in.Price, Data: nonNilData(data)}
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return fmt.Errorf("add shipping method: %w", err)
		}
		for _, sm := range existing {
			if sm.ShippingOption == nil || sm.ShippingOption.ProfileID != opt.ProfileID {
				continue
			}
			if len(sm.TaxLines) > 0 {
				return Errorf(NotAllowed, "The order's shipping method %s of the same shipping profile has tax lines and cannot be replaced", sm.ID)
			}
			if _, err := tx.NewDelete().Model(sm).WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("replace shipping method: %w", err)
			}
		}
		return emit(ctx, tx, "order.updated", map[string]any{"id": o.ID})
	})
}

// OrderColumns are every column of an order (JSON names) this database's shape has: what an
// order service retrieve without `select` answers (completeOrder and archive's routes).
func (s *Store) OrderColumns() []string {
	t := s.DB.Table(reflect.TypeOf(model.Order{}))
	out := make([]string, 0, len(t.Fields))
	for _, f := range t.Fields {
		out = append(out, f.Name)
	}
	return out
}

// OrderActionRelations are the relations the order action routes answer with:
// defaultAdminOrdersRelations as they are, without the sales channel the GET routes add when
// that feature is on.
func OrderActionRelations() []string {
	return append([]string(nil), defaultOrderRelations...)
}
