package rest

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest/qs"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/products", a.listProducts)
		r.Get("/products/types", a.listProductTypes)
		r.Get("/products/tag-usage", a.listTagUsage)
		r.Get("/products/{id}", a.getProduct)
		r.Post("/products", a.createProduct)
		r.Post("/products/{id}", a.updateProduct)
		r.Delete("/products/{id}", a.deleteProduct)
		r.Post("/products/{id}/metadata", a.setProductMetadata)
		r.Post("/products/{id}/options", a.addProductOption)
		r.Post("/products/{id}/options/{option_id}", a.updateProductOption)
		r.Delete("/products/{id}/options/{option_id}", a.deleteProductOption)
	})
}

// qsString reads an IsString query parameter: an array or object is refused with "key must be
// a string".
func qsString(q *query, key string) *string {
	return q.String(key)
}

// qsArray reads an IsArray query parameter: an array of strings (`key[]=…`, `key[0]=…`, a
// repeated key; on Medusa's transformQuery routes a one-element array is split at commas); a
// single `key=…` is a string, refused with "key must be an array".
func qsArray(q *query, key string) []string {
	return q.Array(key)
}

// qsStringOrArray reads an IsType([String, [String]]) parameter: one string or an array holding
// a string. Medusa's IsType throws on anything else, so its error is reported alone.
func qsStringOrArray(q *query, key string) ([]string, error) {
	vals, isArray, found, bad := q.list(key)
	if !found {
		return nil, nil
	}
	if bad && isArray {
		vals = nil
		v, _ := q.value(key)
		for _, e := range v.(qs.Array) {
			if s, ok := e.(qs.String); ok {
				vals = append(vals, string(s))
			}
		}
	}
	if vals == nil {
		return nil, isTypeError(key, []string{"String", "String"}, [][2]any{
			{"String", []string{"String validation failed: [object Object] is not a string"}},
			{"undefined", []string{"Cannot read properties of undefined (reading 'constructor')"}},
		})
	}
	return vals, nil
}

// qsDateRange reads a DateComparisonOperator parameter (query.DateRange).
func qsDateRange(q *query, key string) *store.TimeRange {
	return q.DateRange(key)
}

// GET /admin/products: Medusa's AdminGetProductsParams, checked in the class's order (its own
// properties, then FilterableProductProps').
func (a *API) listProducts(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	p := store.Page{Offset: q.Int("offset", 0), Limit: q.Int("limit", 50)}
	if e := qsString(q, "expand"); e != nil && *e != "" {
		p.Expand = strings.Split(*e, ",")
	}
	if f := qsString(q, "fields"); f != nil && *f != "" {
		p.Fields = strings.Split(*f, ",")
	}
	var f store.ProductFilter
	ids, typeErr := qsStringOrArray(q, "id")
	f.IDs = ids
	f.Q = qsString(q, "q")
	if st, _, found := queryArray(q, "status", "each value in status must be a valid enum value"); found {
		for _, s := range st {
			if !store.ValidProductStatus(s) {
				q.fail("each value in status must be a valid enum value")
				break
			}
		}
		f.Status = st
	}
	f.PriceListIDs = qsArray(q, "price_list_id")
	f.CollectionIDs = qsArray(q, "collection_id")
	f.Tags = qsArray(q, "tags")
	f.Title = qsString(q, "title")
	f.Description = qsString(q, "description")
	f.Handle = qsString(q, "handle")
	// Medusa maps "true"/"false" (any case) and ignores any other string; an array or object
	// makes its transform throw (a 500), refused here.
	if v, ok := q.value("is_giftcard"); ok {
		s, isString := v.(qs.String)
		switch strings.ToLower(string(s)) {
		case "true":
			f.IsGiftcard = new(bool)
			*f.IsGiftcard = true
		case "false":
			f.IsGiftcard = new(bool)
		}
		if !isString {
			q.fail("is_giftcard must be a boolean value")
		}
	}
	f.Type = qsString(q, "type")
	f.SalesChannelIDs = qsArray(q, "sales_channel_id")
	f.CreatedAt = qsDateRange(q, "created_at")
	f.UpdatedAt = qsDateRange(q, "updated_at")
	f.DeletedAt = qsDateRange(q, "deleted_at")
	if typeErr != nil { // Medusa's IsType throws: its error comes alone
		writeError(w, r, typeErr)
		return
	}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	products, count, err := a.store.ListProducts(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	rels := p.Expand
	if len(rels) == 0 {
		rels = a.store.DefaultProductRelations()
	}
	var items any = products
	if hasAll(rels, "variants", "variants.prices") {
		if items, err = a.store.PriceProducts(r.Context(), products); err != nil {
			writeError(w, r, err)
			return
		}
	}
	// Medusa's `fields` narrows the columns but keeps the relations it loaded; its free-text
	// search ignores `fields` altogether.
	p.Expand = rels
	if f.Q != nil && *f.Q != "" {
		p.Fields = nil
	}
	writeList(w, "products", items, count, p)
}

func hasAll(list []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, l := range list {
			found = found || l == w
		}
		if !found {
			return false
		}
	}
	return true
}

