package rest

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

// The admin actions on orders (Medusa 1.3.8's routes/admin/orders/*.ts): each decodes and
// checks its body as the route's class-validator class does, runs the store's action, and
// answers the order as the route reads it afterwards (writeOrder: the order routes' default
// fields and relations with totals, or, after complete and archive, every column with the
// region, customer and swaps).

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Post("/orders/{id}", a.updateOrder)
		r.Post("/orders/{id}/complete", a.completeOrder)
		r.Post("/orders/{id}/archive", a.archiveOrder)
		r.Post("/orders/{id}/cancel", a.cancelOrder)
		r.Post("/orders/{id}/capture", a.captureOrderPayment)
		r.Post("/orders/{id}/refund", a.refundOrder)
		r.Post("/orders/{id}/fulfillment", a.createOrderFulfillment)
		r.Post("/orders/{id}/fulfillments/{fulfillment_id}/cancel", a.cancelOrderFulfillment)
		r.Post("/orders/{id}/shipment", a.createOrderShipment)
		r.Post("/orders/{id}/shipping-methods", a.addOrderShippingMethod)
	})
}

// actionFind is what the action routes read for their answer: the default fields and
// relations (defaultAdminOrdersRelations, never the sales channel).
var actionFind = store.Find{Expand: store.OrderActionRelations()}

// orderColumnsFind is what completeOrder and archive read for their answer: no select (every
// column, no totals) and the relations region, customer and swaps.
func (a *API) orderColumnsFind() store.Find {
	return store.Find{Expand: []string{"region", "customer", "swaps"}, Fields: a.store.OrderColumns()}
}

// orderAction answers an action without a body (Medusa reads none: any body is ignored):
// fn's error, or the order read with find.
func (a *API) orderAction(w http.ResponseWriter, r *http.Request, find store.Find, fn func(id string) error) {
	id := chi.URLParam(r, "id")
	if err := fn(id); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeOrder(w, r, id, find)
}

// POST /admin/orders/:id/complete
func (a *API) completeOrder(w http.ResponseWriter, r *http.Request) {
	a.orderAction(w, r, a.orderColumnsFind(), func(id string) error { return a.store.CompleteOrder(r.Context(), id) })
}

// POST /admin/orders/:id/archive
func (a *API) archiveOrder(w http.ResponseWriter, r *http.Request) {
	a.orderAction(w, r, a.orderColumnsFind(), func(id string) error { return a.store.ArchiveOrder(r.Context(), id) })
}

// POST /admin/orders/:id/cancel
func (a *API) cancelOrder(w http.ResponseWriter, r *http.Request) {
	a.orderAction(w, r, actionFind, func(id string) error { return a.store.CancelOrder(r.Context(), id) })
}

// POST /admin/orders/:id/capture
func (a *API) captureOrderPayment(w http.ResponseWriter, r *http.Request) {
	a.orderAction(w, r, actionFind, func(id string) error { return a.store.CapturePayment(r.Context(), id) })
}

// updateOrderRequest is AdminPostOrdersOrderReq.
type updateOrderRequest struct {
	Email           json.RawMessage `json:"email"`
	BillingAddress  json.RawMessage `json:"billing_address"`
	ShippingAddress json.RawMessage `json:"shipping_address"`
	Items           json.RawMessage `json:"items"`
	Region          json.RawMessage `json:"region"`
	Discounts       json.RawMessage `json:"discounts"`
	CustomerID      json.RawMessage `json:"customer_id"`
	PaymentMethod   json.RawMessage `json:"payment_method"`
	ShippingMethod  json.RawMessage `json:"shipping_method"`
	NoNotification  json.RawMessage `json:"no_notification"`
	// Medusa's update takes metadata (setMetadata) but its request class does not declare it,
	// so the route refuses it ("property metadata should not exist"); Gorgon does the same.
}

