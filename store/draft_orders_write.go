package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/totals"
)

// Draft order writes: creating one (a cart of type draft_order underneath, as Medusa's
// draft-order and cart services build it), changing its cart, adding a line, and paying it
// (the system payment provider pays the cart, which becomes an order).

// DraftItemInput is an item of AdminPostDraftOrdersReq: a variant's (at the given unit price,
// else its price in the region) or a custom one (title, unit price).
type DraftItemInput struct {
	Title     *string
	UnitPrice *int
	VariantID *string
	Quantity  int
	Metadata  map[string]any
}

// DraftShippingMethodInput is a shipping method of AdminPostDraftOrdersReq. Medusa ignores the
// price given: the option prices the method.
type DraftShippingMethodInput struct {
	OptionID string
	Data     map[string]any
	Price    *int
}

// CreateDraftOrderInput is AdminPostDraftOrdersReq. As in Medusa, the billing address and the
// customer id do not reach the cart (its cart service takes neither from a new cart's data: the
// customer is the email's), and the status is ignored (a new draft order is open); the customer
// id only decides whether the discounts apply to that customer.
type CreateDraftOrderInput struct {
	Email               string
	BillingAddress      *AddressInput
	ShippingAddress     *AddressInput
	Items               []DraftItemInput
	RegionID            string
	Discounts           []string
	CustomerID          *string
	NoNotificationOrder *bool
	ShippingMethods     []DraftShippingMethodInput
	Metadata            map[string]any
}

// CreateDraftOrder is POST /admin/draft-orders (draft-order.ts create), in one transaction:
// the discounts are checked against the new cart (region, customer), the email's customer is
// found or created (customer.created), the cart is made in the region (a given shipping address
// must be in one of its countries; a region of one country gets an address of it; with sales
// channels, the store's default channel) with the discounts (cart.created), then the draft order
// (draft_order.created), the items (variant items priced in the region unless a unit price is
// given, with their discount adjustments; custom items shipped, without discounts) and the
// shipping methods one after the other as the cart service adds them (cart.updated each). It
// returns the draft order's id.
func (s *Store) CreateDraftOrder(ctx context.Context, in CreateDraftOrderInput) (string, error) {
	var id string
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if in.RegionID == "" {
			return Invalidf("region_id is required to create a draft order")
		}
		if len(in.Items) == 0 {
			return Invalidf("Items are required to create a draft order")
		}
		if !IsEmail(in.Email) {
			// The route's IsEmail, for callers that do not check it (GraphQL).
			return &Error{Type: InvalidData, Message: "email must be an email", Field: []string{"email"}}
		}
		c := &model.Cart{ID: NewID("cart"), Type: "draft_order", RegionID: in.RegionID, Context: map[string]any{}, Metadata: in.Metadata}
		if c.Metadata == nil {
			c.Metadata = map[string]any{}
		}
		for _, code := range in.Discounts {
			d, err := discountForCart(ctx, tx, code, in.RegionID, in.CustomerID)
			if err != nil {
				return err
			}
			c.Discounts = withDiscount(c.Discounts, d)
		}
		if s.schema.SalesChannels {
			sc, err := defaultSalesChannel(ctx, tx)
			if err != nil {
				return err
			}
			c.SalesChannelID = model.FlaggedIDOf(&sc)
		}
		if in.Email != "" {
			cus, err := customerForEmailEmitting(ctx, tx, in.Email)
			if err != nil {
				return err
			}
			c.Email, c.CustomerID = &cus.Email, &cus.ID
		}
		region, err := regionWithCountries(ctx, tx, in.RegionID)
		if err != nil {
			return err
		}
		var addr *model.Address
		switch {
		case in.ShippingAddress != nil:
			country := in.ShippingAddress.Fields["country_code"]
			if country == nil || !regionHasCountry(region, *country) {
				return Errorf(NotAllowed, "Shipping country not in region")
			}
			addr = newAddress(in.ShippingAddress, country)
		case len(region.Countries) == 1:
			addr = &model.Address{ID: NewID("addr"), CountryCode: &region.Countries[0].ISO2}
		}
		if addr != nil {
			if _, err := tx.NewInsert().Model(addr).Exec(ctx); err != nil {
				return fmt.Errorf("create draft order address: %w", err)
			}
			c.ShippingAddressID = &addr.ID
		}
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return dbError(err, "create draft order cart")
		}
		for _, d := range c.Discounts {
			if _, err := tx.NewInsert().Model(&model.CartDiscount{CartID: c.ID, DiscountID: d.ID}).Exec(ctx); err != nil {
				return fmt.Errorf("create draft order cart discounts: %w", err)
			}
		}
		if err := emit(ctx, tx, "cart.created", map[string]any{"id": c.ID}); err != nil {
			return err
		}
		d := &model.DraftOrder{ID: NewID("dorder"), Status: "open", CartID: &c.ID, NoNotificationOrder: in.NoNotificationOrder}
		if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
			return fmt.Errorf("create draft order: %w", err)
		}
		id = d.ID
		if err := emit(ctx, tx, "draft_order.created", map[string]any{"id": d.ID}); err != nil {
			return err
		}
		for _, it := range in.Items {
			var li *model.LineItem
			if it.VariantID != nil && *it.VariantID != "" {
				if li, err = variantLineItem(ctx, tx, *it.VariantID, region, it.Quantity, it.UnitPrice); err != nil {
					return err
				}
				if it.Metadata != nil {
					li.Metadata = it.Metadata
				}
				li.ShouldMerge = it.UnitPrice == nil
			} else {
				li = customLineItem(it.Title, it.UnitPrice, it.Quantity)
			}
			li.CartID = &c.ID
			if _, err := tx.NewInsert().Model(li).Exec(ctx); err != nil {
				return dbError(err, "create draft order item")
			}
		}
		if len(c.Discounts) > 0 {
			// Medusa generates each variant item's adjustment as it makes the item.
			if err := refreshAdjustments(ctx, tx, c.ID); err != nil {
				return err
			}
		}
		for _, m := range in.ShippingMethods {
			if err := s.addCartShippingMethod(ctx, tx, c.ID, m.OptionID, m.Data); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

// customLineItem is a draft order's custom line: shipped, without discounts, "Custom item"
// unless titled, at the given unit price (0 when none or negative).
func customLineItem(title *string, unitPrice *int, quantity int) *model.LineItem {
	t := "Custom item"
	if title != nil && *title != "" {
		t = *title
	}
	price := 0
	if unitPrice != nil && *unitPrice > 0 {
		price = *unitPrice
	}
	yes := true
	return &model.LineItem{ID: NewID("item"), Title: t, UnitPrice: price, Quantity: quantity, HasShipping: &yes, ShouldMerge: true}
}

// newAddress is a new address row of the given fields, with country as its country code.
func newAddress(in *AddressInput, country *string) *model.Address {
	a := &model.Address{ID: NewID("addr")}
	setAddressFields(a, in)
	a.CountryCode = country
	return a
}

// setAddressFields writes the given fields (and metadata) over a.
func setAddressFields(a *model.Address, in *AddressInput) {
	cols := map[string]**string{"first_name": &a.FirstName, "last_name": &a.LastName, "phone": &a.Phone, "company": &a.Company,
		"address_1": &a.Address1, "address_2": &a.Address2, "city": &a.City, "country_code": &a.CountryCode,
		"province": &a.Province, "postal_code": &a.PostalCode}
	for k, v := range in.Fields {
		if dst, ok := cols[k]; ok {
			*dst = v
		}
	}
	if in.Metadata != nil {
		a.Metadata = in.Metadata
	}
}

// regionWithCountries is regionService.retrieve with its countries.
func regionWithCountries(ctx context.Context, tx bun.IDB, id string) (*model.Region, error) {
	r := new(model.Region)
	err := tx.NewSelect().Model(r).Relation("Countries", func(q *bun.SelectQuery) *bun.SelectQuery { return q.OrderExpr("country.ctid") }).
		Where("region.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, regionNotFound(id)
	} else if err != nil {
		return nil, fmt.Errorf("region %s: %w", id, err)
	}
	return r, nil
}

func regionHasCountry(r *model.Region, iso2 string) bool {
	for _, c := range r.Countries {
		if c.ISO2 == iso2 {
			return true
		}
	}
	return false
}

// defaultSalesChannel is the store's default sales channel for a new cart; Medusa refuses a
// disabled one.
func defaultSalesChannel(ctx context.Context, tx bun.IDB) (string, error) {
	var row struct {
		ID       *string
		Name     *string
		Disabled *bool
	}
	if err := tx.NewRaw(`SELECT sc.id, sc.name, sc.is_disabled AS disabled FROM store s LEFT JOIN sales_channel sc
		ON sc.id = s.default_sales_channel_id AND sc.deleted_at IS NULL LIMIT 1`).Scan(ctx, &row.ID, &row.Name, &row.Disabled); err != nil {
		return "", fmt.Errorf("default sales channel: %w", err)
	}
	if row.ID == nil {
		// Medusa reads is_disabled of a missing channel (a 500).
		return "", Errorf(UnexpectedState, "The store has no default sales channel")
	}
	if deref(row.Disabled) {
		return "", Invalidf("Unable to assign the cart to a disabled Sales Channel \"%s\"", deref(row.Name))
	}
	return *row.ID, nil
}

// discountForCart is discountService.retrieveByCode (a code of a discount that is not dynamic
// first) and validateDiscountForCartOrThrow for a cart of the region and customer.
func discountForCart(ctx context.Context, tx bun.IDB, code, regionID string, customerID *string) (*model.Discount, error) {
	d := new(model.Discount)
	err := tx.NewSelect().Model(d).Relation("Rule").Relation("Regions").Where("discount.code = ?", code).
		OrderExpr("discount.is_dynamic").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Discount with code %s was not found", code)
	} else if err != nil {
		return nil, fmt.Errorf("discount by code: %w", err)
	}
	now := time.Now()
	switch {
	case d.UsageLimit != nil && *d.UsageLimit != 0 && d.UsageCount >= *d.UsageLimit:
		return nil, Errorf(NotAllowed, "Discount has been used maximum allowed times")
	case d.StartsAt.After(now):
		return nil, Errorf(NotAllowed, "Discount is not valid yet")
	case d.EndsAt != nil && d.EndsAt.Before(now):
		return nil, Errorf(NotAllowed, "Discount is expired")
	case d.IsDisabled:
		return nil, Errorf(NotAllowed, "The discount code is disabled")
	}
	regionsOf := d.ID
	if d.ParentDiscountID != nil {
		regionsOf = *d.ParentDiscountID
	}
	n, err := tx.NewSelect().TableExpr("discount_regions").Where("discount_id = ? AND region_id = ?", regionsOf, regionID).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("discount regions: %w", err)
	}
	if n == 0 {
		return nil, Invalidf("The discount is not available in current region")
	}
	if customerID != nil && *customerID != "" {
		ok, err := discountAppliesToCustomer(ctx, tx, d.RuleID, *customerID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, Errorf(NotAllowed, "Discount is not valid for customer")
		}
	}
	return d, nil
}

