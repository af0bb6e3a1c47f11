package rest

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest/qs"
	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/tax-rates", a.listTaxRates)
		r.Post("/tax-rates", a.createTaxRate)
		r.Get("/tax-rates/{id}", a.getTaxRate)
		r.Post("/tax-rates/{id}", a.updateTaxRate)
		r.Delete("/tax-rates/{id}", a.deleteTaxRate)
		r.Post("/tax-rates/{id}/products/batch", a.taxRateBatch("products", (*store.Store).AddTaxRateProducts))
		r.Delete("/tax-rates/{id}/products/batch", a.taxRateBatch("products", (*store.Store).RemoveTaxRateProducts))
		r.Post("/tax-rates/{id}/product-types/batch", a.taxRateBatch("product_types", (*store.Store).AddTaxRateProductTypes))
		r.Delete("/tax-rates/{id}/product-types/batch", a.taxRateBatch("product_types", (*store.Store).RemoveTaxRateProductTypes))
		r.Post("/tax-rates/{id}/shipping-options/batch", a.taxRateBatch("shipping_options", (*store.Store).AddTaxRateShippingOptions))
		r.Delete("/tax-rates/{id}/shipping-options/batch", a.taxRateBatch("shipping_options", (*store.Store).RemoveTaxRateShippingOptions))
	})
}

// qsIsArray reads an `@IsArray()` query parameter as qs parses it: `key[]=a`, `key[0]=a` or a
// repeated key is an array (elements taken as they are, blank ones dropped), a single `key=a` is
// a string, refused with "key must be an array".
func qsIsArray(q *query, key string) []string {
	vals := q.Array(key)
	if vals == nil {
		return nil
	}
	kept := vals[:0]
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			kept = append(kept, v)
		}
	}
	return kept
}

// taxRateFind reads the `expand` and `fields` parameters of Medusa's tax rate routes (their
// query classes have nothing else).
func taxRateFind(q *query) store.Find {
	return store.Find{Expand: qsIsArray(q, "expand"), Fields: qsIsArray(q, "fields")}
}

// writeTaxRate answers {tax_rate} picked as Medusa's pickByConfig does: the columns asked for
// (by default all but metadata), id, and the relations loaded.
func writeTaxRate(w http.ResponseWriter, r *http.Request, rate *store.TaxRate, find store.Find, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	if len(find.Fields) == 0 {
		find.Fields = store.TaxRateFields
	}
	writeOne(w, "tax_rate", rate, find)
}

// GET /admin/tax-rates (AdminGetTaxRatesParams). Medusa 1.3.8 validates limit, offset, expand and
// fields but then ignores them (the list always starts at 0 with 50 rates, default columns and
// no relations, while echoing the limit and offset asked for); Gorgon applies them, as the route
// documents them and later Medusa versions do.
func (a *API) listTaxRates(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	var f store.TaxRateFilter
	var typeErr error
	f.RegionIDs, typeErr = taxRateRegionParam(q)
	f.Name = taxNonEmptyParam(cvQueryString(q, "name"))
	f.Code = taxNonEmptyParam(cvQueryString(q, "code"))
	rate, err := numberFilterParam(q, "rate")
	if typeErr == nil {
		typeErr = err
	}
	f.Rate = rate
	p := store.Page{Offset: q.Int("offset", 0), Limit: q.Int("limit", 50)}
	p.All = p.Limit == 0 // TypeORM's take: 0
	p.Find = taxRateFind(q)
	// Medusa's IsType throws, so its failure is reported alone.
	if typeErr != nil {
		writeError(w, r, typeErr)
		return
	}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	rates, n, err := a.store.ListTaxRates(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if len(p.Fields) == 0 {
		p.Fields = store.TaxRateFields
	}
	writeList(w, "tax_rates", rates, n, p)
}

// taxNonEmptyParam drops an empty filter value, as Medusa's pickBy(identity) does.
func taxNonEmptyParam(s *string) *string {
	if s == nil || *s == "" {
		return nil
	}
	return s
}

// taxRateRegionParam reads `region_id`, an IsType([String, [String]]) parameter: region_id=a,
// region_id[]=a (or repeated, or indexed) for several. An empty single value is no filter.
func taxRateRegionParam(q *query) ([]string, error) {
	isArray := false
	if v, ok := q.root.Get("region_id"); ok {
		_, isArray = v.(qs.Array)
	}
	ids, err := qsStringOrArray(q, "region_id")
	if err != nil || (!isArray && len(ids) == 1 && ids[0] == "") {
		return nil, err
	}
	return ids, nil
}

// taxJSNumber is JavaScript's Number(s) for a query string value: NaN is reported as !ok.
func taxJSNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || strings.ContainsAny(s, "xXpP_") {
		return 0, false
	}
	return f, true
}

