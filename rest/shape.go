package rest

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/gorgon-commerce/gorgon/store"
)

// writeList writes Medusa's list envelope {<plural>: [...], count, offset, limit} (keys in the
// order encoding/json gave the map it used to be).
func writeList(w http.ResponseWriter, key string, items any, count int, p store.Page) {
	writeJSON(w, http.StatusOK, listBody{key: key, items: shape(items, p.Find, true), count: count, offset: p.Offset, limit: p.Limit})
}

// listBody is a list envelope, written by the encoder with its keys sorted.
type listBody struct {
	key                  string
	items                any
	count, offset, limit int
}

func (b listBody) MarshalJSON() ([]byte, error) {
	m := map[string]any{b.key: b.items, "count": b.count, "offset": b.offset, "limit": b.limit}
	return encodeBytes(m)
}

// encode writes the envelope without building the map.
func (b listBody) encode(e *encoder) {
	type entry struct {
		k string
		v any
	}
	entries := []entry{{"count", b.count}, {"limit", b.limit}, {"offset", b.offset}}
	i := 0
	for i < len(entries) && entries[i].k < b.key {
		i++
	}
	entries = slices.Insert(entries, i, entry{b.key, b.items})
	e.buf = append(e.buf, '{')
	for i, en := range entries {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendString(e.buf, en.k)
		e.buf = append(e.buf, ':')
		e.value(reflect.ValueOf(en.v), false, nil)
	}
	e.buf = append(e.buf, '}')
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
// Without fields or expand the value is returned as it is (its struct field order kept). The
// result is encoded by the response encoder in one pass (shapedValue): an entity that needs
// no change keeps its struct field order; one that does is written with its keys sorted at
// every level, as the map round trip this replaces wrote it.
func shape(v any, find store.Find, list bool) any {
	if len(find.Fields) == 0 && len(find.Expand) == 0 {
		return v
	}
	return shapedValue{v: v, find: find, list: list}
}

// shapedValue is a value with Medusa's fields/expand still to apply, when it is encoded.
type shapedValue struct {
	v    any
	find store.Find
	list bool
}

// MarshalJSON lets encoding/json write a shaped value too (the same bytes as the encoder).
func (s shapedValue) MarshalJSON() ([]byte, error) {
	e := &encoder{}
	e.shaped(s)
	return e.buf, e.err
}

// shaped writes s: elements whose expanded relations are all present as they are, the others
// (and all of them when fields narrow the columns) sorted and shaped.
func (e *encoder) shaped(s shapedValue) {
	var node *shapeNode
	getNode := func() *shapeNode {
		if node == nil {
			node = newShape(s.find.Fields, s.find.Expand, s.list)
		}
		return node
	}
	rv := reflect.ValueOf(s.v)
	if len(s.find.Fields) > 0 {
		e.value(rv, true, getNode())
		return
	}
	if rv.Kind() == reflect.Slice {
		if rv.IsNil() {
			e.buf = append(e.buf, "null"...)
			return
		}
		e.buf = append(e.buf, '[')
		for i, n := 0, rv.Len(); i < n; i++ {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			el := rv.Index(i)
			if complete(el, s.find.Expand) {
				e.value(el, false, nil)
			} else {
				e.value(el, true, getNode())
			}
			e.maybeFlush()
		}
		e.buf = append(e.buf, ']')
		return
	}
	if complete(rv, s.find.Expand) {
		e.value(rv, false, nil)
		return
	}
	e.value(rv, true, getNode())
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
