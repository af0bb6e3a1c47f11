package store

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/schema"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Medusa 1.3.8 databases come in two shapes. Its one feature-flagged migration
// (salesChannel1656949291839) runs only while MEDUSA_FF_SALES_CHANNELS is on, so most shops'
// databases lack the sales channel tables and the columns that point at them. This file is the
// one place that knows. New detects what the database has; the models' flagged columns and
// relations are part of the models only while the flag is on, exactly as Medusa declares them
// (@FeatureFlagColumn, @FeatureFlagDecorators: with the flag off they are no part of the entity,
// even on a database that has the columns). With the flag on, `gorgon migrate` (migrations.Up)
// has added them, as `medusa migrations run` does.

// flaggedColumn is a column the sales_channels migration adds to one of Medusa's tables.
type flaggedColumn struct {
	model  any // the model whose table has the column
	column string
}

// salesChannelColumns are the columns of salesChannel1656949291839 on existing tables; their
// model fields are model.FlaggedID.
var salesChannelColumns = []flaggedColumn{
	{(*model.Store)(nil), "default_sales_channel_id"},
	{(*model.Cart)(nil), "sales_channel_id"},
	{(*model.Order)(nil), "sales_channel_id"},
}

// flaggedRelation is a relation of a model to the sales channel tables (bun's relation name).
type flaggedRelation struct {
	model    any
	relation string
}

// salesChannelRelations are the relations Medusa's entities declare only with the flag on.
var salesChannelRelations = []flaggedRelation{
	{(*model.Store)(nil), "DefaultSalesChannel"},
	{(*model.Cart)(nil), "SalesChannel"},
	{(*model.Order)(nil), "SalesChannel"},
	{(*model.Product)(nil), "SalesChannels"},
}

// salesChannelTables are the models of the tables salesChannel1656949291839 creates.
var salesChannelTables = []any{(*model.SalesChannel)(nil), (*model.ProductSalesChannel)(nil)}

// SchemaInfo is what the database holds of Medusa's feature-flagged schema.
type SchemaInfo struct {
	// SalesChannels: the sales channel tables and columns are there (all of them).
	SalesChannels bool
	// Missing names what the sales channels migration creates that the database lacks
	// ("sales_channel", "store.default_sales_channel_id", …); empty when SalesChannels.
	Missing []string
}

// Schema returns what New found in the database.
func (s *Store) Schema() SchemaInfo { return s.schema }

func tableOf(db bun.IDB, m any) *schema.Table {
	return db.Dialect().Tables().Get(reflect.TypeOf(m).Elem())
}

// detectSchema finds, in one catalog query, which of the sales channel tables and columns exist.
func detectSchema(ctx context.Context, db bun.IDB) (SchemaInfo, error) {
	var want []string
	for _, m := range salesChannelTables {
		want = append(want, tableOf(db, m).Name)
	}
	for _, c := range salesChannelColumns {
		want = append(want, tableOf(db, c.model).Name+"."+c.column)
	}
	missing := []string{}
	err := db.NewRaw(`
		SELECT want.name FROM unnest(?::text[]) WITH ORDINALITY AS want(name, n)
		WHERE NOT EXISTS (
		    SELECT 1 FROM pg_catalog.pg_class c
		    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
		      AND (want.name = c.relname OR want.name = c.relname || '.' || a.attname))
		ORDER BY want.n`, pgdialect.Array(want)).Scan(ctx, &missing)
	if err != nil {
		return SchemaInfo{}, fmt.Errorf("detect the sales channel schema: %w", err)
	}
	return SchemaInfo{SalesChannels: len(missing) == 0, Missing: missing}, nil
}

// missingSchemaError is New's refusal to serve sales channels on a database without them.
func missingSchemaError(missing []string) error {
	return fmt.Errorf("MEDUSA_FF_SALES_CHANNELS is on but the database lacks Medusa's sales channel schema (%s): "+
		"run `gorgon migrate` with the flag on, as `medusa migrations run` would", strings.Join(missing, ", "))
}

// flaggedMu serialises useSalesChannelModels: stores built at once on one *bun.DB (several
// instances starting in one process, tests) must not rewrite a table concurrently.
var flaggedMu sync.Mutex

// useSalesChannelModels puts the flagged columns and relations into db's models, or takes them
// out. bun builds every statement (selects, joins, inserts, updates) from a table's Fields and
// DataFields and resolves Relation(name) and Medusa's expand paths (Relations) from its
// Relations; all of them belong to db's dialect, and one *bun.DB is one database. Without them no
// statement names a flagged column, and an expand of a flagged relation is "not found". The
// fields stay in FieldMap, so a row that carries such a column (SELECT *) still scans. A table is
// rewritten only when it changes, before the store serves anything. Relations taken out are not
// kept, so a *bun.DB shaped for the flag off cannot serve with it on.
func useSalesChannelModels(db *bun.DB, use bool) error {
	flaggedMu.Lock()
	defer flaggedMu.Unlock()
	for _, r := range salesChannelRelations {
		t := tableOf(db, r.model)
		_, has := t.Relations[r.relation]
		if use && !has {
			return fmt.Errorf("store: this *bun.DB serves with the sales channels flag off (%s.%s is gone); open another for the flag on",
				t.TypeName, r.relation)
		}
		if !use && has {
			delete(t.Relations, r.relation)
		}
	}
	for _, c := range salesChannelColumns {
		t := tableOf(db, c.model)
		f, ok := t.FieldMap[c.column]
		if !ok {
			return fmt.Errorf("store: model %s has no column %s", t.TypeName, c.column)
		}
		if slices.Contains(t.Fields, f) != use {
			t.Fields = withField(t.Fields, f, use)
			t.DataFields = withField(t.DataFields, f, use)
		}
	}
	return nil
}

// withField returns a copy of fields with f in its struct position, or without f.
func withField(fields []*schema.Field, f *schema.Field, with bool) []*schema.Field {
	out := slices.DeleteFunc(slices.Clone(fields), func(g *schema.Field) bool { return g == f })
	if with {
		i := slices.IndexFunc(out, func(g *schema.Field) bool { return slices.Compare(g.Index, f.Index) > 0 })
		if i < 0 {
			i = len(out)
		}
		out = slices.Insert(out, i, f)
	}
	return out
}
