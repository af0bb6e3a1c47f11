package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/gorgon-commerce/gorgon/store"
)

const maxBodyBytes = 1 << 20

// decodeBody reads a JSON object body into dst (a pointer to a struct) the way Medusa's
// class-validator setup does (whitelist + forbidNonWhitelisted): unknown properties, also in
// nested objects, and values of the wrong JSON type are recorded in v with class-validator's
// messages, unknown properties first as class-validator reports them. The handler adds its own
// checks to v and then calls v.Err(). An empty body counts as {}; a body that is not a JSON
// object is an error at once.
func decodeBody(r *http.Request, dst any, v *store.Violations) error {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return store.Invalidf("could not read request body")
	}
	if len(raw) > maxBodyBytes {
		return store.Invalidf("request body is too large")
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		raw = []byte("{}")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return store.Invalidf("request body must be a JSON object")
	}
	t := reflect.TypeOf(dst).Elem()
	for _, m := range unknownProperties(t, raw) {
		v.Add(true, "", m)
	}
	// Decode field by field so that one wrong type does not hide the others.
	known := jsonFields(t)
	val := reflect.ValueOf(dst).Elem()
	for _, name := range sortedKeys(fields) {
		idx, ok := known[name]
		if !ok {
			continue
		}
		f := val.FieldByIndex(idx)
		if err := json.Unmarshal(fields[name], f.Addr().Interface()); err != nil {
			// The `invalid` tag words a type error like the field's class-validator decorators
			// do, e.g. `invalid:"must be an email"` for a field checked by IsEmail only.
			if msg := t.FieldByIndex(idx).Tag.Get("invalid"); msg != "" {
				v.Add(true, name, name+" "+msg)
			} else {
				v.Add(true, name, typeMessage(name, f.Type(), err))
			}
		}
	}
	return nil
}

// unknownProperties lists "property x should not exist" for fields of raw that t does not
// declare, recursing into nested objects and arrays of objects.
func unknownProperties(t reflect.Type, obj json.RawMessage) []string {
	known := jsonFields(t)
	var raw map[string]json.RawMessage
	if json.Unmarshal(obj, &raw) != nil {
		return nil
	}
	var out []string
	// In body order, as class-validator reports them.
	for _, name := range objectKeys(obj) {
		idx, ok := known[name]
		if !ok {
			out = append(out, fmt.Sprintf("property %s should not exist", name))
			continue
		}
		ft := t.FieldByIndex(idx).Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct:
			out = append(out, unknownProperties(ft, raw[name])...)
		case ft.Kind() == reflect.Slice && derefType(ft.Elem()).Kind() == reflect.Struct:
			var subs []json.RawMessage
			if json.Unmarshal(raw[name], &subs) == nil {
				for _, sub := range subs {
					out = append(out, unknownProperties(derefType(ft.Elem()), sub)...)
				}
			}
		}
	}
	return out
}

// objectKeys returns the keys of a JSON object in the order they appear (duplicates once).
func objectKeys(obj json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// typeMessage words a JSON type mismatch like class-validator's type decorators.
func typeMessage(name string, t reflect.Type, err error) string {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) && ute.Field != "" && !strings.EqualFold(ute.Field, name) {
		// nested: name the inner property as class-validator does for nested objects
		name = ute.Field[strings.LastIndex(ute.Field, ".")+1:]
		t = ute.Type
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return name + " must be a string"
	case reflect.Bool:
		return name + " must be a boolean value"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64, reflect.Float32:
		return name + " must be a number conforming to the specified constraints"
	case reflect.Slice:
		return name + " must be an array"
	case reflect.Map, reflect.Struct:
		return name + " must be an object"
	}
	return name + " is invalid"
}

// jsonFields maps a struct's JSON names to field indexes.
func jsonFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Index
	}
	return out
}
