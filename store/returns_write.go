package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/provider"
	"github.com/gorgon-commerce/gorgon/store/totals"
)

// Returns of orders (Medusa 1.3.8's ReturnService.create, fulfill, receive and cancel, the
// order service's registerReturnReceived, and the request-return route's idempotency key).

// ReturnItemInput is one OrdersReturnItem: a line item of the order (or of one of its swaps or
// claims), the quantity, and an optional reason and note.
type ReturnItemInput struct {
	ItemID   string
	Quantity int
	ReasonID *string
	Note     *string
}

// ReturnShippingInput is a return's shipping: the option and an optional price (the option's
// own amount when nil).
type ReturnShippingInput struct {
	OptionID *string
	Price    *int
}

// RequestReturnInput is AdminPostOrdersOrderReturnsReq.
type RequestReturnInput struct {
	Items          []ReturnItemInput
	ReturnShipping *ReturnShippingInput
	ReceiveNow     bool
	NoNotification *bool
	Refund         *int
}

// orderForTotals loads an order in tx with the relations Medusa's totals read, plus rels, as
// the read side loads it.
func (s *Store) orderForTotals(ctx context.Context, tx bun.IDB, id string, rels ...string) (*model.Order, totals.OrderTotals, error) {
	q, err := s.resolveOrderQuery(Find{Fields: []string{"id", "total"}, Expand: append([]string{"items"}, rels...)}, false)
	if err != nil {
		return nil, totals.OrderTotals{}, err
	}
	orders, err := s.loadOrders(ctx, tx, q, func(sq *bun.SelectQuery) *bun.SelectQuery {
		return sq.Where(`"order".id = ?`, id)
	})
	if err != nil {
		return nil, totals.OrderTotals{}, fmt.Errorf("read order %s: %w", id, err)
	}
	if len(orders) == 0 {
		return nil, totals.OrderTotals{}, NotFoundf("Order with %s was not found", id)
	}
	return orders[0], totals.Order(orders[0]), nil
}

// returnableItems are an order's items with its swaps' and claims' additional items, where
// Medusa looks for the items of a return.
func returnableItems(o *model.Order) []*model.LineItem {
	items := slices.Clone(o.Items)
	for _, sw := range o.Swaps {
		items = append(items, sw.AdditionalItems...)
	}
	for _, c := range o.Claims {
		items = append(items, c.AdditionalItems...)
	}
	return items
}

// returnLine is a line item with the quantity to return (validateReturnLineItem).
type returnLine struct {
	item     *model.LineItem
	quantity int
	in       ReturnItemInput
}

func validateReturnLines(o *model.Order, in []ReturnItemInput) ([]returnLine, error) {
	items := returnableItems(o)
	var out []returnLine
	for _, r := range in {
		var it *model.LineItem
		for _, x := range items {
			if x.ID == r.ItemID {
				it = x
				break
			}
		}
		if it == nil {
			return nil, Invalidf("Return contains invalid line item")
		}
		if r.Quantity > it.Quantity-deref(it.ReturnedQuantity) {
			return nil, Errorf(NotAllowed, "Cannot return more items than have been purchased")
		}
		out = append(out, returnLine{item: it, quantity: r.Quantity, in: r})
	}
	return out, nil
}

// IdempotencyKey is a request's idempotency key row (Medusa's idempotency_key table).
type IdempotencyKey = model.IdempotencyKey

// InitIdempotencyKey is IdempotencyKeyService.initializeRequest: the key the request names
// when one with that value exists, else a new key (a fresh UUID: as in Medusa, a value the
// client made up is not used), recording the request's method, path and params.
func (s *Store) InitIdempotencyKey(ctx context.Context, header, method, path string, params map[string]any) (*IdempotencyKey, error) {
	k := new(model.IdempotencyKey)
	err := s.DB.NewSelect().Model(k).Where("idempotency_key = ?", header).Limit(1).Scan(ctx)
	if err == nil {
		return k, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("idempotency key: %w", err)
	}
	k = &model.IdempotencyKey{ID: NewID("ikey"), IdempotencyKey: uuid.NewString(), RequestMethod: &method,
		RequestPath: &path, RequestParams: params, RecoveryPoint: "started"}
	if _, err := s.DB.NewInsert().Model(k).Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("idempotency key: %w", err)
	}
	return k, nil
}

