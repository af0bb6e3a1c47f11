package rest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/gorgon-commerce/gorgon/store"
)

// listBody is Medusa's list envelope: {<plural>: [...], count, offset, limit}.
func writeList(w http.ResponseWriter, key string, items any, count int, p store.Page) {
	writeJSON(w, http.StatusOK, map[string]any{key: shape(items, p.Find, true), "count": count, "offset": p.Offset, "limit": p.Limit})
}

// writeOne writes {<key>: entity} shaped by find.
func writeOne(w http.ResponseWriter, key string, v any, find store.Find) {
	writeJSON(w, http.StatusOK, map[string]any{key: shape(v, find, false)})
}

// shape applies Medusa's `fields` and `expand` to an entity or a slice of entities:
//   - with fields, only those columns remain, plus id (and created_at in lists, which Medusa
//     adds because it sorts on it), plus the expanded relations;
//   - every expanded relation is present: a to-one relation that is empty shows null (the
//     store leaves to-many relations as []).
//
// Without fields or expand the value is returned as it is (its struct field order kept).
func shape(v any, find store.Find, list bool) any {
	if len(find.Fields) == 0 && len(find.Expand) == 0 {
		return v
	}
	if len(find.Fields) == 0 {
		// Only expanded relations to make present. The generic path (marshal, decode, marshal
		// again) costs more than the query itself on a big page, so it is taken only for the
		// elements that have an empty to-one relation to show as null.
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Slice {
			out := make([]any, rv.Len())
			for i := range out {
				el := rv.Index(i).Interface()
				if complete(rv.Index(i), find.Expand) {
					out[i] = el
				} else {
					out[i] = shapeGeneric(el, find, list)
				}
			}
			return out
		}
		if complete(rv, find.Expand) {
			return v
		}
	}
	return shapeGeneric(v, find, list)
}

// complete reports whether every expanded relation path of v is non-nil all the way, so the
// value serialises with all of them present.
func complete(v reflect.Value, paths []string) bool {
	for _, p := range paths {
		if !pathPresent(v, strings.Split(strings.TrimSpace(p), ".")) {
			return false
		}
	}
	return true
}

func pathPresent(v reflect.Value, path []string) bool {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	if len(path) == 0 {
		return true
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return false
		}
		for i := 0; i < v.Len(); i++ {
			if !pathPresent(v.Index(i), path) {
				return false
			}
		}
		return true
	case reflect.Struct:
		f, ok := fieldByJSON(v.Type(), path[0])
		if !ok {
			return false
		}
		return pathPresent(v.FieldByIndex(f), path[1:])
	}
	return false
}

var jsonFieldCache sync.Map // reflect.Type → map[string][]int

// fieldByJSON finds a struct field by its JSON name, looking into embedded structs.
func fieldByJSON(t reflect.Type, name string) ([]int, bool) {
	m, ok := jsonFieldCache.Load(t)
	if !ok {
		fields := map[string][]int{}
		for _, f := range reflect.VisibleFields(t) {
			if !f.IsExported() || f.Anonymous {
				continue
			}
			n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if n == "" {
				n = f.Name
			}
			if _, dup := fields[n]; !dup {
				fields[n] = f.Index
			}
		}
		m, _ = jsonFieldCache.LoadOrStore(t, fields)
	}
	idx, ok := m.(map[string][]int)[name]
	return idx, ok
}

func shapeGeneric(v any, find store.Find, list bool) any {
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep integers exact
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return v
	}
	keep := map[string]bool{}
	if len(find.Fields) > 0 {
		keep["id"] = true
		if list {
			keep["created_at"] = true
		}
		for _, f := range find.Fields {
			keep[strings.TrimSpace(f)] = true
		}
		for _, e := range find.Expand {
			keep[strings.SplitN(strings.TrimSpace(e), ".", 2)[0]] = true
		}
	}
	apply := func(m map[string]any) {
		if len(keep) > 0 {
			for k := range m {
				if !keep[k] {
					delete(m, k)
				}
			}
		}
		for _, e := range find.Expand {
			ensurePath(m, strings.Split(strings.TrimSpace(e), "."))
		}
	}
	switch g := generic.(type) {
	case []any:
		for _, item := range g {
			if m, ok := item.(map[string]any); ok {
				apply(m)
			}
		}
	case map[string]any:
		apply(g)
	}
	return generic
}

// ensurePath makes an expanded relation path present, with null where the store found nothing.
func ensurePath(m map[string]any, path []string) {
	if len(path) == 0 {
		return
	}
	val, ok := m[path[0]]
	if !ok {
		m[path[0]] = nil
		return
	}
	switch x := val.(type) {
	case map[string]any:
		ensurePath(x, path[1:])
	case []any:
		for _, item := range x {
			if mm, ok := item.(map[string]any); ok {
				ensurePath(mm, path[1:])
			}
		}
	}
}
