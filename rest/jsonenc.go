package rest

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// A JSON encoder for response bodies that writes what encoding/json writes, byte for byte (HTML
// escaping on, as json.Encoder has it, and its trailing newline), and streams it to the
// ResponseWriter in chunks. It exists for two reasons measured on a product page (659 kB):
//
//   - Medusa's `expand`/`fields` rules used to be applied by marshalling a value, decoding it
//     into map[string]any and encoding that again (27% of the CPU of the page). Here they are
//     applied while encoding (see shapeNode), in one pass over the loaded rows.
//   - Field lists, names and omit rules are computed once per type (structPlan), and common
//     leaves (strings, integers, model.Time) are appended without reflection calls into
//     json.Marshal.
//
// The "generic" key order: the round trip through map[string]any sorted every object's keys,
// so a shaped value is written in sorted mode, with every struct's fields in name order.
// Anything this encoder does not know how to write exactly (custom marshalers other than
// model.Time, []byte, `,string` fields, non-string map keys) is handed to encoding/json, and
// in sorted mode passed through map[string]any as before: the bytes stay the same by
// construction. rest/jsonenc_test.go checks the equality on Gorgon's models.

// encoder appends JSON to buf and hands full chunks to w (nil: keep everything in buf).
type encoder struct {
	buf []byte
	w   io.Writer
	err error
}

// chunkSize is how much is buffered before it is written out: big enough for few writes,
// small enough that a 659 kB page is never held whole.
const chunkSize = 32 << 10

var encoderPool = sync.Pool{New: func() any { return &encoder{buf: make([]byte, 0, chunkSize+4096)} }}

// flush writes the buffer out when it has grown past chunkSize.
func (e *encoder) maybeFlush() {
	if e.w != nil && len(e.buf) >= chunkSize {
		e.flush()
	}
}

func (e *encoder) flush() {
	if e.w == nil || len(e.buf) == 0 {
		return
	}
	if e.err == nil {
		_, e.err = e.w.Write(e.buf)
	}
	e.buf = e.buf[:0]
}

// shapeNode is Medusa's `fields`/`expand` applied to one level of a value: keep (top level
// only) names the keys that remain, children the expanded relations below, each present with
// null when empty.
type shapeNode struct {
	keep     map[string]bool
	children map[string]*shapeNode
}

// newShape builds the tree of find's expand paths; keep as shapeGeneric computed it.
func newShape(fields, expand []string, list bool) *shapeNode {
	root := &shapeNode{}
	if len(fields) > 0 {
		root.keep = map[string]bool{"id": true}
		if list {
			root.keep["created_at"] = true
		}
		for _, f := range fields {
			root.keep[strings.TrimSpace(f)] = true
		}
		for _, x := range expand {
			root.keep[strings.SplitN(strings.TrimSpace(x), ".", 2)[0]] = true
		}
	}
	for _, x := range expand {
		n := root
		for _, part := range strings.Split(strings.TrimSpace(x), ".") {
			if n.children == nil {
				n.children = map[string]*shapeNode{}
			}
			c := n.children[part]
			if c == nil {
				c = &shapeNode{}
				n.children[part] = c
			}
			n = c
		}
	}
	return root
}

// value appends v. sorted selects the key order of the old map round trip; node, when not
// nil, applies fields/expand at this level (only in sorted mode).
func (e *encoder) value(v reflect.Value, sorted bool, node *shapeNode) {
	if !v.IsValid() {
		e.buf = append(e.buf, "null"...)
		return
	}
	e.typed(v, infoOf(v.Type()), sorted, node)
}

// typeInfo is what the encoder decides once per type.
type typeInfo struct {
	t           reflect.Type
	special     uint8 // tiPlain, tiTime, …
	addrMarshal bool  // a MarshalJSON/MarshalText with a pointer receiver: used when addressable
	elem        atomic.Pointer[typeInfo]
}

