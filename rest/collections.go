package rest

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/collections", a.listCollections)
		r.Post("/collections", a.createCollection)
		r.Get("/collections/{id}", a.getCollection)
		r.Post("/collections/{id}", a.updateCollection)
		r.Delete("/collections/{id}", a.deleteCollection)
		r.Post("/collections/{id}/products/batch", a.addCollectionProducts)
		r.Delete("/collections/{id}/products/batch", a.removeCollectionProducts)
	})
}

// collectionListFields are the columns Medusa's collection list selects
// (defaultAdminCollectionsFields): no deleted_at, no metadata.
var collectionListFields = []string{"id", "title", "handle", "created_at", "updated_at"}

// GET /admin/collections (AdminGetCollectionsParams: no expand, fields or order).
func (a *API) listCollections(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	var f store.CollectionFilter
	// In the order of the request class: its own properties, then the paging ones it extends.
	// Medusa drops falsy filters (pickBy identity): an empty title, handle or q filters nothing.
	f.Title = nonEmpty(cvQueryString(q, "title"))
	f.Handle = nonEmpty(cvQueryString(q, "handle"))
	f.CreatedAt = dateRangeParam(q, "created_at")
	f.UpdatedAt = dateRangeParam(q, "updated_at")
	f.DeletedAt = dateRangeParam(q, "deleted_at")
	f.Q = nonEmpty(cvQueryString(q, "q"))
	p := store.Page{Limit: q.Int("limit", 10), Offset: q.Int("offset", 0)}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	cols, n, err := a.store.ListCollections(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p.Find = store.Find{Fields: collectionListFields, Expand: store.CollectionRelations}
	writeList(w, "collections", cols, n, p)
}

// dateRangeParam reads a DateComparisonOperator query parameter (query.DateRange).
func dateRangeParam(q *query, key string) *store.TimeRange {
	return q.DateRange(key)
}

// GET /admin/collections/:id: with its products; Medusa reads no query parameters here.
func (a *API) getCollection(w http.ResponseWriter, r *http.Request) {
	c, err := a.store.GetCollection(r.Context(), chi.URLParam(r, "id"), store.CollectionRelations)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"collection": c})
}

// collectionRequest is Medusa's AdminPostCollectionsReq and AdminPostCollectionsCollectionReq;
// properties are checked one by one in the class's order.
type collectionRequest struct {
	Title    json.RawMessage `json:"title"`
	Handle   json.RawMessage `json:"handle"`
	Metadata json.RawMessage `json:"metadata"`
}

// POST /admin/collections
func (a *API) createCollection(w http.ResponseWriter, r *http.Request) {
	var in collectionRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	title := requiredString(&v, "title", in.Title)
	handle, _ := cvString(&v, "handle", in.Handle, false)
	metadata := cvObject(&v, "metadata", in.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.store.CreateCollection(r.Context(), store.CreateCollectionInput{Title: *title, Handle: handle, Metadata: metadata})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"collection": c})
}

// requiredString checks `@IsString() @IsNotEmpty()` (class-validator reports the last decorator
// first): a missing or null value fails both.
func requiredString(v *store.Violations, name string, raw json.RawMessage) *string {
	if cvNull(raw) {
		v.Add(true, name, name+" should not be empty")
		v.Add(true, name, name+" must be a string")
		return nil
	}
	s, _ := cvString(v, name, raw, true)
	v.Add(s != nil && *s == "", name, name+" should not be empty")
	return s
}

// POST /admin/collections/:id
func (a *API) updateCollection(w http.ResponseWriter, r *http.Request) {
	var in collectionRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	// A null title passes Medusa's IsOptional and then breaks the NOT NULL column (a 500);
	// Gorgon refuses it as the string it must be.
	title := nonNullString(&v, "title", in.Title)
	handle, nullHandle := cvString(&v, "handle", in.Handle, false)
	metadata := cvObject(&v, "metadata", in.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	up := store.UpdateCollectionInput{Title: title, Metadata: metadata}
	if handle != nil || nullHandle {
		up.Handle = &handle
	}
	c, err := a.store.UpdateCollection(r.Context(), chi.URLParam(r, "id"), up)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"collection": c})
}

// nonNullString checks an optional IsString property of a NOT NULL column: absent is fine,
// null is not.
func nonNullString(v *store.Violations, name string, raw json.RawMessage) *string {
	if raw != nil && cvNull(raw) {
		v.Add(true, name, name+" must be a string")
		return nil
	}
	s, _ := cvString(v, name, raw, false)
	return s
}

func (a *API) deleteCollection(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteCollection(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "product-collection", Deleted: true})
}

// collectionProductsRequest is Medusa's AdminPostProductsToCollectionReq and
// AdminDeleteProductsFromCollectionReq.
type collectionProductsRequest struct {
	ProductIDs json.RawMessage `json:"product_ids"`
}

// POST /admin/collections/:id/products/batch
func (a *API) addCollectionProducts(w http.ResponseWriter, r *http.Request) {
	var in collectionProductsRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	ids := nonEmptyStrings(&v, "product_ids", in.ProductIDs)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.store.AddProductsToCollection(r.Context(), chi.URLParam(r, "id"), ids)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"collection": c})
}

// DELETE /admin/collections/:id/products/batch
func (a *API) removeCollectionProducts(w http.ResponseWriter, r *http.Request) {
	var in collectionProductsRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	ids := nonEmptyStrings(&v, "product_ids", in.ProductIDs)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if err := a.store.RemoveProductsFromCollection(r.Context(), id, ids); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "object": "product-collection", "removed_products": ids})
}

// nonEmptyStrings checks `@ArrayNotEmpty() @IsString({ each: true })`: the element check comes
// first and, on a value that is not an array, applies to the value itself.
func nonEmptyStrings(v *store.Violations, name string, raw json.RawMessage) []string {
	each, empty := "each value in "+name+" must be a string", name+" should not be empty"
	var val any
	if cvNull(raw) || json.Unmarshal(raw, &val) != nil {
		v.Add(true, name, each)
		v.Add(true, name, empty)
		return nil
	}
	list, isArray := val.([]any)
	if !isArray {
		_, isString := val.(string)
		v.Add(!isString, name, each)
		v.Add(true, name, empty)
		return nil
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			v.Add(true, name, each)
			return nil
		}
		out = append(out, s)
	}
	v.Add(len(out) == 0, name, empty)
	return out
}
