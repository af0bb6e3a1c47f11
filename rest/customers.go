package rest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/customers", a.listCustomers)
		r.Post("/customers", a.createCustomer)
		r.Get("/customers/{id}", a.getCustomer)
		r.Post("/customers/{id}", a.updateCustomer)
	})
}

// orderOut is an order as Medusa answers it: its entity carries `object: "order"`.
type orderOut struct {
	Object string `json:"object"`
	*model.Order
}

func orderBody(o *model.Order) *orderOut {
	if o == nil {
		return nil
	}
	return &orderOut{Object: "order", Order: o}
}

// customerOut is a customer with its orders (when loaded) as Medusa answers them.
type customerOut struct {
	*model.Customer
	Orders []*orderOut `json:"orders,omitzero"`
}

func customerBody(c *model.Customer) customerOut {
	out := customerOut{Customer: c}
	if c.Orders != nil {
		out.Orders = make([]*orderOut, len(c.Orders))
		for i, o := range c.Orders {
			out.Orders[i] = orderBody(o)
		}
	}
	return out
}

// cvEmail checks an IsEmail property (IsOptional unless required). It returns the string, or
// nil when absent, null or invalid.
func cvEmail(v *store.Violations, name string, raw json.RawMessage, required bool) *string {
	msg := name + " must be an email"
	if cvNull(raw) {
		v.Add(required, name, msg)
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil || !store.IsEmail(s) {
		v.Add(true, name, msg)
		return nil
	}
	return &s
}

// jsonKind is the first byte of a JSON value: '{', '[', '"', 'n', 't', 'f' or a digit/'-'.
func jsonKind(raw json.RawMessage) byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0
	}
	return raw[0]
}

// cvNestedIDs checks a `@ValidateNested({ each: true }) @Type(() => X)` property whose class X
// has one `@IsString() id` (Medusa's `groups` and `customer_ids`), with class-validator's
// messages in its order: for each element of an array, its unknown properties then its id; a
// value that is neither object nor array is "each value in nested property …". isArray adds
// the property's `@IsArray()`, reported first. An absent or null value is nil; required reports
// it (Medusa fails on it with a 500). It returns the ids, or nil.
func cvNestedIDs(v *store.Violations, name string, raw json.RawMessage, isArray, required bool) []string {
	nested := "each value in nested property " + name + " must be either object or array"
	if cvNull(raw) {
		v.Add(required, name, nested)
		return nil
	}
	bad := false
	fail := func(msg string) {
		v.Add(true, name, msg)
		bad = true
	}
	// element checks one object (or array, which class-validator validates as an object with
	// index keys) and returns its id.
	element := func(e json.RawMessage) string {
		var id json.RawMessage
		switch jsonKind(e) {
		case '{':
			var obj map[string]json.RawMessage
			_ = json.Unmarshal(e, &obj)
			for _, k := range objectKeys(e) {
				if k != "id" {
					fail("property " + k + " should not exist")
				}
			}
			id = obj["id"]
		case '[':
			var arr []json.RawMessage
			_ = json.Unmarshal(e, &arr)
			for i := range arr {
				fail("property " + strconv.Itoa(i) + " should not exist")
			}
		default:
			fail(nested)
			return ""
		}
		var s string
		if cvNull(id) || json.Unmarshal(id, &s) != nil {
			fail("id must be a string")
		}
		return s
	}
	switch jsonKind(raw) {
	case '[':
		var elems []json.RawMessage
		_ = json.Unmarshal(raw, &elems)
		ids := make([]string, 0, len(elems))
		for _, e := range elems {
			if jsonKind(e) == '[' {
				// An array element is an object to class-validator, but never a valid one.
				element(e)
				continue
			}
			ids = append(ids, element(e))
		}
		if bad {
			return nil
		}
		return ids
	case '{':
		if isArray {
			fail(name + " must be an array")
		}
		element(raw)
		if !isArray {
			// class-validator passes a single object; Medusa then fails on it with a 500.
			fail(name + " must be an array")
		}
	default:
		if isArray {
			fail(name + " must be an array")
		}
		fail(nested)
	}
	return nil
}

// customerListParams reads AdminGetCustomersParams: its own limit, offset and expand, then the
// inherited q and groups (class-validator's order).
func customerListParams(q *query) (store.CustomerFilter, store.Page) {
	p := store.Page{Limit: q.Int("limit", 50), Offset: q.Int("offset", 0)}
	if e := cvQueryString(q, "expand"); e != nil {
		p.Expand = splitList(*e)
	}
	var f store.CustomerFilter
	f.Q = cvQueryString(q, "q")
	f.Groups = customerGroupsParam(q)
	return f, p
}

