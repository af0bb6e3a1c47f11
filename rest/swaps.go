package rest

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/swaps", a.listSwaps)
		r.Get("/swaps/{id}", a.getSwap)
	})
}

// GET /admin/swaps (AdminGetSwapsParams: limit, offset as integers; Medusa's validator, no
// transformQuery): the swaps' columns, newest first; count is the page's length, as Medusa
// answers it.
func (a *API) listSwaps(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := store.Page{Limit: q.Integer("limit", 50), Offset: q.Integer("offset", 0)}
	p.All = p.Limit == 0
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	swaps, err := a.store.ListSwaps(r.Context(), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listBody{key: "swaps", items: swaps, count: len(swaps), offset: p.Offset, limit: p.Limit})
}

// swapOut is a swap as GET /admin/swaps/:id answers it: the columns of defaultAdminSwapFields,
// the default relations (null when empty), and the cart with its totals.
type swapOut struct {
	ID                string                  `json:"id"`
	FulfillmentStatus string                  `json:"fulfillment_status"`
	PaymentStatus     string                  `json:"payment_status"`
	OrderID           string                  `json:"order_id"`
	DifferenceDue     *int                    `json:"difference_due"`
	CartID            *string                 `json:"cart_id"`
	CreatedAt         model.Time              `json:"created_at"`
	UpdatedAt         model.Time              `json:"updated_at"`
	Metadata          map[string]any          `json:"metadata"`
	Order             *orderOut               `json:"order"`
	AdditionalItems   []*model.LineItem       `json:"additional_items"`
	ReturnOrder       *model.Return           `json:"return_order"`
	Fulfillments      []*model.Fulfillment    `json:"fulfillments"`
	Payment           *model.Payment          `json:"payment"`
	ShippingAddress   *model.Address          `json:"shipping_address"`
	ShippingMethods   []*model.ShippingMethod `json:"shipping_methods"`
	Cart              *swapCartOut            `json:"cart"`
}

// swapCartOut is the swap's cart: the entity (`object: "cart"`), its relations and its totals
// (tax_total null when the region computes no taxes automatically).
type swapCartOut struct {
	Object string `json:"object"`
	*model.Cart
	ShippingAddress  *model.Address `json:"shipping_address"`
	Subtotal         int64          `json:"subtotal"`
	TaxTotal         *int64         `json:"tax_total"`
	ShippingTotal    int64          `json:"shipping_total"`
	DiscountTotal    int64          `json:"discount_total"`
	GiftCardTotal    int64          `json:"gift_card_total"`
	GiftCardTaxTotal float64        `json:"gift_card_tax_total"`
	Total            int64          `json:"total"`
}

// GET /admin/swaps/:id (no query parameters are read; Medusa's route reads none).
func (a *API) getSwap(w http.ResponseWriter, r *http.Request) {
	v, err := a.store.RetrieveSwap(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	sw := v.Swap
	out := swapOut{ID: sw.ID, FulfillmentStatus: sw.FulfillmentStatus, PaymentStatus: sw.PaymentStatus, OrderID: sw.OrderID,
		DifferenceDue: sw.DifferenceDue, CartID: sw.CartID, CreatedAt: sw.CreatedAt, UpdatedAt: sw.UpdatedAt, Metadata: sw.Metadata,
		Order: orderBody(sw.Order), AdditionalItems: sw.AdditionalItems, ReturnOrder: sw.ReturnOrder, Fulfillments: sw.Fulfillments,
		Payment: sw.Payment, ShippingAddress: sw.ShippingAddress, ShippingMethods: sw.ShippingMethods}
	if c := v.Cart; c != nil {
		t := v.CartTotals
		out.Cart = &swapCartOut{Object: "cart", Cart: c, ShippingAddress: c.ShippingAddress, Subtotal: t.Subtotal, TaxTotal: t.TaxTotal,
			ShippingTotal: t.ShippingTotal, DiscountTotal: t.DiscountTotal, GiftCardTotal: t.GiftCardTotal,
			GiftCardTaxTotal: t.GiftCardTaxTotal, Total: t.Total}
	}
	// Empty to-one relations show null, as TypeORM leaves them (a return line has no variant).
	writeJSON(w, http.StatusOK, map[string]any{"swap": shape(out, store.Find{Expand: swapAnswerRelations}, false)})
}

var swapAnswerRelations = []string{"order", "return_order", "payment", "shipping_address", "cart", "cart.shipping_address",
	"additional_items.variant", "cart.items.variant", "cart.region"}
