package rest

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

// Actions on an order's swaps (routes/admin/orders/cancel-swap.ts, fulfill-swap.ts,
// create-swap-shipment.ts, cancel-fulfillment-swap.ts): each answers the order as the other
// action routes do.

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Post("/orders/{id}/swaps/{swap_id}/cancel", a.cancelSwap)
		r.Post("/orders/{id}/swaps/{swap_id}/fulfillments", a.fulfillSwap)
		r.Post("/orders/{id}/swaps/{swap_id}/shipments", a.createSwapShipment)
		r.Post("/orders/{id}/swaps/{swap_id}/fulfillments/{fulfillment_id}/cancel", a.cancelSwapFulfillment)
	})
}

// POST /admin/orders/:id/swaps/:swap_id/cancel
func (a *API) cancelSwap(w http.ResponseWriter, r *http.Request) {
	a.orderAction(w, r, actionFind, func(id string) error {
		return a.store.CancelSwap(r.Context(), id, chi.URLParam(r, "swap_id"))
	})
}

// POST /admin/orders/:id/swaps/:swap_id/fulfillments/:fulfillment_id/cancel
func (a *API) cancelSwapFulfillment(w http.ResponseWriter, r *http.Request) {
	a.orderAction(w, r, actionFind, func(id string) error {
		return a.store.CancelSwapFulfillment(r.Context(), id, chi.URLParam(r, "swap_id"), chi.URLParam(r, "fulfillment_id"))
	})
}

// swapFulfillmentRequest is AdminPostOrdersOrderSwapsSwapFulfillmentsReq.
type swapFulfillmentRequest struct {
	Metadata       json.RawMessage `json:"metadata"`
	NoNotification json.RawMessage `json:"no_notification"`
}

// POST /admin/orders/:id/swaps/:swap_id/fulfillments. As in Medusa, the swap is not checked to
// be the order's.
func (a *API) fulfillSwap(w http.ResponseWriter, r *http.Request) {
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
	a.orderAction(w, r, actionFind, func(id string) error {
		return a.store.FulfillSwap(r.Context(), id, chi.URLParam(r, "swap_id"), in)
	})
}

// POST /admin/orders/:id/swaps/:swap_id/shipments (AdminPostOrdersOrderSwapsSwapShipmentsReq).
func (a *API) createSwapShipment(w http.ResponseWriter, r *http.Request) {
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
	a.orderAction(w, r, actionFind, func(id string) error {
		return a.store.CreateSwapShipment(r.Context(), id, chi.URLParam(r, "swap_id"), in)
	})
}
