package rest

import (
	"bytes"
	"encoding/json"

	"github.com/gorgon-commerce/gorgon/store"
)

// Helpers that check request properties one by one, in the order of the Medusa request class and
// with class-validator's messages, for bodies decoded into json.RawMessage fields (so that
// decodeBody reports only unknown properties, and a type error in one property does not hide
// another's, in the class's order rather than alphabetical). A nil raw value is an absent
// property; "null" is present but null, which class-validator's IsOptional lets through.

func cvNull(raw json.RawMessage) bool {
	return raw == nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// cvString checks an IsString property. It returns the string, or nil when absent, null or
// invalid; null reports an explicit null (for nullable columns).
func cvString(v *store.Violations, name string, raw json.RawMessage, required bool) (s *string, null bool) {
	if cvNull(raw) {
		v.Add(required, name, name+" must be a string")
		return nil, raw != nil && !required
	}
	var out string
	if err := json.Unmarshal(raw, &out); err != nil {
		v.Add(true, name, name+" must be a string")
		return nil, false
	}
	return &out, false
}

// cvNumber checks an IsNumber property.
func cvNumber(v *store.Violations, name string, raw json.RawMessage, required bool) *float64 {
	if cvNull(raw) {
		v.Add(required, name, name+" must be a number conforming to the specified constraints")
		return nil
	}
	var out float64
	if err := json.Unmarshal(raw, &out); err != nil {
		v.Add(true, name, name+" must be a number conforming to the specified constraints")
		return nil
	}
	return &out
}

// cvBool checks an optional IsBoolean property.
func cvBool(v *store.Violations, name string, raw json.RawMessage) *bool {
	if cvNull(raw) {
		return nil
	}
	var out bool
	if err := json.Unmarshal(raw, &out); err != nil {
		v.Add(true, name, name+" must be a boolean value")
		return nil
	}
	return &out
}

// cvStrings checks an `@IsArray() @IsString({ each: true })` property; class-validator reports
// the element check first, and applies it to the value itself when that is not an array.
func cvStrings(v *store.Violations, name string, raw json.RawMessage, required bool) []string {
	each, array := "each value in "+name+" must be a string", name+" must be an array"
	if cvNull(raw) {
		v.Add(required, name, each)
		v.Add(required, name, array)
		return nil
	}
	var val any
	if err := json.Unmarshal(raw, &val); err != nil {
		v.Add(true, name, array)
		return nil
	}
	list, isArray := val.([]any)
	if !isArray {
		_, isString := val.(string)
		v.Add(!isString, name, each)
		v.Add(true, name, array)
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
	return out
}

// cvObject checks an optional IsObject property (arrays are not objects).
func cvObject(v *store.Violations, name string, raw json.RawMessage) map[string]any {
	if cvNull(raw) {
		return nil
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		v.Add(true, name, name+" must be an object")
		return nil
	}
	return out
}

// cvQueryInt reads an `@IsInt() @Type(() => Number)` query parameter.
func cvQueryInt(q *query, key string, def int) int {
	return q.Integer(key, def)
}

// cvQueryString reads an IsString query parameter: an array or object is refused.
func cvQueryString(q *query, key string) *string {
	return q.String(key)
}

// cvQueryDateRange reads a DateComparisonOperator parameter (query.DateRange).
func cvQueryDateRange(q *query, key string) *store.TimeRange {
	return q.DateRange(key)
}
