package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/totals"
)

// Creating a swap (Medusa 1.3.8's create-swap route: SwapService.create, createCart and
// ReturnService.fulfill, run in the route's first idempotency stage).

// CustomShippingOptionInput is a custom price (minor units) of a shipping option for the swap's
// cart.
type CustomShippingOptionInput struct {
	OptionID string
	Price    int
}

// CreateSwapInput is AdminPostOrdersOrderSwapsReq.
type CreateSwapInput struct {
	ReturnItems           []ReturnItemInput
	ReturnShipping        *ReturnShippingInput
	AdditionalItems       []AdditionalItemInput
	CustomShippingOptions []CustomShippingOptionInput
	NoNotification        *bool
	// AllowBackorder is the route's allow_backorder (true when not given).
	AllowBackorder bool
}

// CreateSwap creates a swap on an order under the idempotency key key (the route's stage
// swap_created, run here in one transaction that moves the key on, so a retried request never
// swaps twice). The order must be fulfilled (at least partly) and captured; returned items of
// canceled orders, swaps or claims are refused. The additional items take their variant's price
// in the order's region (no stock is reserved and no tax line is made: the swap's cart does that
// when the customer completes it). The swap (not_fulfilled, not_paid, no difference due yet)
// gets its return of the returned items, with the return shipping booked with its provider, and
// its cart: a swap cart for the order's email, addresses, region and discounts (free shipping
// aside), holding the additional items (with their discount adjustments), the return shipping's
// price as a return line, and each returned item as a return line at its negated price, plus the
// custom shipping options. Records swap.created then cart.created (customer.created first when
// no customer has the order's email).
func (s *Store) CreateSwap(ctx context.Context, orderID, key string, in CreateSwapInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		point, err := lockIdempotencyKey(ctx, tx, key)
		if err != nil {
			return err
		}
		if point != "started" {
			return nil
		}
		o, err := lockOrder(ctx, tx, orderID)
		if err != nil {
			return err
		}
		if o.FulfillmentStatus == "not_fulfilled" || o.PaymentStatus != "captured" {
			return Errorf(NotAllowed, "Order cannot be swapped")
		}
		ids := make([]string, len(in.ReturnItems))
		for i, ri := range in.ReturnItems {
			ids[i] = ri.ItemID
		}
		if err := refuseCanceledItems(ctx, tx, ids, "swap"); err != nil {
			return err
		}
		region := new(model.Region)
		if err := tx.NewSelect().Model(region).Where("?TableAlias.id = ?", o.RegionID).Scan(ctx); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return NotFoundf("Region with %s was not found", o.RegionID)
			}
			return fmt.Errorf("create swap: %w", err)
		}
		var newItems []*model.LineItem
		for _, ai := range in.AdditionalItems {
			it, err := generateLineItem(ctx, tx, ai.VariantID, region, ai.Quantity)
			if err != nil {
				return err
			}
			newItems = append(newItems, it)
		}
		no := o.NoNotification
		if in.NoNotification != nil {
			no = in.NoNotification
		}
		sw := &model.Swap{ID: NewID("swap"), FulfillmentStatus: "not_fulfilled", PaymentStatus: "not_paid", OrderID: o.ID,
			NoNotification: no, AllowBackorder: in.AllowBackorder, IdempotencyKey: &key}
		if _, err := tx.NewInsert().Model(sw).Exec(ctx); err != nil {
			return fmt.Errorf("create swap: %w", err)
		}
		for _, it := range newItems {
			it.SwapID = &sw.ID
			if _, err := tx.NewInsert().Model(it).Exec(ctx); err != nil {
				return fmt.Errorf("create swap item: %w", err)
			}
		}
		ret, err := s.createReturn(ctx, tx, o, key, in.ReturnItems, in.ReturnShipping, nil, no)
		if err != nil {
			return err
		}
		// The swap's return is the swap's only: no order, no idempotency key of its own.
		if _, err := tx.NewUpdate().Model(ret).Set("swap_id = ?", sw.ID).Set("order_id = NULL").Set("idempotency_key = NULL").
			WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("create swap return: %w", err)
		}
		ret.SwapID, ret.OrderID, ret.IdempotencyKey = &sw.ID, nil, nil
		if err := emit(ctx, tx, "swap.created", map[string]any{"id": sw.ID, "no_notification": notify(no)}); err != nil {
			return err
		}
		if err := s.createSwapCart(ctx, tx, o, sw, ret, newItems, in.CustomShippingOptions); err != nil {
			return err
		}
		if err := s.fulfillReturn(ctx, tx, ret); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model((*model.IdempotencyKey)(nil)).Set("recovery_point = 'swap_created'").
			Where("idempotency_key = ?", key).Exec(ctx)
		if err != nil {
			return fmt.Errorf("idempotency key: %w", err)
		}
		return nil
	})
}