// discountAppliesToCustomer is canApplyForCustomer: the customer must exist, and be in a group
// of each `in` customer group condition of the rule and in none of each `not_in` one.
func discountAppliesToCustomer(ctx context.Context, tx bun.IDB, ruleID *string, customerID string) (bool, error) {
	n, err := tx.NewSelect().Model((*model.Customer)(nil)).Where("customer.id = ?", customerID).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("discount customer: %w", err)
	}
	if n == 0 {
		return false, customerNotFound(customerID)
	}
	var bad int
	err = tx.NewRaw(`SELECT count(*) FROM discount_condition dc WHERE dc.discount_rule_id = ? AND dc.type = 'customer_groups'
		AND dc.deleted_at IS NULL AND (dc.operator = 'in') = NOT EXISTS (SELECT 1 FROM discount_condition_customer_group g
			JOIN customer_group_customers cgc ON cgc.customer_group_id = g.customer_group_id
			WHERE g.condition_id = dc.id AND cgc.customer_id = ?)`, deref(ruleID), customerID).Scan(ctx, &bad)
	if err != nil {
		return false, fmt.Errorf("discount customer groups: %w", err)
	}
	return bad == 0, nil
}

// withDiscount is applyDiscount's choice of discounts: a discount already there changes
// nothing; a free shipping discount replaces the free shipping one; another replaces the
// first discount that is not free shipping (and drops the others).
func withDiscount(list []*model.Discount, d *model.Discount) []*model.Discount {
	for _, x := range list {
		if x.ID == d.ID {
			return list
		}
	}
	isShipping := func(x *model.Discount) bool { return x.Rule != nil && x.Rule.Type == "free_shipping" }
	out := []*model.Discount{}
	sawOther := false
	for _, x := range append(slices.Clone(list), d) {
		if isShipping(x) {
			if isShipping(d) {
				out = append(out, d)
			} else {
				out = append(out, x)
			}
			continue
		}
		if sawOther {
			continue
		}
		sawOther = true
		if !isShipping(d) {
			out = append(out, d)
		} else {
			out = append(out, x)
		}
	}
	// A new free shipping discount replaces the old one and stays itself: Medusa's list then
	// holds it twice, and its save links it once.
	seen := map[string]bool{}
	dedup := out[:0]
	for _, x := range out {
		if !seen[x.ID] {
			seen[x.ID] = true
			dedup = append(dedup, x)
		}
	}
	return dedup
}

