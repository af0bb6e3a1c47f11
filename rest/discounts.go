package rest

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest/qs"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/discounts", a.listDiscounts)
		r.Post("/discounts", a.createDiscount)
		r.Get("/discounts/code/{code}", a.getDiscountByCode)
		r.Get("/discounts/{id}", a.getDiscount)
		r.Post("/discounts/{id}", a.updateDiscount)
		r.Delete("/discounts/{id}", a.deleteDiscount)
		r.Post("/discounts/{id}/dynamic-codes", a.createDynamicCode)
		r.Delete("/discounts/{id}/dynamic-codes/{code}", a.deleteDynamicCode)
		r.Post("/discounts/{id}/regions/{region_id}", a.addDiscountRegion)
		r.Delete("/discounts/{id}/regions/{region_id}", a.removeDiscountRegion)
		r.Post("/discounts/{id}/conditions", a.createDiscountCondition)
		r.Get("/discounts/{id}/conditions/{condition_id}", a.getDiscountCondition)
		r.Post("/discounts/{id}/conditions/{condition_id}", a.updateDiscountCondition)
		r.Delete("/discounts/{id}/conditions/{condition_id}", a.deleteDiscountCondition)
	})
}

// discountOut is a discount loaded with Medusa's default relations as Medusa answers it: with
// parent_discount null when it has none (the model leaves out relations that were not loaded).
type discountOut struct {
	*model.Discount
	ParentDiscount *model.Discount `json:"parent_discount"`
}

// discountBody is a discount as find asks: default relations, or the relations expanded, and
// the columns asked for (plus id).
func discountBody(d *model.Discount, find store.Find, list bool) any {
	if len(find.Expand) == 0 && len(find.Fields) == 0 {
		return discountOut{Discount: d, ParentDiscount: d.ParentDiscount}
	}
	if len(find.Expand) == 0 {
		find.Expand = store.DiscountRelations
	}
	return shape(d, find, list)
}

func writeDiscount(w http.ResponseWriter, r *http.Request, d *model.Discount, find store.Find, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"discount": discountBody(d, find, false)})
}

// discountFind reads the `expand` and `fields` strings of Medusa's discount routes (their query
// classes have nothing else) and reports unknown parameters.
func discountFind(q *query) (store.Find, error) {
	var find store.Find
	if e := cvQueryString(q, "expand"); e != nil {
		find.Expand = splitList(*e)
	}
	if f := cvQueryString(q, "fields"); f != nil {
		find.Fields = splitList(*f)
	}
	return find, q.Err()
}

// discountBoolParam reads an is_dynamic / is_disabled parameter through Medusa's transform
// (value === "true"): any other value, an array too, filters on false.
func discountBoolParam(q *query, key string) *bool {
	v, ok := q.value(key)
	if !ok {
		return nil
	}
	b := v == qs.String("true")
	return &b
}

// discountRuleParam reads the nested `rule` parameter (AdminGetDiscountsDiscountRuleParams:
// type and allocation, optional enums), with class-validator's messages: unknown properties of
// the rule first (in key order), then type, then allocation.
func discountRuleParam(q *query) (typ, alloc *string) {
	v, ok := q.value("rule")
	if !ok {
		return nil, nil
	}
	rule, isObject := v.(*qs.Object)
	if !isObject {
		// a string, or an array whose every element is checked on its own
		n := 1
		if a, isArray := v.(qs.Array); isArray {
			n = 0
			for _, e := range a {
				if _, ok := e.(*qs.Object); !ok {
					n++
				}
			}
		}
		for i := 0; i < n; i++ {
			q.fail("nested property rule must be either object or array")
		}
		return nil, nil
	}
	for _, k := range rule.Keys() {
		if k != "type" && k != "allocation" {
			q.fail("property %s should not exist", k)
		}
	}
	read := func(name string, allowed []string) *string {
		v, ok := rule.Get(name)
		if !ok {
			return nil
		}
		s, isString := v.(qs.String)
		if !isString || !inStrings(allowed, string(s)) {
			q.fail("%s must be a valid enum value", name)
			return nil
		}
		out := string(s)
		return &out
	}
	return read("type", store.DiscountRuleTypes), read("allocation", store.DiscountAllocations)
}