// FinishIdempotencyKey records the answer of a request whose work is done, so that a retry
// with the key is answered the same without acting again.
func (s *Store) FinishIdempotencyKey(ctx context.Context, key string, code int, body map[string]any) error {
	if _, err := s.DB.NewUpdate().Model((*model.IdempotencyKey)(nil)).Set("recovery_point = 'finished'").
		Set("response_code = ?", code).Set("response_body = ?", body).Where("idempotency_key = ?", key).Exec(ctx); err != nil {
		return fmt.Errorf("idempotency key: %w", err)
	}
	return nil
}

// lockIdempotencyKey locks a key's row for a work stage and answers its recovery point.
func lockIdempotencyKey(ctx context.Context, tx bun.IDB, key string) (string, error) {
	var point string
	if err := tx.NewSelect().Model((*model.IdempotencyKey)(nil)).Column("recovery_point").Where("idempotency_key = ?", key).
		For("UPDATE").Scan(ctx, &point); err != nil {
		return "", fmt.Errorf("idempotency key: %w", err)
	}
	return point, nil
}

// RequestReturn requests a return of items of an order (the request-return route, under the
// idempotency key key): Medusa's two stages, return_requested then the answer, run here in one
// transaction that moves the key to return_requested, so a retried request never returns twice.
// The return refunds what the items are worth (getRefundTotal, floored) less its shipping with
// tax, or the amount given (a negative one is 0, and 0 is "not given", as in Medusa). A return shipping creates the return's shipping method with tax
// lines and books it with the provider. receive_now receives the items at once (without the
// refund: Medusa's route receives the return but does not register it on the order).
// Records order.return_requested.
func (s *Store) RequestReturn(ctx context.Context, orderID, key string, in RequestReturnInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		point, err := lockIdempotencyKey(ctx, tx, key)
		if err != nil {
			return err
		}
		if point != "started" {
			return nil
		}
		var refund *int
		if in.Refund != nil && *in.Refund < 0 {
			zero := 0
			refund = &zero
		} else if in.Refund != nil && *in.Refund > 0 {
			refund = in.Refund
		}
		o, err := lockOrder(ctx, tx, orderID)
		if err != nil {
			return err
		}
		no := o.NoNotification
		if in.NoNotification != nil {
			no = in.NoNotification
		}
		ret, err := s.createReturn(ctx, tx, o, key, in.Items, in.ReturnShipping, refund, no)
		if err != nil {
			return err
		}
		if in.ReturnShipping != nil {
			if err := s.fulfillReturn(ctx, tx, ret); err != nil {
				return err
			}
		}
		if err := emit(ctx, tx, "order.return_requested", map[string]any{"id": orderID, "return_id": ret.ID, "no_notification": notify(no)}); err != nil {
			return err
		}
		if in.ReceiveNow {
			if _, err := s.receiveReturn(ctx, tx, ret.ID, in.Items, in.Refund, false); err != nil {
				return err
			}
		}
		_, err = tx.NewUpdate().Model((*model.IdempotencyKey)(nil)).Set("recovery_point = 'return_requested'").
			Where("idempotency_key = ?", key).Exec(ctx)
		return err
	})
}