// queryNumber is JavaScript's Number(s) of a query value, refused (!ok) where Medusa's isNumber
// refuses it: NaN and ±Infinity.
func queryNumber(s string) (float64, bool) {
	f, ok := jsNumber(s)
	return f, ok && !math.IsInf(f, 0)
}

// numberFilterParam reads an IsType([NumericalComparisonOperator, Number]) parameter: key=n,
// key[]=n (one value: JavaScript's Number() of a one-element array is its element's), or
// key[lt|gt|lte|gte]=n. Failures are Medusa's IsType error.
func numberFilterParam(q *query, key string) (*store.NumberFilter, error) {
	typeErr := func(number []string, nco []string) error {
		details := [][2]any{{"Number", number}}
		if nco != nil {
			details = append(details, [2]any{"NumericalComparisonOperator", nco})
		}
		return isTypeError(key, []string{"NumericalComparisonOperator", "Number"}, details)
	}
	v, ok := q.value(key)
	if !ok {
		return nil, nil
	}
	var nf store.NumberFilter
	switch v := v.(type) {
	case qs.String, qs.Array:
		plain := jsString(v)
		n, good := queryNumber(plain)
		if a, isArray := v.(qs.Array); isArray && len(a) != 1 || !good {
			var nco []string
			if a, isArray := v.(qs.Array); isArray {
				// validated as the operator class, an array's indexes are unknown properties
				for i := range a {
					nco = append(nco, "property "+strconv.Itoa(i)+" should not exist")
				}
				nco = splitComma(nco)
			}
			return nil, typeErr(splitComma([]string{"Number validation failed: " + plain + " is not a number"}), nco)
		}
		if strings.TrimSpace(plain) == "" {
			return nil, nil // dropped as falsy, as Medusa's pickBy(identity) does
		}
		nf.In = []float64{n}
		return &nf, nil
	}
	o := v.(*qs.Object)
	var msgs []string
	for _, k := range o.Keys() {
		switch k {
		case "lt", "gt", "gte", "lte":
		default:
			msgs = append(msgs, "property "+k+" should not exist")
		}
	}
	for _, op := range []string{"lt", "gt", "gte", "lte"} { // the class's order
		ov, ok := o.Get(op)
		if !ok {
			continue
		}
		s, isString := ov.(qs.String)
		n, good := queryNumber(string(s))
		if !isString || !good {
			msgs = append(msgs, op+" must be a number conforming to the specified constraints")
			continue
		}
		switch op {
		case "lt":
			nf.Lt = &n
		case "gt":
			nf.Gt = &n
		case "gte":
			nf.Gte = &n
		case "lte":
			nf.Lte = &n
		}
	}
	if len(msgs) > 0 {
		return nil, typeErr([]string{"Number validation failed: [object Object] is not a number"}, splitComma(msgs))
	}
	return &nf, nil
}

// GET /admin/tax-rates/:id (AdminGetTaxRatesTaxRateParams).
func (a *API) getTaxRate(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	find := taxRateFind(q)
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	rate, err := a.store.GetTaxRate(r.Context(), chi.URLParam(r, "id"), find)
	writeTaxRate(w, r, rate, find, err)
}

// taxRateRequest is Medusa's AdminPostTaxRatesReq and AdminPostTaxRatesTaxRateReq, checked in
// the class's order.
type taxRateRequest struct {
	Code            json.RawMessage `json:"code"`
	Name            json.RawMessage `json:"name"`
	RegionID        json.RawMessage `json:"region_id"`
	Rate            json.RawMessage `json:"rate"`
	Products        json.RawMessage `json:"products"`
	ShippingOptions json.RawMessage `json:"shipping_options"`
	ProductTypes    json.RawMessage `json:"product_types"`
}

