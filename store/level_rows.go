package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun/schema"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Rows of the relation loaders without database/sql.
//
// A page of products loads ~2,500 relation rows of ~40 columns each (the UNION ALL's slots).
// Through database/sql every column of every row was converted to a driver value by pgx's
// stdlib (NULL padding included), copied again into an `any` by Rows.Scan, and converted a third
// time by bun's field scanner: ~35% of the server's CPU for a product page. levelRows reads pgx's
// raw column bytes instead and converts only the columns a branch uses, once, with the same pgx
// scan plans stdlib uses (so every value is what database/sql gave), and fieldSetter assigns the
// common field kinds without bun's reflection. On a *sql.Tx, which has no raw connection,
// the rows still come through database/sql.

// levelRows is a relation loader's result set.
type levelRows interface {
	Next() bool
	// Values sets dst[i] to column cols[i]'s value, as database/sql would give it (nil for NULL).
	Values(cols []int, dst []any) error
	Err() error
}

// sqlLevelRows reads through database/sql (in a transaction).
type sqlLevelRows struct {
	rows    *sql.Rows
	vals    []any
	ptrs    []any
	scanned bool // the current row is in vals
}

func (r *sqlLevelRows) Next() bool { r.scanned = false; return r.rows.Next() }
func (r *sqlLevelRows) Err() error { return r.rows.Err() }

func (r *sqlLevelRows) Values(cols []int, dst []any) error {
	if r.vals == nil {
		names, err := r.rows.Columns()
		if err != nil {
			return err
		}
		r.vals = make([]any, len(names))
		r.ptrs = make([]any, len(names))
		for i := range r.vals {
			r.ptrs[i] = &r.vals[i]
		}
	}
	if !r.scanned {
		if err := r.rows.Scan(r.ptrs...); err != nil {
			return err
		}
		r.scanned = true
	}
	for i, c := range cols {
		dst[i] = r.vals[c]
	}
	return nil
}

// pgxLevelRows reads pgx's rows directly.
type pgxLevelRows struct {
	rows  pgx.Rows
	funcs []func([]byte) (any, error) // per column, built when first used
	m     *pgtype.Map
}

func (r *pgxLevelRows) Next() bool { return r.rows.Next() }
func (r *pgxLevelRows) Err() error { return r.rows.Err() }

func (r *pgxLevelRows) Values(cols []int, dst []any) error {
	raw := r.rows.RawValues()
	if r.funcs == nil {
		r.funcs = make([]func([]byte) (any, error), len(raw))
	}
	for i, c := range cols {
		src := raw[c]
		if src == nil {
			dst[i] = nil
			continue
		}
		f := r.funcs[c]
		if f == nil {
			fd := r.rows.FieldDescriptions()[c]
			f = driverValueFunc(r.m, fd.DataTypeOID, fd.Format)
			r.funcs[c] = f
		}
		v, err := f(src)
		if err != nil {
			return fmt.Errorf("column %d: %w", c, err)
		}
		dst[i] = v
	}
	return nil
}

// driverValueFunc converts a column's raw value to what pgx's stdlib gives database/sql for the
// types the relation loaders select (their slots: text, int8, bool, timestamptz, jsonb, float8;
// the branch number, an integer).
func driverValueFunc(m *pgtype.Map, oid uint32, format int16) func([]byte) (any, error) {
	switch oid {
	case pgtype.BoolOID:
		var d bool
		plan := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := plan.Scan(src, &d); return d, err }
	case pgtype.Int8OID:
		var d int64
		plan := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := plan.Scan(src, &d); return d, err }
	case pgtype.Int4OID:
		var d int32
		plan := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := plan.Scan(src, &d); return int64(d), err }
	case pgtype.Int2OID:
		var d int16
		plan := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := plan.Scan(src, &d); return int64(d), err }
	case pgtype.Float8OID:
		var d float64
		plan := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := plan.Scan(src, &d); return d, err }
	case pgtype.JSONOID, pgtype.JSONBOID:
		var d []byte
		plan := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := plan.Scan(src, &d); err != nil {
				return nil, err
			}
			return bytes.Clone(d), nil // src and d are reused for the next row
		}
	case pgtype.TimestamptzOID:
		var d pgtype.Timestamptz
		plan := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) {
			if err := plan.Scan(src, &d); err != nil {
				return nil, err
			}
			return d.Value()
		}
	default: // text and anything else: its text, as stdlib's default
		var d string
		plan := m.PlanScan(oid, format, &d)
		return func(src []byte) (any, error) { err := plan.Scan(src, &d); return d, err }
	}
}

