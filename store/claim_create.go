package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/totals"
)

// Creating a claim (Medusa 1.3.8's create-claim route, ClaimService.create and processRefund,
// ClaimItemService.create, LineItemService.generate with the price selection strategy).

// CreateClaimItemInput is one of the route's claim_items.
type CreateClaimItemInput struct {
	ItemID   string
	Quantity int
	Note     *string
	Reason   *string
	Tags     []string
	Images   []string
}

// AdditionalItemInput is a replacement: units of a variant.
type AdditionalItemInput struct {
	VariantID string
	Quantity  int
}

// CreateClaimInput is AdminPostOrdersOrderClaimsReq.
type CreateClaimInput struct {
	Type            string
	ClaimItems      []CreateClaimItemInput
	ReturnShipping  *ReturnShippingInput
	AdditionalItems []AdditionalItemInput
	ShippingMethods []ClaimShippingMethodInput
	ShippingAddress *AddressInput
	NoNotification  *bool
	Metadata        map[string]any
}

var claimReasons = []string{"missing_item", "wrong_item", "production_failure", "other"}

// CreateClaim creates a claim on an order under the idempotency key key (the route's stages
// claim created, refund handled and answer, run here in one transaction that moves the key on,
// so a retried request never claims twice). See ClaimService.create for the rules: items of
// canceled orders, swaps or claims are refused; a replace claim needs additional items, a refund
// claim refunds its items' worth (the route drops refund_amount); additional items take their
// variant's price in the order's region, reserve stock and get tax lines; shipping methods are
// attached or created; claim items (reason required, at most the fulfilled quantity) get their
// tags and images; a return shipping creates the claim's return of the claimed items, booked
// with its provider. A refund claim is then refunded from the order's payments. Records
// claim_item.created per item, claim.created, then claim.refund_processed for a refund claim.
func (s *Store) CreateClaim(ctx context.Context, orderID, key string, in CreateClaimInput) error {
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
		full, _, err := s.orderForTotals(ctx, tx, orderID, "swaps", "swaps.additional_items", "claims", "claims.additional_items", "region")
		if err != nil {
			return err
		}
		ids := make([]string, len(in.ClaimItems))
		for i, ci := range in.ClaimItems {
			ids[i] = ci.ItemID
		}
		if err := refuseCanceledItems(ctx, tx, ids, "claim"); err != nil {
			return err
		}
		addressID := o.ShippingAddressID
		if in.ShippingAddress != nil {
			a := &model.Address{ID: NewID("addr"), Metadata: in.ShippingAddress.Metadata}
			cols := map[string]**string{"first_name": &a.FirstName, "last_name": &a.LastName, "phone": &a.Phone, "company": &a.Company,
				"address_1": &a.Address1, "address_2": &a.Address2, "city": &a.City, "country_code": &a.CountryCode,
				"province": &a.Province, "postal_code": &a.PostalCode}
			for k, v := range in.ShippingAddress.Fields {
				if dst, ok := cols[k]; ok {
					*dst = v
				}
			}
			if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
				return dbError(err, "create claim address")
			}
			addressID = &a.ID
		}
		if in.Type != "refund" && in.Type != "replace" {
			return Invalidf(`Claim type must be one of "refund" or "replace".`)
		}
		if in.Type == "replace" && len(in.AdditionalItems) == 0 {
			return Invalidf(`Claims with type "replace" must have at least one additional item.`)
		}
		if len(in.ClaimItems) == 0 {
			return Invalidf("Claims must have at least one claim item.")
		}
		// The route does not pass refund_amount on to the service: a refund claim always
		// refunds what its items are worth.
		var toRefund *int
		if in.Type == "refund" {
			// The route reads the order without its items' adjustments and its gift cards:
			// Medusa's refund of a claim takes no discount or gift card off the items.
			ro := claimRefundOrder(full)
			all := append([]*model.LineItem(nil), ro.Items...)
			shippedOrSame := func(it *model.LineItem) bool {
				return deref(it.ShippedQuantity) != 0 || (it.ShippedQuantity == nil) == (it.FulfilledQuantity == nil) &&
					deref(it.ShippedQuantity) == deref(it.FulfilledQuantity)
			}
			for _, sw := range ro.Swaps {
				for _, it := range sw.AdditionalItems {
					if shippedOrSame(it) {
						all = append(all, it)
					}
				}
			}
			for _, c := range ro.Claims {
				for _, it := range c.AdditionalItems {
					if shippedOrSame(it) {
						all = append(all, it)
					}
				}
			}
			var rl []totals.RefundLine
			for _, ci := range in.ClaimItems {
				var found *model.LineItem
				for _, it := range all {
					if it.ID == ci.ItemID {
						found = it
						break
					}
				}
				if found == nil {
					// Medusa prices a line it did not find as NaN, which its insert refuses.
					return Invalidf("Claim item %s is not an item of the order", ci.ItemID)
				}
				rl = append(rl, totals.RefundLine{Item: found, Quantity: ci.Quantity})
			}
			n, err := totals.RefundTotal(ro, rl)
			if err != nil {
				return totalsError(err)
			}
			v := int(n)
			toRefund = &v
		}
		var newItems []*model.LineItem
		for _, ai := range in.AdditionalItems {
			if err := confirmInventory(ctx, tx, ai.VariantID, ai.Quantity); err != nil {
				return err
			}
		}
		for _, ai := range in.AdditionalItems {
			it, err := generateLineItem(ctx, tx, ai.VariantID, full.Region, ai.Quantity)
			if err != nil {
				return err
			}
			newItems = append(newItems, it)
		}
		for _, it := range newItems {
			if err := adjustInventory(ctx, tx, it.VariantID, -it.Quantity); err != nil {
				return err
			}
		}
		no := o.NoNotification
		if in.NoNotification != nil {
			no = in.NoNotification
		}
		payment := "na"
		if in.Type == "refund" {
			payment = "not_refunded"
		}
		c := &model.ClaimOrder{ID: NewID("claim"), PaymentStatus: payment, FulfillmentStatus: "not_fulfilled", Type: in.Type,
			OrderID: o.ID, ShippingAddressID: addressID, RefundAmount: toRefund, NoNotification: no, IdempotencyKey: &key, Metadata: in.Metadata}
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return fmt.Errorf("create claim: %w", err)
		}
		for _, it := range newItems {
			it.ClaimOrderID = &c.ID
			if _, err := tx.NewInsert().Model(it).Exec(ctx); err != nil {
				return fmt.Errorf("create claim item: %w", err)
			}
		}
		for _, it := range newItems {
			if err := s.itemTaxLines(ctx, tx, it, full.Region); err != nil {
				return err
			}
		}
		for _, m := range in.ShippingMethods {
			if m.ID != nil && *m.ID != "" {
				if _, err := tx.NewUpdate().Model((*model.ShippingMethod)(nil)).Set("claim_order_id = ?", c.ID).Where("id = ?", *m.ID).Exec(ctx); err != nil {
					return fmt.Errorf("create claim shipping methods: %w", err)
				}
				continue
			}
			if err := s.claimShippingMethod(ctx, tx, c.ID, deref(m.OptionID), m.Price); err != nil {
				return err
			}
		}
		for _, ci := range in.ClaimItems {
			if err := createClaimItem(ctx, tx, c.ID, ci); err != nil {
				return err
			}
		}
		var ret *model.Return
		if in.ReturnShipping != nil {
			items := make([]ReturnItemInput, len(in.ClaimItems))
			for i, ci := range in.ClaimItems {
				items[i] = ReturnItemInput{ItemID: ci.ItemID, Quantity: ci.Quantity}
			}
			ret, err = s.createReturn(ctx, tx, o, key, items, in.ReturnShipping, nil, no)
			if err != nil {
				return err
			}
			// The claim's return has no idempotency key of its own.
			if _, err := tx.NewUpdate().Model(ret).Set("claim_order_id = ?", c.ID).Set("idempotency_key = NULL").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("create claim return: %w", err)
			}
			ret.IdempotencyKey = nil
		}
		if err := emit(ctx, tx, "claim.created", map[string]any{"id": c.ID, "no_notification": notify(no)}); err != nil {
			return err
		}
		if err := s.processClaimRefund(ctx, tx, c); err != nil {
			return err
		}
		if ret != nil {
			if err := s.fulfillReturn(ctx, tx, ret); err != nil {
				return err
			}
		}
		_, err = tx.NewUpdate().Model((*model.IdempotencyKey)(nil)).Set("recovery_point = 'refund_handled'").
			Where("idempotency_key = ?", key).Exec(ctx)
		if err != nil {
			return fmt.Errorf("idempotency key: %w", err)
		}
		return nil
	})
}

