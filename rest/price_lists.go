package rest

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest/jsdate"
	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/price-lists", a.listPriceLists)
		r.Post("/price-lists", a.createPriceList)
		r.Get("/price-lists/{id}", a.getPriceList)
		r.Post("/price-lists/{id}", a.updatePriceList)
		r.Delete("/price-lists/{id}", a.deletePriceList)
		r.Get("/price-lists/{id}/products", a.listPriceListProducts)
		r.Delete("/price-lists/{id}/products/{product_id}/prices", a.deletePriceListProductPrices)
		r.Delete("/price-lists/{id}/variants/{variant_id}/prices", a.deletePriceListVariantPrices)
		r.Post("/price-lists/{id}/prices/batch", a.addPriceListPrices)
		r.Delete("/price-lists/{id}/prices/batch", a.deletePriceListPrices)
	})
}

// queryArray reads a parameter that may be one string or an array of strings (on
// transformQuery routes, read the query normalized: `key[]=a,b` is then two values). isArray
// tells which; a value that is neither is refused with msg.
func queryArray(q *query, key, msg string) (vals []string, isArray, found bool) {
	vals, isArray, found, bad := q.list(key)
	if bad {
		q.fail("%s", msg)
		return nil, false, false
	}
	return vals, isArray, found
}

// enumEach reads an `@IsOptional() @IsEnum(E, { each: true })` query parameter.
func enumEach(q *query, key string, allowed []string) []string {
	msg := "each value in " + key + " must be a valid enum value"
	vals, _, found := queryArray(q, key, msg)
	if !found {
		return nil
	}
	for _, v := range vals {
		if !inStrings(allowed, v) {
			q.fail("%s", msg)
			return nil
		}
	}
	return vals
}

// arrayParam reads an `@IsOptional() @IsArray()` query parameter.
func arrayParam(q *query, key string) []string {
	return q.Array(key)
}