const (
	tiPlain   = iota
	tiTime    // model.Time
	tiTimePtr // *model.Time
	tiNumber  // json.Number
	tiShaped  // shapedValue
	tiList    // listBody
	tiMarshal // a marshaler: encoding/json writes it
	tiSelf    // a selfEncoder: writes itself
)

// selfEncoder is a response value that writes its own JSON with the encoder (a body whose
// keys depend on the request, such as an order's selected columns and totals).
type selfEncoder interface{ encode(*encoder) }

var selfEncoderType = reflect.TypeFor[selfEncoder]()

var typeInfos sync.Map // reflect.Type → *typeInfo

func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{t: t}
	switch {
	case t == timeType:
		ti.special = tiTime
	case t.Kind() == reflect.Pointer && t.Elem() == timeType:
		ti.special = tiTimePtr
	case t == numberType:
		ti.special = tiNumber
	case t == shapedType:
		ti.special = tiShaped
	case t == listBodyType:
		ti.special = tiList
	case t.Kind() == reflect.Interface:
	case t.Kind() != reflect.Pointer && t.Implements(selfEncoderType):
		ti.special = tiSelf
	case marshals(t, false):
		ti.special = tiMarshal
	case marshals(t, true):
		ti.addrMarshal = true
	}
	actual, _ := typeInfos.LoadOrStore(t, ti)
	return actual.(*typeInfo)
}

// elemInfo is the typeInfo of t's element (pointers, slices, arrays, maps).
func (ti *typeInfo) elemInfo() *typeInfo {
	if el := ti.elem.Load(); el != nil {
		return el
	}
	el := infoOf(ti.t.Elem())
	ti.elem.Store(el)
	return el
}

// typed appends v, whose type ti describes.
func (e *encoder) typed(v reflect.Value, ti *typeInfo, sorted bool, node *shapeNode) {
	switch ti.special {
	case tiTime:
		if v.CanAddr() {
			e.time(*v.Addr().Interface().(*model.Time))
		} else {
			e.time(v.Interface().(model.Time))
		}
		return
	case tiTimePtr:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
		} else {
			e.time(*v.Interface().(*model.Time))
		}
		return
	case tiNumber:
		e.number(v.String())
		return
	case tiShaped:
		e.shaped(v.Interface().(shapedValue))
		return
	case tiList:
		v.Interface().(listBody).encode(e)
		return
	case tiSelf:
		v.Interface().(selfEncoder).encode(e)
		return
	case tiMarshal:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return
		}
		e.fallback(v, sorted, node)
		return
	}
	if ti.addrMarshal && v.CanAddr() {
		e.fallback(v, sorted, node)
		return
	}
	switch ti.t.Kind() {
	case reflect.String:
		if sorted {
			// The map round trip decoded invalid UTF-8's \ufffd escape to the character.
			e.buf = appendString(e.buf, strings.ToValidUTF8(v.String(), "\uFFFD"))
		} else {
			e.buf = appendString(e.buf, v.String())
		}
	case reflect.Bool:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		e.float(v.Float(), ti.t.Bits(), v)
	case reflect.Pointer:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return
		}
		e.typed(v.Elem(), ti.elemInfo(), sorted, node)
	case reflect.Interface:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return
		}
		e.value(v.Elem(), sorted, node)
	case reflect.Struct:
		e.structValue(v, sorted, node)
	case reflect.Slice:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return
		}
		if ti.t.Elem().Kind() == reflect.Uint8 {
			e.fallback(v, sorted, node) // base64, as encoding/json
			return
		}
		e.array(v, ti.elemInfo(), sorted, node)
	case reflect.Array:
		e.array(v, ti.elemInfo(), sorted, node)
	case reflect.Map:
		e.mapValue(v, sorted, node)
	default:
		e.fallback(v, sorted, node)
	}
}

func (e *encoder) array(v reflect.Value, el *typeInfo, sorted bool, node *shapeNode) {
	e.buf = append(e.buf, '[')
	for i, n := 0, v.Len(); i < n; i++ {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.typed(v.Index(i), el, sorted, node)
		e.maybeFlush()
	}
	e.buf = append(e.buf, ']')
}

