package rest

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// The response encoder must write exactly what encoding/json wrote, and shaped values exactly
// what the old shaping (marshal, decode into map[string]any, apply fields/expand, encode)
// wrote. Both are checked here on random values of every model and of rest's response types.

// oldShape is the shaping the encoder replaced, kept as the reference.
func oldShape(v any, find store.Find, list bool) any {
	if len(find.Fields) == 0 && len(find.Expand) == 0 {
		return v
	}
	if len(find.Fields) == 0 {
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Slice {
			out := make([]any, rv.Len())
			for i := range out {
				el := rv.Index(i).Interface()
				if complete(rv.Index(i), find.Expand) {
					out[i] = el
				} else {
					out[i] = oldShapeGeneric(el, find, list)
				}
			}
			return out
		}
		if complete(rv, find.Expand) {
			return v
		}
	}
	return oldShapeGeneric(v, find, list)
}

func oldShapeGeneric(v any, find store.Find, list bool) any {
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
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
			oldEnsurePath(m, strings.Split(strings.TrimSpace(e), "."))
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

func oldEnsurePath(m map[string]any, path []string) {
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
		oldEnsurePath(x, path[1:])
	case []any:
		for _, item := range x {
			if mm, ok := item.(map[string]any); ok {
				oldEnsurePath(mm, path[1:])
			}
		}
	}
}

// filler fills values of any type with random content, including the strings and numbers
// whose encoding has special cases.
type filler struct{ r *rand.Rand }

var fillStrings = []string{"", "plain", `quo"te\back`, "<b>&amp;</b>", "tab\tnl\ncr\r\b\f\x01\x1f", "line\u2028sep\u2029",
	"bad\xffutf8\xc3", "ünïcødé ✓ 🎉", "{\"json\":1}"}