// claimRefundOrder is the order as the create-claim route reads it for the refund: its items
// and its swaps' and claims' additional items without adjustments, no gift cards.
func claimRefundOrder(o *model.Order) *model.Order {
	strip := func(items []*model.LineItem) []*model.LineItem {
		out := make([]*model.LineItem, len(items))
		for i, it := range items {
			cp := *it
			cp.Adjustments = nil
			out[i] = &cp
		}
		return out
	}
	ro := *o
	ro.GiftCards, ro.GiftCardTransactions = nil, nil
	ro.Items = strip(o.Items)
	ro.Swaps = make([]*model.Swap, len(o.Swaps))
	for i, sw := range o.Swaps {
		cp := *sw
		cp.AdditionalItems = strip(sw.AdditionalItems)
		ro.Swaps[i] = &cp
	}
	ro.Claims = make([]*model.ClaimOrder, len(o.Claims))
	for i, c := range o.Claims {
		cp := *c
		cp.AdditionalItems = strip(c.AdditionalItems)
		ro.Claims[i] = &cp
	}
	return &ro
}

// processClaimRefund is processRefund for a refund claim: its amount refunded from the order's
// payments (when not 0), the claim's payment_status refunded.
func (s *Store) processClaimRefund(ctx context.Context, tx bun.IDB, c *model.ClaimOrder) error {
	if c.Type != "refund" {
		return nil
	}
	if deref(c.RefundAmount) != 0 {
		payments, err := orderPayments(ctx, tx, c.OrderID)
		if err != nil {
			return err
		}
		if _, err := s.refundPayments(ctx, tx, c.OrderID, payments, *c.RefundAmount, "claim", nil); err != nil {
			return err
		}
	}
	if _, err := tx.NewUpdate().Model(c).Set("payment_status = 'refunded'").Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("claim refund: %w", err)
	}
	return emit(ctx, tx, "claim.refund_processed", map[string]any{"id": c.ID, "no_notification": notify(c.NoNotification)})
}