func (e *encoder) structValue(v reflect.Value, sorted bool, node *shapeNode) {
	plan := planFor(v.Type())
	if plan.unsupported {
		e.fallback(v, sorted, node)
		return
	}
	fields := plan.fields
	if sorted {
		fields = plan.sorted
	}
	var extra []string // expanded names the struct has no field for: null, as ensurePath adds
	if node != nil {
		for name := range node.children {
			if !plan.names[name] && (node.keep == nil || node.keep[name]) {
				extra = append(extra, name)
			}
		}
		slices.Sort(extra)
	}
	e.buf = append(e.buf, '{')
	first := true
	emitExtraBefore := func(name string) {
		for len(extra) > 0 && (name == "" || extra[0] < name) {
			if !first {
				e.buf = append(e.buf, ',')
			}
			first = false
			e.buf = appendString(e.buf, extra[0])
			e.buf = append(e.buf, ":null"...)
			extra = extra[1:]
		}
	}
	for i := range fields {
		f := &fields[i]
		if node != nil && node.keep != nil && !node.keep[f.name] {
			continue
		}
		if len(extra) > 0 {
			emitExtraBefore(f.name)
		}
		fv, ok := fieldByIndex(v, f.index)
		var child *shapeNode
		if node != nil {
			child = node.children[f.name]
		}
		if !ok || f.omitted(fv) {
			if child == nil {
				continue
			}
			if !first {
				e.buf = append(e.buf, ',')
			}
			first = false
			e.buf = append(e.buf, f.key...)
			e.buf = append(e.buf, "null"...)
			continue
		}
		if !first {
			e.buf = append(e.buf, ',')
		}
		first = false
		e.buf = append(e.buf, f.key...)
		if child != nil && !sorted {
			child = nil
		}
		if f.info == nil || f.info.t != fv.Type() {
			e.value(fv, sorted, child)
		} else {
			e.typed(fv, f.info, sorted, child)
		}
	}
	emitExtraBefore("")
	e.buf = append(e.buf, '}')
}

// fieldByIndex follows index like reflect's FieldByIndex, reporting false for a field behind a
// nil embedded pointer (encoding/json leaves such fields out).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	if len(index) == 1 {
		return v.Field(index[0]), true
	}
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func (e *encoder) mapValue(v reflect.Value, sorted bool, node *shapeNode) {
	if v.IsNil() {
		e.buf = append(e.buf, "null"...)
		return
	}
	if v.Type().Key().Kind() != reflect.String {
		e.fallback(v, sorted, node)
		return
	}
	type kv struct {
		k string
		v reflect.Value
	}
	entries := make([]kv, 0, v.Len())
	it := v.MapRange()
	for it.Next() {
		k := it.Key().String()
		if node != nil && node.keep != nil && !node.keep[k] {
			continue
		}
		entries = append(entries, kv{k, it.Value()})
	}
	if node != nil && sorted {
		for name := range node.children {
			if v.MapIndex(reflect.ValueOf(name).Convert(v.Type().Key())).IsValid() {
				continue
			}
			if node.keep == nil || node.keep[name] {
				entries = append(entries, kv{k: name})
			}
		}
	}
	slices.SortFunc(entries, func(a, b kv) int { return strings.Compare(a.k, b.k) })
	e.buf = append(e.buf, '{')
	for i, en := range entries {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if sorted {
			e.buf = appendString(e.buf, strings.ToValidUTF8(en.k, "\uFFFD"))
		} else {
			e.buf = appendString(e.buf, en.k)
		}
		e.buf = append(e.buf, ':')
		var child *shapeNode
		if node != nil && sorted {
			child = node.children[en.k]
		}
		e.value(en.v, sorted, child)
	}
	e.buf = append(e.buf, '}')
}