// POST /admin/orders/:id. region, discounts, payment_method and shipping_method pass the
// checks and change nothing: Medusa assigns them to its order entity, where payment_method and
// shipping_method are no columns, and a region id string or discount objects fail its save
// (a 500); Gorgon refuses region and discounts with a 400 instead.
func (a *API) updateOrder(w http.ResponseWriter, r *http.Request) {
	var body updateOrderRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateOrderInput
	in.Email = cvEmail(&v, "email", body.Email, false)
	in.BillingAddress = addressPayload(&v, "billing_address", body.BillingAddress)
	in.ShippingAddress = addressPayload(&v, "shipping_address", body.ShippingAddress)
	in.Items = lineItemsPayload(&v, "items", body.Items)
	region, _ := cvString(&v, "region", body.Region, false)
	discounts := cvArray(&v, "discounts", body.Discounts)
	in.CustomerID, _ = cvString(&v, "customer_id", body.CustomerID, false)
	nestedObject(&v, "payment_method", body.PaymentMethod, map[string]string{"provider_id": "string", "data": "object"}, []string{"provider_id", "data"})
	nestedArrayOf(&v, "shipping_method", body.ShippingMethod, map[string]string{"provider_id": "string", "profile_id": "string",
		"price": "int", "data": "object", "items": "array"}, []string{"provider_id", "profile_id", "price", "data", "items"})
	in.NoNotification = cvBool(&v, "no_notification", body.NoNotification)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	switch {
	case body.Email != nil && cvNull(body.Email):
		writeError(w, r, store.Invalidf("email must be an email"))
		return
	case region != nil:
		writeError(w, r, store.Invalidf("An order's region cannot be changed"))
		return
	case discounts != nil:
		writeError(w, r, store.Invalidf("An order's discounts cannot be changed"))
		return
	}
	id := chi.URLParam(r, "id")
	if err := a.store.UpdateOrder(r.Context(), id, in); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeOrder(w, r, id, actionFind)
}

// addressKeys are AddressPayload's properties in its class order, with their checks.
var addressKeys = []string{"first_name", "last_name", "phone", "metadata", "company", "address_1", "address_2", "city",
	"country_code", "province", "postal_code"}