// addCartShippingMethod is cartService.addShippingMethod for a draft order's cart: the option
// (not a return option) must be of the cart's region and its requirements met by the cart's
// subtotal, unless the cart has a custom price for it (a cart with custom options takes no
// other); the method is priced by the option (or the custom price) and stores what the
// provider validates of data; a method of the same shipping profile goes; every item's
// has_shipping says whether a method ships its profile; a free shipping discount makes the
// methods free; cart.updated.
func (s *Store) addCartShippingMethod(ctx context.Context, tx bun.IDB, cartID, optionID string, data map[string]any) error {
	var customs []*model.CustomShippingOption
	if err := tx.NewSelect().Model(&customs).Where("cart_id = ?", cartID).OrderExpr("ctid").Scan(ctx); err != nil {
		return fmt.Errorf("custom shipping options: %w", err)
	}
	var custom *model.CustomShippingOption
	for _, cso := range customs {
		if cso.ShippingOptionID == optionID {
			custom = cso
			break
		}
	}
	if len(customs) > 0 && custom == nil {
		return Invalidf("Wrong shipping option")
	}
	opt := new(model.ShippingOption)
	err := tx.NewSelect().Model(opt).Relation("Requirements").Where("?TableAlias.id = ?", optionID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFoundf("Shipping Option with %s was not found", optionID)
	} else if err != nil {
		return fmt.Errorf("shipping option %s: %w", optionID, err)
	}
	c := new(model.Cart)
	cq := tx.NewSelect().Model(c).Where("cart.id = ?", cartID)
	cq = addOrderedRelations(tx, cq, (*model.Cart)(nil), []string{"Items", "Items.Variant", "Items.Variant.Product",
		"ShippingMethods", "ShippingMethods.ShippingOption", "Discounts", "Discounts.Rule"})
	if err := cq.Scan(ctx); err != nil {
		return fmt.Errorf("cart %s: %w", cartID, err)
	}
	if custom == nil && !opt.IsReturn {
		if c.RegionID != opt.RegionID {
			return Invalidf("The shipping option is not available in the cart's region")
		}
		var subtotal int64
		for _, it := range c.Items {
			subtotal += int64(it.UnitPrice) * int64(it.Quantity)
		}
		for _, req := range opt.Requirements {
			if req.Type == "max_subtotal" && !(int64(req.Amount) > subtotal) || req.Type == "min_subtotal" && !(int64(req.Amount) <= subtotal) {
				return Errorf(NotAllowed, "The Cart does not satisfy the shipping option's requirements")
			}
		}
	}
	fp, err := s.registry().Fulfillment(opt.ProviderID)
	if err != nil {
		return providerError(err)
	}
	if data == nil {
		data = map[string]any{}
	}
	validated, err := fp.ValidateFulfillmentData(ctx, opt.Data, data, c)
	if err != nil {
		return fmt.Errorf("add shipping method: %w", err)
	}
	var price int
	switch {
	case custom != nil:
		price = custom.Price
	case opt.PriceType == "calculated":
		if price, err = fp.CalculatePrice(ctx, opt.Data, validated, c); err != nil {
			return fmt.Errorf("shipping price: %w", err)
		}
	default:
		price = deref(opt.Amount)
	}
	m := &model.ShippingMethod{ID: NewID("sm"), ShippingOptionID: opt.ID, CartID: &cartID, Price: price, Data: nonNilData(validated)}
	if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
		return fmt.Errorf("add shipping method: %w", err)
	}
	profiles := []string{opt.ProfileID}
	for _, sm := range c.ShippingMethods {
		if sm.ShippingOption != nil && sm.ShippingOption.ProfileID == opt.ProfileID {
			if err := deleteShippingMethods(ctx, tx, []string{sm.ID}); err != nil {
				return err
			}
			continue
		}
		if sm.ShippingOption != nil {
			profiles = append(profiles, sm.ShippingOption.ProfileID)
		}
	}
	for _, it := range c.Items {
		ships := it.VariantID == nil || it.Variant != nil && it.Variant.Product != nil && slices.Contains(profiles, it.Variant.Product.ProfileID)
		if _, err := tx.NewUpdate().Model((*model.LineItem)(nil)).Set("has_shipping = ?", ships).Set("updated_at = now()").
			Where("id = ?", it.ID).Exec(ctx); err != nil {
			return fmt.Errorf("items' shipping: %w", err)
		}
	}
	if slices.ContainsFunc(c.Discounts, func(d *model.Discount) bool { return d.Rule != nil && d.Rule.Type == "free_shipping" }) {
		if _, err := tx.NewUpdate().Model((*model.ShippingMethod)(nil)).Set("price = 0").Where("cart_id = ?", cartID).Exec(ctx); err != nil {
			return fmt.Errorf("free shipping: %w", err)
		}
	}
	return emitCartUpdated(ctx, tx, cartID)
}

// deleteShippingMethods removes shipping methods with their tax lines.
func deleteShippingMethods(ctx context.Context, tx bun.IDB, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := tx.NewDelete().Model((*model.ShippingMethodTaxLine)(nil)).Where("shipping_method_id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("delete shipping method tax lines: %w", err)
	}
	if _, err := tx.NewDelete().Model((*model.ShippingMethod)(nil)).Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("delete shipping methods: %w", err)
	}
	return nil
}

// emitCartUpdated records cart.updated with the cart's columns (Medusa sends the cart entity it
// holds, with whichever relations its step loaded).
func emitCartUpdated(ctx context.Context, tx bun.IDB, cartID string) error {
	c := new(model.Cart)
	if err := tx.NewSelect().Model(c).Where("cart.id = ?", cartID).Scan(ctx); err != nil {
		return fmt.Errorf("cart %s: %w", cartID, err)
	}
	return emit(ctx, tx, "cart.updated", struct {
		Object string `json:"object"`
		*model.Cart
	}{"cart", c})
}