// createSwapCart is SwapService.createCart for a new swap: CartService.create of a swap cart,
// the custom shipping options, the additional items moved onto the cart with their adjustments,
// the return shipping as a return line and the returned items as return lines
// (LineItemService.createReturnLines); the swap records its cart.
func (s *Store) createSwapCart(ctx context.Context, tx bun.IDB, o *model.Order, sw *model.Swap, ret *model.Return,
	items []*model.LineItem, custom []CustomShippingOptionInput) error {
	var discounts []*model.Discount
	if err := tx.NewSelect().Model(&discounts).Join("JOIN order_discounts AS od ON od.discount_id = discount.id").
		Where("od.order_id = ?", o.ID).OrderExpr("od.ctid").
		Relation("Rule").Relation("Rule.Conditions").Relation("Rule.Conditions.Products").
		Relation("Rule.Conditions.ProductTypes").Relation("Rule.Conditions.ProductTags").
		Relation("Rule.Conditions.ProductCollections").Relation("Rule.Conditions.CustomerGroups").Scan(ctx); err != nil {
		return fmt.Errorf("swap cart discounts: %w", err)
	}
	// Free shipping is the order's only.
	discounts = slices.DeleteFunc(discounts, func(d *model.Discount) bool { return d.Rule != nil && d.Rule.Type == "free_shipping" })

	c := &model.Cart{ID: NewID("cart"), RegionID: o.RegionID, BillingAddressID: o.BillingAddressID, Type: "swap",
		Context: map[string]any{}, Metadata: map[string]any{"swap_id": sw.ID, "parent_order_id": o.ID}}
	if s.Config.FeatureSalesChannels {
		st, err := loadStore(ctx, tx, false, "DefaultSalesChannel")
		if err != nil {
			return err
		}
		sc := st.DefaultSalesChannel
		if sc == nil {
			// Medusa reads is_disabled of the missing channel and fails (a 500).
			return Errorf(UnexpectedState, "The store has no default sales channel for the swap's cart")
		}
		if sc.IsDisabled {
			return Invalidf(`Unable to assign the cart to a disabled Sales Channel "%s"`, sc.Name)
		}
		c.SalesChannelID = model.FlaggedIDOf(&sc.ID)
	}
	var events []event
	if o.Email != "" {
		cus, created, err := customerForEmail(ctx, tx, o.Email)
		if err != nil {
			return err
		}
		if created {
			events = append(events, event{"customer.created", cus})
		}
		c.CustomerID, c.Email = &cus.ID, &cus.Email
	}
	var countries []string
	if err := tx.NewSelect().Model((*model.Country)(nil)).Column("iso_2").Where("region_id = ?", o.RegionID).
		OrderExpr("id").Scan(ctx, &countries); err != nil {
		return fmt.Errorf("swap cart region: %w", err)
	}
	if o.ShippingAddressID != nil {
		var country *string
		err := tx.NewSelect().Model((*model.Address)(nil)).Column("country_code").Where("id = ?", *o.ShippingAddressID).Scan(ctx, &country)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("swap cart address: %w", err)
		}
		if country != nil && *country != "" && !slices.Contains(countries, *country) {
			return Errorf(NotAllowed, "Shipping country not in region")
		}
		c.ShippingAddressID = o.ShippingAddressID
	} else if len(countries) == 1 {
		a := &model.Address{ID: NewID("addr"), CountryCode: &countries[0]}
		if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
			return fmt.Errorf("swap cart address: %w", err)
		}
		c.ShippingAddressID = &a.ID
	}
	if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
		return dbError(err, "create swap cart")
	}
	for _, d := range discounts {
		if _, err := tx.NewInsert().Model(&model.CartDiscount{CartID: c.ID, DiscountID: d.ID}).Exec(ctx); err != nil {
			return fmt.Errorf("swap cart discounts: %w", err)
		}
	}
	events = append(events, event{"cart.created", map[string]any{"id": c.ID}})
	if err := emitAll(ctx, tx, events); err != nil {
		return err
	}
	for _, cso := range custom {
		row := &model.CustomShippingOption{ID: NewID("cso"), Price: cso.Price, ShippingOptionID: cso.OptionID, CartID: &c.ID}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			// Medusa's insert fails on the foreign key (a 500).
			if e, ok := AsError(dbError(err, "")); ok && e.Type == InvalidData {
				return NotFoundf("Shipping Option with %s was not found", cso.OptionID)
			}
			return fmt.Errorf("custom shipping option: %w", err)
		}
	}
	// The cart Medusa generates the adjustments with: just created, its discounts and no items.
	adjCart := &model.Cart{ID: c.ID, Type: "swap", Discounts: discounts}
	for _, it := range items {
		if _, err := tx.NewUpdate().Model(it).Set("cart_id = ?", c.ID).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("swap cart items: %w", err)
		}
		it.CartID = &c.ID
		var product *model.Product
		if len(discounts) > 0 && it.VariantID != nil {
			product = new(model.Product)
			if err := tx.NewSelect().Model(product).Relation("Tags").
				Join("JOIN product_variant AS v ON v.product_id = product.id").Where("v.id = ?", *it.VariantID).Scan(ctx); err != nil {
				return fmt.Errorf("swap cart item product: %w", err)
			}
		}
		adj, err := totals.Adjustment(adjCart, it, product)
		if err != nil {
			return totalsError(err)
		}
		if adj != nil {
			adj.ID = NewID("lia")
			if _, err := tx.NewInsert().Model(adj).Exec(ctx); err != nil {
				return fmt.Errorf("swap cart adjustment: %w", err)
			}
		}
	}
	m := new(model.ShippingMethod)
	err := tx.NewSelect().Model(m).Where("shipping_method.return_id = ?", ret.ID).OrderExpr("shipping_method.ctid").Limit(1).Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("swap cart return shipping: %w", err)
	default:
		var tls []*model.ShippingMethodTaxLine
		if err := tx.NewSelect().Model(&tls).Where("shipping_method_id = ?", m.ID).OrderExpr("ctid").Scan(ctx); err != nil {
			return fmt.Errorf("swap cart return shipping: %w", err)
		}
		yes := true
		line := &model.LineItem{ID: NewID("item"), CartID: &c.ID, Title: "Return shipping", Quantity: 1, HasShipping: &yes,
			UnitPrice: m.Price, IsReturn: true, ShouldMerge: true}
		if _, err := tx.NewInsert().Model(line).Exec(ctx); err != nil {
			return fmt.Errorf("swap cart return shipping: %w", err)
		}
		for _, tl := range tls {
			if _, err := tx.NewInsert().Model(&model.LineItemTaxLine{ID: NewID("litl"), ItemID: line.ID, Rate: tl.Rate, Name: tl.Name,
				Code: tl.Code, Metadata: tl.Metadata}).Exec(ctx); err != nil {
				return fmt.Errorf("swap cart return shipping: %w", err)
			}
		}
	}
	if err := createReturnLines(ctx, tx, ret.ID, c.ID); err != nil {
		return err
	}
	if _, err := tx.NewUpdate().Model(sw).Set("cart_id = ?", c.ID).Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("create swap cart: %w", err)
	}
	sw.CartID = &c.ID
	return nil
}

