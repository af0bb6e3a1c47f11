package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/totals"
)

// DraftOrderView is a draft order as GET /admin/draft-orders/:id answers it: the draft order
// (defaultAdminDraftOrdersFields, its order) and its cart as Medusa's cart service retrieves it
// for defaultAdminDraftOrdersCartRelations and the totals fields: every column, those
// relations, the ones the totals read (cart.ts transformQueryForTotals_), the eager ones, and
// the totals.
type DraftOrderView struct {
	*model.DraftOrder
	CartTotals totals.CartTotals
}

// draftCartRelations are defaultAdminDraftOrdersCartRelations with the totals' relations and
// the eager ones (items.variant.product, region's providers).
var draftCartRelations = []string{"Region", "Region.PaymentProviders", "Region.FulfillmentProviders",
	"Items", "Items.Adjustments", "Items.TaxLines", "Items.Variant", "Items.Variant.Product", "Payment",
	"ShippingAddress", "BillingAddress", "ShippingMethods", "ShippingMethods.ShippingOption", "PaymentSessions",
	"Discounts", "Discounts.Rule", "GiftCards", "Customer"}

// draftListRelations are defaultAdminDraftOrdersRelations with the items' eager relations.
var draftListRelations = []string{"Order", "Cart", "Cart.Items", "Cart.Items.Adjustments", "Cart.Items.Variant",
	"Cart.Items.Variant.Product"}

// RetrieveDraftOrder is GET /admin/draft-orders/:id: "Draft order with <id> was not found" for
// an unknown id.
func (s *Store) RetrieveDraftOrder(ctx context.Context, id string) (*DraftOrderView, error) {
	d := new(model.DraftOrder)
	err := s.DB.NewSelect().Model(d).Relation("Order").Where("draft_order.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Draft order with %s was not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("get draft order %s: %w", id, err)
	}
	v := &DraftOrderView{DraftOrder: d}
	if d.CartID == nil {
		return nil, NotFoundf("Cart with %s was not found", "undefined")
	}
	c, t, err := s.totalsCart(ctx, s.DB, *d.CartID)
	if err != nil {
		return nil, err
	}
	d.Cart, v.CartTotals = c, t
	return v, nil
}

// totalsCart reads a draft order's cart as Medusa's cart service retrieves it for the draft
// order routes (draftCartRelations), with its totals: "Cart with <id> was not found" when it
// is not there.
func (s *Store) totalsCart(ctx context.Context, db bun.IDB, id string) (*model.Cart, totals.CartTotals, error) {
	c := new(model.Cart)
	cq := db.NewSelect().Model(c).Where("cart.id = ?", id)
	cq = addOrderedRelations(db, cq, (*model.Cart)(nil), draftCartRelations).
		Relation("Region.TaxRates", func(q *bun.SelectQuery) *bun.SelectQuery { return q.OrderExpr(draftCartTaxRatesOrder) })
	if err := cq.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, totals.CartTotals{}, NotFoundf("Cart with %s was not found", id)
	} else if err != nil {
		return nil, totals.CartTotals{}, fmt.Errorf("get cart %s: %w", id, err)
	}
	FillRelations(s.DB, c, []string{"items.adjustments", "items.tax_lines", "gift_cards", "discounts", "payment_sessions",
		"shipping_methods", "region.tax_rates", "region.payment_providers", "region.fulfillment_providers"})
	rates, err := s.cartRates(ctx, db, c)
	if err != nil {
		return nil, totals.CartTotals{}, err
	}
	t, err := totals.Cart(c, rates, false)
	if err != nil {
		return nil, totals.CartTotals{}, totalsError(err)
	}
	return c, t, nil
}

// CartTotals are a cart's totals as the draft order routes show them (GraphQL's Cart.totals).
func (s *Store) CartTotals(ctx context.Context, cartID string) (*totals.CartTotals, error) {
	_, t, err := s.totalsCart(ctx, s.DB, cartID)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// DraftOrderFilter is GET /admin/draft-orders' q: a draft order matches when its cart's email
// contains q (case-insensitively) or its display id is q.
type DraftOrderFilter struct {
	Q *string
}

// ListDraftOrders is GET /admin/draft-orders: a page of draft orders, newest first, with their
// order and cart (items, their adjustments), and the number of matches.
func (s *Store) ListDraftOrders(ctx context.Context, f DraftOrderFilter, p Page) ([]*model.DraftOrder, int, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	out := []*model.DraftOrder{}
	q := s.DB.NewSelect().Model(&out)
	q = addOrderedRelations(s.DB, q, (*model.DraftOrder)(nil), draftListRelations)
	if f.Q != nil && *f.Q != "" {
		q = q.Where("(cart.email ILIKE ? OR draft_order.display_id::text ILIKE ?)", "%"+*f.Q+"%", *f.Q)
	}
	q, err := s.applyWhere(q, "draftOrder", p.Where)
	if err != nil {
		return nil, 0, err
	}
	q = q.OrderExpr("draft_order.created_at DESC, draft_order.id DESC")
	if p.All {
		n, err := q.Offset(int64(p.Offset)).ScanAndCount(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("list draft orders: %w", err)
		}
		FillRelations(s.DB, out, []string{"cart.items", "cart.items.adjustments"})
		return out, int(n), nil
	}
	rows, n, err := scanPage(ctx, q, &out, p, "list draft orders")
	if err != nil {
		return nil, 0, err
	}
	FillRelations(s.DB, rows, []string{"cart.items", "cart.items.adjustments"})
	return rows, n, nil
}

// DeleteDraftOrder is DELETE /admin/draft-orders/:id: the draft order's row goes (its cart
// stays, as in Medusa); an unknown id deletes nothing and is no error, and Medusa emits no
// event. A completed draft order, which its order references, cannot go: the database refuses
// it, as it refuses Medusa (a 500).
func (s *Store) DeleteDraftOrder(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*model.DraftOrder)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("delete draft order %s: %w", id, err)
		}
		return nil
	})
}