// DraftOrderWithCart reads a draft order as POST /admin/draft-orders answers it
// (defaultAdminDraftOrdersRelations): its order and its cart with the items and their
// adjustments, without totals.
func (s *Store) DraftOrderWithCart(ctx context.Context, id string) (*model.DraftOrder, error) {
	d := new(model.DraftOrder)
	q := s.DB.NewSelect().Model(d).Where("draft_order.id = ?", id)
	q = addOrderedRelations(s.DB, q, (*model.DraftOrder)(nil), draftListRelations)
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Draft order with %s was not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("get draft order %s: %w", id, err)
	}
	FillRelations(s.DB, d, []string{"cart.items", "cart.items.adjustments"})
	return d, nil
}

// AddDraftLineInput is AdminPostDraftOrdersDraftOrderLineItemsReq (Title defaults to "Custom
// item", Metadata to {}).
type AddDraftLineInput struct {
	Title     *string
	UnitPrice *int
	VariantID *string
	Quantity  int
	Metadata  map[string]any
}

// AddDraftOrderLineItem is POST /admin/draft-orders/:id/line-items: only on an open draft order.
// A variant's line (at the given unit price, else its price in the cart's region) goes through
// the cart service's addLineItem: it merges into a line of the same variant and metadata that
// merges (quantities add up), the quantity must be in stock, the other lines lose has_shipping,
// the adjustments are made again, cart.updated. A custom line (no variant) is added as it is:
// shipped, without discounts or metadata, and without an event.
func (s *Store) AddDraftOrderLineItem(ctx context.Context, id string, in AddDraftLineInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d, err := openDraftOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		cartID := *d.CartID
		c := new(model.Cart)
		if err := tx.NewSelect().Model(c).Where("cart.id = ?", cartID).For("UPDATE").Scan(ctx); errors.Is(err, sql.ErrNoRows) {
			return NotFoundf("Cart with %s was not found", cartID)
		} else if err != nil {
			return fmt.Errorf("cart %s: %w", cartID, err)
		}
		if in.VariantID == nil || *in.VariantID == "" {
			title := "Custom item"
			if in.Title != nil {
				title = *in.Title
			}
			// The route's unit_price || 0: a negative price stays, an empty title too.
			li := customLineItem(&title, in.UnitPrice, in.Quantity)
			li.Title = title
			if in.UnitPrice != nil {
				li.UnitPrice = *in.UnitPrice
			}
			li.CartID = &cartID
			if _, err := tx.NewInsert().Model(li).Exec(ctx); err != nil {
				return dbError(err, "add draft order line")
			}
			return nil
		}
		region, err := regionWithCountries(ctx, tx, c.RegionID)
		if err != nil {
			return err
		}
		li, err := variantLineItem(ctx, tx, *in.VariantID, region, in.Quantity, in.UnitPrice)
		if err != nil {
			return err
		}
		li.Metadata = in.Metadata
		if li.Metadata == nil {
			li.Metadata = map[string]any{}
		}
		var items []*model.LineItem
		if err := tx.NewSelect().Model(&items).Where("cart_id = ?", cartID).OrderExpr("ctid").Scan(ctx); err != nil {
			return fmt.Errorf("cart items: %w", err)
		}
		var current *model.LineItem
		if li.ShouldMerge {
			for _, it := range items {
				if it.ShouldMerge && deref(it.VariantID) == *li.VariantID && sameJSON(it.Metadata, li.Metadata) {
					current = it
					break
				}
			}
		}
		quantity := li.Quantity
		if current != nil {
			quantity += current.Quantity
		}
		if err := confirmVariantInventory(ctx, tx, *li.VariantID, quantity); err != nil {
			return err
		}
		if current != nil {
			if _, err := tx.NewUpdate().Model((*model.LineItem)(nil)).Set("quantity = ?", quantity).Set("updated_at = now()").
				Where("id = ?", current.ID).Exec(ctx); err != nil {
				return fmt.Errorf("merge draft order line: %w", err)
			}
		} else {
			no := false
			li.HasShipping, li.CartID = &no, &cartID
			if _, err := tx.NewInsert().Model(li).Exec(ctx); err != nil {
				return dbError(err, "add draft order line")
			}
		}
		if len(items) > 0 {
			ids := make([]string, len(items))
			for i, it := range items {
				ids[i] = it.ID
			}
			if _, err := tx.NewUpdate().Model((*model.LineItem)(nil)).Set("has_shipping = false").Set("updated_at = now()").
				Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
				return fmt.Errorf("draft order lines' shipping: %w", err)
			}
		}
		if err := refreshAdjustments(ctx, tx, cartID); err != nil {
			return err
		}
		return emitCartUpdated(ctx, tx, cartID)
	})
}

// confirmVariantInventory is inventoryService.confirmInventory: a variant that manages its
// inventory without backorders must have quantity in stock; a custom line (no variant) passes.
func confirmVariantInventory(ctx context.Context, tx bun.IDB, variantID string, quantity int) error {
	v := new(model.ProductVariant)
	err := tx.NewSelect().Model(v).Where("?TableAlias.id = ?", variantID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFoundf("Variant with id: %s was not found", variantID)
	} else if err != nil {
		return fmt.Errorf("confirm inventory: %w", err)
	}
	if v.ManageInventory && !v.AllowBackorder && v.InventoryQuantity < quantity {
		return &Error{Type: NotAllowed, Message: fmt.Sprintf("Variant with id: %s does not have the required inventory", v.ID),
			Code: "insufficient_inventory"}
	}
	return nil
}

