package qs

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Express's options (qs defaults, allowPrototypes: true).
const (
	parameterLimit = 1000 // parts after the first 1000 are ignored
	depth          = 5    // bracket groups read as nested keys; the rest is one literal key
	arrayLimit     = 20   // `a[20]` is an array, `a[21]` an object with key "21"
)

// Parse parses a raw query string (without the leading '?') the way Express 4.18.1's query
// parser does. The result is never nil.
//
// Bytes outside percent escapes are taken as they are (Node would read a raw non-ASCII byte as
// one Latin-1 character; clients percent-encode them).
func Parse(raw string) *Object {
	temp := parseValues(raw)
	out := NewObject()
	var res Value = out
	for _, k := range temp.keys {
		res = merge(res, parseKeys(k, temp.vals[k]))
	}
	// merging objects into an object always gives an object
	obj := res.(*Object)
	compact(obj)
	return obj
}

// parseValues splits the string into decoded key/value pairs, repeated keys combined into an
// array of their values.
func parseValues(raw string) *Object {
	obj := NewObject()
	parts := strings.Split(raw, "&")
	if len(parts) > parameterLimit {
		parts = parts[:parameterLimit]
	}
	for _, part := range parts {
		// The key ends at the first "]=" if there is one (so `a[=]=1` has key "a[=]"), else at "=".
		pos := strings.Index(part, "]=")
		if pos >= 0 {
			pos++
		} else {
			pos = strings.IndexByte(part, '=')
		}
		var key string
		var val Value
		if pos < 0 {
			key, val = decode(part), String("")
		} else {
			key, val = decode(part[:pos]), String(decode(part[pos+1:]))
		}
		if key == "__proto__" {
			continue // assigning a string to obj.__proto__ does nothing
		}
		if prev, ok := obj.Get(key); ok {
			obj.Set(key, concat(prev, val))
		} else {
			obj.Set(key, val)
		}
	}
	return obj
}

// decode is qs's decoder: '+' is a space, then decodeURIComponent; when that throws (a
// malformed escape, invalid UTF-8) the whole string is kept with only '+' replaced.
func decode(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	if d, ok := decodeURIComponent(s); ok {
		return d
	}
	return s
}