// fallback writes v with encoding/json; in sorted mode through map[string]any, as the old
// shaping did (which also applied node there).
func (e *encoder) fallback(v reflect.Value, sorted bool, node *shapeNode) {
	var x any
	if v.CanInterface() {
		x = v.Interface()
		if v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface && v.CanAddr() &&
			!marshals(v.Type(), false) && marshals(v.Type(), true) {
			x = v.Addr().Interface()
		}
	}
	raw, err := json.Marshal(x)
	if err != nil {
		if e.err == nil {
			e.err = fmt.Errorf("encode %s: %w", v.Type(), err)
		}
		e.buf = append(e.buf, "null"...)
		return
	}
	if !sorted || (len(raw) > 0 && raw[0] != '{' && raw[0] != '[') {
		e.buf = append(e.buf, raw...)
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		e.buf = append(e.buf, raw...)
		return
	}
	e.value(reflect.ValueOf(generic), true, node)
}

func (e *encoder) time(t model.Time) {
	if t.IsZero() {
		e.buf = append(e.buf, "null"...)
		return
	}
	u := t.UTC()
	year, month, day := u.Date()
	if year < 0 || year > 9999 {
		e.buf = append(e.buf, '"')
		e.buf = u.AppendFormat(e.buf, jsDateLayout)
		e.buf = append(e.buf, '"')
		return
	}
	// jsDateLayout by hand: time.AppendFormat parses its layout on every call.
	hour, minute, sec := u.Clock()
	ms := u.Nanosecond() / 1e6
	e.buf = append(e.buf, '"',
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-', byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10), '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z', '"')
}

const jsDateLayout = "2006-01-02T15:04:05.000Z"

func (e *encoder) number(s string) {
	if s == "" {
		s = "0" // encoding/json writes an empty Number as 0
	}
	if !json.Valid([]byte(s)) {
		e.fallback(reflect.ValueOf(json.Number(s)), false, nil)
		return
	}
	e.buf = append(e.buf, s...)
}

// float writes f as encoding/json does (ES6 number formatting).
func (e *encoder) float(f float64, bits int, v reflect.Value) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		e.fallback(v, false, nil) // an error, as encoding/json's
		return
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	start := len(e.buf)
	e.buf = strconv.AppendFloat(e.buf, f, format, -1, bits)
	if format == 'e' {
		// clean up e-09 to e-9
		b := e.buf[start:]
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			e.buf = e.buf[:len(e.buf)-1]
		}
	}
}

var (
	timeType      = reflect.TypeFor[model.Time]()
	numberType    = reflect.TypeFor[json.Number]()
	shapedType    = reflect.TypeFor[shapedValue]()
	listBodyType  = reflect.TypeFor[listBody]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
	zeroerType    = reflect.TypeFor[interface{ IsZero() bool }]()
)

// marshals reports whether encoding/json would call a MarshalJSON or MarshalText method for a
// value of type t (addressable: pointer-receiver methods count too).
func marshals(t reflect.Type, addressable bool) bool {
	if t.Implements(marshalerType) || t.Implements(textType) {
		return true
	}
	if addressable && t.Kind() != reflect.Pointer {
		pt := reflect.PointerTo(t)
		return pt.Implements(marshalerType) || pt.Implements(textType)
	}
	return false
}

// structPlan is what encoding/json computes for a struct type: its fields (after embedding and
// name dominance) in declaration order, and the same sorted by name.
type structPlan struct {
	fields, sorted []fieldPlan
	names          map[string]bool
	unsupported    bool // a `,string` field: left to encoding/json
}

type fieldPlan struct {
	name      string
	key       []byte // "name":
	index     []int
	typ       reflect.Type
	omitEmpty bool
	omitZero  bool
	isZero    func(reflect.Value) bool
	info      *typeInfo // of typ, set when the plan is built
}