func inStrings(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// GET /admin/price-lists (AdminGetPriceListPaginationParams; no fields).
func (a *API) listPriceLists(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	// The request class's own properties first, then FilterablePriceListProps'.
	p := store.Page{Offset: q.Int("offset", 0), Limit: q.Int("limit", 10)}
	if e := cvQueryString(q, "expand"); e != nil {
		p.Expand = splitList(*e)
	}
	if o := cvQueryString(q, "order"); o != nil {
		p.Order = *o
	}
	var f store.PriceListFilter
	f.ID = cvQueryString(q, "id")
	f.Q = cvQueryString(q, "q")
	f.Status = enumEach(q, "status", store.PriceListStatuses)
	f.Name = cvQueryString(q, "name")
	if groups, _, found := queryArray(q, "customer_groups", "each value in customer_groups must be a string"); found {
		f.CustomerGroups = groups
	}
	f.Description = cvQueryString(q, "description")
	f.Type = enumEach(q, "type", store.PriceListTypes)
	f.CreatedAt = dateRangeParam(q, "created_at")
	f.UpdatedAt = dateRangeParam(q, "updated_at")
	f.DeletedAt = dateRangeParam(q, "deleted_at")
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	lists, n, err := a.store.ListPriceLists(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, "price_lists", lists, n, store.Page{Offset: p.Offset, Limit: p.Limit, Find: store.Find{Expand: p.Expand}})
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// GET /admin/price-lists/:id: with prices and customer groups; Medusa reads no query parameters.
func (a *API) getPriceList(w http.ResponseWriter, r *http.Request) {
	pl, err := a.store.GetPriceList(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"price_list": pl})
}

// priceListRequest is Medusa's AdminPostPriceListsPriceListReq (create) and
// AdminPostPriceListsPriceListPriceListReq (update), checked property by property.
type priceListRequest struct {
	Name           json.RawMessage `json:"name"`
	Description    json.RawMessage `json:"description"`
	StartsAt       json.RawMessage `json:"starts_at"`
	EndsAt         json.RawMessage `json:"ends_at"`
	Status         json.RawMessage `json:"status"`
	Type           json.RawMessage `json:"type"`
	Prices         json.RawMessage `json:"prices"`
	CustomerGroups json.RawMessage `json:"customer_groups"`
}

// enumString checks an IsEnum property (IsOptional unless required).
func enumString(v *store.Violations, name string, raw json.RawMessage, allowed []string, required bool) *string {
	msg := name + " must be a valid enum value"
	if cvNull(raw) {
		v.Add(required, name, msg)
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil || !inStrings(allowed, s) {
		v.Add(true, name, msg)
		return nil
	}
	return &s
}

// dateValue reads a body date: a JSON string as JavaScript's `new Date(string)` reads it (Medusa's
// `@Type(() => Date)`, in the server's local zone), or a number as epoch milliseconds. Medusa
// passes what it cannot read on to the database and answers 500; Gorgon refuses it in
// class-validator's IsDate words.
func dateValue(v *store.Violations, name string, raw json.RawMessage) (t *time.Time, null bool) {
	if cvNull(raw) {
		return nil, raw != nil
	}
	var s string
	var ms float64
	switch {
	case json.Unmarshal(raw, &s) == nil:
		if d, ok := jsdate.Parse(s, time.Local); ok && storableTime(d) {
			return &d, false
		}
	case json.Unmarshal(raw, &ms) == nil && !math.IsInf(ms, 0):
		if d, ok := jsdate.FromNumber(ms); ok && storableTime(d) {
			return &d, false
		}
	}
	v.Add(true, name, name+" must be a Date instance")
	return nil, false
}

// storableTime reports whether Gorgon can store t: PostgreSQL's timestamp types end in 294276
// AD, and bun writes years before 1 in a form PostgreSQL refuses (it has no year 0 and spells
// earlier years "BC"), so Gorgon stops at the year 1 where PostgreSQL goes on to 4713 BC.
// JavaScript dates reach 271821 BC, which Medusa hands to PostgreSQL and answers 500 for.
func storableTime(t time.Time) bool { return t.Year() >= 1 && t.Year() <= 294276 }

// intValue checks an IsInt property (IsOptional unless required) of an element of parent: the
// value, whether the property was given at all (null included), and whether it was refused.
func intValue(v *store.Violations, parent, name string, raw json.RawMessage, required bool) (n *int, given, bad bool) {
	msg := name + " must be an integer number"
	if cvNull(raw) {
		v.Add(required, parent, msg)
		return nil, raw != nil, required
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil || f != math.Trunc(f) || !fitsInt4(f) {
		v.Add(true, parent, msg)
		return nil, true, true
	}
	i := int(f)
	return &i, true, false
}

// truthy is JavaScript's truthiness of a JSON value (the XOR rule of a price's region and
// currency uses it).
func truthy(raw json.RawMessage) bool {
	t := string(bytes.TrimSpace(raw))
	switch t {
	case "", "null", "false", "0", `""`, "-0":
		return false
	}
	return true
}

// priceInputs checks the prices of a price list request: Medusa's AdminPriceListPricesCreateReq
// (withID false) or AdminPriceListPricesUpdateReq, whose region/currency rule only applies to
// prices without an id.
func priceInputs(v *store.Violations, raw json.RawMessage, required, withID bool) []store.PriceListPriceInput {
	known := []string{"region_id", "currency_code", "amount", "variant_id", "min_quantity", "max_quantity"}
	if withID {
		known = append(known, "id")
	}
	out := []store.PriceListPriceInput{}
	isArray := nestedArray(v, "prices", raw, required, known, func(el map[string]json.RawMessage) {
		var p store.PriceListPriceInput
		bad := false
		str := func(name string, required bool) *string {
			s, _ := elString(v, "prices", name, el[name], required)
			bad = bad || (s == nil && (required || !cvNull(el[name])))
			return s
		}
		num := func(name string, required bool) (*int, bool) {
			n, given, refused := intValue(v, "prices", name, el[name], required)
			bad = bad || refused
			return n, given
		}
		if withID {
			p.ID = str("id", false)
		}
		if !withID || p.ID == nil || *p.ID == "" {
			// Medusa's XorConstraint on both properties: exactly one must be truthy.
			if truthy(el["region_id"]) == truthy(el["currency_code"]) {
				v.Add(true, "prices", `Failed XOR relation between "region_id" and "currency_code".`)
				v.Add(true, "prices", `Failed XOR relation between "currency_code" and "region_id".`)
				bad = true
			}
		}
		// Neither has a type check in Medusa; a value that is not a string is refused here.
		if truthy(el["region_id"]) {
			p.RegionID = str("region_id", false)
		}
		if truthy(el["currency_code"]) {
			p.CurrencyCode = str("currency_code", false)
		}
		var amount *int
		var variant *string
		if withID { // AdminPriceListPricesUpdateReq declares variant_id before amount
			variant = str("variant_id", true)
			amount, _ = num("amount", true)
		} else {
			amount, _ = num("amount", true)
			variant = str("variant_id", true)
		}
		p.MinQuantity, p.SetMinQuantity = num("min_quantity", false)
		p.MaxQuantity, p.SetMaxQuantity = num("max_quantity", false)
		if !bad && amount != nil && variant != nil {
			p.Amount, p.VariantID = *amount, *variant
			out = append(out, p)
		}
	})
	if !isArray {
		return nil
	}
	return out
}

// customerGroupInputs checks customer_groups: an optional array of {id}.
func customerGroupInputs(v *store.Violations, raw json.RawMessage) []string {
	ids := []string{}
	if !nestedArray(v, "customer_groups", raw, false, []string{"id"}, func(el map[string]json.RawMessage) {
		if id, _ := elString(v, "customer_groups", "id", el["id"], true); id != nil {
			ids = append(ids, *id)
		}
	}) {
		return nil
	}
	return ids
}

// POST /admin/price-lists
func (a *API) createPriceList(w http.ResponseWriter, r *http.Request) {
	var in priceListRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	name, _ := cvString(&v, "name", in.Name, true)
	description, _ := cvString(&v, "description", in.Description, true)
	startsAt, _ := dateValue(&v, "starts_at", in.StartsAt)
	endsAt, _ := dateValue(&v, "ends_at", in.EndsAt)
	status := enumString(&v, "status", in.Status, store.PriceListStatuses, false)
	typ := enumString(&v, "type", in.Type, store.PriceListTypes, true)
	prices := priceInputs(&v, in.Prices, true, false)
	groups := customerGroupInputs(&v, in.CustomerGroups)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	pl, err := a.store.CreatePriceList(r.Context(), store.CreatePriceListInput{
		Name: *name, Description: *description, Type: *typ, Status: status, StartsAt: startsAt, EndsAt: endsAt,
		Prices: prices, CustomerGroups: groups,
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"price_list": pl})
}

// POST /admin/price-lists/:id
func (a *API) updatePriceList(w http.ResponseWriter, r *http.Request) {
	var in priceListRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	// Nulls Medusa lets through to NOT NULL columns (a 500) are refused.
	name := nonNullString(&v, "name", in.Name)
	description := nonNullString(&v, "description", in.Description)
	startsAt, nullStart := dateValue(&v, "starts_at", in.StartsAt)
	endsAt, nullEnd := dateValue(&v, "ends_at", in.EndsAt)
	status := enumString(&v, "status", in.Status, store.PriceListStatuses, in.Status != nil)
	typ := enumString(&v, "type", in.Type, store.PriceListTypes, in.Type != nil)
	prices := priceInputs(&v, in.Prices, false, true)
	groups := customerGroupInputs(&v, in.CustomerGroups)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	up := store.UpdatePriceListInput{Name: name, Description: description, Status: status, Type: typ, Prices: prices, CustomerGroups: groups}
	if startsAt != nil || nullStart {
		up.StartsAt = &startsAt
	}
	if endsAt != nil || nullEnd {
		up.EndsAt = &endsAt
	}
	pl, err := a.store.UpdatePriceList(r.Context(), chi.URLParam(r, "id"), up)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"price_list": pl})
}

func (a *API) deletePriceList(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeletePriceList(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "price-list", Deleted: true})
}

