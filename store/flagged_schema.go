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
// one place that knows: New detects what the database has, and the models' flagged columns are
// read and written only while the flag is on, exactly as Medusa's entities declare them
// (@FeatureFlagColumn: with the flag off the column is no part of the entity, even on a database
// that has it). With the flag on, `gorgon migrate` (migrations.Up) has added them.

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

// detectSchema finds, in one catalog query, which of the sales channel tables and columns exist.
func detectSchema(ctx context.Context, db bun.IDB) (SchemaInfo, error) {
	var want []string
	for _, m := range salesChannelTables {
		want = append(want, db.Dialect().Tables().Get(reflect.TypeOf(m).Elem()).Name)
	}
	for _, c := range salesChannelColumns {
		want = append(want, db.Dialect().Tables().Get(reflect.TypeOf(c.model).Elem()).Name+"."+c.column)
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

// flaggedColumnsMu serialises useFlaggedColumns: stores built at once on one *bun.DB (several
// instances starting in one process, tests) must not rewrite a table's fields concurrently.
var flaggedColumnsMu sync.Mutex

// useFlaggedColumns makes bun read and write the flagged columns of db's models, or leave them
// out of every statement (selects, joins, inserts, updates). bun builds those statements from
// the table's Fields and DataFields, which belong to db's dialect: one *bun.DB is one database,
// one shape. The fields stay in FieldMap, so a row that carries such a column still scans. A
// table is rewritten only when its fields change, before the store serves anything.
func useFlaggedColumns(db *bun.DB, cols []flaggedColumn, use bool) {
	flaggedColumnsMu.Lock()
	defer flaggedColumnsMu.Unlock()
	for _, c := range cols {
		t := db.Table(reflect.TypeOf(c.model).Elem())
		f, ok := t.FieldMap[c.column]
		if !ok {
			panic(fmt.Sprintf("store: model %s has no column %s", t.TypeName, c.column))
		}
		if slices.Contains(t.Fields, f) == use {
			continue
		}
		t.Fields = withField(t.Fields, f, use)
		t.DataFields = withField(t.DataFields, f, use)
	}
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

// missingSchemaError is New's refusal to serve sales channels on a database without them.
func missingSchemaError(missing []string) error {
	return fmt.Errorf("MEDUSA_FF_SALES_CHANNELS is on but the database lacks Medusa's sales channel schema (%s): "+
		"run `gorgon migrate` with the flag on, as `medusa migrations run` would", strings.Join(missing, ", "))
}