// createReturnLines is LineItemService.createReturnLines: each item of the return becomes a
// return line of the cart at its negated unit price for the returned quantity, with copies of
// its tax lines and its adjustments negated.
func createReturnLines(ctx context.Context, tx bun.IDB, returnID, cartID string) error {
	var ris []*model.ReturnItem
	if err := tx.NewSelect().Model(&ris).Where("return_id = ?", returnID).OrderExpr("ctid").Scan(ctx); err != nil {
		return fmt.Errorf("return lines: %w", err)
	}
	if len(ris) == 0 {
		return nil
	}
	ids := make([]string, len(ris))
	for i, ri := range ris {
		ids[i] = ri.ItemID
	}
	var items []*model.LineItem
	if err := tx.NewSelect().Model(&items).Relation("TaxLines", func(q *bun.SelectQuery) *bun.SelectQuery { return q.OrderExpr("ctid") }).
		Relation("Adjustments", func(q *bun.SelectQuery) *bun.SelectQuery { return q.OrderExpr("ctid") }).
		Where("?TableAlias.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return fmt.Errorf("return lines: %w", err)
	}
	byID := make(map[string]*model.LineItem, len(items))
	for _, li := range items {
		byID[li.ID] = li
	}
	var lines []*model.LineItem
	var taxLines []*model.LineItemTaxLine
	var adjustments []*model.LineItemAdjustment
	for _, ri := range ris {
		li := byID[ri.ItemID]
		if li == nil {
			return fmt.Errorf("return lines: item %s of return %s not found", ri.ItemID, returnID)
		}
		line := &model.LineItem{ID: NewID("item"), CartID: &cartID, Thumbnail: li.Thumbnail, IsReturn: true, Title: li.Title,
			VariantID: li.VariantID, UnitPrice: -li.UnitPrice, Quantity: ri.Quantity, AllowDiscounts: li.AllowDiscounts,
			Metadata: li.Metadata, ShouldMerge: true}
		lines = append(lines, line)
		for _, tl := range li.TaxLines {
			taxLines = append(taxLines, &model.LineItemTaxLine{ID: NewID("litl"), ItemID: line.ID, Rate: tl.Rate, Name: tl.Name,
				Code: tl.Code, Metadata: tl.Metadata})
		}
		for _, a := range li.Adjustments {
			adjustments = append(adjustments, &model.LineItemAdjustment{ID: NewID("lia"), ItemID: line.ID, Amount: -a.Amount,
				Description: a.Description, DiscountID: a.DiscountID, Metadata: a.Metadata})
		}
	}
	if _, err := tx.NewInsert().Model(&lines).Exec(ctx); err != nil {
		return fmt.Errorf("return lines: %w", err)
	}
	if len(taxLines) > 0 {
		if _, err := tx.NewInsert().Model(&taxLines).Exec(ctx); err != nil {
			return fmt.Errorf("return lines: %w", err)
		}
	}
	if len(adjustments) > 0 {
		if _, err := tx.NewInsert().Model(&adjustments).Exec(ctx); err != nil {
			return fmt.Errorf("return lines: %w", err)
		}
	}
	return nil
}

