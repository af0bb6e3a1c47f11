package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/store"
)

// The order and return actions: the store's actions, then the order read as the order query
// reads it.

// orderPayload answers an action on order id: its error as userErrors, or the order.
func (r *Resolver) orderPayload(ctx context.Context, id string, err error) (*gqlmodel.OrderPayload, error) {
	ue, err := payloadErrors(err)
	if err != nil || len(ue) > 0 {
		return &gqlmodel.OrderPayload{UserErrors: ue}, err
	}
	o, err := r.order(ctx, id)
	if err != nil {
		return nil, err
	}
	return &gqlmodel.OrderPayload{Order: o, UserErrors: ue}, nil
}

func addressIn(a *gqlmodel.OrderAddressInput) *store.AddressInput {
	if a == nil {
		return nil
	}
	f := map[string]*string{}
	for k, v := range map[string]*string{"first_name": a.FirstName, "last_name": a.LastName, "phone": a.Phone,
		"company": a.Company, "address_1": a.Address1, "address_2": a.Address2, "city": a.City,
		"country_code": a.CountryCode, "province": a.Province, "postal_code": a.PostalCode} {
		if v != nil {
			f[k] = v
		}
	}
	return &store.AddressInput{Fields: f, Metadata: a.Metadata}
}

func (r *Resolver) updateOrder(ctx context.Context, id string, in gqlmodel.UpdateOrderInput) (*gqlmodel.OrderPayload, error) {
	return r.orderPayload(ctx, id, r.Store.UpdateOrder(ctx, id, store.UpdateOrderInput{Email: in.Email, BillingAddress: addressIn(in.BillingAddress),
		ShippingAddress: addressIn(in.ShippingAddress), NoNotification: in.NoNotification, CustomerID: in.CustomerID}))
}

func (r *Resolver) refundOrder(ctx context.Context, id string, in gqlmodel.RefundOrderInput) (*gqlmodel.OrderPayload, error) {
	return r.orderPayload(ctx, id, r.Store.CreateRefund(ctx, id, store.RefundInput{Amount: in.Amount, Reason: in.Reason, Note: in.Note,
		NoNotification: in.NoNotification}))
}

func (r *Resolver) createOrderFulfillment(ctx context.Context, id string, in gqlmodel.CreateOrderFulfillmentInput) (*gqlmodel.OrderPayload, error) {
	items := make([]store.FulfillmentItemInput, len(in.Items))
	for i, it := range in.Items {
		items[i] = store.FulfillmentItemInput{ItemID: it.ItemID, Quantity: it.Quantity}
	}
	return r.orderPayload(ctx, id, r.Store.CreateFulfillment(ctx, id, store.CreateFulfillmentInput{Items: items,
		NoNotification: in.NoNotification, Metadata: in.Metadata}))
}

func (r *Resolver) createOrderShipment(ctx context.Context, id string, in gqlmodel.CreateOrderShipmentInput) (*gqlmodel.OrderPayload, error) {
	return r.orderPayload(ctx, id, r.Store.CreateShipment(ctx, id, store.CreateShipmentInput{FulfillmentID: in.FulfillmentID,
		TrackingNumbers: in.TrackingNumbers, NoNotification: in.NoNotification}))
}

func (r *Resolver) addOrderShippingMethod(ctx context.Context, id string, in gqlmodel.AddOrderShippingMethodInput) (*gqlmodel.OrderPayload, error) {
	return r.orderPayload(ctx, id, r.Store.AddShippingMethod(ctx, id, store.AddShippingMethodInput{OptionID: in.OptionID, Price: in.Price, Data: in.Data}))
}