// createReturn is ReturnService.create for an order.
func (s *Store) createReturn(ctx context.Context, tx bun.IDB, o *model.Order, key string, items []ReturnItemInput,
	shipping *ReturnShippingInput, refund *int, no *bool) (*model.Return, error) {
	for _, r := range items {
		var line struct {
			Found    bool `bun:"found"`
			Canceled bool `bun:"canceled"`
		}
		if err := tx.NewRaw(`SELECT true AS found, coalesce(o.canceled_at, s.canceled_at, c.canceled_at) IS NOT NULL AS canceled
			FROM line_item l LEFT JOIN "order" o ON o.id = l.order_id LEFT JOIN swap s ON s.id = l.swap_id
			LEFT JOIN claim_order c ON c.id = l.claim_order_id WHERE l.id = ?`, r.ItemID).Scan(ctx, &line); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("create return: %w", err)
		}
		if !line.Found {
			return nil, NotFoundf("Line item with %s was not found", r.ItemID)
		}
		if line.Canceled {
			return nil, Invalidf("Cannot create a return for a canceled item.")
		}
	}
	full, _, err := s.orderForTotals(ctx, tx, o.ID, "swaps", "swaps.additional_items", "claims", "claims.additional_items", "region")
	if err != nil {
		return nil, err
	}
	lines, err := validateReturnLines(full, items)
	if err != nil {
		return nil, err
	}
	var toRefund int64
	if refund != nil {
		// Medusa compares the amount with the order's refundable amount here, computed
		// without the payments it does not load (NaN): the check never refuses, and neither
		// does Gorgon's. Receiving the return checks it for real.
		toRefund = int64(*refund)
	} else {
		rl := make([]totals.RefundLine, len(lines))
		for i, l := range lines {
			rl[i] = totals.RefundLine{Item: l.item, Quantity: l.quantity}
		}
		toRefund, err = totals.RefundTotal(full, rl)
		if err != nil {
			return nil, totalsError(err)
		}
	}
	var reasonIDs []string
	for _, l := range lines {
		if l.in.ReasonID != nil {
			reasonIDs = append(reasonIDs, *l.in.ReasonID)
		}
	}
	if len(reasonIDs) > 0 {
		n, err := tx.NewSelect().Model((*model.ReturnReason)(nil)).Where("parent_return_reason_id IN (?)", bun.In(reasonIDs)).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("create return: %w", err)
		}
		if n > 0 {
			return nil, Invalidf("Cannot apply return reason category")
		}
	}
	ret := &model.Return{ID: NewID("ret"), Status: "requested", OrderID: &o.ID, RefundAmount: int(math.Floor(float64(toRefund))),
		NoNotification: no, IdempotencyKey: &key}
	if _, err := tx.NewInsert().Model(ret).Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("create return: %w", err)
	}
	for _, l := range lines {
		q := l.quantity
		ri := &model.ReturnItem{ReturnID: ret.ID, ItemID: l.item.ID, Quantity: q, IsRequested: true, RequestedQuantity: &q,
			ReasonID: l.in.ReasonID, Note: l.in.Note, Metadata: l.item.Metadata}
		if _, err := tx.NewInsert().Model(ri).Exec(ctx); err != nil {
			return nil, dbError(err, "create return item")
		}
	}
	if shipping != nil && shipping.OptionID != nil && *shipping.OptionID != "" {
		total, err := s.returnShippingMethod(ctx, tx, full.Region, ret.ID, *shipping.OptionID, shipping.Price)
		if err != nil {
			return nil, err
		}
		if refund == nil {
			ret.RefundAmount = int(toRefund - total)
			if _, err := tx.NewUpdate().Model(ret).Column("refund_amount").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
				return nil, fmt.Errorf("create return: %w", err)
			}
		}
	}
	return ret, nil
}

