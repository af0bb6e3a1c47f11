package rest

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/gift-cards", a.listGiftCards)
		r.Post("/gift-cards", a.createGiftCard)
		r.Get("/gift-cards/{id}", a.getGiftCard)
		r.Post("/gift-cards/{id}", a.updateGiftCard)
		r.Delete("/gift-cards/{id}", a.deleteGiftCard)
	})
}

// giftCardOut is a gift card as Medusa's admin routes answer it: the columns of
// defaultAdminGiftCardFields, which leave out order_id (present only in a list filtered by q,
// which Medusa reads with every column), and the region and order relations, null when empty.
type giftCardOut struct {
	*model.GiftCard
	OrderID json.RawMessage `json:"order_id,omitempty"`
	Region  *model.Region   `json:"region"`
	Order   *orderOut       `json:"order"`
}

func giftCardBody(c *model.GiftCard, withOrderID bool) giftCardOut {
	out := giftCardOut{GiftCard: c, Region: c.Region, Order: orderBody(c.Order)}
	if withOrderID {
		out.OrderID, _ = json.Marshal(c.OrderID)
	}
	return out
}

func writeGiftCard(w http.ResponseWriter, r *http.Request, c *model.GiftCard, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"gift_card": giftCardBody(c, false)})
}

// GET /admin/gift-cards (AdminGetGiftCardsParams: limit, offset, q); default limit 50, the count
// is the total.
func (a *API) listGiftCards(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	p := store.Page{Limit: cvQueryInt(q, "limit", 50), Offset: cvQueryInt(q, "offset", 0)}
	search := cvQueryString(q, "q")
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	cards, n, err := a.store.ListGiftCards(r.Context(), search, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]giftCardOut, len(cards))
	for i, c := range cards {
		items[i] = giftCardBody(c, search != nil && *search != "")
	}
	writeJSON(w, http.StatusOK, map[string]any{"gift_cards": items, "count": n, "offset": p.Offset, "limit": p.Limit})
}

// GET /admin/gift-cards/:id: Medusa reads no query parameters here.
func (a *API) getGiftCard(w http.ResponseWriter, r *http.Request) {
	c, err := a.store.GetGiftCard(r.Context(), chi.URLParam(r, "id"))
	writeGiftCard(w, r, c, err)
}

// createGiftCardRequest is Medusa's AdminPostGiftCardsReq. It takes no code: one is generated.
type createGiftCardRequest struct {
	Value      json.RawMessage `json:"value"`
	EndsAt     json.RawMessage `json:"ends_at"`
	IsDisabled json.RawMessage `json:"is_disabled"`
	RegionID   json.RawMessage `json:"region_id"`
	Metadata   json.RawMessage `json:"metadata"`
}

// POST /admin/gift-cards. Medusa declares value optional and then fails without it (a 500), and
// takes any metadata; Gorgon requires the value (once the declared checks pass, so that their
// messages stay Medusa's) and an object.
func (a *API) createGiftCard(w http.ResponseWriter, r *http.Request) {
	var body createGiftCardRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	value, _, _ := intValue(&v, "value", "value", body.Value, false)
	endsAt, _ := dateValue(&v, "ends_at", body.EndsAt)
	in := store.CreateGiftCardInput{EndsAt: endsAt, IsDisabled: cvBool(&v, "is_disabled", body.IsDisabled)}
	region, _ := cvString(&v, "region_id", body.RegionID, true)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	if value == nil {
		v.Add(true, "value", "value must be an integer number")
		writeError(w, r, v.Err())
		return
	}
	in.Value, in.RegionID = *value, *region
	c, err := a.store.CreateGiftCard(r.Context(), in)
	writeGiftCard(w, r, c, err)
}

// updateGiftCardRequest is Medusa's AdminPostGiftCardsGiftCardReq.
type updateGiftCardRequest struct {
	Balance    json.RawMessage `json:"balance"`
	IsDisabled json.RawMessage `json:"is_disabled"`
	EndsAt     json.RawMessage `json:"ends_at"`
	RegionID   json.RawMessage `json:"region_id"`
	Metadata   json.RawMessage `json:"metadata"`
}

// POST /admin/gift-cards/:id. A null ends_at clears it; a null balance, is_disabled or region_id
// leaves them as they are (Medusa tries to store the nulls of the first two and fails with a 500).
func (a *API) updateGiftCard(w http.ResponseWriter, r *http.Request) {
	var body updateGiftCardRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateGiftCardInput
	in.Balance, _, _ = intValue(&v, "balance", "balance", body.Balance, false)
	in.IsDisabled = cvBool(&v, "is_disabled", body.IsDisabled)
	if ends, null := dateValue(&v, "ends_at", body.EndsAt); ends != nil || null {
		in.EndsAt = new(*time.Time)
		*in.EndsAt = ends
	}
	in.RegionID, _ = cvString(&v, "region_id", body.RegionID, false)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.store.UpdateGiftCard(r.Context(), chi.URLParam(r, "id"), in)
	writeGiftCard(w, r, c, err)
}

// DELETE /admin/gift-cards/:id soft-deletes; a missing card is no error.
func (a *API) deleteGiftCard(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteGiftCard(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "gift-card", Deleted: true})
}