// RegisterDraftOrderPayment is POST /admin/draft-orders/:id/pay, in one transaction: the
// system payment provider opens a session on the cart, which becomes its selected one
// (cart.updated); the cart's tax lines are stored; the session is authorized and a payment of
// the cart's total made (cart.updated; a total of 0 or less needs none); the cart becomes an
// order (placeOrderFromCart: order.placed, cart.updated) and the draft order is completed with
// it. It returns the order's id.
func (s *Store) RegisterDraftOrderPayment(ctx context.Context, id string) (string, error) {
	var orderID string
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d := new(model.DraftOrder)
		err := tx.NewSelect().Model(d).Where("draft_order.id = ?", id).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return NotFoundf("Draft order with %s was not found", id)
		} else if err != nil {
			return fmt.Errorf("get draft order %s: %w", id, err)
		}
		if d.CartID == nil {
			return NotFoundf("Cart with %s was not found", "undefined")
		}
		cartID := *d.CartID
		if _, err := tx.NewSelect().Model((*model.Cart)(nil)).Where("id = ?", cartID).For("UPDATE").Exec(ctx); err != nil {
			return fmt.Errorf("lock cart %s: %w", cartID, err)
		}
		c, _, err := s.totalsCart(ctx, tx, cartID)
		if err != nil {
			return err
		}
		pp, err := s.registry().Payment("system")
		if err != nil {
			return providerError(err)
		}
		data, err := pp.CreatePayment(ctx, c)
		if err != nil {
			return fmt.Errorf("create payment session: %w", err)
		}
		ps := &model.PaymentSession{ID: NewID("ps"), CartID: cartID, ProviderID: "system", Status: "pending", Data: nonNilData(data)}
		if _, err := tx.NewInsert().Model(ps).Exec(ctx); err != nil {
			return fmt.Errorf("create payment session: %w", err)
		}
		// setPaymentSession: the cart's sessions are unselected, the system one selected.
		if _, err := tx.NewUpdate().Model((*model.PaymentSession)(nil)).Set("is_selected = NULL").Set("updated_at = now()").
			Where("cart_id = ? AND is_selected IS NOT NULL", cartID).Exec(ctx); err != nil {
			return fmt.Errorf("unselect payment sessions: %w", err)
		}
		if err := tx.NewSelect().Model(ps).Where("cart_id = ? AND provider_id = 'system'", cartID).OrderExpr("ctid").Limit(1).Scan(ctx); err != nil {
			return fmt.Errorf("system payment session: %w", err)
		}
		yes := true
		ps.IsSelected = &yes
		if _, err := tx.NewUpdate().Model(ps).Column("is_selected", "updated_at").Value("updated_at", "now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("select payment session: %w", err)
		}
		if err := emitCartUpdated(ctx, tx, cartID); err != nil {
			return err
		}
		rates, err := s.cartRates(ctx, tx, c)
		if err != nil {
			return err
		}
		if err := storeCartTaxLines(ctx, tx, c, rates); err != nil {
			return err
		}
		t, err := totals.Cart(c, rates, false)
		if err != nil {
			return totalsError(err)
		}
		now := model.Now()
		var payment *model.Payment
		if t.Total <= 0 {
			if _, err := tx.NewUpdate().Model((*model.Cart)(nil)).Set("payment_authorized_at = ?", now).Set("updated_at = now()").
				Where("id = ?", cartID).Exec(ctx); err != nil {
				return fmt.Errorf("authorize cart: %w", err)
			}
		} else {
			auth, err := pp.AuthorizePayment(ctx, ps, map[string]any{})
			if err != nil {
				return fmt.Errorf("authorize payment: %w", err)
			}
			ps.Status, ps.Data = string(auth.Status), nonNilData(auth.Data)
			if _, err := tx.NewUpdate().Model(ps).Column("status", "data", "updated_at").Value("updated_at", "now()").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("authorize payment session: %w", err)
			}
			set := tx.NewUpdate().Model((*model.Cart)(nil)).Set("updated_at = now()").Where("id = ?", cartID)
			if auth.Status == "authorized" {
				pdata, err := pp.GetPaymentData(ctx, ps)
				if err != nil {
					return fmt.Errorf("payment data: %w", err)
				}
				payment = &model.Payment{ID: NewID("pay"), CartID: &cartID, Amount: int(t.Total), CurrencyCode: c.Region.CurrencyCode,
					ProviderID: "system", Data: nonNilData(pdata)}
				if _, err := tx.NewInsert().Model(payment).Exec(ctx); err != nil {
					return fmt.Errorf("create payment: %w", err)
				}
				set = set.Set("payment_id = ?", payment.ID).Set("payment_authorized_at = ?", now)
			}
			if _, err := set.Exec(ctx); err != nil {
				return fmt.Errorf("authorize cart: %w", err)
			}
			if err := emitCartUpdated(ctx, tx, cartID); err != nil {
				return err
			}
		}
		c.Payment = payment
		o, err := s.placeOrderFromCart(ctx, tx, c, rates, t.Total, d)
		if err != nil {
			return err
		}
		orderID = o.ID
		if _, err := tx.NewUpdate().Model(d).Set("status = 'completed'").Set("completed_at = ?", model.Now()).Set("order_id = ?", o.ID).
			Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("complete draft order: %w", err)
		}
		return nil
	})
	return orderID, err
}

// storeCartTaxLines is TaxProviderService.createTaxLines on a cart: its lines' tax lines
// (totals.CartTaxLines), upserted on (item, code) and (shipping method, code).
func storeCartTaxLines(ctx context.Context, tx bun.IDB, c *model.Cart, rates *totals.Rates) error {
	items, shipping, err := totals.CartTaxLines(c, rates)
	if err != nil {
		return totalsError(err)
	}
	for _, l := range items {
		l.ID = NewID("litl")
		if _, err := tx.NewInsert().Model(l).On("CONFLICT (item_id, code) DO UPDATE").
			Set("rate = EXCLUDED.rate, name = EXCLUDED.name, updated_at = now()").Exec(ctx); err != nil {
			return fmt.Errorf("item tax lines: %w", err)
		}
	}
	for _, l := range shipping {
		l.ID = NewID("smtl")
		if _, err := tx.NewInsert().Model(l).On("CONFLICT (shipping_method_id, code) DO UPDATE").
			Set("rate = EXCLUDED.rate, name = EXCLUDED.name, updated_at = now()").Exec(ctx); err != nil {
			return fmt.Errorf("shipping tax lines: %w", err)
		}
	}
	return nil
}