func (f *filler) fill(v reflect.Value, depth int) {
	if !v.CanSet() {
		return
	}
	switch v.Type() {
	case timeType:
		if f.r.IntN(4) > 0 {
			sec := f.r.Int64N(4e9)
			if f.r.IntN(10) == 0 {
				sec = -f.r.Int64N(1e12) // years before 0 and around 1, written by time.Format
			}
			v.Set(reflect.ValueOf(model.Time{Time: time.Unix(sec, f.r.Int64N(1e9)).In(time.FixedZone("x", 3600))}))
		}
		return
	case reflect.TypeFor[model.FlaggedID]():
		switch f.r.IntN(3) {
		case 1:
			v.Set(reflect.ValueOf(model.FlaggedIDOf(nil)))
		case 2:
			s := "sc_1"
			v.Set(reflect.ValueOf(model.FlaggedIDOf(&s)))
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fillStrings[f.r.IntN(len(fillStrings))])
	case reflect.Bool:
		v.SetBool(f.r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt([]int64{0, 1, -7, 1 << 40}[f.r.IntN(4)] % (1 << (v.Type().Bits() - 1)))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(f.r.IntN(300)) % (1 << (v.Type().Bits() - 1)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat([]float64{0, 0.1, 1e21, 1.5e-7, -3.25, 12345678.9, math.SmallestNonzeroFloat32}[f.r.IntN(7)])
	case reflect.Pointer:
		if depth > 3 || f.r.IntN(3) == 0 {
			return
		}
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		if depth > 3 {
			return
		}
		switch f.r.IntN(3) {
		case 0:
			return
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), 1+f.r.IntN(2), 3)
			for i := 0; i < s.Len(); i++ {
				f.fill(s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		if f.r.IntN(3) == 0 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for i := 0; i < f.r.IntN(4); i++ {
			k := reflect.New(v.Type().Key()).Elem()
			f.fill(k, depth+1)
			val := reflect.New(v.Type().Elem()).Elem()
			f.fill(val, depth+1)
			m.SetMapIndex(k, val)
		}
		v.Set(m)
	case reflect.Interface:
		if v.NumMethod() > 0 || depth > 3 {
			return
		}
		choices := []any{nil, "s<>", 42.5, 1e-9, true, map[string]any{"z": 1.0, "a": []any{"x", nil, map[string]any{"k": "v"}}}, []any{}}
		if c := choices[f.r.IntN(len(choices))]; c != nil {
			v.Set(reflect.ValueOf(c))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			sf := v.Type().Field(i)
			switch {
			case sf.Anonymous && sf.Type.Kind() == reflect.Pointer:
				// Responses never embed a nil model (and the relation checks assume so).
				p := reflect.New(sf.Type.Elem())
				f.fill(p.Elem(), depth+1)
				v.Field(i).Set(p)
			case sf.IsExported():
				f.fill(v.Field(i), depth+1)
			}
		}
	}
}

func responseTypes() []any {
	types := append(model.All(), (*store.PricedProduct)(nil), (*customerOut)(nil), (*discountOut)(nil), (*orderOut)(nil),
		(*errorBody)(nil), (*deleted)(nil))
	return types
}

func TestEncoderMatchesEncodingJSON(t *testing.T) {
	f := &filler{r: rand.New(rand.NewPCG(1, 2))}
	for _, m := range responseTypes() {
		typ := reflect.TypeOf(m).Elem()
		for range 30 {
			v := reflect.New(typ)
			f.fill(v.Elem(), 0)
			for _, x := range []any{v.Interface(), v.Elem().Interface(), []any{v.Interface(), nil}, map[string]any{"k": v.Interface()}} {
				want, werr := json.Marshal(x)
				got, gerr := encodeBytes(x)
				if (werr != nil) != (gerr != nil) {
					t.Fatalf("%s: error %v, want %v", typ, gerr, werr)
				}
				if werr == nil && !bytes.Equal(got, want) {
					t.Fatalf("%s:\n got %s\nwant %s", typ, got, want)
				}
			}
		}
	}
}

func TestShapeMatchesOldShaping(t *testing.T) {
	f := &filler{r: rand.New(rand.NewPCG(3, 4))}
	finds := []store.Find{
		{Expand: []string{"variants", "variants.prices", "variants.options", "images", "options", "tags", "type", "collection", "sales_channels"}},
		{Expand: []string{"collection", "nonexistent", "variants.product"}},
		{Fields: []string{"title", "email", " handle"}},
		{Fields: []string{"title"}, Expand: []string{"type", "variants.prices", "orders", "groups"}},
		{Expand: []string{"parent_discount", "rule", "rule.conditions", "regions"}},
	}
	for _, m := range responseTypes() {
		typ := reflect.TypeOf(m).Elem()
		for range 4 {
			items := reflect.MakeSlice(reflect.SliceOf(reflect.PointerTo(typ)), 3, 3)
			for i := range 3 {
				p := reflect.New(typ)
				f.fill(p.Elem(), 0)
				items.Index(i).Set(p)
			}
			for _, find := range finds {
				for _, list := range []bool{true, false} {
					for _, x := range []any{items.Interface(), items.Index(0).Interface(), items.Index(1).Elem().Interface()} {
						want, werr := json.Marshal(map[string]any{"k": oldShape(x, find, list)})
						got, gerr := encodeBytes(map[string]any{"k": shape(x, find, list)})
						if werr != nil || gerr != nil {
							t.Fatalf("%s: errors %v, %v", typ, gerr, werr)
						}
						if !bytes.Equal(got, want) {
							t.Fatalf("%s %+v:\n got %s\nwant %s", typ, find, got, want)
						}
						via, err := json.Marshal(map[string]any{"k": shape(x, find, list)})
						if err != nil || !bytes.Equal(via, want) {
							t.Fatalf("%s %+v through encoding/json: %v\n got %s\nwant %s", typ, find, err, via, want)
						}
					}
				}
			}
		}
	}
}

func TestWriteListEnvelope(t *testing.T) {
	for _, key := range []string{"products", "customers", "apps", "zz", "count_x"} {
		items := []map[string]any{{"id": "a<"}}
		want, _ := json.Marshal(map[string]any{key: items, "count": 3, "offset": 1, "limit": 2})
		got, err := encodeBytes(listBody{key: key, items: items, count: 3, offset: 1, limit: 2})
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %v\n got %s\nwant %s", key, err, got, want)
		}
	}
}

// benchPage is a page of 50 products with 5 variants of 3 prices each, as the list answers it.
func benchPage() any {
	f := &filler{r: rand.New(rand.NewPCG(5, 6))}
	products := make([]*store.PricedProduct, 50)
	for i := range products {
		p := &model.Product{}
		f.fill(reflect.ValueOf(p).Elem(), 2)
		pp := &store.PricedProduct{Product: p}
		for range 5 {
			v := &model.ProductVariant{}
			f.fill(reflect.ValueOf(v).Elem(), 2)
			pv := &store.PricedVariant{ProductVariant: v, Prices: []*store.PricedMoneyAmount{}}
			for range 3 {
				ma := &model.MoneyAmount{}
				f.fill(reflect.ValueOf(ma).Elem(), 2)
				pv.Prices = append(pv.Prices, &store.PricedMoneyAmount{MoneyAmount: ma})
			}
			pp.Variants = append(pp.Variants, pv)
		}
		products[i] = pp
	}
	return listBody{key: "products", items: shape(products, store.Find{Expand: []string{"variants", "variants.prices", "variants.options", "images", "options", "tags", "type", "collection"}}, true), count: 10000, limit: 50}
}

func BenchmarkEncodePage(b *testing.B) {
	page := benchPage()
	raw, _ := encodeBytes(page)
	b.SetBytes(int64(len(raw)))
	b.Run("encoder", func(b *testing.B) {
		e := &encoder{}
		for b.Loop() {
			e.buf = e.buf[:0]
			e.value(reflect.ValueOf(page), false, nil)
		}
	})
	b.Run("encoding-json-old-shape", func(b *testing.B) {
		lb := page.(listBody)
		s := lb.items.(shapedValue)
		for b.Loop() {
			_ = json.NewEncoder(io.Discard).Encode(map[string]any{"products": oldShape(s.v, s.find, true), "count": 1, "offset": 0, "limit": 50})
		}
	})
}
