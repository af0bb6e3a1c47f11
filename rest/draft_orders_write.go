package rest

import (
	"encoding/json"
	"math"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Post("/draft-orders", a.createDraftOrder)
		r.Post("/draft-orders/{id}", a.updateDraftOrder)
		r.Post("/draft-orders/{id}/line-items", a.addDraftOrderLineItem)
		r.Post("/draft-orders/{id}/pay", a.registerDraftOrderPayment)
	})
}

// createDraftOrderRequest is AdminPostDraftOrdersReq.
type createDraftOrderRequest struct {
	Status              json.RawMessage `json:"status"`
	Email               json.RawMessage `json:"email"`
	BillingAddress      json.RawMessage `json:"billing_address"`
	ShippingAddress     json.RawMessage `json:"shipping_address"`
	Items               json.RawMessage `json:"items"`
	RegionID            json.RawMessage `json:"region_id"`
	Discounts           json.RawMessage `json:"discounts"`
	CustomerID          json.RawMessage `json:"customer_id"`
	NoNotificationOrder json.RawMessage `json:"no_notification_order"`
	ShippingMethods     json.RawMessage `json:"shipping_methods"`
	Metadata            json.RawMessage `json:"metadata"`
}

// POST /admin/draft-orders: the new draft order with its cart (items and their adjustments, no
// totals), as Medusa reads it for defaultAdminDraftOrdersRelations.
func (a *API) createDraftOrder(w http.ResponseWriter, r *http.Request) {
	var body createDraftOrderRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.CreateDraftOrderInput
	if !cvNull(body.Status) {
		var s string
		v.Add(json.Unmarshal(body.Status, &s) != nil || s != "open" && s != "completed", "status", "status must be a valid enum value")
	}
	if e := cvEmail(&v, "email", body.Email, true); e != nil {
		in.Email = *e
	}
	in.BillingAddress = draftAddress(&v, "billing_address", body.BillingAddress)
	in.ShippingAddress = draftAddress(&v, "shipping_address", body.ShippingAddress)
	v.Add(cvEmpty(body.Items), "items", "items should not be empty")
	nestedElements(&v, "items", body.Items, true, func(el map[string]json.RawMessage) {
		var it store.DraftItemInput
		nestedUnknown(&v, "items", el, "title", "unit_price", "variant_id", "quantity", "metadata")
		it.Title, _ = cvString(&v, "title", el["title"], false)
		it.UnitPrice = draftInt(&v, "unit_price", el["unit_price"], false)
		it.VariantID, _ = cvString(&v, "variant_id", el["variant_id"], false)
		if q := draftInt(&v, "quantity", el["quantity"], true); q != nil {
			it.Quantity = *q
		}
		it.Metadata = cvObject(&v, "metadata", el["metadata"])
		in.Items = append(in.Items, it)
	})
	if id, _ := cvString(&v, "region_id", body.RegionID, true); id != nil {
		in.RegionID = *id
	}
	in.Discounts = draftDiscounts(&v, body.Discounts)
	in.CustomerID, _ = cvString(&v, "customer_id", body.CustomerID, false)
	in.NoNotificationOrder = cvBool(&v, "no_notification_order", body.NoNotificationOrder)
	v.Add(cvEmpty(body.ShippingMethods), "shipping_methods", "shipping_methods should not be empty")
	nestedElements(&v, "shipping_methods", body.ShippingMethods, true, func(el map[string]json.RawMessage) {
		var m store.DraftShippingMethodInput
		nestedUnknown(&v, "shipping_methods", el, "option_id", "data", "price")
		if id, _ := cvString(&v, "option_id", el["option_id"], true); id != nil {
			m.OptionID = *id
		}
		m.Data = cvObject(&v, "data", el["data"])
		m.Price = draftInt(&v, "price", el["price"], false)
		in.ShippingMethods = append(in.ShippingMethods, m)
	})
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id, err := a.store.CreateDraftOrder(r.Context(), in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	d, err := a.store.DraftOrderWithCart(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := draftOrderBody(d)
	if d.Cart != nil {
		out.Cart = &cartEntityOut{Object: "cart", Cart: d.Cart}
	}
	writeJSON(w, http.StatusOK, map[string]any{"draft_order": shape(out, store.Find{Expand: []string{"order", "cart",
		"cart.items.variant"}}, false)})
}

// nestedElements checks an `@IsArray() @ValidateNested({ each: true })` property: not an array
// is "<name> must be an array" (required: also when absent), a value that is no object (or an
// element that is none) class-validator's nested message; each object element goes to check in
// turn, so that the messages come in the elements' order; an object given for the array is
// checked as one element, as class-validator does.
func nestedElements(v *store.Violations, name string, raw json.RawMessage, required bool, check func(el map[string]json.RawMessage)) {
	each := "each value in nested property " + name + " must be either object or array"
	if cvNull(raw) {
		v.Add(required, name, name+" must be an array")
		return
	}
	switch jsonKind(raw) {
	case '[':
		var els []json.RawMessage
		_ = json.Unmarshal(raw, &els)
		for _, el := range els {
			switch jsonKind(el) {
			case '{':
				var obj map[string]json.RawMessage
				_ = json.Unmarshal(el, &obj)
				check(obj)
			case '[':
			default:
				v.Add(true, name, each)
			}
		}
	case '{':
		v.Add(true, name, name+" must be an array")
		var obj map[string]json.RawMessage
		_ = json.Unmarshal(raw, &obj)
		check(obj)
	default:
		v.Add(true, name, name+" must be an array")
		v.Add(true, name, each)
	}
}

// nestedUnknown reports the properties of a nested object that its class does not declare.
func nestedUnknown(v *store.Violations, name string, el map[string]json.RawMessage, known ...string) {
	raw, _ := json.Marshal(el)
	for _, k := range objectKeys(raw) {
		if !contains(known, k) {
			v.Add(true, name, "property "+k+" should not exist")
		}
	}
}

// draftInt checks an IsNumber (or IsInt) property that Medusa stores in an integer column: a
// number that is not an integer is refused (Medusa fails to store it: a 500).
func draftInt(v *store.Violations, name string, raw json.RawMessage, required bool) *int {
	f := cvNumber(v, name, raw, required)
	if f == nil {
		return nil
	}
	if *f != math.Trunc(*f) || math.Abs(*f) > math.MaxInt32 {
		v.Add(true, name, name+" must be an integer number")
		return nil
	}
	n := int(*f)
	return &n
}

// draftDiscounts checks `@IsArray() @IsOptional() @ValidateNested({ each: true })` discounts of
// {code: IsString}; nil when absent.
func draftDiscounts(v *store.Violations, raw json.RawMessage) []string {
	if cvNull(raw) {
		return nil
	}
	out := []string{}
	nestedElements(v, "discounts", raw, false, func(el map[string]json.RawMessage) {
		nestedUnknown(v, "discounts", el, "code")
		if c, _ := cvString(v, "code", el["code"], true); c != nil {
			out = append(out, *c)
		}
	})
	return out
}

// draftAddress reads an address of the draft order routes, which Medusa declares with @Type but
// without @ValidateNested, so it checks nothing in it: the address columns given as strings (or
// null) are kept, other properties ignored. A value that is not an object is refused (Medusa
// would take a string for an address id).
func draftAddress(v *store.Violations, name string, raw json.RawMessage) *store.AddressInput {
	if cvNull(raw) {
		return nil
	}
	var el map[string]json.RawMessage
	if jsonKind(raw) != '{' || json.Unmarshal(raw, &el) != nil {
		v.Add(true, name, name+" must be an object")
		return nil
	}
	out := &store.AddressInput{Fields: map[string]*string{}}
	for _, k := range addressKeys {
		val, ok := el[k]
		if !ok {
			continue
		}
		if k == "metadata" {
			_ = json.Unmarshal(val, &out.Metadata)
			continue
		}
		if cvNull(val) {
			out.Fields[k] = nil
			continue
		}
		var s string
		if json.Unmarshal(val, &s) == nil {
			out.Fields[k] = &s
		}
	}
	return out
}

// updateDraftOrderRequest is AdminPostDraftOrdersDraftOrderReq.
type updateDraftOrderRequest struct {
	RegionID            json.RawMessage `json:"region_id"`
	CountryCode         json.RawMessage `json:"country_code"`
	Email               json.RawMessage `json:"email"`
	BillingAddress      json.RawMessage `json:"billing_address"`
	ShippingAddress     json.RawMessage `json:"shipping_address"`
	Discounts           json.RawMessage `json:"discounts"`
	CustomerID          json.RawMessage `json:"customer_id"`
	NoNotificationOrder json.RawMessage `json:"no_notification_order"`
}

// POST /admin/draft-orders/:id: the draft order (every column) as it was before the change,
// with its cart and totals as they are after, as Medusa's route answers.
func (a *API) updateDraftOrder(w http.ResponseWriter, r *http.Request) {
	var body updateDraftOrderRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateDraftOrderInput
	in.RegionID, _ = cvString(&v, "region_id", body.RegionID, false)
	in.CountryCode, _ = cvString(&v, "country_code", body.CountryCode, false)
	in.Email = cvEmail(&v, "email", body.Email, false)
	in.BillingAddress = draftAddress(&v, "billing_address", body.BillingAddress)
	in.ShippingAddress = draftAddress(&v, "shipping_address", body.ShippingAddress)
	in.ClearShippingAddress = body.ShippingAddress != nil && cvNull(body.ShippingAddress)
	in.Discounts = draftDiscounts(&v, body.Discounts)
	in.CustomerID, _ = cvString(&v, "customer_id", body.CustomerID, false)
	in.NoNotificationOrder = cvBool(&v, "no_notification_order", body.NoNotificationOrder)
	// Medusa reads the country of a null billing address (a 500); Gorgon refuses it.
	v.Add(body.BillingAddress != nil && cvNull(body.BillingAddress), "billing_address", "billing_address must be an object")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	d, err := a.store.UpdateDraftOrder(r.Context(), id, in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	view, err := a.store.RetrieveDraftOrder(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := draftOrderEntityOut{draftOrderColumns: draftColumns(d), CompletedAt: d.CompletedAt, IdempotencyKey: d.IdempotencyKey,
		Cart: draftCartBody(view.DraftOrder.Cart, view.CartTotals)}
	writeJSON(w, http.StatusOK, map[string]any{"draft_order": shape(out, store.Find{Expand: draftCartAnswerRelations}, false)})
}

// draftOrderEntityOut is a draft order read without `select` (every column), with its cart.
type draftOrderEntityOut struct {
	draftOrderColumns
	CompletedAt    any           `json:"completed_at"`
	IdempotencyKey *string       `json:"idempotency_key"`
	Cart           *draftCartOut `json:"cart"`
}

// addDraftLineRequest is AdminPostDraftOrdersDraftOrderLineItemsReq.
type addDraftLineRequest struct {
	Title     json.RawMessage `json:"title"`
	UnitPrice json.RawMessage `json:"unit_price"`
	VariantID json.RawMessage `json:"variant_id"`
	Quantity  json.RawMessage `json:"quantity"`
	Metadata  json.RawMessage `json:"metadata"`
}

// POST /admin/draft-orders/:id/line-items: the draft order with its cart's totals.
func (a *API) addDraftOrderLineItem(w http.ResponseWriter, r *http.Request) {
	var body addDraftLineRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.AddDraftLineInput
	in.Title, _ = cvString(&v, "title", body.Title, false)
	in.UnitPrice, _, _ = intValue(&v, "unit_price", "unit_price", body.UnitPrice, false)
	in.VariantID, _ = cvString(&v, "variant_id", body.VariantID, false)
	if q, _, _ := intValue(&v, "quantity", "quantity", body.Quantity, true); q != nil {
		in.Quantity = *q
	}
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if err := a.store.AddDraftOrderLineItem(r.Context(), id, in); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeDraftOrderCart(w, r, id)
}

// POST /admin/draft-orders/:id/pay: the order the draft order became, as the order routes
// answer it (defaultAdminOrdersRelations).
func (a *API) registerDraftOrderPayment(w http.ResponseWriter, r *http.Request) {
	orderID, err := a.store.RegisterDraftOrderPayment(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	a.writeOrder(w, r, orderID, actionFind)
}