// confirmInventory is InventoryService.confirmInventory.
func confirmInventory(ctx context.Context, tx bun.IDB, variantID string, quantity int) error {
	v := new(model.ProductVariant)
	err := tx.NewSelect().Model(v).Where("?TableAlias.id = ?", variantID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFoundf("Variant with id: %s was not found", variantID)
	}
	if err != nil {
		return fmt.Errorf("confirm inventory: %w", err)
	}
	if v.ManageInventory && !v.AllowBackorder && v.InventoryQuantity < quantity {
		return Errorf(NotAllowed, "Variant with id: %s does not have the required inventory", v.ID)
	}
	return nil
}

// generateLineItem is LineItemService.generate without a unit price: the variant's calculated
// price in the region for the quantity (variantRegionPrice).
func generateLineItem(ctx context.Context, tx bun.IDB, variantID string, region *model.Region, quantity int) (*model.LineItem, error) {
	return variantLineItem(ctx, tx, variantID, region, quantity, nil)
}

// variantLineItem is LineItemService.generate: a line of the variant (its product's title,
// thumbnail, discountable and gift card flags, the variant's title as description) at the given
// unit price (a negative one is 0; should_merge false), else at its calculated price in the
// region (should_merge true); quantity 0 is 1.
func variantLineItem(ctx context.Context, tx bun.IDB, variantID string, region *model.Region, quantity int, unitPrice *int) (*model.LineItem, error) {
	v := new(model.ProductVariant)
	err := tx.NewSelect().Model(v).Relation("Product").Where("?TableAlias.id = ?", variantID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Variant with id: %s was not found", variantID)
	}
	if err != nil {
		return nil, fmt.Errorf("generate line item: %w", err)
	}
	price, merge := unitPrice, false
	if price != nil && *price < 0 {
		zero := 0
		price = &zero
	}
	if price == nil {
		merge = true
		if price, err = variantRegionPrice(ctx, tx, variantID, region, quantity); err != nil {
			return nil, err
		}
		if price == nil {
			// Medusa inserts the item without a price, which the column refuses (a 500).
			return nil, Invalidf("Variant with id: %s has no price in the order's region", variantID)
		}
	}
	if v.Product == nil {
		return nil, fmt.Errorf("generate line item: variant %s without its product", variantID)
	}
	desc := v.Title
	if quantity == 0 {
		quantity = 1
	}
	return &model.LineItem{ID: NewID("item"), UnitPrice: *price, Title: v.Product.Title, Description: &desc, Thumbnail: v.Product.Thumbnail,
		VariantID: &v.ID, Quantity: quantity, AllowDiscounts: v.Product.Discountable, IsGiftcard: v.Product.IsGiftcard,
		Metadata: map[string]any{}, ShouldMerge: merge}, nil
}

// variantRegionPrice is the price selection strategy without a customer (customerPrice).
func variantRegionPrice(ctx context.Context, tx bun.IDB, variantID string, region *model.Region, quantity int) (*int, error) {
	return customerPrice(ctx, tx, variantID, region, quantity, "")
}

// customerPrice is the price selection strategy's calculated price of a variant in a region for
// a customer and a quantity (price_selection.go); nil when no price applies.
func customerPrice(ctx context.Context, tx bun.IDB, variantID string, region *model.Region, quantity int, customerID string) (*int, error) {
	prices, err := candidatePrices(ctx, tx, []string{variantID}, region, PriceContext{CustomerID: customerID})
	if err != nil {
		return nil, fmt.Errorf("generate line item: %w", err)
	}
	return selectPrice(variantID, region, &quantity, prices).CalculatedPrice, nil
}

