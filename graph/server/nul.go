package server

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// ErrCodeInvalidData is the extensions.code of input the store would refuse as Medusa's
// invalid_data (the code store errors carry too).
const ErrCodeInvalidData = "INVALID_DATA"

// RefuseNUL refuses an operation whose variables or argument literals hold a NUL character
// ("\u0000" in JSON or in a GraphQL string). PostgreSQL text cannot store one and the query
// builder cannot quote one, so such a value would only fail deep in a resolver; as on the REST
// edge it is refused before any resolver runs, with nothing changed.
type RefuseNUL struct{}

func (RefuseNUL) ExtensionName() string                   { return "RefuseNUL" }
func (RefuseNUL) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext runs after parsing and validation, before any resolver.
func (RefuseNUL) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	for name, v := range opCtx.Variables {
		if holdsNUL(v) {
			return nulError(fmt.Sprintf("variable $%s", name))
		}
	}
	w := nulWalker{doc: opCtx.Doc, seen: map[string]bool{}}
	if where := w.selectionSet(opCtx.Operation.SelectionSet); where != "" {
		return nulError(where)
	}
	return nil
}

func nulError(where string) *gqlerror.Error {
	err := gqlerror.Errorf("%s must not contain NUL characters", where)
	errcode.Set(err, ErrCodeInvalidData)
	return err
}

// holdsNUL reports whether a decoded JSON value holds a string with a NUL character, in a value
// or an object key.
func holdsNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) >= 0
	case []any:
		for _, e := range v {
			if holdsNUL(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.IndexByte(k, 0) >= 0 || holdsNUL(e) {
				return true
			}
		}
	}
	return false
}

// nulWalker looks for NUL characters in the literal arguments of the fields and directives an
// operation selects, following fragments once each.
type nulWalker struct {
	doc  *ast.QueryDocument
	seen map[string]bool
}

func (w *nulWalker) selectionSet(set ast.SelectionSet) string {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if w.arguments(sel.Arguments) || w.directives(sel.Directives) {
				return fmt.Sprintf("an argument of %s", sel.Name)
			}
			if where := w.selectionSet(sel.SelectionSet); where != "" {
				return where
			}
		case *ast.InlineFragment:
			if w.directives(sel.Directives) {
				return "a directive argument"
			}
			if where := w.selectionSet(sel.SelectionSet); where != "" {
				return where
			}
		case *ast.FragmentSpread:
			if w.directives(sel.Directives) {
				return "a directive argument"
			}
			if w.seen[sel.Name] {
				continue
			}
			w.seen[sel.Name] = true
			if def := w.doc.Fragments.ForName(sel.Name); def != nil {
				if where := w.selectionSet(def.SelectionSet); where != "" {
					return where
				}
			}
		}
	}
	return ""
}

func (w *nulWalker) directives(list ast.DirectiveList) bool {
	for _, d := range list {
		if w.arguments(d.Arguments) {
			return true
		}
	}
	return false
}

func (w *nulWalker) arguments(list ast.ArgumentList) bool {
	for _, a := range list {
		if valueHoldsNUL(a.Value) {
			return true
		}
	}
	return false
}

func valueHoldsNUL(v *ast.Value) bool {
	if v == nil {
		return false
	}
	switch v.Kind {
	case ast.StringValue, ast.BlockValue, ast.EnumValue:
		return strings.IndexByte(v.Raw, 0) >= 0
	case ast.ListValue, ast.ObjectValue:
		for _, c := range v.Children {
			if strings.IndexByte(c.Name, 0) >= 0 || valueHoldsNUL(c.Value) {
				return true
			}
		}
	}
	return false
}
