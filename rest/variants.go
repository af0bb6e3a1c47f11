package rest

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/variants", a.listVariants)
		r.Get("/products/{id}/variants", a.listProductVariants)
		r.Post("/products/{id}/variants", a.createVariant)
		r.Post("/products/{id}/variants/{variant_id}", a.updateVariant)
		r.Delete("/products/{id}/variants/{variant_id}", a.deleteVariant)
	})
}

// GET /admin/variants: Medusa's AdminGetVariantsParams (q, limit 20, offset), with the variants'
// product, prices and option values.
func (a *API) listVariants(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	search := qsString(q, "q")
	p := store.Page{Limit: qsInt(q, "limit", 20), Offset: qsInt(q, "offset", 0)}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	variants, count, err := a.store.ListVariants(r.Context(), search, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, "variants", variants, count, p)
}

// qsInt reads an `@IsInt() @Type(() => Number)` query parameter.
func qsInt(q *query, key string, def int) int {
	return q.Integer(key, def)
}

// GET /admin/products/:id/variants: Medusa's AdminGetProductsVariantsParams (fields, expand,
// offset, limit 100). Without expand a variant is only its id and product_id (plus the requested
// fields) with its product; with expand it is whole, with the expanded relations.
func (a *API) listProductVariants(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	var p store.Page
	if f := qsString(q, "fields"); f != nil && *f != "" {
		p.Fields = strings.Split(*f, ",")
	}
	if e := qsString(q, "expand"); e != nil && *e != "" {
		p.Expand = strings.Split(*e, ",")
	}
	p.Offset, p.Limit = q.Int("offset", 0), q.Int("limit", 100)
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	variants, count, err := a.store.ListProductVariants(r.Context(), chi.URLParam(r, "id"), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	find := store.Find{Expand: p.Expand}
	if len(p.Expand) == 0 {
		find = store.Find{Fields: append([]string{"product_id"}, p.Fields...), Expand: []string{"product"}}
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": count, "variants": shape(variants, find, false), "offset": p.Offset, "limit": p.Limit})
}

// createVariantRequest is Medusa's AdminPostProductsProductVariantsReq.
type createVariantRequest struct {
	Title             json.RawMessage `json:"title"`
	SKU               json.RawMessage `json:"sku"`
	EAN               json.RawMessage `json:"ean"`
	UPC               json.RawMessage `json:"upc"`
	Barcode           json.RawMessage `json:"barcode"`
	HSCode            json.RawMessage `json:"hs_code"`
	InventoryQuantity json.RawMessage `json:"inventory_quantity"`
	AllowBackorder    json.RawMessage `json:"allow_backorder"`
	ManageInventory   json.RawMessage `json:"manage_inventory"`
	Weight            json.RawMessage `json:"weight"`
	Length            json.RawMessage `json:"length"`
	Height            json.RawMessage `json:"height"`
	Width             json.RawMessage `json:"width"`
	OriginCountry     json.RawMessage `json:"origin_country"`
	MIDCode           json.RawMessage `json:"mid_code"`
	Material          json.RawMessage `json:"material"`
	Metadata          json.RawMessage `json:"metadata"`
	Prices            json.RawMessage `json:"prices"`
	Options           json.RawMessage `json:"options"`
}

// bodyObject turns a decoded request of json.RawMessage fields into a pbObject.
func bodyObject(body any) pbObject {
	raw, _ := json.Marshal(body)
	var o pbObject
	_ = json.Unmarshal(raw, &o)
	for k, v := range o {
		if string(v) == "null" {
			delete(o, k) // absent (nil) fields marshal as null; explicit nulls are absent too
		}
	}
	return o
}

// POST /admin/products/:id/variants answers the product without prices decoration, as Medusa.
func (a *API) createVariant(w http.ResponseWriter, r *http.Request) {
	var body createVariantRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	in := pbCheck{v: &v}.createVariant(bodyObject(body), true)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if err := a.store.CreateVariant(r.Context(), id, in); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.GetProduct(r.Context(), id, nil)
	a.writeProduct(w, r, p, err, false)
}

// updateVariantRequest is Medusa's AdminPostProductsProductVariantsVariantReq.
type updateVariantRequest createVariantRequest

// POST /admin/products/:id/variants/:variant_id. Medusa also accepts the price selection query
// parameters (cart_id, region_id, currency_code), which change nothing in the answer.
func (a *API) updateVariant(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	for _, k := range []string{"cart_id", "region_id", "currency_code"} {
		qsString(q, k)
	}
	var body updateVariantRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	in := pbCheck{v: &v}.updateVariant(rawObject(body), false)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	in.Fields = append([]string{"product_id"}, in.Fields...)
	if err := a.store.UpdateVariant(r.Context(), id, chi.URLParam(r, "variant_id"), in); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.GetProduct(r.Context(), id, nil)
	a.writeProduct(w, r, p, err, true)
}

// rawObject turns a decoded request of json.RawMessage fields into a pbObject, keeping explicit
// nulls (they clear nullable columns).
func rawObject(body updateVariantRequest) pbObject {
	o := pbObject{}
	for name, raw := range map[string]json.RawMessage{
		"title": body.Title, "sku": body.SKU, "ean": body.EAN, "upc": body.UPC, "barcode": body.Barcode, "hs_code": body.HSCode,
		"inventory_quantity": body.InventoryQuantity, "allow_backorder": body.AllowBackorder, "manage_inventory": body.ManageInventory,
		"weight": body.Weight, "length": body.Length, "height": body.Height, "width": body.Width, "origin_country": body.OriginCountry,
		"mid_code": body.MIDCode, "material": body.Material, "metadata": body.Metadata, "prices": body.Prices, "options": body.Options,
	} {
		if raw != nil {
			o[name] = raw
		}
	}
	return o
}

// DELETE /admin/products/:id/variants/:variant_id
func (a *API) deleteVariant(w http.ResponseWriter, r *http.Request) {
	id, variantID := chi.URLParam(r, "id"), chi.URLParam(r, "variant_id")
	if err := a.store.DeleteVariant(r.Context(), id, variantID); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.GetProduct(r.Context(), id, nil)
	var body any
	if err == nil {
		body, err = a.productBody(r, p, true)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"variant_id": variantID, "object": "product-variant", "deleted": true, "product": body})
}
