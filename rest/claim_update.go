package rest

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

// POST /admin/orders/:id/claims/:claim_id (routes/admin/orders/update-claim.ts).

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Post("/orders/{id}/claims/{claim_id}", a.updateClaim)
	})
}

// updateClaimRequest is AdminPostOrdersOrderClaimsClaimReq.
type updateClaimRequest struct {
	ClaimItems      json.RawMessage `json:"claim_items"`
	ShippingMethods json.RawMessage `json:"shipping_methods"`
	NoNotification  json.RawMessage `json:"no_notification"`
	Metadata        json.RawMessage `json:"metadata"`
}

// elNotEmptyString is cvNotEmptyString for a property of an element of parent.
func elNotEmptyString(v *store.Violations, parent, name string, raw json.RawMessage) *string {
	v.Add(cvNull(raw) || bytes.Equal(bytes.TrimSpace(raw), []byte(`""`)), parent, name+" should not be empty")
	s, _ := elString(v, parent, name, raw, true)
	return s
}

// claimShippingMethods checks `@IsArray() @IsOptional() @ValidateNested({ each: true })`
// shipping_methods of ShippingMethod (id, option_id IsString, price IsInt, all optional). A
// given array, even empty, replaces the claim's methods.
func claimShippingMethods(v *store.Violations, raw json.RawMessage) []store.ClaimShippingMethodInput {
	if cvNull(raw) {
		return nil
	}
	out := []store.ClaimShippingMethodInput{}
	nestedArray(v, "shipping_methods", raw, false, []string{"id", "option_id", "price"}, func(el map[string]json.RawMessage) {
		var m store.ClaimShippingMethodInput
		m.ID, _ = elString(v, "shipping_methods", "id", el["id"], false)
		m.OptionID, _ = elString(v, "shipping_methods", "option_id", el["option_id"], false)
		m.Price, _, _ = intValue(v, "shipping_methods", "price", el["price"], false)
		out = append(out, m)
	})
	return out
}

// claimImagesAndTags checks a claim item's required images (Image: id, url) and tags (Tag: id,
// value) arrays.
func claimImagesAndTags(v *store.Violations, el map[string]json.RawMessage) ([]store.ClaimImageInput, []store.ClaimTagInput) {
	images := []store.ClaimImageInput{}
	nestedArray(v, "images", el["images"], true, []string{"id", "url"}, func(im map[string]json.RawMessage) {
		var in store.ClaimImageInput
		in.ID, _ = elString(v, "images", "id", im["id"], false)
		in.URL, _ = elString(v, "images", "url", im["url"], false)
		images = append(images, in)
	})
	tags := []store.ClaimTagInput{}
	nestedArray(v, "tags", el["tags"], true, []string{"id", "value"}, func(tg map[string]json.RawMessage) {
		var in store.ClaimTagInput
		in.ID, _ = elString(v, "tags", "id", tg["id"], false)
		in.Value, _ = elString(v, "tags", "value", tg["value"], false)
		tags = append(tags, in)
	})
	return images, tags
}

// POST /admin/orders/:id/claims/:claim_id. As in Medusa, the claim is not checked to be the
// order's.
func (a *API) updateClaim(w http.ResponseWriter, r *http.Request) {
	var body updateClaimRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateClaimInput
	if !cvNull(body.ClaimItems) {
		nestedArray(&v, "claim_items", body.ClaimItems, false, []string{"id", "note", "reason", "images", "tags", "metadata"},
			func(el map[string]json.RawMessage) {
				var it store.ClaimItemUpdate
				id := elNotEmptyString(&v, "claim_items", "id", el["id"])
				it.Note, _ = elString(&v, "claim_items", "note", el["note"], false)
				it.Reason, _ = elString(&v, "claim_items", "reason", el["reason"], false)
				it.Images, it.Tags = claimImagesAndTags(&v, el)
				it.Metadata = cvObject(&v, "metadata", el["metadata"])
				if id != nil {
					it.ID = *id
					in.ClaimItems = append(in.ClaimItems, it)
				}
			})
	}
	in.ShippingMethods = claimShippingMethods(&v, body.ShippingMethods)
	in.NoNotification = cvBool(&v, "no_notification", body.NoNotification)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	a.orderAction(w, r, actionFind, func(string) error {
		return a.store.UpdateClaim(r.Context(), chi.URLParam(r, "claim_id"), in)
	})
}