// GET /admin/discounts (AdminGetDiscountsParams): newest first, default limit 20, the count is
// the total.
func (a *API) listDiscounts(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	var f store.DiscountFilter
	f.RuleType, f.RuleAllocation = discountRuleParam(q)
	f.Q = cvQueryString(q, "q")
	f.IsDynamic = discountBoolParam(q, "is_dynamic")
	f.IsDisabled = discountBoolParam(q, "is_disabled")
	p := store.Page{Limit: cvQueryInt(q, "limit", 20), Offset: cvQueryInt(q, "offset", 0)}
	p.All = p.Limit == 0 // TypeORM's take: 0
	if e := cvQueryString(q, "expand"); e != nil {
		p.Expand = splitList(*e)
	}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	discounts, n, err := a.store.ListDiscounts(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]any, len(discounts))
	for i, d := range discounts {
		items[i] = discountBody(d, p.Find, true)
	}
	writeJSON(w, http.StatusOK, map[string]any{"discounts": items, "count": n, "offset": p.Offset, "limit": p.Limit})
}

// GET /admin/discounts/:id (AdminGetDiscountParams: expand, fields).
func (a *API) getDiscount(w http.ResponseWriter, r *http.Request) {
	find, err := discountFind(newQuery(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	d, err := a.store.GetDiscount(r.Context(), chi.URLParam(r, "id"), find)
	writeDiscount(w, r, d, find, err)
}

// GET /admin/discounts/code/:code (AdminGetDiscountsDiscountCodeParams: expand, fields).
func (a *API) getDiscountByCode(w http.ResponseWriter, r *http.Request) {
	find, err := discountFind(newQuery(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	d, err := a.store.GetDiscountByCode(r.Context(), chi.URLParam(r, "code"), find)
	writeDiscount(w, r, d, find, err)
}

// createDiscountRequest is Medusa's AdminPostDiscountsReq.
type createDiscountRequest struct {
	Code          json.RawMessage `json:"code"`
	Rule          json.RawMessage `json:"rule"`
	IsDynamic     json.RawMessage `json:"is_dynamic"`
	IsDisabled    json.RawMessage `json:"is_disabled"`
	StartsAt      json.RawMessage `json:"starts_at"`
	EndsAt        json.RawMessage `json:"ends_at"`
	ValidDuration json.RawMessage `json:"valid_duration"`
	UsageLimit    json.RawMessage `json:"usage_limit"`
	Regions       json.RawMessage `json:"regions"`
	Metadata      json.RawMessage `json:"metadata"`
}

// cvNotEmptyString checks an `@IsString() @IsNotEmpty()` property.
func cvNotEmptyString(v *store.Violations, name string, raw json.RawMessage) *string {
	v.Add(cvNull(raw) || bytes.Equal(bytes.TrimSpace(raw), []byte(`""`)), name, name+" should not be empty")
	s, _ := cvString(v, name, raw, true)
	return s
}

// discountDates checks starts_at (`@IsDate() @IsOptional()`, a NOT NULL column: null refused
// rather than a 500) and ends_at (`@IsDate() @IsOptional() @IsGreaterThan("starts_at")`, its
// checks in reverse: the comparison first, which fails when either date is invalid).
func discountDates(v *store.Violations, startsRaw, endsRaw json.RawMessage) (starts *time.Time, ends *time.Time, endsNull bool) {
	if startsRaw != nil && cvNull(startsRaw) {
		v.Add(true, "starts_at", "starts_at must be a Date instance")
	} else {
		starts, _ = dateValue(v, "starts_at", startsRaw)
	}
	if cvNull(endsRaw) {
		return starts, nil, endsRaw != nil
	}
	var probe store.Violations
	ends, _ = dateValue(&probe, "ends_at", endsRaw)
	// A given start is a Date even when invalid, and any comparison with an invalid one fails.
	greater := cvNull(startsRaw) || (ends != nil && starts != nil && ends.After(*starts))
	v.Add(!greater, "ends_at", `"ends_at" must be greater than "starts_at"`)
	v.Add(ends == nil, "ends_at", "ends_at must be a Date instance")
	return starts, ends, false
}

// discountDuration checks an `@IsISO8601Duration() @IsOptional()` property.
func discountDuration(v *store.Violations, name string, raw json.RawMessage) (s *string, null bool) {
	if cvNull(raw) {
		return nil, raw != nil
	}
	var out string
	if json.Unmarshal(raw, &out) != nil || !store.IsISO8601Duration(out) {
		v.Add(true, name, `"`+name+`" must be a valid ISO 8601 duration`)
		return nil, false
	}
	return &out, false
}

// discountUsageLimit checks an `@IsNumber() @IsOptional() @IsPositive()` property of an integer column
// (IsPositive reported first). A fraction, which Medusa passes to the column (a 500), is refused
// as not a number the column can hold.
func discountUsageLimit(v *store.Violations, name string, raw json.RawMessage) (n *int, null bool) {
	if cvNull(raw) {
		return nil, raw != nil
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil {
		v.Add(true, name, name+" must be a positive number")
		v.Add(true, name, name+" must be a number conforming to the specified constraints")
		return nil, false
	}
	if f <= 0 {
		v.Add(true, name, name+" must be a positive number")
		return nil, false
	}
	if f != math.Trunc(f) || f > math.MaxInt32 {
		v.Add(true, name, name+" must be a number conforming to the specified constraints")
		return nil, false
	}
	i := int(f)
	return &i, false
}

// discountNested checks a `@ValidateNested()` property given a non-null value: an object is checked by
// fn after its unknown properties are reported. class-validator also checks the objects of an
// array; when they pass, Medusa fails on the array with a 500, which Gorgon refuses as not an
// object. It returns the object, or nil.
func discountNested(c pbCheck, name string, raw json.RawMessage, known []string, fn func(pbObject)) pbObject {
	msg := "nested property " + name + " must be either object or array"
	check := func(e json.RawMessage) pbObject {
		var obj pbObject
		if json.Unmarshal(e, &obj) != nil || obj == nil {
			c.fail(msg)
			return nil
		}
		for _, k := range objectKeys(e) {
			if !pbKnown(known, k) {
				c.fail("property " + k + " should not exist")
			}
		}
		fn(obj)
		return obj
	}
	if pbNull(raw) {
		c.fail(msg)
		return nil
	}
	var elems []json.RawMessage
	if json.Unmarshal(raw, &elems) == nil {
		had := c.v.Has(c.field)
		for _, e := range elems {
			check(e)
		}
		if !had && !c.v.Has(c.field) {
			c.fail(msg)
		}
		return nil
	}
	return check(raw)
}

// discountEnum checks an IsEnum property (null and absent fail too) with the class's message.
func discountEnum(c pbCheck, raw json.RawMessage, allowed []string, msg string) string {
	var s string
	if pbNull(raw) || json.Unmarshal(raw, &s) != nil || !inStrings(allowed, s) {
		c.fail(msg)
		return ""
	}
	return s
}

const (
	discountRuleTypeMessage       = `Invalid rule type, must be one of "fixed", "percentage" or "free_shipping"`
	discountRuleAllocationMessage = `Invalid allocation type, must be one of "total" or "item"`
)

// discountConditionLists are AdminUpsertConditionsReq's lists in declaration order, each with the
// other lists its ExactlyOne check names, in its order.
var discountConditionLists = []struct {
	name   string
	others []string
}{
	{"products", []string{"product_collections", "product_types", "product_tags", "customer_groups"}},
	{"product_collections", []string{"products", "product_types", "product_tags", "customer_groups"}},
	{"product_types", []string{"product_collections", "products", "product_tags", "customer_groups"}},
	{"product_tags", []string{"product_collections", "product_types", "products", "customer_groups"}},
	{"customer_groups", []string{"product_collections", "product_types", "products", "product_tags"}},
}

// discountConditionBody checks a condition object (AdminUpsertConditionsReq, with id and/or operator when
// the class has them; operatorRequired for AdminCreateCondition). at gives the checker of a
// property: nested conditions report under their parent.
func discountConditionBody(at func(string) pbCheck, o pbObject, withID, withOperator, operatorRequired bool) store.DiscountConditionInput {
	var in store.DiscountConditionInput
	if withID {
		in.ID, _ = at("id").str("id", o["id"], false)
	}
	if withOperator {
		in.Operator, _ = at("operator").str("operator", o["operator"], operatorRequired)
	}
	lists := make([][]string, len(discountConditionLists))
	for i, l := range discountConditionLists {
		lists[i] = discountConditionIDs(at(l.name), l.name, l.others, o)
	}
	in.Products, in.ProductCollections, in.ProductTypes, in.ProductTags, in.CustomerGroups = lists[0], lists[1], lists[2], lists[3], lists[4]
	return in
}

// discountConditionIDs checks one list: `@IsString({ each: true })`, `@IsArray()`, then ExactlyOne (no
// other list given), as class-validator runs them; null or absent skips them all.
func discountConditionIDs(c pbCheck, name string, others []string, o pbObject) []string {
	raw := o[name]
	if pbNull(raw) {
		return nil
	}
	var val any
	_ = json.Unmarshal(raw, &val)
	var out []string
	switch x := val.(type) {
	case []any:
		out = make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				c.fail("each value in " + name + " must be a string")
				out = nil
				break
			}
			out = append(out, s)
		}
	case string:
		c.fail(name + " must be an array")
	default:
		c.fail("each value in " + name + " must be a string")
		c.fail(name + " must be an array")
	}
	var given []string
	for _, other := range others {
		if !pbNull(o[other]) {
			given = append(given, other)
		}
	}
	if len(given) > 0 {
		c.fail("Only one of " + name + ", " + strings.Join(given, ", ") + " is allowed")
	}
	return out
}

var (
	discountCreateConditionKnown = []string{"operator", "products", "product_collections", "product_types", "product_tags", "customer_groups"}
	discountUpsertConditionKnown = append([]string{"id"}, discountCreateConditionKnown...)
)

// discountCreateRule checks AdminPostDiscountsDiscountRule (`@IsNotEmpty() @ValidateNested()`).
func discountCreateRule(v *store.Violations, raw json.RawMessage) store.DiscountRuleInput {
	c := pbAt(v, "rule")
	var in store.DiscountRuleInput
	if pbNull(raw) || bytes.Equal(bytes.TrimSpace(raw), []byte(`""`)) {
		c.fail("rule should not be empty")
		if raw == nil {
			return in
		}
	}
	at := func(string) pbCheck { return c }
	discountNested(c, "rule", raw, []string{"description", "type", "value", "allocation", "conditions"}, func(o pbObject) {
		in.Description, _ = c.str("description", o["description"], false)
		in.Type = discountEnum(c, o["type"], store.DiscountRuleTypes, discountRuleTypeMessage)
		if pbNull(o["value"]) {
			c.fail("value must be a number conforming to the specified constraints")
		} else if n, _ := c.number("value", o["value"]); n != nil {
			in.Value = *n
		}
		in.Allocation = discountEnum(c, o["allocation"], store.DiscountAllocations, discountRuleAllocationMessage)
		in.Conditions = []store.DiscountConditionInput{}
		c.nested("conditions", o["conditions"], true, true, discountCreateConditionKnown, func(co pbObject) {
			in.Conditions = append(in.Conditions, discountConditionBody(at, co, false, true, true))
		})
	})
	return in
}

// POST /admin/discounts
func (a *API) createDiscount(w http.ResponseWriter, r *http.Request) {
	var body createDiscountRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.CreateDiscountInput
	code := cvNotEmptyString(&v, "code", body.Code)
	in.Rule = discountCreateRule(&v, body.Rule)
	in.IsDynamic = deref(nonNullBool(&v, "is_dynamic", body.IsDynamic))
	in.IsDisabled = deref(nonNullBool(&v, "is_disabled", body.IsDisabled))
	in.StartsAt, in.EndsAt, _ = discountDates(&v, body.StartsAt, body.EndsAt)
	in.ValidDuration, _ = discountDuration(&v, "valid_duration", body.ValidDuration)
	in.UsageLimit, _ = discountUsageLimit(&v, "usage_limit", body.UsageLimit)
	in.Regions = cvStrings(&v, "regions", body.Regions, false)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	find, err := discountFind(newQuery(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	in.Code = *code
	d, err := a.store.CreateDiscount(r.Context(), in, find)
	writeDiscount(w, r, d, find, err)
}

// updateDiscountRequest is Medusa's AdminPostDiscountsDiscountReq.
type updateDiscountRequest struct {
	Code          json.RawMessage `json:"code"`
	Rule          json.RawMessage `json:"rule"`
	IsDisabled    json.RawMessage `json:"is_disabled"`
	StartsAt      json.RawMessage `json:"starts_at"`
	EndsAt        json.RawMessage `json:"ends_at"`
	ValidDuration json.RawMessage `json:"valid_duration"`
	UsageLimit    json.RawMessage `json:"usage_limit"`
	Regions       json.RawMessage `json:"regions"`
	Metadata      json.RawMessage `json:"metadata"`
}

// discountUpdateRule checks AdminUpdateDiscountRule (`@IsOptional() @ValidateNested()`). Nulls Medusa
// lets through to NOT NULL columns (a 500) are refused.
func discountUpdateRule(v *store.Violations, raw json.RawMessage) *store.UpdateDiscountRuleInput {
	if pbNull(raw) {
		return nil
	}
	c := pbAt(v, "rule")
	at := func(string) pbCheck { return c }
	var in *store.UpdateDiscountRuleInput
	discountNested(c, "rule", raw, []string{"id", "description", "value", "allocation", "conditions"}, func(o pbObject) {
		in = &store.UpdateDiscountRuleInput{}
		if pbNull(o["id"]) || bytes.Equal(bytes.TrimSpace(o["id"]), []byte(`""`)) {
			c.fail("id should not be empty")
		}
		if id, _ := c.str("id", o["id"], true); id != nil {
			in.ID = *id
		}
		in.Description = c.nullableStr("description", o["description"])
		if o["value"] != nil && pbNull(o["value"]) {
			c.fail("value must be a number conforming to the specified constraints")
		} else {
			in.Value, _ = c.number("value", o["value"])
		}
		if o["allocation"] != nil && pbNull(o["allocation"]) {
			var none *string
			in.Allocation = &none
		} else if o["allocation"] != nil {
			if s := discountEnum(c, o["allocation"], store.DiscountAllocations, discountRuleAllocationMessage); s != "" {
				p := &s
				in.Allocation = &p
			}
		}
		c.nested("conditions", o["conditions"], true, true, discountUpsertConditionKnown, func(co pbObject) {
			in.Conditions = append(in.Conditions, discountConditionBody(at, co, true, true, false))
		})
	})
	return in
}

// POST /admin/discounts/:id
func (a *API) updateDiscount(w http.ResponseWriter, r *http.Request) {
	var body updateDiscountRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.UpdateDiscountInput
	in.Code = nonNullString(&v, "code", body.Code)
	in.Rule = discountUpdateRule(&v, body.Rule)
	in.IsDisabled = nonNullBool(&v, "is_disabled", body.IsDisabled)
	starts, ends, endsNull := discountDates(&v, body.StartsAt, body.EndsAt)
	in.StartsAt = starts
	if ends != nil || endsNull {
		in.EndsAt = &ends
	}
	in.ValidDuration = pbNullable(discountDuration(&v, "valid_duration", body.ValidDuration))
	in.UsageLimit = pbNullable(discountUsageLimit(&v, "usage_limit", body.UsageLimit))
	in.Regions = cvStrings(&v, "regions", body.Regions, false)
	in.Metadata = cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	find, err := discountFind(newQuery(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	d, err := a.store.UpdateDiscount(r.Context(), chi.URLParam(r, "id"), in, find)
	writeDiscount(w, r, d, find, err)
}

// DELETE /admin/discounts/:id soft-deletes; a missing discount is no error, as in Medusa.
func (a *API) deleteDiscount(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteDiscount(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "discount", Deleted: true})
}

// discountDynamicCodeRequest is Medusa's AdminPostDiscountsDiscountDynamicCodesReq.
type discountDynamicCodeRequest struct {
	Code       json.RawMessage `json:"code"`
	UsageLimit json.RawMessage `json:"usage_limit"`
	Metadata   json.RawMessage `json:"metadata"`
}

// POST /admin/discounts/:id/dynamic-codes: answers the new code with the default relations
// (Medusa reads no query parameters here).
func (a *API) createDynamicCode(w http.ResponseWriter, r *http.Request) {
	var body discountDynamicCodeRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	code := cvNotEmptyString(&v, "code", body.Code)
	// Validated, then ignored as in Medusa: a code takes its parent's usage limit.
	cvNumber(&v, "usage_limit", body.UsageLimit, false)
	metadata := cvObject(&v, "metadata", body.Metadata)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id, err := a.store.CreateDynamicCode(r.Context(), chi.URLParam(r, "id"), store.DynamicCodeInput{Code: *code, Metadata: metadata})
	if err != nil {
		writeError(w, r, err)
		return
	}
	d, err := a.store.GetDiscount(r.Context(), id, store.Find{})
	writeDiscount(w, r, d, store.Find{}, err)
}

// DELETE /admin/discounts/:id/dynamic-codes/:code: answers the parent discount.
func (a *API) deleteDynamicCode(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteDynamicCode(r.Context(), id, chi.URLParam(r, "code")); err != nil {
		writeError(w, r, err)
		return
	}
	d, err := a.store.GetDiscount(r.Context(), id, store.Find{})
	writeDiscount(w, r, d, store.Find{}, err)
}

// POST /admin/discounts/:id/regions/:region_id (no body or query read, as in Medusa).
func (a *API) addDiscountRegion(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.AddDiscountRegion(r.Context(), id, chi.URLParam(r, "region_id")); err != nil {
		writeError(w, r, err)
		return
	}
	d, err := a.store.GetDiscount(r.Context(), id, store.Find{})
	writeDiscount(w, r, d, store.Find{}, err)
}

// DELETE /admin/discounts/:id/regions/:region_id
func (a *API) removeDiscountRegion(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.RemoveDiscountRegion(r.Context(), id, chi.URLParam(r, "region_id")); err != nil {
		writeError(w, r, err)
		return
	}
	d, err := a.store.GetDiscount(r.Context(), id, store.Find{})
	writeDiscount(w, r, d, store.Find{}, err)
}

// discountConditionRequest is Medusa's AdminPostDiscountsDiscountConditions (with operator) and
// AdminPostDiscountsDiscountConditionsCondition (without).
type discountConditionRequest struct {
	Operator           json.RawMessage `json:"operator"`
	Products           json.RawMessage `json:"products"`
	ProductCollections json.RawMessage `json:"product_collections"`
	ProductTypes       json.RawMessage `json:"product_types"`
	ProductTags        json.RawMessage `json:"product_tags"`
	CustomerGroups     json.RawMessage `json:"customer_groups"`
}

type discountConditionUpdateRequest struct {
	Products           json.RawMessage `json:"products"`
	ProductCollections json.RawMessage `json:"product_collections"`
	ProductTypes       json.RawMessage `json:"product_types"`
	ProductTags        json.RawMessage `json:"product_tags"`
	CustomerGroups     json.RawMessage `json:"customer_groups"`
}

// decodeDiscountCondition reads a condition body and the route's expand/fields; ok is false when an
// error was written.
func decodeDiscountCondition(w http.ResponseWriter, r *http.Request, withOperator bool) (store.DiscountConditionInput, store.Find, bool) {
	var v store.Violations
	var o pbObject
	var err error
	if withOperator {
		var body discountConditionRequest
		err = decodeBody(r, &body, &v)
		o = pbObject{"operator": body.Operator, "products": body.Products, "product_collections": body.ProductCollections,
			"product_types": body.ProductTypes, "product_tags": body.ProductTags, "customer_groups": body.CustomerGroups}
	} else {
		var body discountConditionUpdateRequest
		err = decodeBody(r, &body, &v)
		o = pbObject{"products": body.Products, "product_collections": body.ProductCollections,
			"product_types": body.ProductTypes, "product_tags": body.ProductTags, "customer_groups": body.CustomerGroups}
	}
	if err != nil {
		writeError(w, r, err)
		return store.DiscountConditionInput{}, store.Find{}, false
	}
	in := discountConditionBody(func(name string) pbCheck { return pbAt(&v, name) }, o, false, withOperator, true)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return in, store.Find{}, false
	}
	find, err := discountFind(newQuery(r))
	if err != nil {
		writeError(w, r, err)
		return in, find, false
	}
	return in, find, true
}

// POST /admin/discounts/:id/conditions: answers the discount.
func (a *API) createDiscountCondition(w http.ResponseWriter, r *http.Request) {
	in, find, ok := decodeDiscountCondition(w, r, true)
	if !ok {
		return
	}
	d, err := a.store.CreateDiscountCondition(r.Context(), chi.URLParam(r, "id"), in, find)
	writeDiscount(w, r, d, find, err)
}

// POST /admin/discounts/:id/conditions/:condition_id replaces the condition's resources; answers
// the discount.
func (a *API) updateDiscountCondition(w http.ResponseWriter, r *http.Request) {
	in, find, ok := decodeDiscountCondition(w, r, false)
	if !ok {
		return
	}
	d, err := a.store.UpdateDiscountCondition(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "condition_id"), in, find)
	writeDiscount(w, r, d, find, err)
}

// DELETE /admin/discounts/:id/conditions/:condition_id: {id, object, deleted, discount}; a
// missing condition answers without the discount, as in Medusa.
func (a *API) deleteDiscountCondition(w http.ResponseWriter, r *http.Request) {
	find, err := discountFind(newQuery(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	cid := chi.URLParam(r, "condition_id")
	d, err := a.store.DeleteDiscountCondition(r.Context(), chi.URLParam(r, "id"), cid, find)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := map[string]any{"id": cid, "object": "discount-condition", "deleted": true}
	if d != nil {
		out["discount"] = discountBody(d, find, false)
	}
	writeJSON(w, http.StatusOK, out)
}

// GET /admin/discounts/:id/conditions/:condition_id: the condition's default columns (no
// deleted_at or metadata) and its rule, or what expand and fields ask.
func (a *API) getDiscountCondition(w http.ResponseWriter, r *http.Request) {
	find, err := discountFind(newQuery(r))
	if err != nil {
		writeError(w, r, err)
		return
	}
	c, err := a.store.GetDiscountCondition(r.Context(), chi.URLParam(r, "id"), chi.URLParam(r, "condition_id"), find)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if len(find.Fields) == 0 {
		find.Fields = store.DiscountConditionFields
	}
	if len(find.Expand) == 0 {
		find.Expand = store.DiscountConditionRelations
	}
	writeOne(w, "discount_condition", c, find)
}