// itemTaxLines is createTaxLines for a line item of a variant: the region's rates linked to its
// product, then those linked to its product type, else the region's default rate.
func (s *Store) itemTaxLines(ctx context.Context, tx bun.IDB, it *model.LineItem, region *model.Region) error {
	if region.TaxProviderID != nil {
		if _, err := s.registry().Tax(*region.TaxProviderID); err != nil {
			return providerError(err)
		}
	}
	var rates []*model.TaxRate
	if err := tx.NewRaw(`SELECT x.id, x.rate, x.code, x.name, x.region_id FROM (
			SELECT tr.*, 0 AS k, ptr.ctid AS c FROM tax_rate tr JOIN product_tax_rate ptr ON ptr.rate_id = tr.id
			JOIN product_variant v ON v.product_id = ptr.product_id WHERE v.id = ?0 AND tr.region_id = ?1
			UNION ALL
			SELECT tr.*, 1 AS k, pttr.ctid AS c FROM tax_rate tr JOIN product_type_tax_rate pttr ON pttr.rate_id = tr.id
			JOIN product p ON p.type_id = pttr.product_type_id JOIN product_variant v ON v.product_id = p.id
			WHERE v.id = ?0 AND tr.region_id = ?1) x ORDER BY x.k, x.c`, deref(it.VariantID), region.ID).Scan(ctx, &rates); err != nil {
		return fmt.Errorf("item tax lines: %w", err)
	}
	code := "default"
	lines := []*model.LineItemTaxLine{}
	seen := map[string]bool{}
	for _, r := range rates {
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		lines = append(lines, &model.LineItemTaxLine{Rate: deref(r.Rate), Name: r.Name, Code: r.Code})
	}
	if len(lines) == 0 {
		lines = append(lines, &model.LineItemTaxLine{Rate: region.TaxRate, Name: "default", Code: &code})
	}
	for _, l := range lines {
		l.ID, l.ItemID = NewID("litl"), it.ID
		if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
			return fmt.Errorf("item tax lines: %w", err)
		}
	}
	return nil
}

// createClaimItem is ClaimItemService.create.
func createClaimItem(ctx context.Context, tx bun.IDB, claimID string, in CreateClaimItemInput) error {
	if in.Reason == nil || !slices.Contains(claimReasons, *in.Reason) {
		return Invalidf(`Claim Item reason must be one of "missing_item", "wrong_item", "production_failure" or "other".`)
	}
	li := new(model.LineItem)
	err := tx.NewSelect().Model(li).Where("?TableAlias.id = ?", in.ItemID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFoundf("Line item with %s was not found", in.ItemID)
	}
	if err != nil {
		return fmt.Errorf("create claim item: %w", err)
	}
	if deref(li.FulfilledQuantity) < in.Quantity {
		return Errorf(NotAllowed, "Cannot claim more of an item than has been fulfilled.")
	}
	if li.VariantID == nil {
		// Medusa's insert refuses a claim item without a variant (a 500).
		return Invalidf("Line item %s has no variant to claim", li.ID)
	}
	// Medusa looks every tag up before it saves any: two new tags of one value are two tags.
	tagIDs := make([]string, len(in.Tags))
	var created []*model.ClaimTag
	for i, t := range in.Tags {
		id, tag, err := lookupClaimTag(ctx, tx, t)
		if err != nil {
			return err
		}
		if tag != nil {
			created = append(created, tag)
		}
		tagIDs[i] = id
	}
	for _, tag := range created {
		if _, err := tx.NewInsert().Model(tag).Exec(ctx); err != nil {
			return fmt.Errorf("create claim tag: %w", err)
		}
	}
	ci := &model.ClaimItem{ID: NewID("citm"), ClaimOrderID: claimID, ItemID: li.ID, VariantID: *li.VariantID, Reason: *in.Reason,
		Note: in.Note, Quantity: in.Quantity}
	if _, err := tx.NewInsert().Model(ci).Exec(ctx); err != nil {
		return fmt.Errorf("create claim item: %w", err)
	}
	for _, url := range in.Images {
		if _, err := tx.NewInsert().Model(&model.ClaimImage{ID: NewID("cimg"), ClaimItemID: ci.ID, URL: url}).Exec(ctx); err != nil {
			return fmt.Errorf("create claim image: %w", err)
		}
	}
	for i, id := range tagIDs {
		if slices.Contains(tagIDs[:i], id) {
			continue
		}
		if _, err := tx.NewInsert().Model(&model.ClaimItemTag{ItemID: ci.ID, TagID: id}).Exec(ctx); err != nil {
			return fmt.Errorf("create claim item tags: %w", err)
		}
	}
	return emit(ctx, tx, "claim_item.created", map[string]any{"id": ci.ID})
}
