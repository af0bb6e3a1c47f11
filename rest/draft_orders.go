package rest

import (
	"encoding/json"
	"math"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest/qs"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/totals"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/draft-orders", a.listDraftOrders)
		r.Get("/draft-orders/{id}", a.getDraftOrder)
		r.Delete("/draft-orders/{id}", a.deleteDraftOrder)
		r.Delete("/draft-orders/{id}/line-items/{line_id}", a.deleteDraftOrderLineItem)
		r.Post("/draft-orders/{id}/line-items/{line_id}", a.updateDraftOrderLineItem)
	})
}

// draftOrderOut is a draft order as Medusa's routes answer it: the columns of
// defaultAdminDraftOrdersFields (no completed_at, no idempotency_key), its order (null when
// none) and its cart.
type draftOrderOut struct {
	draftOrderColumns
	Order *orderOut `json:"order"`
	Cart  any       `json:"cart"`
}

// draftOrderColumns are the columns of defaultAdminDraftOrdersFields.
type draftOrderColumns struct {
	ID                  string         `json:"id"`
	Status              string         `json:"status"`
	DisplayID           int            `json:"display_id"`
	CartID              *string        `json:"cart_id"`
	OrderID             *string        `json:"order_id"`
	CanceledAt          *model.Time    `json:"canceled_at"`
	CreatedAt           model.Time     `json:"created_at"`
	UpdatedAt           model.Time     `json:"updated_at"`
	Metadata            map[string]any `json:"metadata"`
	NoNotificationOrder *bool          `json:"no_notification_order"`
}

// draftOrderCartOut is a draft order as the routes that change its cart answer it: the columns
// without the order relation (Medusa reads the draft order without relations there), and the
// cart with its totals.
type draftOrderCartOut struct {
	draftOrderColumns
	Cart *draftCartOut `json:"cart"`
}

// draftCartOut is a draft order's cart with its totals, as GET /admin/draft-orders/:id
// answers it (tax_total null when the region computes no taxes automatically).
type draftCartOut struct {
	Object string `json:"object"`
	*model.Cart
	Subtotal         int64   `json:"subtotal"`
	TaxTotal         *int64  `json:"tax_total"`
	ShippingTotal    int64   `json:"shipping_total"`
	DiscountTotal    int64   `json:"discount_total"`
	GiftCardTotal    int64   `json:"gift_card_total"`
	GiftCardTaxTotal float64 `json:"gift_card_tax_total"`
	Total            int64   `json:"total"`
	// PaymentSession is the selected one of the loaded sessions (the cart entity's afterLoad),
	// absent when none is selected.
	PaymentSession *model.PaymentSession `json:"payment_session,omitempty"`
}

// cartEntityOut is a cart as TypeORM loads it without totals (the list's carts).
type cartEntityOut struct {
	Object string `json:"object"`
	*model.Cart
}

func draftOrderBody(d *model.DraftOrder) draftOrderOut {
	return draftOrderOut{draftOrderColumns: draftColumns(d), Order: orderBody(d.Order)}
}

func draftColumns(d *model.DraftOrder) draftOrderColumns {
	return draftOrderColumns{ID: d.ID, Status: d.Status, DisplayID: d.DisplayID, CartID: d.CartID, OrderID: d.OrderID,
		CanceledAt: d.CanceledAt, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Metadata: d.Metadata,
		NoNotificationOrder: d.NoNotificationOrder}
}

// draftCartAnswerRelations are draftAnswerRelations for an answer without the order.
var draftCartAnswerRelations = []string{"cart", "cart.region", "cart.payment", "cart.shipping_address",
	"cart.billing_address", "cart.customer", "cart.items.variant"}

