package model_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/querycount"
)

// column is one column of a public table, as the catalog describes it.
type column struct {
	dataType   string // information_schema data_type ("character varying", "USER-DEFINED", …)
	udtName    string
	nullable   bool
	hasDefault bool
	pk         bool
}

func loadColumns(ctx context.Context, t *testing.T, db *bun.DB) map[string]map[string]column {
	t.Helper()
	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable = 'YES',
		       c.column_default IS NOT NULL,
		       EXISTS (
		           SELECT 1 FROM information_schema.table_constraints tc
		           JOIN information_schema.key_column_usage k
		             ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
		           WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema
		             AND tc.table_name = c.table_name AND k.column_name = c.column_name)
		FROM information_schema.columns c
		JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
		WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	tables := map[string]map[string]column{}
	for rows.Next() {
		var table, name string
		var c column
		if err := rows.Scan(&table, &name, &c.dataType, &c.udtName, &c.nullable, &c.hasDefault, &c.pk); err != nil {
			t.Fatal(err)
		}
		if tables[table] == nil {
			tables[table] = map[string]column{}
		}
		tables[table][name] = c
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return tables
}

// loadForeignKeys returns the foreign keys of the public schema as "child(cols) -> parent(cols)".
func loadForeignKeys(ctx context.Context, t *testing.T, db *bun.DB) map[string]bool {
	t.Helper()
	rows, err := db.QueryContext(ctx, `
		SELECT format('%s(%s) -> %s(%s)',
		       child.relname,
		       (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
		        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
		       parent.relname,
		       (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
		        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum))
		FROM pg_constraint c
		JOIN pg_class child ON child.oid = c.conrelid
		JOIN pg_class parent ON parent.oid = c.confrelid
		WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	fks := map[string]bool{}
	for rows.Next() {
		var fk string
		if err := rows.Scan(&fk); err != nil {
			t.Fatal(err)
		}
		fks[fk] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fks
}

func fkString(child *schema.Table, childCols []*schema.Field, parent *schema.Table, parentCols []*schema.Field) string {
	names := func(fs []*schema.Field) string {
		s := make([]string, len(fs))
		for i, f := range fs {
			s[i] = f.Name
		}
		return strings.Join(s, ",")
	}
	return child.Name + "(" + names(childCols) + ") -> " + parent.Name + "(" + names(parentCols) + ")"
}

// relationFKs returns the foreign keys the relation's join conditions follow.
func relationFKs(base *schema.Table, rel *schema.Relation) []string {
	switch rel.Type {
	case schema.BelongsToRelation:
		return []string{fkString(base, rel.BasePKs, rel.JoinTable, rel.JoinPKs)}
	case schema.HasOneRelation, schema.HasManyRelation:
		return []string{fkString(rel.JoinTable, rel.JoinPKs, base, rel.BasePKs)}
	case schema.ManyToManyRelation:
		return []string{
			fkString(rel.M2MTable, rel.M2MBasePKs, base, rel.BasePKs),
			fkString(rel.M2MTable, rel.M2MJoinPKs, rel.JoinTable, rel.JoinPKs),
		}
	}
	return nil
}

// relationsWithoutFK are relations Medusa's entities declare over columns its migrations never
// constrained.
var relationsWithoutFK = map[string]bool{
	"Note.Author": true, // note.author_id has no foreign key to "user"
}

var (
	timeType      = reflect.TypeOf(model.Time{})
	flaggedIDType = reflect.TypeOf(model.FlaggedID{})
)

// goTypeFits reports whether a field of Go type typ (pointer removed) can hold the column.
func goTypeFits(c column, typ reflect.Type) bool {
	switch c.dataType {
	case "character varying", "text", "USER-DEFINED":
		return typ.Kind() == reflect.String || typ == flaggedIDType
	case "integer":
		return typ.Kind() == reflect.Int || typ.Kind() == reflect.Int32 || typ.Kind() == reflect.Int64
	case "bigint":
		return typ.Kind() == reflect.Int64
	case "boolean":
		return typ.Kind() == reflect.Bool
	case "real":
		return typ.Kind() == reflect.Float64 || typ.Kind() == reflect.Float32
	case "timestamp with time zone":
		return typ == timeType
	case "jsonb":
		k := typ.Kind()
		return k == reflect.Map || k == reflect.Slice || k == reflect.Interface
	}
	return false
}

// hiddenJSON are the columns Medusa declares `select: false`: never serialised.
var hiddenJSON = map[string]bool{
	"user.password_hash":           true,
	"customer.password_hash":       true,
	"product_variant.variant_rank": true,
}

func jsonName(f *schema.Field) (name string, opts string) {
	name, opts, _ = strings.Cut(f.StructField.Tag.Get("json"), ",")
	return name, opts
}

// TestModelsMatchSchema checks every model against the migrated database (the sales_channels
// flag on: every table), column by column, and that every table and column of the public schema
// has a model field.
func TestModelsMatchSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.NewSchema(t, dbtest.FlagOn)
	model.RegisterModels(db)
	catalog := loadColumns(ctx, t, db)
	fks := loadForeignKeys(ctx, t, db)

	modelOf := map[string]string{}
	for _, m := range model.All() {
		typ := reflect.TypeOf(m).Elem()
		table := db.Table(typ)
		if prev, dup := modelOf[table.Name]; dup {
			t.Errorf("table %s has two models: %s and %s", table.Name, prev, typ.Name())
			continue
		}
		modelOf[table.Name] = typ.Name()
		cols, ok := catalog[table.Name]
		if !ok {
			t.Errorf("%s: table %q does not exist", typ.Name(), table.Name)
			continue
		}
		if table.Alias != table.Name {
			t.Errorf("%s: alias %q, want the table name %q", typ.Name(), table.Alias, table.Name)
		}
		for _, f := range table.Fields {
			where := typ.Name() + "." + f.GoName + " (" + table.Name + "." + f.Name + ")"
			c, ok := cols[f.Name]
			if !ok {
				t.Errorf("%s: no such column", where)
				continue
			}
			if !goTypeFits(c, f.IndirectType) {
				t.Errorf("%s: Go type %s cannot hold %s (%s)", where, f.StructField.Type, c.dataType, c.udtName)
			}
			if !c.nullable && f.IsPtr {
				t.Errorf("%s: column is NOT NULL, field is a pointer", where)
			}
			if c.nullable && !c.hasDefault && !f.IsPtr && f.IndirectType != flaggedIDType {
				switch f.IndirectType.Kind() {
				case reflect.Map, reflect.Slice, reflect.Interface:
				default:
					t.Errorf("%s: column is nullable without default, field %s cannot hold NULL", where, f.StructField.Type)
				}
			}
			if f.NotNull != !c.nullable {
				t.Errorf("%s: bun notnull=%v, column nullable=%v", where, f.NotNull, c.nullable)
			}
			if f.IsPK != c.pk {
				t.Errorf("%s: bun pk=%v, column in primary key=%v", where, f.IsPK, c.pk)
			}
			name, _ := jsonName(f)
			if hiddenJSON[table.Name+"."+f.Name] {
				if name != "-" {
					t.Errorf(`%s: json tag %q, want "-" (select: false in Medusa)`, where, name)
				}
			} else if name != f.Name {
				t.Errorf("%s: json name %q, want the column name", where, name)
			}
		}
		for name := range cols {
			if _, ok := table.FieldMap[name]; !ok {
				t.Errorf("%s: column %s.%s has no field", typ.Name(), table.Name, name)
			}
		}
		for _, rel := range table.Relations {
			if _, opts := jsonName(rel.Field); !strings.Contains(opts, "omitzero") {
				t.Errorf("%s.%s: relation json tag lacks omitzero", typ.Name(), rel.Field.GoName)
			}
			for _, fk := range relationFKs(table, rel) {
				if !fks[fk] && !relationsWithoutFK[typ.Name()+"."+rel.Field.GoName] {
					t.Errorf("%s.%s: no foreign key %s in the schema", typ.Name(), rel.Field.GoName, fk)
				}
			}
		}
	}
	for table := range catalog {
		if _, ok := modelOf[table]; !ok {
			t.Errorf("table %s has no model", table)
		}
	}
	if len(modelOf) != 87 {
		t.Errorf("%d models, want 87 (Medusa 1.3.8's tables)", len(modelOf))
	}
}

// TestModelsScan proves bun can select every model, and that every relation's tags produce valid
// SQL: the base rows come from a one-row, all-NULL stand-in of the table, so even has-many and
// many-to-many relations (which bun loads with a second query, only when base rows exist) run.
func TestModelsScan(t *testing.T) {
	t.Parallel()
	db := dbtest.NewSchema(t, dbtest.FlagOn)
	model.RegisterModels(db)

	for _, m := range model.All() {
		typ := reflect.TypeOf(m).Elem()
		table := db.Table(typ)
		t.Run(typ.Name(), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			err := db.NewSelect().Model(reflect.New(typ).Interface()).Limit(1).Scan(ctx)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				t.Errorf("select: %v", err)
			}

			names := make([]string, 0, len(table.Relations))
			for name := range table.Relations {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				rel := table.Relations[name]
				var n querycount.Counter
				rows := reflect.New(reflect.SliceOf(reflect.PointerTo(typ))).Interface()
				err := db.NewSelect().Model(rows).
					ModelTableExpr("(SELECT t.* FROM ? AS t RIGHT JOIN (SELECT 1) AS one ON false) AS ?",
						bun.Ident(table.Name), bun.Ident(table.Alias)).
					Relation(name).
					Scan(querycount.With(ctx, &n))
				if err != nil {
					t.Errorf("relation %s: %v", name, err)
					continue
				}
				want := int64(1)
				if rel.Type == schema.HasManyRelation || rel.Type == schema.ManyToManyRelation {
					want = 2
				}
				if n.N() != want {
					t.Errorf("relation %s: %d queries, want %d", name, n.N(), want)
				}
				if got := reflect.ValueOf(rows).Elem().Len(); got != 1 {
					t.Errorf("relation %s: %d base rows, want the 1 stand-in row", name, got)
				}
			}
		})
	}
}

func TestIDPrefixes(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for table, prefix := range model.IDPrefixes {
		if other, dup := seen[prefix]; dup {
			t.Errorf("prefix %q used by %s and %s", prefix, table, other)
		}
		seen[prefix] = table
		if got, ok := model.TableForPrefix(prefix); !ok || got != table {
			t.Errorf("TableForPrefix(%q) = %q, %v; want %q", prefix, got, ok, table)
		}
	}
	if _, ok := model.TableForPrefix("nope"); ok {
		t.Error(`TableForPrefix("nope") found a table`)
	}
	if len(model.IDPrefixes) != 54 {
		t.Errorf("%d prefixes, want the 54 of Medusa's entities", len(model.IDPrefixes))
	}
}
