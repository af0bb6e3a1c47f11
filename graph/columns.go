package graph

import (
	"context"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/store"
)

// A list read selects the columns its GraphQL selection needs, not every column of its table: a
// page of products with variants and prices asking four fields a level read 11 columns of each
// price and 26 of each variant, and scanned them all (timestamps are the costliest). Only the
// columns of plain fields (struct fields gqlgen reads without a resolver) that the query does not
// select are left out; keys (id, …_id) stay, as resolvers and loaders read them, and so does every
// column that no plain field shows (a resolver may read it).

// columnsOf returns the columns of model M that a read for the fields selected of object typ
// needs, nil for all of them.
func columnsOf[M any](s *store.Store, typ string, selected []graphql.CollectedField) store.Columns {
	plain := generated.PlainGoFields(typ)
	wanted := make(map[string]bool, len(selected))
	for _, f := range selected {
		if goName, ok := plain[f.Name]; ok {
			wanted[goName] = true
		}
	}
	drop := map[string]bool{}
	for _, goName := range plain {
		if !wanted[goName] {
			drop[goName] = true
		}
	}
	if len(drop) == 0 {
		return nil
	}
	var cols store.Columns
	for _, f := range s.DB.Table(reflect.TypeFor[M]()).Fields {
		if drop[f.GoName] && f.Name != "id" && !strings.HasSuffix(f.Name, "_id") {
			continue
		}
		cols = append(cols, f.Name)
	}
	return cols
}

// listColumns is columnsOf for the list field being resolved, cached per request and per place
// in the query; key names the column set, for loaders that batch by it.
func listColumns[M any](ctx context.Context, s *store.Store, typ string) (key string, cols store.Columns) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return "", nil
	}
	return catalog(ctx).Columns(fc.Field.Field, func() store.Columns {
		return columnsOf[M](s, typ, graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, nil))
	})
}

// connectionColumns is columnsOf for the nodes of the connection being resolved: the fields
// selected under nodes and under edges { node }.
func connectionColumns[M any](ctx context.Context, s *store.Store, typ string) store.Columns {
	if graphql.GetFieldContext(ctx) == nil {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	var selected []graphql.CollectedField
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "nodes":
			selected = append(selected, graphql.CollectFields(op, f.Selections, nil)...)
		case "edges":
			for _, e := range graphql.CollectFields(op, f.Selections, nil) {
				if e.Name == "node" {
					selected = append(selected, graphql.CollectFields(op, e.Selections, nil)...)
				}
			}
		}
	}
	return columnsOf[M](s, typ, selected)
}