// customerForEmail is the cart service's createOrFetchUserFromEmail_: the customer with the
// email (lower-cased), else a new one without an account.
func customerForEmail(ctx context.Context, tx bun.IDB, email string) (*model.Customer, bool, error) {
	if !IsEmail(email) {
		return nil, false, Invalidf("The email is not valid")
	}
	email = strings.ToLower(email)
	c := new(model.Customer)
	err := tx.NewSelect().Model(c).Where("?TableAlias.email = ?", email).OrderExpr("?TableAlias.ctid").Limit(1).Scan(ctx)
	if err == nil {
		return c, false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, false, fmt.Errorf("customer by email: %w", err)
	}
	c = &model.Customer{ID: NewID("cus"), Email: email}
	if _, err := tx.NewInsert().Model(c).Returning("*").Exec(ctx); err != nil {
		return nil, false, dbError(err, "insert customer")
	}
	return c, true, nil
}

// ProcessSwapDifference settles a swap's difference (SwapService.processDifference, then the
// route's read of the order, which must exist). Not for a canceled swap, nor one its customer
// has not confirmed (completed its cart). A negative difference is refunded from the order's
// payments (reason swap): difference_refunded and swap.refund_processed, or, when the refund
// fails, requires_action and swap.process_refund_failed. No difference is difference_refunded
// (swap.refund_processed). A positive (or unknown) difference captures the swap's payment:
// captured and swap.payment_captured, or requires_action and swap.payment_capture_failed. A swap
// already refunded or captured is left as it is.
func (s *Store) ProcessSwapDifference(ctx context.Context, orderID, swapID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sw := new(model.Swap)
		err := tx.NewSelect().Model(sw).Where("?TableAlias.id = ?", swapID).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return NotFoundf("Swap was not found")
		}
		if err != nil {
			return fmt.Errorf("read swap %s: %w", swapID, err)
		}
		if err := s.processSwapDifference(ctx, tx, sw); err != nil {
			return err
		}
		var found bool
		if err := tx.NewRaw(`SELECT EXISTS (SELECT 1 FROM "order" WHERE id = ?)`, orderID).Scan(ctx, &found); err != nil {
			return fmt.Errorf("read order %s: %w", orderID, err)
		}
		if !found {
			return NotFoundf("Order with %s was not found", orderID)
		}
		return nil
	})
}