// openDraftOrder is the draft order id for a change of its cart: "Draft order with <id> was not
// found", and Medusa's refusal once it is completed.
func openDraftOrder(ctx context.Context, tx bun.IDB, id string) (*model.DraftOrder, error) {
	d := new(model.DraftOrder)
	err := tx.NewSelect().Model(d).Where("draft_order.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Draft order with %s was not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("get draft order %s: %w", id, err)
	}
	if d.Status == "completed" {
		return nil, Errorf(NotAllowed, "You are only allowed to update open draft orders")
	}
	if d.CartID == nil {
		return nil, NotFoundf("Cart with %s was not found", "undefined")
	}
	return d, nil
}

// DeleteDraftOrderLineItem is DELETE /admin/draft-orders/:id/line-items/:line_id, as Medusa's
// cart service removes a line: a line that is not the cart's changes nothing; else every item
// of the cart loses has_shipping (the shipping methods stay: Medusa does not load them before
// testing whether there are any), the line goes, the items' discount adjustments are made
// again, and cart.updated is emitted.
func (s *Store) DeleteDraftOrderLineItem(ctx context.Context, id, lineID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d, err := openDraftOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		return removeDraftLine(ctx, tx, *d.CartID, lineID)
	})
}

// removeDraftLine is Medusa's cartService.removeLineItem on a draft order's cart.
func removeDraftLine(ctx context.Context, tx bun.Tx, cartID, lineID string) error {
	n, err := tx.NewSelect().Model((*model.LineItem)(nil)).Where("cart_id = ?", cartID).Where("id = ?", lineID).Count(ctx)
	if err != nil {
		return fmt.Errorf("draft order line: %w", err)
	}
	if n == 0 {
		return nil
	}
	if _, err := tx.NewUpdate().Model((*model.LineItem)(nil)).Set("has_shipping = false").Set("updated_at = now()").
		Where("cart_id = ?", cartID).Exec(ctx); err != nil {
		return fmt.Errorf("draft order lines' shipping: %w", err)
	}
	if _, err := tx.NewDelete().Model((*model.LineItem)(nil)).Where("id = ?", lineID).Exec(ctx); err != nil {
		return fmt.Errorf("delete draft order line %s: %w", lineID, err)
	}
	if err := refreshAdjustments(ctx, tx, cartID); err != nil {
		return err
	}
	return emit(ctx, tx, "cart.updated", map[string]any{"id": cartID})
}

// UpdateDraftLineInput is AdminPostDraftOrdersDraftOrderLineItemsItemReq; a nil field is not
// given. Metadata absent is Medusa's default {}.
type UpdateDraftLineInput struct {
	Title     *string
	UnitPrice *int
	Quantity  *int
	Metadata  map[string]any
}