// placeOrderFromCart is orderService.createFromCart for a draft order's cart c (read by
// totalsCart, with Payment set to its payment): the cart must have items, each in stock; no
// order may have been made from it ("Order from cart already exists"); a total other than 0
// needs an authorized payment. The order (payment awaiting, the draft order's
// no_notification_order) takes the cart's addresses, customer, email, region, currency,
// metadata, discounts, gift cards (each spent up to the cart's gift-cardable amount, with a
// transaction), payment, shipping methods and items; the variants' stock goes down; order.placed;
// the cart is completed (cart.updated).
func (s *Store) placeOrderFromCart(ctx context.Context, tx bun.IDB, c *model.Cart, rates *totals.Rates, total int64, d *model.DraftOrder) (*model.Order, error) {
	if len(c.Items) == 0 {
		return nil, Invalidf("Cannot create order from empty cart")
	}
	for _, it := range c.Items {
		if it.VariantID == nil {
			continue
		}
		if err := confirmVariantInventory(ctx, tx, *it.VariantID, it.Quantity); err != nil {
			return nil, err
		}
	}
	n, err := tx.NewSelect().Model((*model.Order)(nil)).Where("cart_id = ?", c.ID).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("order of cart: %w", err)
	}
	if n > 0 {
		return nil, Errorf(DuplicateError, "Order from cart already exists")
	}
	if total != 0 {
		if c.Payment == nil {
			return nil, Errorf(UnexpectedState, "Cart does not contain a payment method")
		}
		pp, err := s.registry().Payment(c.Payment.ProviderID)
		if err != nil {
			return nil, providerError(err)
		}
		st, err := pp.GetStatus(ctx, c.Payment.Data)
		if err != nil {
			return nil, fmt.Errorf("payment status: %w", err)
		}
		if st != "authorized" {
			return nil, Errorf(UnexpectedState, "Payment method is not authorized")
		}
	}
	meta := c.Metadata
	if meta == nil {
		meta = map[string]any{}
	}
	o := &model.Order{ID: NewID("order"), Status: "pending", FulfillmentStatus: "not_fulfilled", PaymentStatus: "awaiting",
		CartID: &c.ID, CustomerID: deref(c.CustomerID), Email: deref(c.Email), BillingAddressID: c.BillingAddressID,
		ShippingAddressID: c.ShippingAddressID, RegionID: c.RegionID, CurrencyCode: c.Region.CurrencyCode, DraftOrderID: &d.ID,
		NoNotification: d.NoNotificationOrder, Metadata: meta}
	if _, err := tx.NewInsert().Model(o).Returning("display_id").Exec(ctx); err != nil {
		return nil, dbError(err, "create order")
	}
	for _, disc := range c.Discounts {
		if _, err := tx.NewRaw(`INSERT INTO order_discounts (order_id, discount_id) VALUES (?, ?)`, o.ID, disc.ID).Exec(ctx); err != nil {
			return nil, fmt.Errorf("order discounts: %w", err)
		}
	}
	for _, g := range c.GiftCards {
		if _, err := tx.NewRaw(`INSERT INTO order_gift_cards (order_id, gift_card_id) VALUES (?, ?)`, o.ID, g.ID).Exec(ctx); err != nil {
			return nil, fmt.Errorf("order gift cards: %w", err)
		}
	}
	if total != 0 && c.Payment != nil {
		if _, err := tx.NewUpdate().Model((*model.Payment)(nil)).Set("order_id = ?", o.ID).Set("updated_at = now()").
			Where("id = ?", c.Payment.ID).Exec(ctx); err != nil {
			return nil, fmt.Errorf("order payment: %w", err)
		}
	}
	uses, err := totals.GiftCardUsage(c, rates)
	if err != nil {
		return nil, totalsError(err)
	}
	for _, u := range uses {
		if _, err := tx.NewRaw(`UPDATE gift_card SET balance = ?, is_disabled = ?, updated_at = now() WHERE id = ?`,
			u.NewBalance, u.NewBalance == 0, u.GiftCardID).Exec(ctx); err != nil {
			return nil, fmt.Errorf("spend gift card: %w", err)
		}
		if _, err := tx.NewRaw(`INSERT INTO gift_card_transaction (id, gift_card_id, order_id, amount, is_taxable, tax_rate)
			VALUES (?, ?, ?, ?, ?, ?)`, NewID("gct"), u.GiftCardID, o.ID, u.Amount, u.IsTaxable, u.TaxRate).Exec(ctx); err != nil {
			return nil, fmt.Errorf("gift card transaction: %w", err)
		}
	}
	if _, err := tx.NewUpdate().Model((*model.ShippingMethod)(nil)).Set("order_id = ?", o.ID).Where("cart_id = ?", c.ID).Exec(ctx); err != nil {
		return nil, fmt.Errorf("order shipping methods: %w", err)
	}
	if _, err := tx.NewUpdate().Model((*model.LineItem)(nil)).Set("order_id = ?", o.ID).Set("updated_at = now()").
		Where("cart_id = ?", c.ID).Exec(ctx); err != nil {
		return nil, fmt.Errorf("order items: %w", err)
	}
	for _, it := range c.Items {
		if err := adjustInventory(ctx, tx, it.VariantID, -it.Quantity); err != nil {
			return nil, err
		}
	}
	if err := emit(ctx, tx, "order.placed", map[string]any{"id": o.ID, "no_notification": o.NoNotification}); err != nil {
		return nil, err
	}
	if _, err := tx.NewUpdate().Model((*model.Cart)(nil)).Set("completed_at = ?", model.Now()).Set("updated_at = now()").
		Where("id = ?", c.ID).Exec(ctx); err != nil {
		return nil, fmt.Errorf("complete cart: %w", err)
	}
	return o, emitCartUpdated(ctx, tx, c.ID)
}

// UpdateDraftOrderInput is AdminPostDraftOrdersDraftOrderReq; nil is absent. Discounts nil
// leaves the cart's discounts; empty removes them.
type UpdateDraftOrderInput struct {
	RegionID        *string
	CountryCode     *string
	Email           *string
	BillingAddress  *AddressInput
	ShippingAddress *AddressInput
	// ClearShippingAddress unlinks the cart's shipping address (shipping_address: null).
	ClearShippingAddress bool
	Discounts            []string
	CustomerID           *string
	NoNotificationOrder  *bool
}