func (s *Store) processSwapDifference(ctx context.Context, tx bun.Tx, sw *model.Swap) error {
	if sw.CanceledAt != nil {
		return Errorf(NotAllowed, "Canceled swap cannot be processed")
	}
	if sw.ConfirmedAt == nil {
		return Errorf(NotAllowed, "Cannot process a swap that hasn't been confirmed by the customer")
	}
	settle := func(status, evt string) error {
		if _, err := tx.NewUpdate().Model(sw).Set("payment_status = ?", status).Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("process swap difference: %w", err)
		}
		return emit(ctx, tx, evt, map[string]any{"id": sw.ID, "no_notification": notify(sw.NoNotification)})
	}
	// attempt runs a provider call whose failure Medusa catches: the call's writes are undone
	// and its error is answered as failed (err is a failure of the savepoint itself).
	attempt := func(fn func() error) (failed, err error) {
		if _, err := tx.ExecContext(ctx, "SAVEPOINT swap_difference"); err != nil {
			return nil, fmt.Errorf("process swap difference: %w", err)
		}
		if failed = fn(); failed != nil {
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT swap_difference"); err != nil {
				return nil, fmt.Errorf("process swap difference: %w", err)
			}
			return failed, nil
		}
		if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT swap_difference"); err != nil {
			return nil, fmt.Errorf("process swap difference: %w", err)
		}
		return nil, nil
	}
	switch {
	case sw.DifferenceDue != nil && *sw.DifferenceDue < 0:
		if sw.PaymentStatus == "difference_refunded" {
			return nil
		}
		failed, err := attempt(func() error {
			payments, err := orderPayments(ctx, tx, sw.OrderID)
			if err != nil {
				return err
			}
			_, err = s.refundPayments(ctx, tx, sw.OrderID, payments, -*sw.DifferenceDue, "swap", nil)
			return err
		})
		if err != nil {
			return err
		}
		if failed != nil {
			slog.WarnContext(ctx, "swap refund failed", "swap", sw.ID, "err", failed)
			return settle("requires_action", "swap.process_refund_failed")
		}
		return settle("difference_refunded", "swap.refund_processed")
	case sw.DifferenceDue != nil && *sw.DifferenceDue == 0:
		if sw.PaymentStatus == "difference_refunded" {
			return nil
		}
		return settle("difference_refunded", "swap.refund_processed")
	}
	if sw.PaymentStatus == "captured" {
		return nil
	}
	failed, err := attempt(func() error {
		p := new(model.Payment)
		err := tx.NewSelect().Model(p).Where("payment.swap_id = ?", sw.ID).OrderExpr("payment.ctid").Limit(1).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return errors.New("the swap has no payment")
		}
		if err != nil {
			return err
		}
		return s.capture(ctx, tx, p)
	})
	if err != nil {
		return err
	}
	if failed != nil {
		slog.WarnContext(ctx, "swap payment capture failed", "swap", sw.ID, "err", failed)
		return settle("requires_action", "swap.payment_capture_failed")
	}
	return settle("captured", "swap.payment_captured")
}

// refuseCanceledItems is the check claim and swap creation make of the items they name, in the
// order given: each must exist (not_found) and belong to an order, swap or claim that is not
// canceled ("Cannot create a <what> on a canceled item."). One statement for all the items.
func refuseCanceledItems(ctx context.Context, tx bun.IDB, itemIDs []string, what string) error {
	if len(itemIDs) == 0 {
		return nil
	}
	var rows []struct {
		ID       string `bun:"id"`
		Canceled bool   `bun:"canceled"`
	}
	err := tx.NewRaw(`SELECT li.id, coalesce(o.canceled_at, s.canceled_at, c.canceled_at) IS NOT NULL AS canceled
		FROM line_item li LEFT JOIN "order" o ON o.id = li.order_id LEFT JOIN swap s ON s.id = li.swap_id
		LEFT JOIN claim_order c ON c.id = li.claim_order_id WHERE li.id IN (?)`, bun.In(itemIDs)).Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("create %s: items: %w", what, err)
	}
	canceled := make(map[string]bool, len(rows))
	for _, r := range rows {
		canceled[r.ID] = r.Canceled
	}
	for _, id := range itemIDs {
		c, ok := canceled[id]
		if !ok {
			return NotFoundf("Line item with %s was not found", id)
		}
		if c {
			return Invalidf("Cannot create a %s on a canceled item.", what)
		}
	}
	return nil
}
