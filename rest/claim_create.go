package rest

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

// POST /admin/orders/:id/claims (routes/admin/orders/create-claim.ts, with Medusa's
// Idempotency-Key).

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Post("/orders/{id}/claims", a.createClaim)
	})
}

// createClaimRequest is AdminPostOrdersOrderClaimsReq.
type createClaimRequest struct {
	Type            json.RawMessage `json:"type"`
	ClaimItems      json.RawMessage `json:"claim_items"`
	ReturnShipping  json.RawMessage `json:"return_shipping"`
	AdditionalItems json.RawMessage `json:"additional_items"`
	ShippingMethods json.RawMessage `json:"shipping_methods"`
	RefundAmount    json.RawMessage `json:"refund_amount"`
	ShippingAddress json.RawMessage `json:"shipping_address"`
	NoNotification  json.RawMessage `json:"no_notification"`
	Metadata        json.RawMessage `json:"metadata"`
}

// elEnum checks an IsEnum property of an element of parent (optional unless required).
func elEnum(v *store.Violations, parent, name string, raw json.RawMessage, values []string, required bool) *string {
	msg := name + " must be a valid enum value"
	if cvNull(raw) {
		v.Add(required, parent, msg)
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil || !contains(values, s) {
		v.Add(true, parent, msg)
		return nil
	}
	return &s
}

// elRequiredInt checks `@IsInt() @IsNotEmpty()`.
func elRequiredInt(v *store.Violations, parent, name string, raw json.RawMessage) *int {
	v.Add(cvNull(raw) || bytes.Equal(bytes.TrimSpace(raw), []byte(`""`)), parent, name+" should not be empty")
	n, _, _ := intValue(v, parent, name, raw, true)
	return n
}

func (a *API) createClaim(w http.ResponseWriter, r *http.Request) {
	var body createClaimRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.CreateClaimInput
	v.Add(cvNull(body.Type) || bytes.Equal(bytes.TrimSpace(body.Type), []byte(`""`)), "type", "type should not be empty")
	if t := elEnum(&v, "type", "type", body.Type, []string{"refund", "replace"}, true); t != nil {
		in.Type = *t
	}
	v.Add(cvNull(body.ClaimItems), "claim_items", "claim_items should not be empty")
	in.ClaimItems = []store.CreateClaimItemInput{}
	nestedArray(&v, "claim_items", body.ClaimItems, true, []string{"item_id", "quantity", "note", "reason", "tags", "images"},
		func(el map[string]json.RawMessage) {
			id := elNotEmptyString(&v, "claim_items", "item_id", el["item_id"])
			q := elRequiredInt(&v, "claim_items", "quantity", el["quantity"])
			note, _ := elString(&v, "claim_items", "note", el["note"], false)
			reason := elEnum(&v, "claim_items", "reason", el["reason"], []string{"missing_item", "wrong_item", "production_failure", "other"}, false)
			tags := cvStrings(&v, "tags", el["tags"], false)
			images := cvStrings(&v, "images", el["images"], false)
			if id != nil && q != nil {
				in.ClaimItems = append(in.ClaimItems, store.CreateClaimItemInput{ItemID: *id, Quantity: *q, Note: note, Reason: reason,
					Tags: tags, Images: images})
			}
		})
	if !cvNull(body.ReturnShipping) {
		nestedObject(&v, "return_shipping", body.ReturnShipping, map[string]string{"option_id": "string", "price": "int"}, []string{"option_id", "price"})
		var rs struct {
			OptionID *string `json:"option_id"`
			Price    *int    `json:"price"`
		}
		_ = json.Unmarshal(body.ReturnShipping, &rs)
		in.ReturnShipping = &store.ReturnShippingInput{OptionID: rs.OptionID, Price: rs.Price}
	}
	if !cvNull(body.AdditionalItems) {
		nestedArray(&v, "additional_items", body.AdditionalItems, false, []string{"variant_id", "quantity"}, func(el map[string]json.RawMessage) {
			id := elNotEmptyString(&v, "additional_items", "variant_id", el["variant_id"])
			q := elRequiredInt(&v, "additional_items", "quantity", el["quantity"])
			if id != nil && q != nil {
				in.AdditionalItems = append(in.AdditionalItems, store.AdditionalItemInput{VariantID: *id, Quantity: *q})
			}
		})
	}
	in.ShippingMethods = claimShippingMethods(&v, body.ShippingMethods)
	// Checked, and as in Medusa not passed on: a refund claim refunds what its items are worth.
	intValue(&v, "refund_amount", "refund_amount", body.RefundAmount, false)
	if t := bytes.TrimSpace(body.ShippingAddress); len(t) > 0 && t[0] == '[' {
		v.Add(true, "shipping_address", "shipping_address must be an object")
	}
	in.ShippingAddress = addressPayload(&v, "shipping_address", body.ShippingAddress)
	in.NoNotification = cvBool(&v, "no_notification", body.NoNotification)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	a.idempotentOrderAction(w, r, "/"+id+"/claims", func(key string) error {
		return a.store.CreateClaim(r.Context(), id, key, in)
	})
}

// idempotentOrderAction runs an order action under the request's idempotency key as Medusa's
// idempotent routes do: the Idempotency-Key header names a key an earlier answer gave (another
// value starts a new key), the answer carries the key, and a finished key answers its recorded
// response without acting again.
func (a *API) idempotentOrderAction(w http.ResponseWriter, r *http.Request, path string, fn func(key string) error) {
	id := chi.URLParam(r, "id")
	key, err := a.store.InitIdempotencyKey(r.Context(), r.Header.Get("Idempotency-Key"), r.Method, path, map[string]any{"id": id})
	if err != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusConflict)
		_, _ = w.Write([]byte("Failed to create idempotency key"))
		return
	}
	w.Header().Set("Access-Control-Expose-Headers", "Idempotency-Key")
	w.Header().Set("Idempotency-Key", key.IdempotencyKey)
	if key.RecoveryPoint == "finished" {
		writeJSON(w, deref(key.ResponseCode), key.ResponseBody)
		return
	}
	if err := fn(key.IdempotencyKey); err != nil {
		writeError(w, r, err)
		return
	}
	rec := &bufferedResponse{header: http.Header{}}
	a.writeOrder(rec, r, id, actionFind)
	if rec.status == http.StatusOK {
		var stored map[string]any
		if json.Unmarshal(rec.body.Bytes(), &stored) == nil {
			if err := a.store.FinishIdempotencyKey(r.Context(), key.IdempotencyKey, rec.status, stored); err != nil {
				writeError(w, r, err)
				return
			}
		}
	}
	for k, vs := range rec.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}