// GET /admin/products/:id takes no query parameters (Medusa's EmptyQueryParams).
func (a *API) getProduct(w http.ResponseWriter, r *http.Request) {
	if err := newQuery(r).Err(); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.GetProduct(r.Context(), chi.URLParam(r, "id"), nil)
	a.writeProduct(w, r, p, err, true)
}

// writeProduct answers {product} with Medusa's default relations, decorated with prices when
// the Medusa route does so.
func (a *API) writeProduct(w http.ResponseWriter, r *http.Request, p *model.Product, err error, priced bool) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	out, err := a.productBody(r, p, priced)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"product": out})
}

// productBody is a product loaded with the default relations as Medusa answers it: empty to-one
// relations as null, variants priced when the route prices them.
func (a *API) productBody(r *http.Request, p *model.Product, priced bool) (any, error) {
	var out any = p
	if priced {
		pp, err := a.store.PriceProducts(r.Context(), []*model.Product{p})
		if err != nil {
			return nil, err
		}
		out = pp[0]
	}
	return shape(out, store.Find{Expand: a.store.DefaultProductRelations()}, false), nil
}

// GET /admin/products/types: every product type, unpaged; query parameters are not validated.
func (a *API) listProductTypes(w http.ResponseWriter, r *http.Request) {
	types, err := a.store.ListProductTypes(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"types": types})
}