// addPricesRequest is Medusa's AdminPostPriceListPricesPricesReq.
type addPricesRequest struct {
	Prices   json.RawMessage `json:"prices"`
	Override json.RawMessage `json:"override"`
}

// POST /admin/price-lists/:id/prices/batch
func (a *API) addPriceListPrices(w http.ResponseWriter, r *http.Request) {
	var in addPricesRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	prices := priceInputs(&v, in.Prices, true, true)
	override := cvBool(&v, "override", in.Override)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	pl, err := a.store.AddPriceListPrices(r.Context(), chi.URLParam(r, "id"), prices, deref(override))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"price_list": pl})
}

// deletePricesRequest is Medusa's AdminDeletePriceListPricesPricesReq.
type deletePricesRequest struct {
	PriceIDs json.RawMessage `json:"price_ids"`
}

// DELETE /admin/price-lists/:id/prices/batch
func (a *API) deletePriceListPrices(w http.ResponseWriter, r *http.Request) {
	var in deletePricesRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	ids := nonEmptyStrings(&v, "price_ids", in.PriceIDs)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	if err := a.store.DeletePriceListPrices(r.Context(), chi.URLParam(r, "id"), ids); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ids": ids, "object": "money-amount", "deleted": true})
}

// DELETE /admin/price-lists/:id/products/:product_id/prices
func (a *API) deletePriceListProductPrices(w http.ResponseWriter, r *http.Request) {
	ids, err := a.store.DeletePriceListProductPrices(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "product_id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ids": ids, "object": "money-amount", "deleted": true})
}