// UpdateDraftOrder is POST /admin/draft-orders/:id: only on an open draft order. It returns the
// draft order as it was read before the change, which is what Medusa's route answers with
// (with the cart as it is after). In one transaction: no_notification_order is saved
// (draft_order.updated), then the cart service's update of the draft order's cart
// (updateDraftCart).
func (s *Store) UpdateDraftOrder(ctx context.Context, id string, in UpdateDraftOrderInput) (*model.DraftOrder, error) {
	d := new(model.DraftOrder)
	err := s.DB.NewSelect().Model(d).Where("draft_order.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Draft order with %s was not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("get draft order %s: %w", id, err)
	}
	if d.Status == "completed" {
		return nil, Errorf(NotAllowed, "You are only allowed to update open draft orders")
	}
	if in.Email != nil && !IsEmail(*in.Email) {
		// The route's IsEmail, for callers that do not check it (GraphQL).
		return nil, &Error{Type: InvalidData, Message: "email must be an email", Field: []string{"email"}}
	}
	err = s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur, err := openDraftOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.NoNotificationOrder != nil {
			if cur.NoNotificationOrder == nil || *cur.NoNotificationOrder != *in.NoNotificationOrder {
				if _, err := tx.NewUpdate().Model(cur).Set("no_notification_order = ?", *in.NoNotificationOrder).Set("updated_at = now()").
					WherePK().Exec(ctx); err != nil {
					return fmt.Errorf("update draft order: %w", err)
				}
			}
			if err := emit(ctx, tx, "draft_order.updated", map[string]any{"id": cur.ID}); err != nil {
				return err
			}
		}
		return s.updateDraftCart(ctx, tx, *cur.CartID, in)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// updateDraftCart is cartService.update with a draft order route's data, step by step as Medusa
// takes them: the customer (a given customer id's, else the email's, found or created) with its
// email; new unit prices for every item when the customer or region is given (the customer's
// price lists count; an item without a price in the region, a custom item among them, goes); the region (not of a completed or
// authorized cart; the shipping address's country follows it: the given country_code, else the
// region's only country, else none; the shipping methods and payment sessions go, the
// discounts not of the region and the gift cards are dropped, the adjustments are made again);
// the billing and shipping addresses (their given fields over the cart's address; the country
// lower-cased, null when not given, and for shipping in the cart's region; a null shipping
// address unlinks the cart's); the discounts
// (applied in turn as applyDiscount does, free shipping prices adjusted). Then
// cart.customer_updated when email or customer_id was given, and cart.updated.
func (s *Store) updateDraftCart(ctx context.Context, tx bun.IDB, cartID string, in UpdateDraftOrderInput) error {
	c := new(model.Cart)
	cq := tx.NewSelect().Model(c).Where("cart.id = ?", cartID).For("UPDATE OF cart")
	cq = addOrderedRelations(tx, cq, (*model.Cart)(nil), []string{"Items", "ShippingMethods", "ShippingMethods.ShippingOption",
		"Discounts", "Discounts.Rule", "Discounts.Regions", "PaymentSessions", "ShippingAddress", "BillingAddress"})
	if err := cq.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return NotFoundf("Cart with %s was not found", cartID)
	} else if err != nil {
		return fmt.Errorf("cart %s: %w", cartID, err)
	}
	region, err := regionWithCountries(ctx, tx, c.RegionID)
	if err != nil {
		return err
	}
	cols := []string{}
	if in.CustomerID != nil && *in.CustomerID != "" {
		cus := new(model.Customer)
		if err := tx.NewSelect().Model(cus).Where("customer.id = ?", *in.CustomerID).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
			return customerNotFound(*in.CustomerID)
		} else if err != nil {
			return fmt.Errorf("cart customer: %w", err)
		}
		c.CustomerID, c.Email, cols = &cus.ID, &cus.Email, append(cols, "customer_id", "email")
	} else if in.Email != nil {
		cus, err := customerForEmailEmitting(ctx, tx, *in.Email)
		if err != nil {
			return err
		}
		c.CustomerID, c.Email, cols = &cus.ID, &cus.Email, append(cols, "customer_id", "email")
	}
	if in.CustomerID != nil || in.RegionID != nil {
		priceRegion := region
		if in.RegionID != nil {
			if priceRegion, err = regionWithCountries(ctx, tx, *in.RegionID); err != nil {
				return err
			}
		}
		kept := c.Items[:0]
		for _, it := range c.Items {
			var price *int
			if it.VariantID != nil {
				// Medusa prices for the given customer, else the cart's.
				if price, err = customerPrice(ctx, tx, *it.VariantID, priceRegion, it.Quantity, deref(c.CustomerID)); err != nil {
					return err
				}
			}
			if price == nil {
				if err := deleteLineItems(ctx, tx, []string{it.ID}); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.NewUpdate().Model((*model.LineItem)(nil)).Set("unit_price = ?", *price).Set("has_shipping = false").
				Set("updated_at = now()").Where("id = ?", it.ID).Exec(ctx); err != nil {
				return fmt.Errorf("item price: %w", err)
			}
			it.UnitPrice = *price
			kept = append(kept, it)
		}
		c.Items = kept
	}
	if in.RegionID != nil {
		if c.CompletedAt != nil || c.PaymentAuthorizedAt != nil {
			return Errorf(NotAllowed, "Cannot change the region of a completed cart")
		}
		if region, err = regionWithCountries(ctx, tx, *in.RegionID); err != nil {
			return err
		}
		c.RegionID, cols = region.ID, append(cols, "region_id")
		country := in.CountryCode
		if country == nil && in.ShippingAddress != nil {
			country = in.ShippingAddress.Fields["country_code"]
		}
		if country != nil {
			lc := strings.ToLower(*country)
			if !regionHasCountry(region, lc) {
				return Errorf(NotAllowed, "Country not available in region")
			}
			if c.ShippingAddress != nil {
				if _, err := tx.NewUpdate().Model(c.ShippingAddress).Set("country_code = ?", lc).Set("updated_at = now()").WherePK().Exec(ctx); err != nil {
					return fmt.Errorf("shipping address country: %w", err)
				}
				c.ShippingAddress.CountryCode = &lc
			} else {
				// Medusa saves {country_code} as a new address without an id, which the
				// database refuses (a 500, nothing changed); Gorgon refuses it.
				return Invalidf("The cart has no shipping address to set the country of")
			}
		} else {
			var cc *string
			if len(region.Countries) == 1 {
				cc = &region.Countries[0].ISO2
			}
			if err := setCartShippingAddress(ctx, tx, c, region, &AddressInput{Fields: map[string]*string{"country_code": cc}}, &cols); err != nil {
				return err
			}
		}
		var ids []string
		for _, m := range c.ShippingMethods {
			ids = append(ids, m.ID)
		}
		if err := deleteShippingMethods(ctx, tx, ids); err != nil {
			return err
		}
		c.ShippingMethods = nil
		kept := []*model.Discount{}
		for _, d := range c.Discounts {
			if slices.ContainsFunc(d.Regions, func(r *model.Region) bool { return r.ID == region.ID }) {
				kept = append(kept, d)
			}
		}
		if err := setCartDiscounts(ctx, tx, c, kept); err != nil {
			return err
		}
		if len(c.Items) > 0 {
			if err := refreshAdjustments(ctx, tx, c.ID); err != nil {
				return err
			}
		}
		if _, err := tx.NewRaw(`DELETE FROM cart_gift_cards WHERE cart_id = ?`, c.ID).Exec(ctx); err != nil {
			return fmt.Errorf("cart gift cards: %w", err)
		}
		if _, err := tx.NewDelete().Model((*model.PaymentSession)(nil)).Where("cart_id = ?", c.ID).Exec(ctx); err != nil {
			return fmt.Errorf("cart payment sessions: %w", err)
		}
	}
	if in.BillingAddress != nil {
		a := in.BillingAddress
		country := lowerOrNull(a.Fields["country_code"])
		if c.BillingAddress != nil {
			setAddressFields(c.BillingAddress, a)
			c.BillingAddress.CountryCode = country
			if err := saveAddress(ctx, tx, c.BillingAddress); err != nil {
				return err
			}
		} else {
			addr := newAddress(a, country)
			if _, err := tx.NewInsert().Model(addr).Exec(ctx); err != nil {
				return fmt.Errorf("billing address: %w", err)
			}
			c.BillingAddressID, c.BillingAddress, cols = &addr.ID, addr, append(cols, "billing_address_id")
		}
	}
	if in.ShippingAddress != nil {
		if err := setCartShippingAddress(ctx, tx, c, region, in.ShippingAddress, &cols); err != nil {
			return err
		}
	} else if in.ClearShippingAddress {
		c.ShippingAddressID, c.ShippingAddress, cols = nil, nil, append(cols, "shipping_address_id")
	}
	if in.Discounts != nil {
		hadFree := slices.ContainsFunc(c.Discounts, isFreeShipping)
		list := []*model.Discount{}
		if err := setCartDiscounts(ctx, tx, c, list); err != nil {
			return err
		}
		for _, code := range in.Discounts {
			d, err := discountForCart(ctx, tx, code, c.RegionID, c.CustomerID)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(list, func(x *model.Discount) bool { return x.ID == d.ID }) {
				continue
			}
			list = withDiscount(list, d)
			if err := setCartDiscounts(ctx, tx, c, list); err != nil {
				return err
			}
			if !isFreeShipping(d) {
				if err := refreshAdjustments(ctx, tx, c.ID); err != nil {
					return err
				}
			}
		}
		hasFree := slices.ContainsFunc(list, isFreeShipping)
		if hadFree && !hasFree {
			for _, m := range c.ShippingMethods {
				price := 0
				if m.ShippingOption != nil && m.ShippingOption.Amount != nil {
					price = *m.ShippingOption.Amount
				} else if m.ShippingOption != nil {
					fp, err := s.registry().Fulfillment(m.ShippingOption.ProviderID)
					if err != nil {
						return providerError(err)
					}
					if price, err = fp.CalculatePrice(ctx, m.ShippingOption.Data, m.Data, c); err != nil {
						return fmt.Errorf("shipping price: %w", err)
					}
				}
				if _, err := tx.NewUpdate().Model((*model.ShippingMethod)(nil)).Set("price = ?", price).Where("id = ?", m.ID).Exec(ctx); err != nil {
					return fmt.Errorf("shipping method price: %w", err)
				}
			}
		}
		if hasFree && len(c.ShippingMethods) > 0 {
			if _, err := tx.NewUpdate().Model((*model.ShippingMethod)(nil)).Set("price = 0").Where("cart_id = ?", c.ID).Exec(ctx); err != nil {
				return fmt.Errorf("free shipping: %w", err)
			}
		}
	}
	if len(cols) > 0 {
		// TypeORM's save writes the columns that changed (and updated_at) only.
		if _, err := tx.NewUpdate().Model(c).Column(append(cols, "updated_at")...).Value("updated_at", "now()").WherePK().Exec(ctx); err != nil {
			return dbError(err, "update cart")
		}
	}
	if in.Email != nil || in.CustomerID != nil {
		if err := emit(ctx, tx, "cart.customer_updated", c.ID); err != nil {
			return err
		}
	}
	return emitCartUpdated(ctx, tx, c.ID)
}