// returnShippingMethod creates a return's shipping method of an option (createShippingMethod
// with the return) with its tax lines (createShippingTaxLines: the option's rates, else the
// region's default rate), and answers what it costs with tax.
func (s *Store) returnShippingMethod(ctx context.Context, tx bun.IDB, region *model.Region, returnID, optionID string, price *int) (int64, error) {
	opt := new(model.ShippingOption)
	err := tx.NewSelect().Model(opt).Where("?TableAlias.id = ?", optionID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, NotFoundf("Shipping Option with %s was not found", optionID)
	}
	if err != nil {
		return 0, fmt.Errorf("return shipping: %w", err)
	}
	fp, err := s.registry().Fulfillment(opt.ProviderID)
	if err != nil {
		return 0, providerError(err)
	}
	data, err := fp.ValidateFulfillmentData(ctx, opt.Data, provider.Data{}, nil)
	if err != nil {
		return 0, fmt.Errorf("return shipping: %w", err)
	}
	amount := 0
	switch {
	case price != nil:
		amount = *price
	case opt.PriceType == "calculated":
		amount, err = fp.CalculatePrice(ctx, opt.Data, data, nil)
		if err != nil {
			return 0, fmt.Errorf("return shipping: %w", err)
		}
	default:
		amount = deref(opt.Amount)
	}
	m := &model.ShippingMethod{ID: NewID("sm"), ShippingOptionID: opt.ID, ReturnID: &returnID, Price: amount, Data: nonNilData(data)}
	if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
		return 0, fmt.Errorf("return shipping: %w", err)
	}
	if region == nil {
		return 0, fmt.Errorf("return shipping: the order's region is not loaded")
	}
	if region.TaxProviderID != nil {
		if _, err := s.registry().Tax(*region.TaxProviderID); err != nil {
			return 0, providerError(err)
		}
	}
	var rates []*model.TaxRate
	if err := tx.NewSelect().Model(&rates).Join("JOIN shipping_tax_rate AS str ON str.rate_id = tax_rate.id").
		Where("str.shipping_option_id = ?", opt.ID).OrderExpr("tax_rate.ctid").Scan(ctx); err != nil {
		return 0, fmt.Errorf("return shipping: %w", err)
	}
	code := "default"
	lines := []*model.ShippingMethodTaxLine{}
	if len(rates) == 0 {
		lines = append(lines, &model.ShippingMethodTaxLine{Rate: region.TaxRate, Name: "default", Code: &code})
	}
	for _, r := range rates {
		lines = append(lines, &model.ShippingMethodTaxLine{Rate: deref(r.Rate), Name: r.Name, Code: r.Code})
	}
	pcts := make([]float64, len(lines))
	for i, l := range lines {
		l.ID, l.ShippingMethodID = NewID("smtl"), m.ID
		pcts[i] = l.Rate
		if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
			return 0, fmt.Errorf("return shipping tax line: %w", err)
		}
	}
	return totals.ReturnShippingTotal(amount, pcts), nil
}

// fulfillReturn is ReturnService.fulfill: a return with a shipping method is booked with the
// method's provider, whose answer is stored as shipping_data.
func (s *Store) fulfillReturn(ctx context.Context, tx bun.IDB, ret *model.Return) error {
	if ret.Status == "canceled" {
		return Errorf(NotAllowed, "Cannot fulfill a canceled return")
	}
	if ret.ShippingData != nil {
		return Errorf(NotAllowed, "Return has already been fulfilled")
	}
	m := new(model.ShippingMethod)
	err := tx.NewSelect().Model(m).Relation("ShippingOption").Where("shipping_method.return_id = ?", ret.ID).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("fulfill return: %w", err)
	}
	providerID := ""
	if m.ShippingOption != nil {
		providerID = m.ShippingOption.ProviderID
	}
	fp, err := s.registry().Fulfillment(providerID)
	if err != nil {
		return providerError(err)
	}
	data, err := fp.CreateReturn(ctx, ret)
	if err != nil {
		return fmt.Errorf("fulfill return with %s: %w", providerID, err)
	}
	ret.ShippingData = nonNilData(data)
	if _, err := tx.NewUpdate().Model(ret).Column("shipping_data").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("fulfill return: %w", err)
	}
	return nil
}

// lockReturn reads a return, locked.
func lockReturn(ctx context.Context, tx bun.IDB, id string) (*model.Return, error) {
	r := new(model.Return)
	err := tx.NewSelect().Model(r).Where("?TableAlias.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Return with id: %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read return %s: %w", id, err)
	}
	return r, nil
}

