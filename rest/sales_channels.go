package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Route("/sales-channels", func(r chi.Router) {
			r.Use(a.salesChannelsFlag)
			r.Get("/", a.listSalesChannels)
			r.Post("/", a.createSalesChannel)
			r.Get("/{id}", a.getSalesChannel)
			r.Post("/{id}", a.updateSalesChannel)
			r.Delete("/{id}", a.deleteSalesChannel)
			r.Post("/{id}/products/batch", a.addSalesChannelProducts)
			r.Delete("/{id}/products/batch", a.removeSalesChannelProducts)
		})
	})
}

// salesChannelsFlag answers every /admin/sales-channels request like Medusa does while the
// sales_channels feature flag is off: a bare 404 "Not Found" (after authentication).
func (a *API) salesChannelsFlag(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.store.Config.FeatureSalesChannels {
			writeStatusText(w, http.StatusNotFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// GET /admin/sales-channels (AdminGetSalesChannelsParams).
func (a *API) listSalesChannels(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	var f store.SalesChannelFilter
	// The request class's own properties, then FindParams', then the paging ones.
	f.ID = cvQueryString(q, "id")
	f.Q = cvQueryString(q, "q")
	f.Name = cvQueryString(q, "name")
	f.Description = cvQueryString(q, "description")
	f.CreatedAt = dateRangeParam(q, "created_at")
	f.UpdatedAt = dateRangeParam(q, "updated_at")
	f.DeletedAt = dateRangeParam(q, "deleted_at")
	var p store.Page
	if o := cvQueryString(q, "order"); o != nil {
		p.Order = *o
	}
	p.Find = q.Find()
	p.Offset, p.Limit = q.Int("offset", 0), q.Int("limit", 20)
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	chans, n, err := a.store.ListSalesChannels(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, "sales_channels", chans, n, p)
}

// GET /admin/sales-channels/:id; Medusa reads no query parameters here.
func (a *API) getSalesChannel(w http.ResponseWriter, r *http.Request) {
	sc, err := a.store.GetSalesChannel(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sales_channel": sc})
}

// salesChannelRequest is Medusa's AdminPostSalesChannelsReq and
// AdminPostSalesChannelsSalesChannelReq.
type salesChannelRequest struct {
	Name        json.RawMessage `json:"name"`
	Description json.RawMessage `json:"description"`
	IsDisabled  json.RawMessage `json:"is_disabled"`
}

// POST /admin/sales-channels
func (a *API) createSalesChannel(w http.ResponseWriter, r *http.Request) {
	var in salesChannelRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	name, _ := cvString(&v, "name", in.Name, true)
	description, _ := cvString(&v, "description", in.Description, false)
	// A null is_disabled passes Medusa's IsOptional and then breaks the NOT NULL column (a 500).
	disabled := nonNullBool(&v, "is_disabled", in.IsDisabled)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	sc, err := a.store.CreateSalesChannel(r.Context(), store.CreateSalesChannelInput{
		Name: *name, Description: description, IsDisabled: deref(disabled),
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sales_channel": sc})
}

// nonNullBool checks an optional IsBoolean property of a NOT NULL column: null is refused.
func nonNullBool(v *store.Violations, name string, raw json.RawMessage) *bool {
	if raw != nil && cvNull(raw) {
		v.Add(true, name, name+" must be a boolean value")
		return nil
	}
	return cvBool(v, name, raw)
}

// POST /admin/sales-channels/:id
func (a *API) updateSalesChannel(w http.ResponseWriter, r *http.Request) {
	var in salesChannelRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	// Medusa lets a null name through to the NOT NULL column (a 500); Gorgon refuses it.
	name := nonNullString(&v, "name", in.Name)
	description, nullDescription := cvString(&v, "description", in.Description, false)
	disabled := nonNullBool(&v, "is_disabled", in.IsDisabled)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	up := store.UpdateSalesChannelInput{Name: name, IsDisabled: disabled}
	if description != nil || nullDescription {
		up.Description = &description
	}
	sc, err := a.store.UpdateSalesChannel(r.Context(), chi.URLParam(r, "id"), up)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sales_channel": sc})
}

func (a *API) deleteSalesChannel(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteSalesChannel(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "sales-channel", Deleted: true})
}

// salesChannelProductsRequest is Medusa's AdminPostSalesChannelsChannelProductsBatchReq and
// AdminDeleteSalesChannelsChannelProductsBatchReq: product_ids is a list of {id}.
type salesChannelProductsRequest struct {
	ProductIDs json.RawMessage `json:"product_ids"`
}

func decodeProductBatch(r *http.Request) ([]string, error) {
	var in salesChannelProductsRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		return nil, err
	}
	ids := []string{}
	nestedArray(&v, "product_ids", in.ProductIDs, true, []string{"id"}, func(el map[string]json.RawMessage) {
		if id, _ := elString(&v, "product_ids", "id", el["id"], true); id != nil {
			ids = append(ids, *id)
		}
	})
	return ids, v.Err()
}

// POST /admin/sales-channels/:id/products/batch
func (a *API) addSalesChannelProducts(w http.ResponseWriter, r *http.Request) {
	ids, err := decodeProductBatch(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	sc, err := a.store.AddProductsToSalesChannel(r.Context(), chi.URLParam(r, "id"), ids)
	if errors.Is(err, store.ErrProductsMissing) {
		// Medusa's validateProductsExist middleware answers in its "multiple errors" form.
		se, _ := store.AsError(err)
		writeError(w, r, multipleErrors{se.Message})
		return
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sales_channel": sc})
}

// DELETE /admin/sales-channels/:id/products/batch
func (a *API) removeSalesChannelProducts(w http.ResponseWriter, r *http.Request) {
	ids, err := decodeProductBatch(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	sc, err := a.store.RemoveProductsFromSalesChannel(r.Context(), chi.URLParam(r, "id"), ids)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sales_channel": sc})
}

// nestedArray checks `@IsArray() @ValidateNested({ each: true }) @Type(() => C)` (plus
// IsOptional when !required) the way class-validator reports it: "x must be an array", "each
// value in nested property x must be either object or array" for a null or scalar value and for
// each element that is not an object, and for each object element its unknown properties, then
// whatever each adds about its properties (in C's order). Messages are recorded on name, so they
// stay in place among the other properties. It reports whether the value was an array.
func nestedArray(v *store.Violations, name string, raw json.RawMessage, required bool, known []string,
	each func(el map[string]json.RawMessage)) bool {
	notArray, notObject := name+" must be an array", "each value in nested property "+name+" must be either object or array"
	if raw == nil {
		v.Add(required, name, notArray)
		return false
	}
	trimmed := bytes.TrimSpace(raw)
	switch {
	case bytes.Equal(trimmed, []byte("null")):
		v.Add(required, name, notArray)
		v.Add(required, name, notObject)
		return false
	case len(trimmed) > 0 && trimmed[0] == '{':
		v.Add(true, name, notArray)
		return false
	case len(trimmed) == 0 || trimmed[0] != '[':
		v.Add(true, name, notArray)
		v.Add(true, name, notObject)
		return false
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(trimmed, &elems); err != nil {
		v.Add(true, name, notArray)
		return false
	}
	isKnown := map[string]bool{}
	for _, k := range known {
		isKnown[k] = true
	}
	for _, e := range elems {
		var el map[string]json.RawMessage
		if t := bytes.TrimSpace(e); len(t) == 0 || t[0] != '{' || json.Unmarshal(t, &el) != nil {
			v.Add(true, name, notObject)
			continue
		}
		// In body order, as class-validator reports them.
		for _, k := range objectKeys(e) {
			if !isKnown[k] {
				v.Add(true, name, "property "+k+" should not exist")
			}
		}
		each(el)
	}
	return true
}

// elString is cvString for a property of an element of the array property parent: the message
// names the property, the violation is recorded on parent.
func elString(v *store.Violations, parent, name string, raw json.RawMessage, required bool) (s *string, null bool) {
	if cvNull(raw) {
		v.Add(required, parent, name+" must be a string")
		return nil, raw != nil && !required
	}
	var out string
	if err := json.Unmarshal(raw, &out); err != nil {
		v.Add(true, parent, name+" must be a string")
		return nil, false
	}
	return &out, false
}