// GET /admin/products/tag-usage: the 10 most used tags; query parameters are not validated.
func (a *API) listTagUsage(w http.ResponseWriter, r *http.Request) {
	tags, err := a.store.ListTagsByUsage(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tags": tags})
}

// createProductRequest is Medusa's AdminPostProductsReq, property by property.
type createProductRequest struct {
	Title         json.RawMessage `json:"title"`
	Subtitle      json.RawMessage `json:"subtitle"`
	Description   json.RawMessage `json:"description"`
	IsGiftcard    json.RawMessage `json:"is_giftcard"`
	Discountable  json.RawMessage `json:"discountable"`
	Images        json.RawMessage `json:"images"`
	Thumbnail     json.RawMessage `json:"thumbnail"`
	Handle        json.RawMessage `json:"handle"`
	Status        json.RawMessage `json:"status"`
	Type          json.RawMessage `json:"type"`
	CollectionID  json.RawMessage `json:"collection_id"`
	Tags          json.RawMessage `json:"tags"`
	SalesChannels json.RawMessage `json:"sales_channels"`
	Options       json.RawMessage `json:"options"`
	Variants      json.RawMessage `json:"variants"`
	Weight        json.RawMessage `json:"weight"`
	Length        json.RawMessage `json:"length"`
	Height        json.RawMessage `json:"height"`
	Width         json.RawMessage `json:"width"`
	HSCode        json.RawMessage `json:"hs_code"`
	OriginCountry json.RawMessage `json:"origin_country"`
	MIDCode       json.RawMessage `json:"mid_code"`
	Material      json.RawMessage `json:"material"`
	Metadata      json.RawMessage `json:"metadata"`
}

// checkSalesChannels is Medusa's validateSalesChannelsExist middleware, which runs before the
// body is validated: every id of a sales_channels array must exist, or the answer is a 400 with
// an `errors` list (multipleErrors). It reports whether it answered. Medusa runs it whatever the
// sales channels flag says: with the flag off it checks the ids as long as the database has the
// sales_channel table (and the validator then refuses the property); without the table it
// crashes, and Gorgon leaves the refusal to the validation.
func (a *API) checkSalesChannels(w http.ResponseWriter, r *http.Request, raw json.RawMessage) bool {
	if !a.store.Schema().SalesChannels {
		return false
	}
	var elems []json.RawMessage
	if pbNull(raw) || json.Unmarshal(raw, &elems) != nil || len(elems) == 0 {
		return false
	}
	ids := make([]string, len(elems))
	for i, e := range elems {
		var sc map[string]json.RawMessage
		if json.Unmarshal(e, &sc) == nil && !pbNull(sc["id"]) {
			if json.Unmarshal(sc["id"], &ids[i]) != nil {
				ids[i] = string(sc["id"])
			}
		}
	}
	missing, err := a.store.MissingSalesChannels(r.Context(), ids)
	if err != nil {
		writeError(w, r, err)
		return true
	}
	if len(missing) == 0 {
		return false
	}
	writeError(w, r, multipleErrors{"Sales Channels " + strings.Join(missing, ", ") + " do not exist"})
	return true
}

// salesChannels checks ProductSalesChannelReq elements, or refuses the property when the
// sales channels feature is off (the property does not exist then).
func (a *API) salesChannels(v *store.Violations, raw json.RawMessage) []string {
	if !a.store.Config.FeatureSalesChannels {
		if raw != nil {
			v.Add(true, "", "property sales_channels should not exist")
		}
		return nil
	}
	c := pbAt(v, "sales_channels")
	var ids []string
	c.nested("sales_channels", raw, true, true, []string{"id"}, func(o pbObject) {
		if id, _ := c.str("id", o["id"], true); id != nil {
			ids = append(ids, *id)
		}
	})
	if ids == nil && !pbNull(raw) {
		ids = []string{}
	}
	return ids
}

// productType checks a ProductTypeReq.
func productType(v *store.Violations, raw json.RawMessage) *store.ProductTypeInput {
	c := pbAt(v, "type")
	var t *store.ProductTypeInput
	c.nested("type", raw, false, true, []string{"id", "value"}, func(o pbObject) {
		t = &store.ProductTypeInput{}
		t.ID, _ = c.str("id", o["id"], false)
		if val, _ := c.str("value", o["value"], true); val != nil {
			t.Value = *val
		}
	})
	return t
}

// productTags checks ProductTagReq elements.
func productTags(v *store.Violations, raw json.RawMessage) []store.ProductTagInput {
	c := pbAt(v, "tags")
	var tags []store.ProductTagInput
	c.nested("tags", raw, true, true, []string{"id", "value"}, func(o pbObject) {
		var t store.ProductTagInput
		t.ID, _ = c.str("id", o["id"], false)
		if val, _ := c.str("value", o["value"], true); val != nil {
			t.Value = *val
		}
		tags = append(tags, t)
	})
	if tags == nil && !pbNull(raw) {
		tags = []store.ProductTagInput{}
	}
	return tags
}

// POST /admin/products
func (a *API) createProduct(w http.ResponseWriter, r *http.Request) {
	var body createProductRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	if a.checkSalesChannels(w, r, body.SalesChannels) {
		return
	}
	in := store.CreateProductInput{Discountable: true}
	at := func(name string) pbCheck { return pbAt(&v, name) }
	if t, _ := at("title").str("title", body.Title, true); t != nil {
		in.Title = *t
	}
	in.Subtitle, _ = at("subtitle").str("subtitle", body.Subtitle, false)
	in.Description, _ = at("description").str("description", body.Description, false)
	if b := at("is_giftcard").boolean("is_giftcard", body.IsGiftcard, false); b != nil {
		in.IsGiftcard = *b
	}
	if b := at("discountable").boolean("discountable", body.Discountable, false); b != nil {
		in.Discountable = *b
	}
	in.Images = at("images").strings("images", body.Images)
	in.Thumbnail, _ = at("thumbnail").str("thumbnail", body.Thumbnail, false)
	in.Handle, _ = at("handle").str("handle", body.Handle, false)
	if !pbNull(body.Status) {
		var s string
		if json.Unmarshal(body.Status, &s) != nil || !store.ValidProductStatus(s) {
			v.Add(true, "status", "status must be a valid enum value")
		} else {
			in.Status = &s
		}
	}
	in.Type = productType(&v, body.Type)
	in.CollectionID, _ = at("collection_id").str("collection_id", body.CollectionID, false)
	in.Tags = productTags(&v, body.Tags)
	in.SalesChannels = a.salesChannels(&v, body.SalesChannels)
	oc := at("options")
	oc.nested("options", body.Options, true, true, []string{"title"}, func(o pbObject) {
		if t, _ := oc.str("title", o["title"], true); t != nil {
			in.Options = append(in.Options, *t)
		}
	})
	vc := at("variants")
	vc.nested("variants", body.Variants, true, true, append([]string(nil), variantFieldNames[1:]...), func(o pbObject) {
		in.Variants = append(in.Variants, vc.createVariant(o, false))
	})
	in.Weight, _ = at("weight").number("weight", body.Weight)
	in.Length, _ = at("length").number("length", body.Length)
	in.Height, _ = at("height").number("height", body.Height)
	in.Width, _ = at("width").number("width", body.Width)
	in.HSCode, _ = at("hs_code").str("hs_code", body.HSCode, false)
	in.OriginCountry, _ = at("origin_country").str("origin_country", body.OriginCountry, false)
	in.MIDCode, _ = at("mid_code").str("mid_code", body.MIDCode, false)
	in.Material, _ = at("material").str("material", body.Material, false)
	in.Metadata = at("metadata").object("metadata", body.Metadata)
	v.Sort() // the sales_channels refusal (flag off) joins the unknown properties in front
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.CreateProduct(r.Context(), in)
	a.writeProduct(w, r, p, err, true)
}

// updateProductRequest is Medusa's AdminPostProductsProductReq, property by property.
type updateProductRequest struct {
	Title         json.RawMessage `json:"title"`
	Subtitle      json.RawMessage `json:"subtitle"`
	Description   json.RawMessage `json:"description"`
	Discountable  json.RawMessage `json:"discountable"`
	Images        json.RawMessage `json:"images"`
	Thumbnail     json.RawMessage `json:"thumbnail"`
	Handle        json.RawMessage `json:"handle"`
	Status        json.RawMessage `json:"status"`
	Type          json.RawMessage `json:"type"`
	CollectionID  json.RawMessage `json:"collection_id"`
	Tags          json.RawMessage `json:"tags"`
	SalesChannels json.RawMessage `json:"sales_channels"`
	Variants      json.RawMessage `json:"variants"`
	Weight        json.RawMessage `json:"weight"`
	Length        json.RawMessage `json:"length"`
	Height        json.RawMessage `json:"height"`
	Width         json.RawMessage `json:"width"`
	HSCode        json.RawMessage `json:"hs_code"`
	OriginCountry json.RawMessage `json:"origin_country"`
	MIDCode       json.RawMessage `json:"mid_code"`
	Material      json.RawMessage `json:"material"`
	Metadata      json.RawMessage `json:"metadata"`
}

// POST /admin/products/:id. A null for a non-nullable column (title, discountable) leaves it
// as it is (Medusa tries to store the null and fails with a 500).
func (a *API) updateProduct(w http.ResponseWriter, r *http.Request) {
	var body updateProductRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	if a.checkSalesChannels(w, r, body.SalesChannels) {
		return
	}
	var in store.UpdateProductInput
	at := func(name string) pbCheck { return pbAt(&v, name) }
	in.Title, _ = at("title").str("title", body.Title, false)
	in.Subtitle = at("subtitle").nullableStr("subtitle", body.Subtitle)
	in.Description = at("description").nullableStr("description", body.Description)
	in.Discountable = at("discountable").boolean("discountable", body.Discountable, true)
	in.Images = at("images").strings("images", body.Images)
	in.Thumbnail = at("thumbnail").nullableStr("thumbnail", body.Thumbnail)
	in.Handle = at("handle").nullableStr("handle", body.Handle)
	if body.Status != nil {
		var s string
		if pbNull(body.Status) {
			v.Add(true, "status", "status should not be equal to null")
		}
		if json.Unmarshal(body.Status, &s) != nil || !store.ValidProductStatus(s) {
			v.Add(true, "status", "status must be a valid enum value")
		} else {
			in.Status = &s
		}
	}
	if body.Type != nil {
		t := productType(&v, body.Type)
		in.Type = &t
	}
	in.CollectionID = at("collection_id").nullableStr("collection_id", body.CollectionID)
	in.Tags = productTags(&v, body.Tags)
	if body.SalesChannels != nil {
		ids := a.salesChannels(&v, body.SalesChannels)
		in.SalesChannels = &ids
	}
	vc := at("variants")
	vc.nested("variants", body.Variants, true, true, variantFieldNames, func(o pbObject) {
		in.Variants = append(in.Variants, vc.updateVariant(o, true))
	})
	if in.Variants == nil && !pbNull(body.Variants) {
		in.Variants = []store.UpdateVariantInput{}
	}
	in.Weight = at("weight").nullableNumber("weight", body.Weight)
	in.Length = at("length").nullableNumber("length", body.Length)
	in.Height = at("height").nullableNumber("height", body.Height)
	in.Width = at("width").nullableNumber("width", body.Width)
	in.HSCode = at("hs_code").nullableStr("hs_code", body.HSCode)
	in.OriginCountry = at("origin_country").nullableStr("origin_country", body.OriginCountry)
	in.MIDCode = at("mid_code").nullableStr("mid_code", body.MIDCode)
	in.Material = at("material").nullableStr("material", body.Material)
	in.Metadata = at("metadata").object("metadata", body.Metadata)
	v.Sort()
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	raw, _ := json.Marshal(body)
	in.Fields = presentKeys(raw)
	p, err := a.store.UpdateProduct(r.Context(), chi.URLParam(r, "id"), in)
	a.writeProduct(w, r, p, err, true)
}

// presentKeys lists the properties a decoded request carried.
func presentKeys(raw json.RawMessage) []string {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m)
	keys := []string{}
	for _, k := range sortedKeys(m) {
		if string(m[k]) != "null" {
			keys = append(keys, k)
		}
	}
	return keys
}