// decodeURIComponent follows ECMAScript's Decode: every %XX escape is decoded, a multi-byte
// UTF-8 sequence must be wholly escaped and valid.
func decodeURIComponent(s string) (string, bool) {
	out := make([]byte, 0, len(s))
	hexByte := func(i int) (byte, bool) {
		if i+2 >= len(s) || s[i] != '%' {
			return 0, false
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		return hi<<4 | lo, ok1 && ok2
	}
	for i := 0; i < len(s); {
		if s[i] != '%' {
			out = append(out, s[i])
			i++
			continue
		}
		b, ok := hexByte(i)
		if !ok {
			return "", false
		}
		i += 3
		if b < 0x80 {
			out = append(out, b)
			continue
		}
		n := 0
		for m := byte(0x80); b&m != 0 && n < 8; m >>= 1 {
			n++
		}
		if n == 1 || n > 4 {
			return "", false
		}
		seq := []byte{b}
		for j := 1; j < n; j++ {
			c, ok := hexByte(i)
			if !ok || c&0xC0 != 0x80 {
				return "", false
			}
			seq = append(seq, c)
			i += 3
		}
		// DecodeRune refuses overlong forms, surrogates and code points above U+10FFFF with size 1.
		if _, size := utf8.DecodeRune(seq); size != n {
			return "", false
		}
		out = append(out, seq...)
	}
	return string(out), true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// concat is JavaScript's [].concat(a, b): arrays are spread one level (holes kept), other
// values appended.
func concat(vals ...Value) Array {
	out := Array{}
	for _, v := range vals {
		if a, ok := v.(Array); ok {
			out = append(out, a...)
		} else {
			out = append(out, v)
		}
	}
	return out
}

// parseKeys splits a decoded key into its parent and bracket segments and builds the nested
// value for val. It returns nil for an empty key.
func parseKeys(key string, val Value) Value {
	if key == "" {
		return nil
	}
	// Segments are qs's /(\[[^[\]]*])/: a '[' whose next bracket is the ']' closing it. Text
	// between segments, and a trailing ']' of `a[b[c]]`, is lost, as in qs.
	start, end, found := nextSegment(key, 0)
	var chain []string
	parent := key
	if found {
		parent = key[:start]
	}
	if parent != "" {
		chain = append(chain, parent)
	}
	for n := 0; found; n++ {
		if n == depth {
			chain = append(chain, "["+key[start:]+"]")
			break
		}
		chain = append(chain, key[start:end])
		start, end, found = nextSegment(key, end)
	}
	return parseObject(chain, val)
}

// nextSegment finds the first bracket group "[...]" without inner brackets at or after from.
func nextSegment(key string, from int) (start, end int, ok bool) {
	for i := from; i < len(key); i++ {
		if key[i] != '[' {
			continue
		}
		j := strings.IndexAny(key[i+1:], "[]")
		if j < 0 {
			return 0, 0, false
		}
		if key[i+1+j] == ']' {
			return i, i + 1 + j + 1, true
		}
		// another '[' comes first: the group starts there at the earliest
		i += j
	}
	return 0, 0, false
}

// parseObject wraps leaf in the chain's levels, innermost first.
func parseObject(chain []string, leaf Value) Value {
	for i := len(chain) - 1; i >= 0; i-- {
		root := chain[i]
		if root == "[]" {
			leaf = concat(leaf)
			continue
		}
		clean := root
		if len(root) >= 2 && root[0] == '[' && root[len(root)-1] == ']' {
			clean = root[1 : len(root)-1]
		}
		if idx, ok := smallIndex(clean); ok && clean != root {
			arr := make(Array, idx+1)
			arr[idx] = leaf
			leaf = arr
			continue
		}
		obj := NewObject()
		if clean != "__proto__" {
			obj.Set(clean, leaf)
		}
		leaf = obj
	}
	return leaf
}

// smallIndex reports whether s is the canonical decimal form of an integer from 0 to arrayLimit
// (qs's parseInt(s) with String(index) === s).
func smallIndex(s string) (int, bool) {
	if s == "" || len(s) > 2 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > arrayLimit {
		return 0, false
	}
	return n, true
}

// truthy is JavaScript's truthiness for the values merge sees (nil is undefined).
func truthy(v Value) bool {
	switch v := v.(type) {
	case nil:
		return false
	case String:
		return v != ""
	case Bool:
		return bool(v)
	}
	return true
}

func isObject(v Value) bool {
	switch v.(type) {
	case Array, *Object:
		return true
	}
	return false
}

// scalarKey is a scalar as a property name (String(v)).
func scalarKey(v Value) string {
	if b, ok := v.(Bool); ok {
		return strconv.FormatBool(bool(b))
	}
	return string(v.(String))
}

// merge is qs's utils.merge with allowPrototypes: it merges source into target and returns
// the result, reusing target where qs mutates it.
func merge(target, source Value) Value {
	if !truthy(source) {
		return target
	}
	if !isObject(source) {
		switch t := target.(type) {
		case Array:
			return append(t, source)
		case *Object:
			// setting obj.__proto__ to a non-object does nothing
			if k := scalarKey(source); k != "__proto__" {
				t.Set(k, Bool(true))
			}
			return t
		}
		return Array{target, source}
	}
	if !truthy(target) || !isObject(target) {
		return concat(target, source)
	}
	ta, targetIsArray := target.(Array)
	sa, sourceIsArray := source.(Array)
	if targetIsArray && sourceIsArray {
		for i, item := range sa {
			if item == nil {
				continue // forEach skips holes
			}
			if i < len(ta) && ta[i] != nil {
				if isObject(ta[i]) && isObject(item) {
					ta[i] = merge(ta[i], item)
				} else {
					ta = append(ta, item)
				}
				continue
			}
			for len(ta) <= i {
				ta = append(ta, nil)
			}
			ta[i] = item
		}
		return ta
	}
	var acc *Object
	if targetIsArray {
		acc = arrayToObject(ta)
	} else {
		acc = target.(*Object)
	}
	set := func(k string, v Value) {
		if prev, ok := acc.Get(k); ok {
			acc.Set(k, merge(prev, v))
		} else {
			acc.Set(k, v)
		}
	}
	if sourceIsArray {
		for i, v := range sa {
			if v != nil {
				set(strconv.Itoa(i), v)
			}
		}
	} else {
		so := source.(*Object)
		for _, k := range so.keys {
			set(k, so.vals[k])
		}
	}
	return acc
}

// arrayToObject turns an array into an object keyed by the indexes of its elements.
func arrayToObject(a Array) *Object {
	o := NewObject()
	for i, v := range a {
		if v != nil {
			o.Set(strconv.Itoa(i), v)
		}
	}
	return o
}

// compact removes array holes everywhere, as qs does before returning.
func compact(v Value) Value {
	switch v := v.(type) {
	case Array:
		out := make(Array, 0, len(v))
		for _, e := range v {
			if e != nil {
				out = append(out, compact(e))
			}
		}
		return out
	case *Object:
		for _, k := range v.keys {
			v.vals[k] = compact(v.vals[k])
		}
	}
	return v
}