func (f *fieldPlan) omitted(v reflect.Value) bool {
	if f.omitEmpty && isEmptyValue(v) {
		return true
	}
	if f.omitZero {
		if f.isZero != nil {
			return f.isZero(v)
		}
		return v.IsZero()
	}
	return false
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

var plans sync.Map // reflect.Type → *structPlan

func planFor(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p, _ := plans.LoadOrStore(t, buildPlan(t))
	return p.(*structPlan)
}

// buildPlan resolves t's JSON fields with encoding/json's rules: exported fields and the
// fields of embedded structs (breadth first), named by tag or field name; of several fields
// with one name the shallowest wins, a tagged one over an untagged one at the same depth, and
// a tie hides them all.
func buildPlan(t reflect.Type) *structPlan {
	type cand struct {
		fieldPlan
		tagged bool
	}
	var all []cand
	plan := &structPlan{names: map[string]bool{}}
	type level struct {
		typ   reflect.Type
		index []int
	}
	next := []level{{typ: t}}
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current := next
		next = nil
		count := map[reflect.Type]int{}
		for _, l := range current {
			count[l.typ]++
		}
		nextCount := map[reflect.Type]int{}
		for _, l := range current {
			if visited[l.typ] {
				continue
			}
			visited[l.typ] = true
			for i := 0; i < l.typ.NumField(); i++ {
				sf := l.typ.Field(i)
				if sf.Anonymous {
					ft := sf.Type
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTagName(name) {
					name = ""
				}
				index := append(append([]int(nil), l.index...), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					c := cand{tagged: name != ""}
					if name == "" {
						name = sf.Name
					}
					c.name, c.index, c.typ = name, index, sf.Type
					for _, o := range strings.Split(opts, ",") {
						switch o {
						case "omitempty":
							c.omitEmpty = true
						case "omitzero":
							c.omitZero = true
						case "string":
							switch ft.Kind() {
							case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
								reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
								reflect.Float32, reflect.Float64, reflect.String:
								plan.unsupported = true
							}
						}
					}
					if c.omitZero {
						c.isZero = zeroFunc(sf.Type)
					}
					all = append(all, c)
					if count[l.typ] > 1 {
						// The same struct embedded twice at one depth: its fields annihilate.
						all = append(all, all[len(all)-1])
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, level{typ: ft, index: index})
				}
			}
		}
	}
	slices.SortStableFunc(all, func(a, b cand) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if len(a.index) != len(b.index) {
			return len(a.index) - len(b.index)
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.index, b.index)
	})
	var kept []fieldPlan
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].name == all[i].name {
			j++
		}
		group := all[i:j]
		if len(group) == 1 || len(group[0].index) != len(group[1].index) || group[0].tagged != group[1].tagged {
			f := group[0].fieldPlan
			f.key = append(appendString(nil, f.name), ':')
			kept = append(kept, f)
			plan.names[f.name] = true
		}
		i = j
	}
	for i := range kept {
		kept[i].info = infoOf(kept[i].typ)
	}
	plan.sorted = kept
	plan.fields = slices.Clone(kept)
	slices.SortFunc(plan.fields, func(a, b fieldPlan) int { return slices.Compare(a.index, b.index) })
	return plan
}

func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// zeroFunc is encoding/json's test for `omitzero`: an IsZero method when the type has one.
func zeroFunc(t reflect.Type) func(reflect.Value) bool {
	switch {
	case t.Kind() == reflect.Interface && t.Implements(zeroerType):
		return func(v reflect.Value) bool {
			return v.IsNil() || (v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil()) ||
				v.Interface().(interface{ IsZero() bool }).IsZero()
		}
	case t.Kind() == reflect.Pointer && t.Implements(zeroerType):
		return func(v reflect.Value) bool {
			return v.IsNil() || v.Interface().(interface{ IsZero() bool }).IsZero()
		}
	case t.Implements(zeroerType):
		return func(v reflect.Value) bool { return v.Interface().(interface{ IsZero() bool }).IsZero() }
	case reflect.PointerTo(t).Implements(zeroerType):
		return func(v reflect.Value) bool {
			if !v.CanAddr() {
				c := reflect.New(v.Type()).Elem()
				c.Set(v)
				v = c
			}
			return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
		}
	}
	return nil
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string as encoding/json does with HTML escaping: <, > and &
// as \u003c…, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
