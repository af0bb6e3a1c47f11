package rest

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest/qs"
	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/customer-groups", a.listCustomerGroups)
		r.Post("/customer-groups", a.createCustomerGroup)
		r.Get("/customer-groups/{id}", a.getCustomerGroup)
		r.Post("/customer-groups/{id}", a.updateCustomerGroup)
		r.Delete("/customer-groups/{id}", a.deleteCustomerGroup)
		r.Get("/customer-groups/{id}/customers", a.listCustomerGroupCustomers)
		r.Post("/customer-groups/{id}/customers/batch", a.addCustomerGroupCustomers)
		r.Delete("/customer-groups/{id}/customers/batch", a.removeCustomerGroupCustomers)
	})
}

// customerGroupIDParam reads FilterableCustomerGroupProps' id: one id (`id=…`), several
// (`id[]=…`, `id[0]=…`, repeated, or one `id[]=a,b`), or string comparisons (`id[gt]=…`).
// Medusa declares these forms but refuses every one of them (its nested check fails on strings
// and arrays); Gorgon serves them.
func customerGroupIDParam(q *query) ([]string, *store.StringRange) {
	v, ok := q.value("id")
	if !ok {
		return nil, nil
	}
	switch v := v.(type) {
	case qs.String:
		return []string{string(v)}, nil
	case qs.Array:
		ids, ok := qs.Strings(v)
		if !ok {
			q.fail("nested property id must be either object or array")
			return nil, nil
		}
		return ids, nil
	}
	o := v.(*qs.Object)
	sr := &store.StringRange{}
	// StringComparisonOperator: unknown properties first, then lt, gt, gte, lte.
	for _, op := range o.Keys() {
		switch op {
		case "lt", "gt", "gte", "lte":
		default:
			q.fail("property %s should not exist", op)
		}
	}
	for _, op := range []string{"lt", "gt", "gte", "lte"} {
		ov, ok := o.Get(op)
		if !ok {
			continue
		}
		s, isString := ov.(qs.String)
		if !isString {
			q.fail("%s must be a string", op)
			continue
		}
		val := string(s)
		switch op {
		case "lt":
			sr.Lt = &val
		case "gt":
			sr.Gt = &val
		case "gte":
			sr.Gte = &val
		case "lte":
			sr.Lte = &val
		}
	}
	return nil, sr
}

// GET /admin/customer-groups (AdminGetCustomerGroupsParams: its own order, offset, limit and
// expand, then the inherited filters id, q, name, updated_at, created_at; no fields). Newest
// first, default limit 10, the count is the total.
func (a *API) listCustomerGroups(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	var p store.Page
	if o := cvQueryString(q, "order"); o != nil {
		p.Order = *o
	}
	p.Offset = q.Int("offset", 0)
	p.Limit = q.Int("limit", 10)
	if e := cvQueryString(q, "expand"); e != nil {
		p.Expand = splitList(*e)
	}
	var f store.CustomerGroupFilter
	f.IDs, f.IDRange = customerGroupIDParam(q)
	f.Q = cvQueryString(q, "q")
	f.Names = arrayParam(q, "name")
	f.UpdatedAt = dateRangeParam(q, "updated_at")
	f.CreatedAt = dateRangeParam(q, "created_at")
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	groups, n, err := a.store.ListCustomerGroups(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, "customer_groups", groups, n, p)
}

// customerGroupFind reads FindParams (expand, fields).
func customerGroupFind(q *query) (store.Find, error) {
	var find store.Find
	if e := cvQueryString(q, "expand"); e != nil {
		find.Expand = splitList(*e)
	}
	if f := cvQueryString(q, "fields"); f != nil {
		find.Fields = splitList(*f)
	}
	return find, q.Err()
}

// GET /admin/customer-groups/:id: no relations unless expanded; fields picks columns.
func (a *API) getCustomerGroup(w http.ResponseWriter, r *http.Request) {
	find, err := customerGroupFind(newQuery(r).normalized())
	if err != nil {
		writeError(w, r, err)
		return
	}
	g, err := a.store.GetCustomerGroup(r.Context(), chi.URLParam(r, "id"), find)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeOne(w, "customer_group", g, find)
}

// customerGroupRequest is Medusa's AdminPostCustomerGroupsReq and
// AdminPostCustomerGroupsGroupReq (name required only on create).
type customerGroupRequest struct {
	Name     json.RawMessage `json:"name"`
	Metadata json.RawMessage `json:"metadata"`
}

func (a *API) createCustomerGroup(w http.ResponseWriter, r *http.Request) {
	var body customerGroupRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	name, _ := cvString(&v, "name", body.Name, true)
	metadata := cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	g, err := a.store.CreateCustomerGroup(r.Context(), *name, metadata)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"customer_group": g})
}

// POST /admin/customer-groups/:id: the body is checked before the query (expand; fields is
// accepted and ignored, as in Medusa). A null name or metadata leaves it as it is (Medusa tries
// to store the null and fails with a 500).
func (a *API) updateCustomerGroup(w http.ResponseWriter, r *http.Request) {
	var body customerGroupRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	name, _ := cvString(&v, "name", body.Name, false)
	metadata := cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	find, err := customerGroupFind(newQuery(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	find.Fields = nil
	g, err := a.store.UpdateCustomerGroup(r.Context(), chi.URLParam(r, "id"), name, metadata, find)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeOne(w, "customer_group", g, find)
}

// DELETE /admin/customer-groups/:id: its customers stay; a missing group is no error.
func (a *API) deleteCustomerGroup(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteCustomerGroup(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "customer_group", Deleted: true})
}

// GET /admin/customer-groups/:id/customers takes the customer list's parameters; Medusa
// replaces any `groups` with the group. Each customer comes with this group (all of its groups
// with expand=groups). A missing group has no customers.
func (a *API) listCustomerGroupCustomers(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	f, p := customerListParams(q)
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	f.Groups = []string{chi.URLParam(r, "id")}
	a.writeCustomerList(w, r, f, p)
}

// customerGroupBatchRequest is Medusa's AdminPostCustomerGroupsGroupCustomersBatchReq and
// AdminDeleteCustomerGroupsGroupCustomerBatchReq.
type customerGroupBatchRequest struct {
	CustomerIDs json.RawMessage `json:"customer_ids"`
}

// decodeCustomerIDs reads {"customer_ids": [{"id": …}, …]}; ok is false when an error was
// written. A missing or non-array customer_ids is refused (Medusa fails on it with a 500).
func decodeCustomerIDs(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	var body customerGroupBatchRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return nil, false
	}
	ids := cvNestedIDs(&v, "customer_ids", body.CustomerIDs, false, true)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return nil, false
	}
	return ids, true
}

// POST /admin/customer-groups/:id/customers/batch: all or nothing (see AddCustomersToGroup);
// answers the group without relations.
func (a *API) addCustomerGroupCustomers(w http.ResponseWriter, r *http.Request) {
	ids, ok := decodeCustomerIDs(w, r)
	if !ok {
		return
	}
	g, err := a.store.AddCustomersToGroup(r.Context(), chi.URLParam(r, "id"), ids)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"customer_group": g})
}

// DELETE /admin/customer-groups/:id/customers/batch: ids that are not members are no change.
func (a *API) removeCustomerGroupCustomers(w http.ResponseWriter, r *http.Request) {
	ids, ok := decodeCustomerIDs(w, r)
	if !ok {
		return
	}
	g, err := a.store.RemoveCustomersFromGroup(r.Context(), chi.URLParam(r, "id"), ids)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"customer_group": g})
}