// UpdateDraftOrderLineItem is POST /admin/draft-orders/:id/line-items/:line_id: quantity 0
// removes the line (as the DELETE route does); else the line must be the cart's ("Could not
// find the line item"), a new quantity must be in stock for a variant that manages its
// inventory without backorders, the given columns and the merged metadata are saved (only
// when something changed, as TypeORM's save), the adjustments are made again and cart.updated
// is emitted with the cart.
func (s *Store) UpdateDraftOrderLineItem(ctx context.Context, id, lineID string, in UpdateDraftLineInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d, err := openDraftOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		cartID := *d.CartID
		if in.Quantity != nil && *in.Quantity == 0 {
			return removeDraftLine(ctx, tx, cartID, lineID)
		}
		it := new(model.LineItem)
		err = tx.NewSelect().Model(it).Where("line_item.id = ?", lineID).Where("line_item.cart_id = ?", cartID).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return Invalidf("Could not find the line item")
		} else if err != nil {
			return fmt.Errorf("draft order line %s: %w", lineID, err)
		}
		if in.Quantity != nil && it.VariantID != nil {
			v := new(model.ProductVariant)
			err := tx.NewSelect().Model(v).Where("product_variant.id = ?", *it.VariantID).Scan(ctx)
			if errors.Is(err, sql.ErrNoRows) {
				return NotFoundf("Variant with id: %s was not found", *it.VariantID)
			} else if err != nil {
				return fmt.Errorf("line variant: %w", err)
			}
			if v.ManageInventory && !v.AllowBackorder && v.InventoryQuantity < *in.Quantity {
				return &Error{Type: NotAllowed, Message: fmt.Sprintf("Variant with id: %s does not have the required inventory", v.ID),
					Code: "insufficient_inventory"}
			}
		}
		var cols []string
		if in.Title != nil && *in.Title != it.Title {
			it.Title, cols = *in.Title, append(cols, "title")
		}
		if in.UnitPrice != nil && *in.UnitPrice != it.UnitPrice {
			it.UnitPrice, cols = *in.UnitPrice, append(cols, "unit_price")
		}
		if in.Quantity != nil && *in.Quantity != it.Quantity {
			it.Quantity, cols = *in.Quantity, append(cols, "quantity")
		}
		meta := in.Metadata
		if meta == nil {
			meta = map[string]any{}
		}
		merged := mergeMetadata(it.Metadata, meta)
		if it.Metadata == nil || !sameJSON(merged, it.Metadata) {
			it.Metadata, cols = merged, append(cols, "metadata")
		}
		if len(cols) > 0 {
			_, err := tx.NewUpdate().Model(it).Column(append(cols, "updated_at")...).Value("updated_at", "now()").WherePK().Exec(ctx)
			if err != nil {
				return fmt.Errorf("update draft order line %s: %w", lineID, err)
			}
		}
		if err := refreshAdjustments(ctx, tx, cartID); err != nil {
			return err
		}
		// Medusa emits the cart it read for the adjustments: its items and discounts.
		c := new(model.Cart)
		cq := tx.NewSelect().Model(c).Where("cart.id = ?", cartID)
		cq = addOrderedRelations(tx, cq, (*model.Cart)(nil), []string{"Items", "Items.Variant", "Items.Variant.Product",
			"Discounts", "Discounts.Rule"})
		if err := cq.Scan(ctx); err != nil {
			return fmt.Errorf("cart %s: %w", cartID, err)
		}
		FillRelations(s.DB, c, []string{"items", "discounts"})
		return emit(ctx, tx, "cart.updated", struct {
			Object string `json:"object"`
			*model.Cart
		}{"cart", c})
	})
}

// refreshAdjustments is Medusa's refreshAdjustments_: the adjustments of the cart's items that
// are not return lines go, and each item gets the one its cart's discount gives now
// (totals.Adjustment), in the order of the cart's items.
func refreshAdjustments(ctx context.Context, tx bun.IDB, cartID string) error {
	c := new(model.Cart)
	q := tx.NewSelect().Model(c).Where("cart.id = ?", cartID)
	q = addOrderedRelations(tx, q, (*model.Cart)(nil), []string{"Items", "Items.Variant", "Items.Variant.Product",
		"Items.Variant.Product.Tags"})
	if err := q.Scan(ctx); err != nil {
		return fmt.Errorf("cart %s for adjustments: %w", cartID, err)
	}
	var discounts []*model.Discount
	dq := tx.NewSelect().Model(&discounts).Join("JOIN cart_discounts AS cd ON cd.discount_id = discount.id").
		Where("cd.cart_id = ?", cartID).OrderExpr("cd.ctid").
		Relation("Rule").Relation("Rule.Conditions").Relation("Rule.Conditions.Products").
		Relation("Rule.Conditions.ProductTypes").Relation("Rule.Conditions.ProductTags").
		Relation("Rule.Conditions.ProductCollections").Relation("Rule.Conditions.CustomerGroups")
	if err := dq.Scan(ctx); err != nil {
		return fmt.Errorf("cart %s discounts: %w", cartID, err)
	}
	c.Discounts = discounts
	var ids []string
	for _, it := range c.Items {
		if !it.IsReturn {
			ids = append(ids, it.ID)
		}
	}
	if len(ids) > 0 {
		if _, err := tx.NewDelete().Model((*model.LineItemAdjustment)(nil)).Where("item_id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
			return fmt.Errorf("delete adjustments: %w", err)
		}
	}
	for _, it := range c.Items {
		var product *model.Product
		if it.Variant != nil {
			product = it.Variant.Product
		}
		adj, err := totals.Adjustment(c, it, product)
		if err != nil {
			return totalsError(err)
		}
		if adj == nil {
			continue
		}
		adj.ID = NewID("lia")
		if _, err := tx.NewInsert().Model(adj).Exec(ctx); err != nil {
			return fmt.Errorf("insert adjustment: %w", err)
		}
	}
	return nil
}

// sameJSON says whether a and b encode alike (TypeORM compares json columns by their text).
func sameJSON(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(x) == string(y)
}