// addressPayload checks a `@ValidateNested() @Type(() => AddressPayload)` property: unknown
// properties first, then each property's IsString (IsObject for metadata). Absent or null is
// nil; a value that is not an object is class-validator's nested-property message; an array
// is an address without fields (Medusa then finds no country).
func addressPayload(v *store.Violations, name string, raw json.RawMessage) *store.AddressInput {
	if cvNull(raw) {
		return nil
	}
	t := bytes.TrimSpace(raw)
	if len(t) > 0 && t[0] == '[' {
		return &store.AddressInput{Fields: map[string]*string{}}
	}
	var el map[string]json.RawMessage
	if len(t) == 0 || t[0] != '{' || json.Unmarshal(raw, &el) != nil {
		v.Add(true, name, "nested property "+name+" must be either object or array")
		return nil
	}
	for _, k := range objectKeys(raw) {
		if !contains(addressKeys, k) {
			v.Add(true, name, "property "+k+" should not exist")
		}
	}
	out := &store.AddressInput{Fields: map[string]*string{}}
	for _, k := range addressKeys {
		val, ok := el[k]
		if !ok {
			continue
		}
		if k == "metadata" {
			out.Metadata = cvObject(v, name, val)
			continue
		}
		if cvNull(val) {
			out.Fields[k] = nil
			continue
		}
		var s string
		if json.Unmarshal(val, &s) != nil {
			v.Add(true, name, k+" must be a string")
			continue
		}
		out.Fields[k] = &s
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cvArray checks an optional IsArray property, returning its elements.
func cvArray(v *store.Violations, name string, raw json.RawMessage) []json.RawMessage {
	if cvNull(raw) {
		return nil
	}
	var out []json.RawMessage
	if json.Unmarshal(raw, &out) != nil || out == nil {
		v.Add(true, name, name+" must be an array")
		return nil
	}
	return out
}

// lineItemsPayload checks items (IsArray of free objects) and reads the line item columns of
// each; other keys are ignored as TypeORM's create ignores them.
func lineItemsPayload(v *store.Violations, name string, raw json.RawMessage) []store.LineItemInput {
	els := cvArray(v, name, raw)
	if els == nil {
		return nil
	}
	out := []store.LineItemInput{}
	for _, el := range els {
		var it struct {
			Title          *string        `json:"title"`
			Description    *string        `json:"description"`
			Thumbnail      *string        `json:"thumbnail"`
			VariantID      *string        `json:"variant_id"`
			UnitPrice      *int           `json:"unit_price"`
			Quantity       *int           `json:"quantity"`
			AllowDiscounts *bool          `json:"allow_discounts"`
			HasShipping    *bool          `json:"has_shipping"`
			IsGiftcard     *bool          `json:"is_giftcard"`
			ShouldMerge    *bool          `json:"should_merge"`
			Metadata       map[string]any `json:"metadata"`
		}
		// An element that is not a line item's object is one without a title, price or
		// quantity, which the store refuses (Medusa fails to insert it).
		_ = json.Unmarshal(el, &it)
		out = append(out, store.LineItemInput{Title: it.Title, Description: it.Description, Thumbnail: it.Thumbnail,
			VariantID: it.VariantID, UnitPrice: it.UnitPrice, Quantity: it.Quantity, AllowDiscounts: it.AllowDiscounts,
			HasShipping: it.HasShipping, IsGiftcard: it.IsGiftcard, ShouldMerge: it.ShouldMerge, Metadata: it.Metadata})
	}
	return out
}

// nestedObject checks a `@ValidateNested() @Type(() => C)` property whose class has the given
// optional properties (kinds "string", "int", "object", "array") in order.
func nestedObject(v *store.Violations, name string, raw json.RawMessage, kinds map[string]string, order []string) {
	if cvNull(raw) {
		return
	}
	switch jsonKind(raw) {
	case '[':
		nestedArrayOf(v, name, raw, kinds, order)
	case '{':
		nestedFields(v, name, raw, kinds, order)
	default:
		v.Add(true, name, "nested property "+name+" must be either object or array")
	}
}

// nestedArrayOf checks a `@ValidateNested({ each: true })` property: each element as
// nestedObject does (an object is checked as one element).
func nestedArrayOf(v *store.Violations, name string, raw json.RawMessage, kinds map[string]string, order []string) {
	if cvNull(raw) {
		return
	}
	each := "each value in nested property " + name + " must be either object or array"
	switch jsonKind(raw) {
	case '{':
		nestedFields(v, name, raw, kinds, order)
		return
	case '[':
	default:
		v.Add(true, name, each)
		return
	}
	var els []json.RawMessage
	_ = json.Unmarshal(raw, &els)
	for _, el := range els {
		switch jsonKind(el) {
		case '{':
			nestedFields(v, name, el, kinds, order)
		case '[':
		default:
			v.Add(true, name, each)
		}
	}
}

// nestedFields checks one nested object: unknown properties first, then each property.
func nestedFields(v *store.Violations, name string, raw json.RawMessage, kinds map[string]string, order []string) {
	var el map[string]json.RawMessage
	_ = json.Unmarshal(raw, &el)
	for _, k := range objectKeys(raw) {
		if _, ok := kinds[k]; !ok {
			v.Add(true, name, "property "+k+" should not exist")
		}
	}
	for _, k := range order {
		val, ok := el[k]
		if !ok || cvNull(val) {
			continue
		}
		switch kinds[k] {
		case "string":
			cvString(v, k, val, false)
		case "object":
			cvObject(v, k, val)
		case "array":
			cvArray(v, k, val)
		case "int":
			intValue(v, name, k, val, false)
		}
	}
}

// refundRequest is AdminPostOrdersOrderRefundsReq.
type refundRequest struct {
	Amount         json.RawMessage `json:"amount"`
	Reason         json.RawMessage `json:"reason"`
	Note           json.RawMessage `json:"note"`
	NoNotification json.RawMessage `json:"no_notification"`
}

// POST /admin/orders/:id/refund. A reason outside Medusa's refund reasons (discount, return,
// swap, claim, other) fails Medusa's insert with a 500; Gorgon answers a 400.
func (a *API) refundOrder(w http.ResponseWriter, r *http.Request) {
	var body refundRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.RefundInput
	v.Add(cvEmpty(body.Amount), "amount", "amount should not be empty")
	amount, _, _ := intValue(&v, "amount", "amount", body.Amount, true)
	reason := cvNotEmptyString(&v, "reason", body.Reason)
	in.Note, _ = cvString(&v, "note", body.Note, false)
	in.NoNotification = cvBool(&v, "no_notification", body.NoNotification)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	in.Amount, in.Reason = *amount, *reason
	id := chi.URLParam(r, "id")
	if err := a.store.CreateRefund(r.Context(), id, in); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeOrder(w, r, id, actionFind)
}

// fulfillmentRequest is AdminPostOrdersOrderFulfillmentsReq.
type fulfillmentRequest struct {
	Items          json.RawMessage `json:"items"`
	NoNotification json.RawMessage `json:"no_notification"`
	Metadata       json.RawMessage `json:"metadata"`
}

// POST /admin/orders/:id/fulfillment. Medusa transforms no_notification with
// `value === "true"` before checking it: the string "true" is true, any other value present
// (the boolean true included) is false.
func (a *API) createOrderFulfillment(w http.ResponseWriter, r *http.Request) {
	var body fulfillmentRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.CreateFulfillmentInput
	in.Items = fulfillmentItems(&v, "items", body.Items)
	if body.NoNotification != nil {
		b := bytes.Equal(bytes.TrimSpace(body.NoNotification), []byte(`"true"`))
		in.NoNotification = &b
	}
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if err := a.store.CreateFulfillment(r.Context(), id, in); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeOrder(w, r, id, actionFind)
}

// fulfillmentItems checks `@IsArray() @ValidateNested({ each: true }) items: Item[]`, Item
// being {item_id: IsString IsNotEmpty, quantity: IsInt IsNotEmpty}.
func fulfillmentItems(v *store.Violations, name string, raw json.RawMessage) []store.FulfillmentItemInput {
	eachMsg := "each value in nested property " + name + " must be either object or array"
	if raw == nil {
		v.Add(true, name, name+" must be an array")
		return nil
	}
	switch jsonKind(raw) {
	case '[':
	case '{':
		v.Add(true, name, name+" must be an array")
		return nil
	default:
		v.Add(true, name, name+" must be an array")
		v.Add(true, name, eachMsg)
		return nil
	}
	var els []json.RawMessage
	if json.Unmarshal(raw, &els) != nil {
		v.Add(true, name, name+" must be an array")
		return nil
	}
	out := []store.FulfillmentItemInput{}
	for _, el := range els {
		switch jsonKind(el) {
		case '{':
		case '[':
			continue // class-validator lets a nested array through
		default:
			v.Add(true, name, eachMsg)
			continue
		}
		var obj map[string]json.RawMessage
		_ = json.Unmarshal(el, &obj)
		for _, k := range objectKeys(el) {
			if k != "item_id" && k != "quantity" {
				v.Add(true, name, "property "+k+" should not exist")
			}
		}
		itemID := cvNotEmptyString(v, "item_id", obj["item_id"])
		v.Add(cvEmpty(obj["quantity"]), name, "quantity should not be empty")
		q, _, _ := intValue(v, name, "quantity", obj["quantity"], true)
		if itemID != nil && q != nil {
			out = append(out, store.FulfillmentItemInput{ItemID: *itemID, Quantity: *q})
		}
	}
	return out
}

// cvEmpty is class-validator's IsNotEmpty failing: absent, null or "".
func cvEmpty(raw json.RawMessage) bool {
	return cvNull(raw) || bytes.Equal(bytes.TrimSpace(raw), []byte(`""`))
}

// POST /admin/orders/:id/fulfillments/:fulfillment_id/cancel
func (a *API) cancelOrderFulfillment(w http.ResponseWriter, r *http.Request) {
	a.orderAction(w, r, actionFind, func(id string) error {
		return a.store.CancelOrderFulfillment(r.Context(), id, chi.URLParam(r, "fulfillment_id"))
	})
}

// shipmentRequest is AdminPostOrdersOrderShipmentReq.
type shipmentRequest struct {
	FulfillmentID   json.RawMessage `json:"fulfillment_id"`
	TrackingNumbers json.RawMessage `json:"tracking_numbers"`
	NoNotification  json.RawMessage `json:"no_notification"`
}

// POST /admin/orders/:id/shipment
func (a *API) createOrderShipment(w http.ResponseWriter, r *http.Request) {
	var body shipmentRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.CreateShipmentInput
	in.FulfillmentID = deref(cvNotEmptyString(&v, "fulfillment_id", body.FulfillmentID))
	in.TrackingNumbers = cvStrings(&v, "tracking_numbers", body.TrackingNumbers, false)
	in.NoNotification = cvBool(&v, "no_notification", body.NoNotification)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if err := a.store.CreateShipment(r.Context(), id, in); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeOrder(w, r, id, actionFind)
}

// shippingMethodRequest is AdminPostOrdersOrderShippingMethodsReq.
type shippingMethodRequest struct {
	Price    json.RawMessage `json:"price"`
	OptionID json.RawMessage `json:"option_id"`
	Data     json.RawMessage `json:"data"`
}

// POST /admin/orders/:id/shipping-methods
func (a *API) addOrderShippingMethod(w http.ResponseWriter, r *http.Request) {
	var body shippingMethodRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.AddShippingMethodInput
	v.Add(cvEmpty(body.Price), "price", "price should not be empty")
	price, _, _ := intValue(&v, "price", "price", body.Price, true)
	in.OptionID = deref(cvNotEmptyString(&v, "option_id", body.OptionID))
	in.Data = cvObject(&v, "data", body.Data)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	in.Price = *price
	id := chi.URLParam(r, "id")
	if err := a.store.AddShippingMethod(r.Context(), id, in); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeOrder(w, r, id, actionFind)
}
