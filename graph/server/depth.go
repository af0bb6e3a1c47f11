package server

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// DepthLimit is a gqlgen extension that refuses, before execution, an operation whose
// fields nest deeper than Max. A top-level field is at depth 1; fragment spreads and
// inline fragments add no depth of their own, their fields count where they are spread.
//
// Introspection (__schema and __type subtrees) is not counted: the standard introspection
// query that GraphiQL and graphql-js send nests ofType nine levels deep, and what could
// make introspection expensive (nested fields/interfaces/possibleTypes/inputFields lists)
// is refused by gqlparser's MaxIntrospectionDepth validation rule, which gqlgen runs.
type DepthLimit struct {
	Max int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = DepthLimit{}

// ErrCodeDepthLimit is the extensions.code of the error DepthLimit returns.
const ErrCodeDepthLimit = "DEPTH_LIMIT_EXCEEDED"

func (DepthLimit) ExtensionName() string { return "DepthLimit" }

func (d DepthLimit) Validate(graphql.ExecutableSchema) error {
	if d.Max < 1 {
		return errors.New("DepthLimit.Max must be at least 1")
	}
	return nil
}

// MutateOperationContext runs after parsing and validation, before any resolver.
func (d DepthLimit) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	depth, ok := OperationDepth(opCtx.Doc, opCtx.Operation)
	if !ok {
		err := gqlerror.Errorf("query has a fragment cycle")
		errcode.Set(err, errcode.ValidationFailed)
		return err
	}
	if depth > d.Max {
		err := gqlerror.Errorf("query depth %d exceeds the limit of %d", depth, d.Max)
		errcode.Set(err, ErrCodeDepthLimit)
		return err
	}
	return nil
}

// OperationDepth returns the deepest field nesting of op, not counting inside __schema and
// __type. ok is false if a fragment spreads itself, directly or not (validation refuses
// such documents before extensions run; this only keeps the walk finite).
func OperationDepth(doc *ast.QueryDocument, op *ast.OperationDefinition) (depth int, ok bool) {
	w := depthWalker{doc: doc, memo: map[string]int{}, active: map[string]bool{}}
	depth = w.selectionSet(op.SelectionSet)
	return depth, !w.cyclic
}

type depthWalker struct {
	doc *ast.QueryDocument
	// memo holds each fragment's depth: it does not depend on where it is spread, and
	// without it a fragment spread twice in each of n nested fragments is walked 2^n times.
	memo   map[string]int
	active map[string]bool // fragments being walked, to detect cycles
	cyclic bool
}

func (w *depthWalker) selectionSet(set ast.SelectionSet) int {
	deepest := 0
	for _, sel := range set {
		var d int
		switch sel := sel.(type) {
		case *ast.Field:
			d = 1
			if sel.Name != "__schema" && sel.Name != "__type" {
				d += w.selectionSet(sel.SelectionSet)
			}
		case *ast.InlineFragment:
			d = w.selectionSet(sel.SelectionSet)
		case *ast.FragmentSpread:
			d = w.fragment(sel)
		}
		deepest = max(deepest, d)
	}
	return deepest
}

func (w *depthWalker) fragment(spread *ast.FragmentSpread) int {
	if d, ok := w.memo[spread.Name]; ok {
		return d
	}
	if w.active[spread.Name] {
		w.cyclic = true
		return 0
	}
	def := spread.Definition
	if def == nil && w.doc != nil {
		def = w.doc.Fragments.ForName(spread.Name)
	}
	if def == nil {
		return 0 // unknown fragment: validation reports it
	}
	w.active[spread.Name] = true
	d := w.selectionSet(def.SelectionSet)
	delete(w.active, spread.Name)
	w.memo[spread.Name] = d
	return d
}