// ReceiveReturn receives a return's items (the receive route: ReturnService.receive allowing
// mismatches, then registerReturnReceived for an order's return). refund, when given, replaces
// the return's refund amount (negative is 0, 0 is "not given"). The items' returned_quantity
// grows by what was requested (as in Medusa), managed stock by what was received; the order's
// refundable amount permitting, the refund is paid and the order becomes returned or
// partially_returned (order.items_returned), else its fulfillment_status becomes
// requires_action (order.return_action_required).
func (s *Store) ReceiveReturn(ctx context.Context, id string, items []ReturnItemInput, refund *float64) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var amount *int
		if refund != nil {
			a := int(*refund)
			if *refund < 0 {
				a = 0
			}
			amount = &a
		}
		ret, err := s.receiveReturn(ctx, tx, id, items, amount, true)
		if err != nil {
			return err
		}
		if ret.OrderID != nil {
			if err := s.registerReturnReceived(ctx, tx, *ret.OrderID, ret, amount); err != nil {
				return err
			}
		}
		if ret.SwapID != nil {
			// Medusa's swap service then records the swap's return as received: Gorgon does
			// not serve swaps yet, and refuses rather than leave the swap half done.
			return Errorf(NotAllowed, "Returns of swaps are not served yet")
		}
		return nil
	})
}

// receiveReturn is ReturnService.receive.
func (s *Store) receiveReturn(ctx context.Context, tx bun.IDB, id string, items []ReturnItemInput, refund *int, allowMismatch bool) (*model.Return, error) {
	ret, err := lockReturn(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if ret.Status == "canceled" {
		return nil, Errorf(NotAllowed, "Cannot receive a canceled return")
	}
	orderID := deref(ret.OrderID)
	if ret.SwapID != nil {
		if err := tx.NewSelect().Model((*model.Swap)(nil)).Column("order_id").Where("id = ?", *ret.SwapID).Scan(ctx, &orderID); err != nil {
			return nil, fmt.Errorf("receive return: %w", err)
		}
	}
	o := new(model.Order)
	if err := tx.NewSelect().Model(o).Relation("Items", func(q *bun.SelectQuery) *bun.SelectQuery { return q.OrderExpr("line_item.ctid") }).
		Relation("Swaps").Relation("Swaps.AdditionalItems").Relation("Claims").Relation("Claims.AdditionalItems").
		Where(`"order".id = ?`, orderID).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, NotFoundf("Order with %s was not found", orderID)
		}
		return nil, fmt.Errorf("receive return: %w", err)
	}
	if ret.Status == "received" {
		return nil, Errorf(NotAllowed, "Return with id %s has already been received", id)
	}
	lines, err := validateReturnLines(o, items)
	if err != nil {
		return nil, err
	}
	var existing []*model.ReturnItem
	if err := tx.NewSelect().Model(&existing).Where("return_item.return_id = ?", ret.ID).OrderExpr("return_item.ctid").Scan(ctx); err != nil {
		return nil, fmt.Errorf("receive return: %w", err)
	}
	matching := true
	for _, l := range lines {
		q := l.quantity
		var ex *model.ReturnItem
		for _, x := range existing {
			if x.ItemID == l.item.ID {
				ex = x
				break
			}
		}
		if ex != nil {
			// Medusa saves the return with the received lines, but its items relation only
			// cascades inserts: a requested item's row stays as it was.
			matching = matching && q == ex.Quantity
			continue
		}
		matching = false
		md := l.item.Metadata
		if md == nil {
			md = map[string]any{}
		}
		ri := &model.ReturnItem{ReturnID: ret.ID, ItemID: l.item.ID, Quantity: q, IsRequested: false, ReceivedQuantity: &q, Metadata: md}
		if _, err := tx.NewInsert().Model(ri).On("CONFLICT (return_id, item_id) DO UPDATE").Set("quantity = EXCLUDED.quantity").
			Set("received_quantity = EXCLUDED.received_quantity").Set("is_requested = false").Exec(ctx); err != nil {
			return nil, fmt.Errorf("receive return item: %w", err)
		}
	}
	ret.Status = "received"
	if !matching && !allowMismatch {
		ret.Status = "requires_action"
	}
	if refund != nil && *refund != 0 {
		ret.RefundAmount = *refund
	}
	if _, err := tx.NewUpdate().Model(ret).Column("status", "refund_amount").Set("received_at = now()").Set("updated_at = now()").
		WherePK().Returning("received_at, updated_at").Exec(ctx); err != nil {
		return nil, fmt.Errorf("receive return: %w", err)
	}
	for _, ex := range existing {
		if _, err := tx.NewRaw(`UPDATE line_item SET returned_quantity = coalesce(returned_quantity, 0) + ?, updated_at = now() WHERE id = ?`,
			ex.Quantity, ex.ItemID).Exec(ctx); err != nil {
			return nil, fmt.Errorf("receive return: %w", err)
		}
	}
	for _, l := range lines {
		for _, it := range o.Items {
			if it.ID == l.item.ID {
				if err := adjustInventory(ctx, tx, it.VariantID, l.quantity); err != nil {
					return nil, err
				}
			}
		}
	}
	return ret, nil
}