// DELETE /admin/price-lists/:id/variants/:variant_id/prices
func (a *API) deletePriceListVariantPrices(w http.ResponseWriter, r *http.Request) {
	ids, err := a.store.DeletePriceListVariantPrices(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "variant_id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ids": ids, "object": "money-amount", "deleted": true})
}

// GET /admin/price-lists/:id/products (AdminGetPriceListsPriceListProductsParams).
func (a *API) listPriceListProducts(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	var f store.ProductFilter
	// The request class's own properties, then FindParams', then the paging ones.
	if id := cvQueryString(q, "id"); id != nil {
		f.IDs = []string{*id}
	}
	f.Q = cvQueryString(q, "q")
	f.Status = enumEach(q, "status", store.ProductStatuses)
	f.CollectionIDs = arrayParam(q, "collection_id")
	f.Tags = arrayParam(q, "tags")
	f.Title = cvQueryString(q, "title")
	f.Description = cvQueryString(q, "description")
	f.Handle = cvQueryString(q, "handle")
	if g := cvQueryString(q, "is_giftcard"); g != nil {
		// Medusa converts with Boolean(), which makes "false" true; Gorgon reads it as false.
		b := *g != "" && *g != "false"
		f.IsGiftcard = &b
	}
	f.Type = cvQueryString(q, "type")
	var p store.Page
	if o := cvQueryString(q, "order"); o != nil {
		p.Order = *o
	}
	f.CreatedAt = dateRangeParam(q, "created_at")
	f.UpdatedAt = dateRangeParam(q, "updated_at")
	f.DeletedAt = dateRangeParam(q, "deleted_at")
	if e := cvQueryString(q, "expand"); e != nil {
		p.Expand = splitList(*e)
	}
	if fl := cvQueryString(q, "fields"); fl != nil {
		p.Fields = splitList(*fl)
	}
	p.Offset, p.Limit = q.Int("offset", 0), q.Int("limit", 50)
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	products, n, err := a.store.ListPriceListProducts(r.Context(), chi.URLParam(r, "id"), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	find := p.Find
	if len(find.Expand) == 0 {
		find.Expand = store.PriceListProductRelations
	}
	writeList(w, "products", products, n, store.Page{Offset: p.Offset, Limit: p.Limit, Find: find})
}
