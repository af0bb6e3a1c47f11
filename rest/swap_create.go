package rest

import (
	"encoding/json"
	"math"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

// POST /admin/orders/:id/swaps (routes/admin/orders/create-swap.ts, with Medusa's
// Idempotency-Key) and POST /admin/orders/:id/swaps/:swap_id/process-payment
// (process-swap-payment.ts).

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Post("/orders/{id}/swaps", a.createSwap)
		r.Post("/orders/{id}/swaps/{swap_id}/process-payment", a.processSwapPayment)
	})
}

// createSwapRequest is AdminPostOrdersOrderSwapsReq.
type createSwapRequest struct {
	ReturnItems           json.RawMessage `json:"return_items"`
	ReturnShipping        json.RawMessage `json:"return_shipping"`
	AdditionalItems       json.RawMessage `json:"additional_items"`
	CustomShippingOptions json.RawMessage `json:"custom_shipping_options"`
	NoNotification        json.RawMessage `json:"no_notification"`
	AllowBackorder        json.RawMessage `json:"allow_backorder"`
}

// elNumber checks `@IsNumber() @IsNotEmpty()` (and, with min1, `@Min(1)`), reported in
// class-validator's order (the last decorator first). A number that is no integer passes
// Medusa's checks and then fails its integer column (a 500): refused here as not an integer.
func elNumber(v *store.Violations, parent, name string, raw json.RawMessage, min1 bool) *int {
	var f float64
	isNum := !cvNull(raw) && json.Unmarshal(raw, &f) == nil
	v.Add(min1 && (!isNum || f < 1), parent, name+" must not be less than 1")
	v.Add(cvEmpty(raw), parent, name+" should not be empty")
	v.Add(!isNum, parent, name+" must be a number conforming to the specified constraints")
	if !isNum {
		return nil
	}
	if f != math.Trunc(f) || !fitsInt4(f) {
		v.Add(true, parent, name+" must be an integer number")
		return nil
	}
	n := int(f)
	return &n
}

// swapReturnShipping checks `@IsObject() @IsOptional() @ValidateNested()` return_shipping of
// ReturnShipping (option_id IsString IsNotEmpty, price IsInt optional).
func swapReturnShipping(v *store.Violations, raw json.RawMessage) *store.ReturnShippingInput {
	const name = "return_shipping"
	if cvNull(raw) {
		return nil
	}
	switch jsonKind(raw) {
	case '{':
	case '[':
		v.Add(true, name, name+" must be an object")
		return nil
	default:
		v.Add(true, name, name+" must be an object")
		v.Add(true, name, "nested property "+name+" must be either object or array")
		return nil
	}
	var el map[string]json.RawMessage
	_ = json.Unmarshal(raw, &el)
	for _, k := range objectKeys(raw) {
		if k != "option_id" && k != "price" {
			v.Add(true, name, "property "+k+" should not exist")
		}
	}
	id := elNotEmptyString(v, name, "option_id", el["option_id"])
	price, _, _ := intValue(v, name, "price", el["price"], false)
	return &store.ReturnShippingInput{OptionID: id, Price: price}
}

// nestedEach is nestedArray for a `@IsArray() @ValidateNested({ each: true })` property whose
// value, when an object, class-validator also checks as the one element it holds.
func nestedEach(v *store.Violations, name string, raw json.RawMessage, required bool, known []string,
	each func(el map[string]json.RawMessage)) {
	if jsonKind(raw) != '{' {
		nestedArray(v, name, raw, required, known, each)
		return
	}
	v.Add(true, name, name+" must be an array")
	var el map[string]json.RawMessage
	_ = json.Unmarshal(raw, &el)
	for _, k := range objectKeys(raw) {
		if !contains(known, k) {
			v.Add(true, name, "property "+k+" should not exist")
		}
	}
	each(el)
}

func (a *API) createSwap(w http.ResponseWriter, r *http.Request) {
	var body createSwapRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.CreateSwapInput
	v.Add(cvNull(body.ReturnItems), "return_items", "return_items should not be empty")
	in.ReturnItems = []store.ReturnItemInput{}
	nestedEach(&v, "return_items", body.ReturnItems, true, []string{"item_id", "quantity", "reason_id", "note"}, func(el map[string]json.RawMessage) {
		id := elNotEmptyString(&v, "return_items", "item_id", el["item_id"])
		q := elNumber(&v, "return_items", "quantity", el["quantity"], true)
		reason, _ := elString(&v, "return_items", "reason_id", el["reason_id"], false)
		note, _ := elString(&v, "return_items", "note", el["note"], false)
		if id != nil && q != nil {
			in.ReturnItems = append(in.ReturnItems, store.ReturnItemInput{ItemID: *id, Quantity: *q, ReasonID: reason, Note: note})
		}
	})
	in.ReturnShipping = swapReturnShipping(&v, body.ReturnShipping)
	if !cvNull(body.AdditionalItems) {
		nestedEach(&v, "additional_items", body.AdditionalItems, false, []string{"variant_id", "quantity"}, func(el map[string]json.RawMessage) {
			id := elNotEmptyString(&v, "additional_items", "variant_id", el["variant_id"])
			q := elNumber(&v, "additional_items", "quantity", el["quantity"], false)
			if id != nil && q != nil {
				in.AdditionalItems = append(in.AdditionalItems, store.AdditionalItemInput{VariantID: *id, Quantity: *q})
			}
		})
	}
	if !cvNull(body.CustomShippingOptions) {
		nestedEach(&v, "custom_shipping_options", body.CustomShippingOptions, false, []string{"option_id", "price"}, func(el map[string]json.RawMessage) {
			id := elNotEmptyString(&v, "custom_shipping_options", "option_id", el["option_id"])
			price := elRequiredInt(&v, "custom_shipping_options", "price", el["price"])
			if id != nil && price != nil {
				in.CustomShippingOptions = append(in.CustomShippingOptions, store.CustomShippingOptionInput{OptionID: *id, Price: *price})
			}
		})
	}
	in.NoNotification = cvBool(&v, "no_notification", body.NoNotification)
	in.AllowBackorder = true
	if b := cvBool(&v, "allow_backorder", body.AllowBackorder); b != nil {
		in.AllowBackorder = *b
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	a.idempotentOrderAction(w, r, "/"+id+"/swaps", func(key string) error {
		return a.store.CreateSwap(r.Context(), id, key, in)
	})
}

// POST /admin/orders/:id/swaps/:swap_id/process-payment. As in Medusa, the swap is not checked
// to be the order's.
func (a *API) processSwapPayment(w http.ResponseWriter, r *http.Request) {
	a.orderAction(w, r, actionFind, func(id string) error {
		return a.store.ProcessSwapDifference(r.Context(), id, chi.URLParam(r, "swap_id"))
	})
}