// customerGroupsParam reads AdminListCustomerSelector's `@IsString({ each: true })` groups: an
// array of ids (`groups[]=a`, `groups[0]=a`, repeated; `groups[]=a,b` on the customer list,
// whose query Medusa normalizes) filters by those groups; an empty string filters nothing (Medusa's repository skips a falsy groups); one
// non-empty string is taken as one id (Medusa fails on it with a 500).
func customerGroupsParam(q *query) []string {
	vals, isArray, found, bad := q.list("groups")
	switch {
	case !found:
		return nil
	case bad:
		q.fail("each value in groups must be a string")
		return nil
	case !isArray && vals[0] == "":
		return nil
	}
	return vals
}

// GET /admin/customers: oldest first, default limit 50, no relations unless expanded; the count
// is the total.
func (a *API) listCustomers(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	f, p := customerListParams(q)
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeCustomerList(w, r, f, p)
}

func (a *API) writeCustomerList(w http.ResponseWriter, r *http.Request, f store.CustomerFilter, p store.Page) {
	customers, n, err := a.store.ListCustomers(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]customerOut, len(customers))
	for i, c := range customers {
		items[i] = customerBody(c)
	}
	writeList(w, "customers", items, n, p)
}

// customerFind reads Medusa's FindParams (expand, fields) of the customer routes; fields is
// accepted and, as in Medusa, ignored.
func customerFind(q *query) ([]string, error) {
	var expand []string
	if e := cvQueryString(q, "expand"); e != nil {
		expand = splitList(*e)
	}
	cvQueryString(q, "fields")
	return expand, q.Err()
}

// GET /admin/customers/:id: with orders and shipping addresses unless expand says otherwise.
func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) {
	expand, err := customerFind(newQuery(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.store.GetCustomer(r.Context(), chi.URLParam(r, "id"), expand)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeOne(w, "customer", customerBody(c), store.Find{Expand: expand})
}

// createCustomerRequest is Medusa's AdminPostCustomersReq.
type createCustomerRequest struct {
	Email     json.RawMessage `json:"email"`
	FirstName json.RawMessage `json:"first_name"`
	LastName  json.RawMessage `json:"last_name"`
	Password  json.RawMessage `json:"password"`
	Phone     json.RawMessage `json:"phone"`
	Metadata  json.RawMessage `json:"metadata"`
}

// POST /admin/customers answers 201 with the customer, without relations. Unlike Medusa, the
// password hash is not part of the answer.
func (a *API) createCustomer(w http.ResponseWriter, r *http.Request) {
	var body createCustomerRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	email := cvEmail(&v, "email", body.Email, true)
	first, _ := cvString(&v, "first_name", body.FirstName, true)
	last, _ := cvString(&v, "last_name", body.LastName, true)
	pass, _ := cvString(&v, "password", body.Password, true)
	phone, _ := cvString(&v, "phone", body.Phone, false)
	metadata := cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.store.CreateCustomer(r.Context(), store.CreateCustomerInput{Email: *email, FirstName: *first, LastName: *last,
		Password: *pass, Phone: phone, Metadata: metadata})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"customer": c})
}

// updateCustomerRequest is Medusa's AdminPostCustomersCustomerReq.
type updateCustomerRequest struct {
	Email     json.RawMessage `json:"email"`
	FirstName json.RawMessage `json:"first_name"`
	LastName  json.RawMessage `json:"last_name"`
	Password  json.RawMessage `json:"password"`
	Phone     json.RawMessage `json:"phone"`
	Metadata  json.RawMessage `json:"metadata"`
	Groups    json.RawMessage `json:"groups"`
}

// POST /admin/customers/:id: the body is checked before the query (expand, fields), as in
// Medusa. A null email leaves it as it is (Medusa tries to store the null and fails with a 500);
// null names and phone clear them.
func (a *API) updateCustomer(w http.ResponseWriter, r *http.Request) {
	var body updateCustomerRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateCustomerInput
	in.Email = cvEmail(&v, "email", body.Email, false)
	in.FirstName = cvNullable(cvString(&v, "first_name", body.FirstName, false))
	in.LastName = cvNullable(cvString(&v, "last_name", body.LastName, false))
	in.Password, _ = cvString(&v, "password", body.Password, false)
	in.Phone = cvNullable(cvString(&v, "phone", body.Phone, false))
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	in.Groups = cvNestedIDs(&v, "groups", body.Groups, true, false)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	expand, err := customerFind(newQuery(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.store.UpdateCustomer(r.Context(), chi.URLParam(r, "id"), in, expand)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeOne(w, "customer", customerBody(c), store.Find{Expand: expand})
}