func isFreeShipping(d *model.Discount) bool { return d.Rule != nil && d.Rule.Type == "free_shipping" }

func lowerOrNull(s *string) *string {
	if s == nil {
		return nil
	}
	l := strings.ToLower(*s)
	return &l
}

// setCartShippingAddress is updateShippingAddress_: the country (lower-cased, null when not
// given) must be one of the cart's region when set; the given fields go over the cart's
// address, or make its new one.
func setCartShippingAddress(ctx context.Context, tx bun.IDB, c *model.Cart, region *model.Region, a *AddressInput, cols *[]string) error {
	country := lowerOrNull(a.Fields["country_code"])
	if country != nil && !regionHasCountry(region, *country) {
		return Invalidf("Shipping country must be in the cart region")
	}
	if c.ShippingAddress != nil {
		setAddressFields(c.ShippingAddress, a)
		c.ShippingAddress.CountryCode = country
		return saveAddress(ctx, tx, c.ShippingAddress)
	}
	addr := newAddress(a, country)
	if _, err := tx.NewInsert().Model(addr).Exec(ctx); err != nil {
		return fmt.Errorf("shipping address: %w", err)
	}
	c.ShippingAddressID, c.ShippingAddress, *cols = &addr.ID, addr, append(*cols, "shipping_address_id")
	return nil
}

func saveAddress(ctx context.Context, tx bun.IDB, a *model.Address) error {
	if _, err := tx.NewUpdate().Model(a).Column("first_name", "last_name", "phone", "company", "address_1", "address_2", "city",
		"country_code", "province", "postal_code", "metadata", "updated_at").Value("updated_at", "now()").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("save address: %w", err)
	}
	return nil
}

// setCartDiscounts makes the cart's discounts list (in that order).
func setCartDiscounts(ctx context.Context, tx bun.IDB, c *model.Cart, list []*model.Discount) error {
	same := len(list) == len(c.Discounts)
	for i := 0; same && i < len(list); i++ {
		same = list[i].ID == c.Discounts[i].ID
	}
	if same {
		return nil
	}
	if _, err := tx.NewDelete().Model((*model.CartDiscount)(nil)).Where("cart_id = ?", c.ID).Exec(ctx); err != nil {
		return fmt.Errorf("cart discounts: %w", err)
	}
	for _, d := range list {
		if _, err := tx.NewInsert().Model(&model.CartDiscount{CartID: c.ID, DiscountID: d.ID}).Exec(ctx); err != nil {
			return fmt.Errorf("cart discounts: %w", err)
		}
	}
	c.Discounts = list
	return nil
}

// deleteLineItems removes lines with their adjustments and tax lines.
func deleteLineItems(ctx context.Context, tx bun.IDB, ids []string) error {
	if _, err := tx.NewDelete().Model((*model.LineItemAdjustment)(nil)).Where("item_id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("delete line adjustments: %w", err)
	}
	if _, err := tx.NewDelete().Model((*model.LineItemTaxLine)(nil)).Where("item_id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("delete line tax lines: %w", err)
	}
	if _, err := tx.NewDelete().Model((*model.LineItem)(nil)).Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("delete lines: %w", err)
	}
	return nil
}

// customerForEmailEmitting is customerForEmail that emits customer.created for a new customer
// at once, as the cart service's create does.
func customerForEmailEmitting(ctx context.Context, tx bun.IDB, email string) (*model.Customer, error) {
	cus, created, err := customerForEmail(ctx, tx, email)
	if err != nil || !created {
		return cus, err
	}
	return cus, emit(ctx, tx, "customer.created", cus)
}