// writeDraftOrderCart answers {draft_order} for id as the routes that change its cart do.
func (a *API) writeDraftOrderCart(w http.ResponseWriter, r *http.Request, id string) {
	v, err := a.store.RetrieveDraftOrder(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := draftOrderCartOut{draftOrderColumns: draftColumns(v.DraftOrder), Cart: draftCartBody(v.DraftOrder.Cart, v.CartTotals)}
	writeJSON(w, http.StatusOK, map[string]any{"draft_order": shape(out, store.Find{Expand: draftCartAnswerRelations}, false)})
}

func draftCartBody(c *model.Cart, t totals.CartTotals) *draftCartOut {
	return &draftCartOut{Object: "cart", Cart: c, Subtotal: t.Subtotal, TaxTotal: t.TaxTotal, ShippingTotal: t.ShippingTotal,
		DiscountTotal: t.DiscountTotal, GiftCardTotal: t.GiftCardTotal, GiftCardTaxTotal: t.GiftCardTaxTotal, Total: t.Total,
		PaymentSession: selectedSession(c)}
}

// selectedSession is the cart's selected payment session, nil when none is.
func selectedSession(c *model.Cart) *model.PaymentSession {
	for _, ps := range c.PaymentSessions {
		if ps.IsSelected != nil && *ps.IsSelected {
			return ps
		}
	}
	return nil
}

// draftAnswerRelations are the to-one relations of a draft order's answer that show null when
// empty, as TypeORM leaves them (a custom item has no variant).
var draftAnswerRelations = []string{"order", "cart", "cart.region", "cart.payment", "cart.shipping_address",
	"cart.billing_address", "cart.customer", "cart.items.variant"}

// writeDraftOrder answers {draft_order} for id as GET /admin/draft-orders/:id does.
func (a *API) writeDraftOrder(w http.ResponseWriter, r *http.Request, id string) {
	v, err := a.store.RetrieveDraftOrder(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := draftOrderBody(v.DraftOrder)
	out.Cart = draftCartBody(v.DraftOrder.Cart, v.CartTotals)
	writeJSON(w, http.StatusOK, map[string]any{"draft_order": shape(out, store.Find{Expand: draftAnswerRelations}, false)})
}

// GET /admin/draft-orders/:id (no query parameters are read; Medusa's route reads none).
func (a *API) getDraftOrder(w http.ResponseWriter, r *http.Request) {
	a.writeDraftOrder(w, r, chi.URLParam(r, "id"))
}

// GET /admin/draft-orders (AdminGetDraftOrdersParams: q, limit and offset as numbers; Medusa's
// validator, no transformQuery): newest first, with their order and cart (items, adjustments).
func (a *API) listDraftOrders(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	f := store.DraftOrderFilter{Q: q.String("q")}
	p := store.Page{Limit: q.Int("limit", 50), Offset: q.Int("offset", 0)}
	p.All = p.Limit == 0
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	ds, n, err := a.store.ListDraftOrders(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := make([]draftOrderOut, len(ds))
	for i, d := range ds {
		out[i] = draftOrderBody(d)
		if d.Cart != nil {
			out[i].Cart = &cartEntityOut{Object: "cart", Cart: d.Cart}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"draft_orders": shape(out, store.Find{Expand: []string{"order", "cart",
		"cart.items.variant"}}, true), "count": n, "offset": q.echoNumber("offset", p.Offset), "limit": q.echoNumber("limit", p.Limit)})
}

// echoNumber is a number parameter as Medusa's route echoes it: the validated JavaScript number
// (1.5 stays 1.5, where the database rounds it to a LIMIT of 2), n when absent.
func (q *query) echoNumber(key string, n int) any {
	if v, ok := q.value(key); ok {
		if s, isString := v.(qs.String); isString {
			if f, ok := jsNumber(string(s)); ok && f != math.Trunc(f) {
				return f
			}
		}
	}
	return n
}

// DELETE /admin/draft-orders/:id: deleted, whether it was there or not (Medusa's answer).
func (a *API) deleteDraftOrder(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteDraftOrder(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "draft-order", Deleted: true})
}

// DELETE /admin/draft-orders/:id/line-items/:line_id: the draft order with its cart's totals.
func (a *API) deleteDraftOrderLineItem(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteDraftOrderLineItem(r.Context(), id, chi.URLParam(r, "line_id")); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeDraftOrderCart(w, r, id)
}

// updateDraftLineRequest is Medusa's AdminPostDraftOrdersDraftOrderLineItemsItemReq.
type updateDraftLineRequest struct {
	Title     json.RawMessage `json:"title"`
	UnitPrice json.RawMessage `json:"unit_price"`
	Quantity  json.RawMessage `json:"quantity"`
	Metadata  json.RawMessage `json:"metadata"`
}

// POST /admin/draft-orders/:id/line-items/:line_id: the draft order with its cart's totals.
func (a *API) updateDraftOrderLineItem(w http.ResponseWriter, r *http.Request) {
	var body updateDraftLineRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateDraftLineInput
	in.Title, _ = cvString(&v, "title", body.Title, false)
	in.UnitPrice, _, _ = intValue(&v, "unit_price", "unit_price", body.UnitPrice, false)
	in.Quantity, _, _ = intValue(&v, "quantity", "quantity", body.Quantity, false)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if err := a.store.UpdateDraftOrderLineItem(r.Context(), id, chi.URLParam(r, "line_id"), in); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeDraftOrderCart(w, r, id)
}