// withLevelRows runs query with args on db's connection q (or through database/sql on a
// transaction) in exec mode and hands its rows to each.
func withLevelRows(ctx context.Context, q any, mode pgx.QueryExecMode, query string, args []any, each func(levelRows) error) error {
	var raw interface {
		Raw(func(driverConn any) error) error
	}
	switch d := q.(type) {
	case *sql.DB:
		conn, err := d.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		raw = conn
	case *sql.Conn:
		raw = d
	case *sql.Tx:
		rows, err := d.QueryContext(ctx, query, append([]any{mode}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		if err := each(&sqlLevelRows{rows: rows}); err != nil {
			return err
		}
		return rows.Err()
	default:
		return fmt.Errorf("relation rows on %T", q)
	}
	return raw.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("relation rows on driver connection %T", dc)
		}
		conn := sc.Conn()
		rows, err := conn.Query(ctx, query, append([]any{mode}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		if err := each(&pgxLevelRows{rows: rows, m: conn.TypeMap()}); err != nil {
			return err
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return nil
	})
}

// fieldSetter assigns a driver value (never nil) to a field of a struct; nil when the field's
// type needs bun's scanner (sql.Scanner types, JSON, arrays, …).
type fieldSetter func(fv reflect.Value, v any) bool

var setters sync.Map // *schema.Field → fieldSetter (possibly nil)

var scannerType = reflect.TypeFor[sql.Scanner]()

func setterOf(f *schema.Field) fieldSetter {
	if s, ok := setters.Load(f); ok {
		return s.(fieldSetter)
	}
	s := newSetter(f)
	setters.Store(f, s)
	return s
}

func newSetter(f *schema.Field) fieldSetter {
	t := f.StructField.Type
	if t == reflect.TypeFor[model.Time]() {
		return func(fv reflect.Value, v any) bool {
			tm, ok := v.(time.Time)
			if ok {
				fv.Set(reflect.ValueOf(model.Time{Time: tm}))
			}
			return ok
		}
	}
	switch slotOf(f) {
	case slotText, slotInt, slotBool, slotFloat:
	default:
		return nil // JSON, arrays, times of other types: bun's scanner
	}
	et := t
	if t.Kind() == reflect.Pointer {
		et = t.Elem()
	}
	if et.PkgPath() != "" || reflect.PointerTo(et).Implements(scannerType) || et.Implements(scannerType) {
		return nil // a named type may scan its own way
	}
	ptr := t.Kind() == reflect.Pointer
	switch et.Kind() {
	case reflect.String:
		return func(fv reflect.Value, v any) bool {
			s, ok := v.(string)
			if !ok {
				return false
			}
			if ptr {
				fv.Set(reflect.ValueOf(&s))
			} else {
				fv.SetString(s)
			}
			return true
		}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16:
		return func(fv reflect.Value, v any) bool {
			n, ok := v.(int64)
			if !ok {
				return false
			}
			if ptr {
				p := reflect.New(et)
				p.Elem().SetInt(n)
				if p.Elem().Int() != n {
					return false // overflow: bun's scanner reports it
				}
				fv.Set(p)
			} else {
				fv.SetInt(n)
				if fv.Int() != n {
					return false
				}
			}
			return true
		}
	case reflect.Bool:
		return func(fv reflect.Value, v any) bool {
			b, ok := v.(bool)
			if !ok {
				return false
			}
			if ptr {
				fv.Set(reflect.ValueOf(&b))
			} else {
				fv.SetBool(b)
			}
			return true
		}
	case reflect.Float64:
		return func(fv reflect.Value, v any) bool {
			x, ok := v.(float64)
			if !ok {
				return false
			}
			if ptr {
				fv.Set(reflect.ValueOf(&x))
			} else {
				fv.SetFloat(x)
			}
			return true
		}
	}
	return nil
}

// assignField sets field f of strct (a struct value) to v, a driver value, with set, f's
// fieldSetter.
func assignField(f *schema.Field, set fieldSetter, strct reflect.Value, v any) error {
	if set != nil {
		if v == nil {
			return nil // the field of a new struct is already its zero value, as NULL gives
		}
		if set(f.Value(strct), v) {
			return nil
		}
	}
	return f.ScanValue(strct, v)
}