// taxRateValue checks rate, `@IsType([Number, null])`: a number, null, or a string JavaScript's
// Number() reads as one (which Medusa then stores). Medusa answers anything else with a 500.
func taxRateValue(v *store.Violations, raw json.RawMessage) (rate *float64, null bool) {
	if raw == nil {
		return nil, false
	}
	if cvNull(raw) {
		return nil, true
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil && fitsReal(f) {
		return &f, false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
		if f, ok := taxJSNumber(s); ok && fitsReal(f) {
			return &f, false
		}
	}
	v.Add(true, "rate", "rate must be a number conforming to the specified constraints")
	return nil, false
}

// taxRateIDs checks an optional `@IsArray()` list of ids. Medusa lets a null through and then
// fails (a 500); Gorgon refuses it as the array it must be.
func taxRateIDs(v *store.Violations, name string, raw json.RawMessage, required bool) []string {
	if (raw == nil && required) || (raw != nil && cvNull(raw)) {
		v.Add(true, name, name+" must be an array")
		return nil
	}
	ids := pbAt(v, name).strings(name, raw)
	if raw != nil && ids == nil && !v.Has(name) {
		ids = []string{}
	}
	return ids
}

// POST /admin/tax-rates
func (a *API) createTaxRate(w http.ResponseWriter, r *http.Request) {
	var body taxRateRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	code, _ := cvString(&v, "code", body.Code, true)
	name, _ := cvString(&v, "name", body.Name, true)
	region, _ := cvString(&v, "region_id", body.RegionID, true)
	rate, _ := taxRateValue(&v, body.Rate)
	in := store.CreateTaxRateInput{Code: code, Rate: rate}
	in.Products = taxRateIDs(&v, "products", body.Products, false)
	in.ShippingOptions = taxRateIDs(&v, "shipping_options", body.ShippingOptions, false)
	in.ProductTypes = taxRateIDs(&v, "product_types", body.ProductTypes, false)
	q := newQuery(r)
	find := taxRateFind(q)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	in.Name, in.RegionID = *name, *region
	rateOut, err := a.store.CreateTaxRate(r.Context(), in, find)
	writeTaxRate(w, r, rateOut, find, err)
}

// POST /admin/tax-rates/:id. The lists replace the rate's links. A null name or region_id is
// refused (Medusa tries to store it: a 500).
func (a *API) updateTaxRate(w http.ResponseWriter, r *http.Request) {
	var body taxRateRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateTaxRateInput
	in.Code = cvNullable(cvString(&v, "code", body.Code, false))
	in.Name = nonNullString(&v, "name", body.Name)
	in.RegionID = nonNullString(&v, "region_id", body.RegionID)
	if rate, null := taxRateValue(&v, body.Rate); rate != nil || null {
		in.Rate = &rate
	}
	in.Products = taxRateIDs(&v, "products", body.Products, false)
	in.ShippingOptions = taxRateIDs(&v, "shipping_options", body.ShippingOptions, false)
	in.ProductTypes = taxRateIDs(&v, "product_types", body.ProductTypes, false)
	q := newQuery(r)
	find := taxRateFind(q)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	rate, err := a.store.UpdateTaxRate(r.Context(), chi.URLParam(r, "id"), in, find)
	writeTaxRate(w, r, rate, find, err)
}

func (a *API) deleteTaxRate(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteTaxRate(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "tax-rate", Deleted: true})
}

// taxRateBatch serves the six batch routes: a body of one required id list named key
// (AdminPostTaxRatesTaxRateProductsReq and its siblings), the find parameters, and the store
// call.
func (a *API) taxRateBatch(key string, call func(*store.Store, context.Context, string, []string, store.Find) (*store.TaxRate, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var v store.Violations
		raw, err := decodeTaxRateBatch(r, key, &v)
		if err != nil {
			writeError(w, r, err)
			return
		}
		ids := taxRateIDs(&v, key, raw, true)
		q := newQuery(r)
		find := taxRateFind(q)
		if err := v.Err(); err != nil {
			writeError(w, r, err)
			return
		}
		if err := q.Err(); err != nil {
			writeError(w, r, err)
			return
		}
		rate, err := call(a.store, r.Context(), chi.URLParam(r, "id"), ids, find)
		writeTaxRate(w, r, rate, find, err)
	}
}

// decodeTaxRateBatch decodes a batch body whose one property is key.
func decodeTaxRateBatch(r *http.Request, key string, v *store.Violations) (json.RawMessage, error) {
	switch key {
	case "products":
		var b struct {
			Products json.RawMessage `json:"products"`
		}
		err := decodeBody(r, &b, v)
		return b.Products, err
	case "product_types":
		var b struct {
			ProductTypes json.RawMessage `json:"product_types"`
		}
		err := decodeBody(r, &b, v)
		return b.ProductTypes, err
	}
	var b struct {
		ShippingOptions json.RawMessage `json:"shipping_options"`
	}
	err := decodeBody(r, &b, v)
	return b.ShippingOptions, err
}