// requestOrderReturn runs the return request under an idempotency key (the one given, when an
// earlier answer handed it out, else a new one); a key whose work is done answers the order as
// it is now.
func (r *Resolver) requestOrderReturn(ctx context.Context, id string, in gqlmodel.RequestReturnInput, key *string) (*gqlmodel.RequestReturnPayload, error) {
	header := ""
	if key != nil {
		header = *key
	}
	k, err := r.Store.InitIdempotencyKey(ctx, header, "POST", "/"+id+"/return", map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	sin := store.RequestReturnInput{NoNotification: in.NoNotification, Refund: in.Refund}
	if in.ReceiveNow != nil {
		sin.ReceiveNow = *in.ReceiveNow
	}
	for _, it := range in.Items {
		sin.Items = append(sin.Items, store.ReturnItemInput{ItemID: it.ItemID, Quantity: it.Quantity, ReasonID: it.ReasonID, Note: it.Note})
	}
	if in.ReturnShipping != nil {
		sin.ReturnShipping = &store.ReturnShippingInput{OptionID: in.ReturnShipping.OptionID, Price: in.ReturnShipping.Price}
	}
	if k.RecoveryPoint != "finished" {
		err = r.Store.RequestReturn(ctx, id, k.IdempotencyKey, sin)
	}
	p, err := r.orderPayload(ctx, id, err)
	if p == nil {
		return nil, err
	}
	return &gqlmodel.RequestReturnPayload{Order: p.Order, IdempotencyKey: &k.IdempotencyKey, UserErrors: p.UserErrors}, err
}

func (r *Resolver) receiveReturn(ctx context.Context, id string, in gqlmodel.ReceiveReturnInput) (*gqlmodel.ReturnPayload, error) {
	items := make([]store.ReturnItemInput, len(in.Items))
	for i, it := range in.Items {
		items[i] = store.ReturnItemInput{ItemID: it.ItemID, Quantity: it.Quantity}
	}
	var refund *float64
	if in.Refund != nil {
		f := float64(*in.Refund)
		refund = &f
	}
	ue, err := payloadErrors(r.Store.ReceiveReturn(ctx, id, items, refund))
	if err != nil || len(ue) > 0 {
		return &gqlmodel.ReturnPayload{UserErrors: ue}, err
	}
	ret, err := r.Store.GetReturn(ctx, id)
	if err != nil {
		return nil, err
	}
	return &gqlmodel.ReturnPayload{Return: ret, UserErrors: ue}, nil
}

func (r *Resolver) cancelReturn(ctx context.Context, id string) (*gqlmodel.OrderPayload, error) {
	orderID, err := r.Store.CancelReturn(ctx, id)
	return r.orderPayload(ctx, orderID, err)
}

func (r *Resolver) fulfillSwap(ctx context.Context, orderID, swapID string, in *gqlmodel.FulfillSwapInput) (*gqlmodel.OrderPayload, error) {
	var sin store.SwapFulfillmentInput
	if in != nil {
		sin = store.SwapFulfillmentInput{Metadata: in.Metadata, NoNotification: in.NoNotification}
	}
	return r.orderPayload(ctx, orderID, r.Store.FulfillSwap(ctx, orderID, swapID, sin))
}

func (r *Resolver) fulfillClaim(ctx context.Context, orderID, claimID string, in *gqlmodel.FulfillSwapInput) (*gqlmodel.OrderPayload, error) {
	var sin store.SwapFulfillmentInput
	if in != nil {
		sin = store.SwapFulfillmentInput{Metadata: in.Metadata, NoNotification: in.NoNotification}
	}
	return r.orderPayload(ctx, orderID, r.Store.FulfillClaim(ctx, claimID, sin))
}

func (r *Resolver) updateClaim(ctx context.Context, orderID, claimID string, in gqlmodel.UpdateClaimInput) (*gqlmodel.OrderPayload, error) {
	sin := store.UpdateClaimInput{NoNotification: in.NoNotification, Metadata: in.Metadata}
	for _, it := range in.ClaimItems {
		u := store.ClaimItemUpdate{ID: it.ID, Note: it.Note, Reason: it.Reason, Metadata: it.Metadata,
			Images: []store.ClaimImageInput{}, Tags: []store.ClaimTagInput{}}
		for _, im := range it.Images {
			u.Images = append(u.Images, store.ClaimImageInput{ID: im.ID, URL: im.URL})
		}
		for _, t := range it.Tags {
			u.Tags = append(u.Tags, store.ClaimTagInput{ID: t.ID, Value: t.Value})
		}
		sin.ClaimItems = append(sin.ClaimItems, u)
	}
	if in.ShippingMethods != nil {
		// Given, even empty, the list replaces the claim's methods.
		sin.ShippingMethods = []store.ClaimShippingMethodInput{}
		for _, m := range in.ShippingMethods {
			sin.ShippingMethods = append(sin.ShippingMethods, store.ClaimShippingMethodInput{ID: m.ID, OptionID: m.OptionID, Price: m.Price})
		}
	}
	return r.orderPayload(ctx, orderID, r.Store.UpdateClaim(ctx, claimID, sin))
}

// createClaim runs the claim's creation under an idempotency key, as requestOrderReturn does.
func (r *Resolver) createClaim(ctx context.Context, id string, in gqlmodel.CreateClaimInput, key *string) (*gqlmodel.CreateClaimPayload, error) {
	header := ""
	if key != nil {
		header = *key
	}
	k, err := r.Store.InitIdempotencyKey(ctx, header, "POST", "/"+id+"/claims", map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	sin := store.CreateClaimInput{Type: in.Type, ShippingAddress: addressIn(in.ShippingAddress),
		NoNotification: in.NoNotification, Metadata: in.Metadata, ClaimItems: []store.CreateClaimItemInput{}}
	for _, it := range in.ClaimItems {
		sin.ClaimItems = append(sin.ClaimItems, store.CreateClaimItemInput{ItemID: it.ItemID, Quantity: it.Quantity, Reason: it.Reason,
			Note: it.Note, Tags: it.Tags, Images: it.Images})
	}
	for _, it := range in.AdditionalItems {
		sin.AdditionalItems = append(sin.AdditionalItems, store.AdditionalItemInput{VariantID: it.VariantID, Quantity: it.Quantity})
	}
	for _, m := range in.ShippingMethods {
		sin.ShippingMethods = append(sin.ShippingMethods, store.ClaimShippingMethodInput{ID: m.ID, OptionID: m.OptionID, Price: m.Price})
	}
	if in.ReturnShipping != nil {
		sin.ReturnShipping = &store.ReturnShippingInput{OptionID: in.ReturnShipping.OptionID, Price: in.ReturnShipping.Price}
	}
	if k.RecoveryPoint != "finished" {
		err = r.Store.CreateClaim(ctx, id, k.IdempotencyKey, sin)
	}
	p, err := r.orderPayload(ctx, id, err)
	if p == nil {
		return nil, err
	}
	return &gqlmodel.CreateClaimPayload{Order: p.Order, IdempotencyKey: &k.IdempotencyKey, UserErrors: p.UserErrors}, err
}

// createSwap runs the swap's creation under an idempotency key, as createClaim does.
func (r *Resolver) createSwap(ctx context.Context, id string, in gqlmodel.CreateSwapInput, key *string) (*gqlmodel.CreateSwapPayload, error) {
	header := ""
	if key != nil {
		header = *key
	}
	k, err := r.Store.InitIdempotencyKey(ctx, header, "POST", "/"+id+"/swaps", map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	sin := store.CreateSwapInput{NoNotification: in.NoNotification, AllowBackorder: in.AllowBackorder == nil || *in.AllowBackorder,
		ReturnItems: []store.ReturnItemInput{}}
	for _, it := range in.ReturnItems {
		sin.ReturnItems = append(sin.ReturnItems, store.ReturnItemInput{ItemID: it.ItemID, Quantity: it.Quantity, ReasonID: it.ReasonID, Note: it.Note})
	}
	if in.ReturnShipping != nil {
		sin.ReturnShipping = &store.ReturnShippingInput{OptionID: in.ReturnShipping.OptionID, Price: in.ReturnShipping.Price}
	}
	for _, it := range in.AdditionalItems {
		sin.AdditionalItems = append(sin.AdditionalItems, store.AdditionalItemInput{VariantID: it.VariantID, Quantity: it.Quantity})
	}
	for _, o := range in.CustomShippingOptions {
		sin.CustomShippingOptions = append(sin.CustomShippingOptions, store.CustomShippingOptionInput{OptionID: o.OptionID, Price: o.Price})
	}
	if k.RecoveryPoint != "finished" {
		err = r.Store.CreateSwap(ctx, id, k.IdempotencyKey, sin)
	}
	p, err := r.orderPayload(ctx, id, err)
	if p == nil {
		return nil, err
	}
	return &gqlmodel.CreateSwapPayload{Order: p.Order, IdempotencyKey: &k.IdempotencyKey, UserErrors: p.UserErrors}, err
}
