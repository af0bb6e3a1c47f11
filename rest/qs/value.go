// Package qs parses URL query strings into the tree Express 4.18.1's "extended" query parser
// produces (qs.parse(str, {allowPrototypes: true}) with the qs 6.10.3 Express pins), so that
// Gorgon's handlers see exactly what Medusa 1.3.8's validators see: `a[]=x` and `a[0]=x` arrays,
// `a[gt]=x` objects, repeated keys combined into arrays, malformed escapes kept literally.
package qs

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Value is one node of a parsed query: a String, Bool (qs's merge of a plain value into an
// object stores `true` under that value's name), Array or *Object.
type Value interface {
	isValue()
}

// String is a leaf value.
type String string

// Bool is the `true` qs stores when a plain value meets an object (`a[b]=1&a=c` gives
// {a: {b: "1", c: true}}).
type Bool bool

// Array is an array of values. While parsing it may hold nil holes (JavaScript's sparse
// arrays); Parse removes them, as qs's compact does.
type Array []Value

// Object holds keys in JavaScript's property order: array-index keys ("0", "7") first,
// ascending, then the others in insertion order.
type Object struct {
	keys []string
	vals map[string]Value
}

func (String) isValue()  {}
func (Bool) isValue()    {}
func (Array) isValue()   {}
func (*Object) isValue() {}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{vals: map[string]Value{}} }

// Keys returns the keys in JavaScript's order (Object.keys).
func (o *Object) Keys() []string { return append([]string(nil), o.keys...) }

// Len is the number of keys.
func (o *Object) Len() int { return len(o.keys) }

// Get returns the value of key.
func (o *Object) Get(key string) (Value, bool) {
	v, ok := o.vals[key]
	return v, ok
}

// Set sets key, placing a new key where JavaScript would enumerate it.
func (o *Object) Set(key string, v Value) {
	if _, ok := o.vals[key]; ok {
		o.vals[key] = v
		return
	}
	o.vals[key] = v
	n, ok := arrayIndex(key)
	if !ok {
		o.keys = append(o.keys, key)
		return
	}
	// Index keys come first, ascending: insert before the first key that is not a smaller index.
	at := len(o.keys)
	for i, k := range o.keys {
		m, isIndex := arrayIndex(k)
		if !isIndex || m > n {
			at = i
			break
		}
	}
	o.keys = append(o.keys, "")
	copy(o.keys[at+1:], o.keys[at:])
	o.keys[at] = key
}

// arrayIndex reports whether key is a JavaScript array index: the canonical decimal form of an
// integer from 0 to 2^32-2. Those keys enumerate first.
func arrayIndex(key string) (uint64, bool) {
	if key == "" || len(key) > 10 || (len(key) > 1 && key[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(key, 10, 64)
	if err != nil || n > 1<<32-2 {
		return 0, false
	}
	return n, true
}

// MarshalJSON writes the object with its keys in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Strings returns the elements of an array of strings; ok is false when v is not an array or
// holds anything but strings.
func Strings(v Value) (out []string, ok bool) {
	a, isArray := v.(Array)
	if !isArray {
		return nil, false
	}
	out = make([]string, len(a))
	for i, e := range a {
		s, isString := e.(String)
		if !isString {
			return nil, false
		}
		out[i] = string(s)
	}
	return out, true
}
