package rest

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

// Actions on an order's claims (routes/admin/orders/cancel-claim.ts, fulfill-claim.ts,
// create-claim-shipment.ts, cancel-fulfillment-claim.ts): each answers the order as the other
// action routes do.

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Post("/orders/{id}/claims/{claim_id}/cancel", a.cancelClaim)
		r.Post("/orders/{id}/claims/{claim_id}/fulfillments", a.fulfillClaim)
		r.Post("/orders/{id}/claims/{claim_id}/shipments", a.createClaimShipment)
		r.Post("/orders/{id}/claims/{claim_id}/fulfillments/{fulfillment_id}/cancel", a.cancelClaimFulfillment)
	})
}

// POST /admin/orders/:id/claims/:claim_id/cancel
func (a *API) cancelClaim(w http.ResponseWriter, r *http.Request) {
	a.orderAction(w, r, actionFind, func(id string) error {
		return a.store.CancelClaim(r.Context(), id, chi.URLParam(r, "claim_id"))
	})
}

// POST /admin/orders/:id/claims/:claim_id/fulfillments/:fulfillment_id/cancel
func (a *API) cancelClaimFulfillment(w http.ResponseWriter, r *http.Request) {
	a.orderAction(w, r, actionFind, func(id string) error {
		return a.store.CancelClaimFulfillment(r.Context(), id, chi.URLParam(r, "claim_id"), chi.URLParam(r, "fulfillment_id"))
	})
}

// POST /admin/orders/:id/claims/:claim_id/fulfillments
// (AdminPostOrdersOrderClaimsClaimFulfillmentsReq: metadata, no_notification). As in Medusa, the
// claim is not checked to be the order's.
func (a *API) fulfillClaim(w http.ResponseWriter, r *http.Request) {
	var body swapFulfillmentRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.SwapFulfillmentInput
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	in.NoNotification = cvBool(&v, "no_notification", body.NoNotification)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	a.orderAction(w, r, actionFind, func(string) error {
		return a.store.FulfillClaim(r.Context(), chi.URLParam(r, "claim_id"), in)
	})
}

// claimShipmentRequest is AdminPostOrdersOrderClaimsClaimShipmentsReq (no no_notification).
type claimShipmentRequest struct {
	FulfillmentID   json.RawMessage `json:"fulfillment_id"`
	TrackingNumbers json.RawMessage `json:"tracking_numbers"`
}

// POST /admin/orders/:id/claims/:claim_id/shipments
func (a *API) createClaimShipment(w http.ResponseWriter, r *http.Request) {
	var body claimShipmentRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.CreateShipmentInput
	in.FulfillmentID = deref(cvNotEmptyString(&v, "fulfillment_id", body.FulfillmentID))
	in.TrackingNumbers = cvStrings(&v, "tracking_numbers", body.TrackingNumbers, false)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	a.orderAction(w, r, actionFind, func(string) error {
		return a.store.CreateClaimShipment(r.Context(), chi.URLParam(r, "claim_id"), in)
	})
}