// registerReturnReceived is OrderService.registerReturnReceived.
func (s *Store) registerReturnReceived(ctx context.Context, tx bun.IDB, orderID string, ret *model.Return, custom *int) error {
	o, err := lockOrder(ctx, tx, orderID)
	if err != nil {
		return err
	}
	full, tot, err := s.orderForTotals(ctx, tx, orderID, "payments")
	if err != nil {
		return err
	}
	if o.Status == "canceled" {
		return Errorf(NotAllowed, "A canceled order cannot be registered as received")
	}
	amount := ret.RefundAmount
	if custom != nil && *custom != 0 {
		amount = *custom
	}
	if int64(amount) > tot.RefundableAmount {
		o.FulfillmentStatus = "requires_action"
		if err := setOrderColumns(ctx, tx, o, "fulfillment_status"); err != nil {
			return err
		}
		return emit(ctx, tx, "order.return_action_required", map[string]any{"id": o.ID, "return_id": ret.ID, "no_notification": notify(ret.NoNotification)})
	}
	full1 := true
	for _, it := range full.Items {
		if it.ReturnedQuantity == nil || *it.ReturnedQuantity != it.Quantity {
			full1 = false
		}
	}
	if ret.RefundAmount > 0 {
		payments, err := orderPayments(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		if _, err := s.refundPayments(ctx, tx, o.ID, payments, ret.RefundAmount, "return", nil); err != nil {
			return err
		}
	}
	status := "partially_returned"
	if full1 {
		status = "returned"
	}
	if status != o.FulfillmentStatus {
		o.FulfillmentStatus = status
		if err := setOrderColumns(ctx, tx, o, "fulfillment_status"); err != nil {
			return err
		}
	}
	return emit(ctx, tx, "order.items_returned", map[string]any{"id": o.ID, "return_id": ret.ID, "no_notification": notify(ret.NoNotification)})
}

// ReturnWithSwap reads a return with its swap and its items (an eager relation), as the receive
// route answers it.
func (s *Store) ReturnWithSwap(ctx context.Context, id string) (*model.Return, error) {
	r := new(model.Return)
	err := s.DB.NewSelect().Model(r).Relation("Swap").Relation("Items", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.OrderExpr("return_item.ctid")
	}).Where("?TableAlias.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Return with id: %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read return %s: %w", id, err)
	}
	return r, nil
}

// CancelReturn cancels a return not received yet (ReturnService.cancel) and answers the id of
// the order it belongs to (directly, or through its swap or claim).
func (s *Store) CancelReturn(ctx context.Context, id string) (string, error) {
	var orderID string
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		r, err := lockReturn(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Status == "received" {
			return Errorf(NotAllowed, "Can't cancel a return which has been returned")
		}
		if _, err := tx.NewUpdate().Model(r).Set("status = 'canceled'").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("cancel return: %w", err)
		}
		orderID = deref(r.OrderID)
		switch {
		case r.SwapID != nil:
			err = tx.NewSelect().Model((*model.Swap)(nil)).Column("order_id").Where("id = ?", *r.SwapID).Scan(ctx, &orderID)
		case r.ClaimOrderID != nil:
			err = tx.NewSelect().Model((*model.ClaimOrder)(nil)).Column("order_id").Where("id = ?", *r.ClaimOrderID).Scan(ctx, &orderID)
		}
		if err != nil {
			return fmt.Errorf("cancel return: %w", err)
		}
		return nil
	})
	return orderID, err
}
