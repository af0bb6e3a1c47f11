package generated

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// gqlgen marshals every item of a list in a goroutine of its own, so that resolvers of sibling
// items that wait for a time-window dataloader wait together. Most lists need none of it: their
// items are structs in memory, and their nested lists come from sibling-batched loaders (the
// first asker loads for all its siblings, graph/loaders/catalog.go). For such lists the goroutines
// only cost: a page of 50 products with 250 variants and 750 prices spent about half its CPU
// starting them, growing their stacks and collecting their garbage. The generator
// (graph/internal/gqlgen) points gqlgen's list marshallers at marshalSlice, which marshals the
// items one after another unless a field selected under them is a resolver not declared
// Immediate.

var (
	immediate   = map[string]map[string]bool{}
	waitingOnce sync.Once
	waiting     map[string]map[string]bool // resolverFields less immediate
)

// Immediate declares resolver fields ("Type.field") that never wait for anything a sibling would
// bring: they answer from memory or load for their whole sibling group at once. Call it from an
// init function, before the first request.
func Immediate(fields ...string) {
	for _, f := range fields {
		typ, name, ok := cut(f)
		if !ok {
			panic("generated.Immediate: want Type.field, got " + f)
		}
		if !resolverFields[typ][name] {
			panic("generated.Immediate: " + f + " is not a resolver field")
		}
		if immediate[typ] == nil {
			immediate[typ] = map[string]bool{}
		}
		immediate[typ][name] = true
	}
}

func cut(f string) (string, string, bool) {
	for i := range len(f) {
		if f[i] == '.' {
			return f[:i], f[i+1:], i > 0 && i < len(f)-1
		}
	}
	return "", "", false
}

func waitingFields() map[string]map[string]bool {
	waitingOnce.Do(func() {
		waiting = map[string]map[string]bool{}
		for typ, fields := range resolverFields {
			for name := range fields {
				if !immediate[typ][name] {
					if waiting[typ] == nil {
						waiting[typ] = map[string]bool{}
					}
					waiting[typ][name] = true
				}
			}
		}
	})
	return waiting
}

// sequential says whether the items of a list with selection sel can be marshalled one after
// another: no field selected under them, at any depth, can wait for a sibling. A field of an
// interface or union is taken as one that can.
func sequential(sel ast.SelectionSet, waiting map[string]map[string]bool) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "__typename" {
				continue
			}
			if s.ObjectDefinition == nil || s.ObjectDefinition.Kind != ast.Object || waiting[s.ObjectDefinition.Name][s.Name] {
				return false
			}
			if !sequential(s.SelectionSet, waiting) {
				return false
			}
		case *ast.InlineFragment:
			if !sequential(s.SelectionSet, waiting) {
				return false
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || !sequential(s.Definition.SelectionSet, waiting) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// marshalSlice is graphql.MarshalSliceConcurrently for v, a list of length items: a list of
// objects whose selection holds only plain fields is written by their plain writers
// (resolver_fields.go); else, without the goroutines where sequential allows, each item gets the
// same field context, and a panic the same recovery.
func (ec *executionContext) marshalSlice(ctx context.Context, sel ast.SelectionSet, v any, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	if length > 0 {
		if ret, ok := ec.plainList(ctx, sel, v); ok {
			return ret
		}
	}
	if length < 2 || !sequential(sel, waitingFields()) {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	ret := make(graphql.Array, length)
	for i := range length {
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(childCtx, graphql.Recover(childCtx, r))
					ret[i] = graphql.Null
				}
			}()
			ret[i] = marshalElement(childCtx, i)
		}()
	}
	return ret
}

// plainWriteItems writes items into w as a JSON array, or says false (having written part of
// it) when write cannot.
func plainWriteItems[T any](ctx context.Context, w *bytes.Buffer, fields []graphql.CollectedField, items []*T,
	write func(context.Context, *bytes.Buffer, []graphql.CollectedField, *T) bool) bool {
	for i := range fields {
		if len(fields[i].Deferrables) > 0 {
			return false
		}
	}
	w.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			w.WriteByte(',')
		}
		if !write(ctx, w, fields, it) {
			return false
		}
	}
	w.WriteByte(']')
	return true
}

// writeString writes s as graphql.MarshalString does.
func writeString(w *bytes.Buffer, s string) {
	const hex = "0123456789ABCDEF"
	w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		w.WriteString(s[start:i])
		switch c {
		case '\t':
			w.WriteString(`\t`)
		case '\r':
			w.WriteString(`\r`)
		case '\n':
			w.WriteString(`\n`)
		case '\\':
			w.WriteString(`\\`)
		case '"':
			w.WriteString(`\"`)
		default:
			w.WriteString(`\u00`)
			w.WriteByte(hex[c>>4])
			w.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	w.WriteString(s[start:])
	w.WriteByte('"')
}

// writeInt writes i as graphql.MarshalInt does.
func writeInt(w *bytes.Buffer, i int) { w.Write(strconv.AppendInt(w.AvailableBuffer(), int64(i), 10)) }

// writeBool writes b as graphql.MarshalBoolean does.
func writeBool(w *bytes.Buffer, b bool) { w.WriteString(strconv.FormatBool(b)) }

// plainItems writes items with write into one buffer, each item a slice of it, or says false
// when write cannot (then gqlgen's marshaller writes the list).
func plainItems[T any](ctx context.Context, fields []graphql.CollectedField, items []*T,
	write func(context.Context, *bytes.Buffer, []graphql.CollectedField, *T) bool) (graphql.Array, bool) {
	for i := range fields {
		if len(fields[i].Deferrables) > 0 {
			return nil, false
		}
	}
	var buf bytes.Buffer
	ends := make([]int, len(items))
	for i, it := range items {
		if !write(ctx, &buf, fields, it) {
			return nil, false
		}
		ends[i] = buf.Len()
	}
	b := buf.Bytes()
	ret := make(graphql.Array, len(items))
	start := 0
	for i, end := range ends {
		ret[i] = rawJSON(b[start:end:end])
		start = end
	}
	return ret, true
}

type rawJSON []byte

func (r rawJSON) MarshalGQL(w io.Writer) { _, _ = w.Write(r) }

// PlainGoFields are the plain fields of object (struct fields of scalar or enum type, which gqlgen
// reads without a resolver), each with the Go field it reads.
func PlainGoFields(object string) map[string]string { return plainGoFields[object] }
