package rest

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest/qs"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/shipping-options", a.listShippingOptions)
		r.Post("/shipping-options", a.createShippingOption)
		r.Get("/shipping-options/{id}", a.getShippingOption)
		r.Post("/shipping-options/{id}", a.updateShippingOption)
		r.Delete("/shipping-options/{id}", a.deleteShippingOption)
	})
}

func writeShippingOption(w http.ResponseWriter, r *http.Request, o *model.ShippingOption, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"shipping_option": o})
}

// shippingBoolParam reads a parameter through Medusa's optionalBooleanMapper: "true" and "false"
// filter, "null" matches nothing, anything else (an array too) is no filter.
func shippingBoolParam(q *query, key string) *store.BoolFilter {
	v, ok := q.value(key)
	if !ok {
		return nil
	}
	switch v {
	case qs.String("true"):
		return &store.BoolFilter{Value: true}
	case qs.String("false"):
		return &store.BoolFilter{}
	case qs.String("null"):
		return &store.BoolFilter{Null: true}
	}
	return nil
}

// GET /admin/shipping-options (AdminGetShippingOptionsParams): every matching option, no paging;
// the count is their number.
func (a *API) listShippingOptions(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	var f store.ShippingOptionFilter
	f.RegionID = cvQueryString(q, "region_id")
	f.IsReturn = shippingBoolParam(q, "is_return")
	f.AdminOnly = shippingBoolParam(q, "admin_only")
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	opts, err := a.store.ListShippingOptions(r.Context(), f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"shipping_options": opts, "count": len(opts)})
}

// GET /admin/shipping-options/:id: the option's columns only; Medusa reads no query parameters.
func (a *API) getShippingOption(w http.ResponseWriter, r *http.Request) {
	o, err := a.store.GetShippingOption(r.Context(), chi.URLParam(r, "id"), nil)
	writeShippingOption(w, r, o, err)
}

// createShippingOptionRequest is Medusa's AdminPostShippingOptionsReq.
type createShippingOptionRequest struct {
	Name         json.RawMessage `json:"name"`
	RegionID     json.RawMessage `json:"region_id"`
	ProviderID   json.RawMessage `json:"provider_id"`
	ProfileID    json.RawMessage `json:"profile_id"`
	Data         json.RawMessage `json:"data"`
	PriceType    json.RawMessage `json:"price_type"`
	Amount       json.RawMessage `json:"amount"`
	Requirements json.RawMessage `json:"requirements"`
	AdminOnly    json.RawMessage `json:"admin_only"`
	IsReturn     json.RawMessage `json:"is_return"`
	Metadata     json.RawMessage `json:"metadata"`
}

// requirementInputs checks the requirements of a shipping option request (OptionRequirement:
// id, on updates only, then type and amount).
func requirementInputs(v *store.Violations, raw json.RawMessage, optional, withID bool) []store.ShippingRequirementInput {
	known := []string{"type", "amount"}
	if withID {
		known = append([]string{"id"}, known...)
	}
	c := pbAt(v, "requirements")
	out := []store.ShippingRequirementInput{}
	c.nested("requirements", raw, true, optional, known, func(o pbObject) {
		var req store.ShippingRequirementInput
		if withID {
			req.ID, _ = c.str("id", o["id"], false)
		}
		if t, _ := c.str("type", o["type"], true); t != nil {
			req.Type = *t
		}
		if pbNull(o["amount"]) {
			c.fail("amount must be a number conforming to the specified constraints")
		} else if n, _ := c.number("amount", o["amount"]); n != nil {
			req.Amount = *n
		}
		out = append(out, req)
	})
	if pbNull(raw) {
		return nil
	}
	return out
}

// shippingTypeBoolean reads a property Medusa only transforms with `@Type(() => Boolean)`: any value is
// taken by its JavaScript truthiness. Medusa stores a null (or an array's transform) in the NOT
// NULL column and fails; Gorgon refuses them.
func shippingTypeBoolean(v *store.Violations, name string, raw json.RawMessage) bool {
	if raw == nil {
		return false
	}
	var val any
	_ = json.Unmarshal(raw, &val)
	if _, isArray := val.([]any); val == nil || isArray {
		v.Add(true, name, name+" must be a boolean value")
		return false
	}
	return pbTruthy(raw)
}

// POST /admin/shipping-options. A missing profile_id means the default profile.
func (a *API) createShippingOption(w http.ResponseWriter, r *http.Request) {
	var body createShippingOptionRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.CreateShippingOptionInput
	name, _ := cvString(&v, "name", body.Name, true)
	region, _ := cvString(&v, "region_id", body.RegionID, true)
	provider, _ := cvString(&v, "provider_id", body.ProviderID, true)
	in.ProfileID, _ = cvString(&v, "profile_id", body.ProfileID, false)
	v.Add(cvNull(body.Data), "data", "data must be an object")
	in.Data = cvObject(&v, "data", body.Data)
	priceType, _ := cvString(&v, "price_type", body.PriceType, true)
	in.Amount, _ = pbAt(&v, "amount").number("amount", body.Amount)
	in.Requirements = requirementInputs(&v, body.Requirements, true, false)
	in.AdminOnly = shippingTypeBoolean(&v, "admin_only", body.AdminOnly)
	in.IsReturn = shippingTypeBoolean(&v, "is_return", body.IsReturn)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	in.Name, in.RegionID, in.ProviderID, in.PriceType = *name, *region, *provider, *priceType
	o, err := a.store.CreateShippingOption(r.Context(), in)
	writeShippingOption(w, r, o, err)
}

// updateShippingOptionRequest is Medusa's AdminPostShippingOptionsOptionReq: requirements are
// required, region, provider, data, price type and profile cannot be sent.
type updateShippingOptionRequest struct {
	Name         json.RawMessage `json:"name"`
	Amount       json.RawMessage `json:"amount"`
	Requirements json.RawMessage `json:"requirements"`
	AdminOnly    json.RawMessage `json:"admin_only"`
	Metadata     json.RawMessage `json:"metadata"`
}

// POST /admin/shipping-options/:id. A null name or admin_only is refused (Medusa tries to store
// it: a 500).
func (a *API) updateShippingOption(w http.ResponseWriter, r *http.Request) {
	var body updateShippingOptionRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateShippingOptionInput
	in.Name = nonNullString(&v, "name", body.Name)
	in.Amount = pbAt(&v, "amount").nullableNumber("amount", body.Amount)
	in.Requirements = requirementInputs(&v, body.Requirements, false, true)
	in.AdminOnly = nonNullBool(&v, "admin_only", body.AdminOnly)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	o, err := a.store.UpdateShippingOption(r.Context(), chi.URLParam(r, "id"), in)
	writeShippingOption(w, r, o, err)
}

// DELETE /admin/shipping-options/:id: a missing option is no error, as in Medusa.
func (a *API) deleteShippingOption(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteShippingOption(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "shipping-option", Deleted: true})
}