// DELETE /admin/products/:id
func (a *API) deleteProduct(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteProduct(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "product", Deleted: true})
}

// metadataRequest is Medusa's AdminPostProductsProductMetadataReq.
type metadataRequest struct {
	Key   *string `json:"key"`
	Value *string `json:"value"`
}

// POST /admin/products/:id/metadata answers the product without prices decoration, as Medusa.
func (a *API) setProductMetadata(w http.ResponseWriter, r *http.Request) {
	var in metadataRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	v.Add(!v.Has("key") && in.Key == nil, "key", "key must be a string")
	v.Add(!v.Has("value") && in.Value == nil, "value", "value must be a string")
	v.Sort("key", "value")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.SetProductMetadata(r.Context(), chi.URLParam(r, "id"), *in.Key, *in.Value)
	a.writeProduct(w, r, p, err, false)
}

// optionRequest is Medusa's AdminPostProductsProductOptionsReq (and ...OptionsOption).
type optionRequest struct {
	Title *string `json:"title"`
}

func decodeOption(w http.ResponseWriter, r *http.Request) (string, bool) {
	var in optionRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return "", false
	}
	v.Add(!v.Has("title") && in.Title == nil, "title", "title must be a string")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return "", false
	}
	return *in.Title, true
}

// POST /admin/products/:id/options
func (a *API) addProductOption(w http.ResponseWriter, r *http.Request) {
	title, ok := decodeOption(w, r)
	if !ok {
		return
	}
	id := chi.URLParam(r, "id")
	if err := a.store.AddProductOption(r.Context(), id, title); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.GetProduct(r.Context(), id, nil)
	a.writeProduct(w, r, p, err, true)
}

// POST /admin/products/:id/options/:option_id answers without prices decoration, as Medusa.
func (a *API) updateProductOption(w http.ResponseWriter, r *http.Request) {
	title, ok := decodeOption(w, r)
	if !ok {
		return
	}
	id := chi.URLParam(r, "id")
	if err := a.store.UpdateProductOption(r.Context(), id, chi.URLParam(r, "option_id"), title); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.GetProduct(r.Context(), id, nil)
	a.writeProduct(w, r, p, err, false)
}

// DELETE /admin/products/:id/options/:option_id
func (a *API) deleteProductOption(w http.ResponseWriter, r *http.Request) {
	id, optionID := chi.URLParam(r, "id"), chi.URLParam(r, "option_id")
	if err := a.store.DeleteProductOption(r.Context(), id, optionID); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.GetProduct(r.Context(), id, nil)
	var body any
	if err == nil {
		body, err = a.productBody(r, p, false)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"option_id": optionID, "object": "option", "deleted": true, "product": body})
}
