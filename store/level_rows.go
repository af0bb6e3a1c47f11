package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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
	// Values sets dst[i] to column cols[i]'s value, as database/sql would give it.
	Values(cols []int, dst []colValue) error
	Err() error
}

// colValue is a column's value as database/sql would give it (a driver value), unboxed: boxing
// every value of ~2,500 rows in an `any` was a tenth of a product page's CPU.
type colValue struct {
	kind valKind
	s    string
	i    int64
	b    bool
	t    time.Time
	f    float64
	raw  []byte
}

type valKind uint8

const (
	valNull valKind = iota
	valString
	valInt
	valBool
	valTime
	valFloat
	valBytes
	valOther // in raw's place: any, for what only bun's scanner takes
)

// any is v as a driver value.
func (v *colValue) any() any {
	switch v.kind {
	case valString:
		return v.s
	case valInt:
		return v.i
	case valBool:
		return v.b
	case valTime:
		return v.t
	case valFloat:
		return v.f
	case valBytes:
		return v.raw
	}
	return nil
}

// setAny sets v from a driver value.
func (v *colValue) setAny(x any) {
	*v = colValue{}
	switch x := x.(type) {
	case nil:
	case string:
		v.kind, v.s = valString, x
	case int64:
		v.kind, v.i = valInt, x
	case bool:
		v.kind, v.b = valBool, x
	case time.Time:
		v.kind, v.t = valTime, x
	case float64:
		v.kind, v.f = valFloat, x
	case []byte:
		v.kind, v.raw = valBytes, x
	default:
		v.kind, v.s = valString, fmt.Sprint(x)
	}
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

func (r *sqlLevelRows) Values(cols []int, dst []colValue) error {
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
		dst[i].setAny(r.vals[c])
	}
	return nil
}

// rawRows is what pgxLevelRows reads: pgx's rows, or a result read from pgconn directly
// (statements.go).
type rawRows interface {
	Next() bool
	RawValues() [][]byte
	FieldDescriptions() []pgconn.FieldDescription
	Err() error
}

// pgxLevelRows reads pgx's rows directly.
type pgxLevelRows struct {
	rows  rawRows
	m     *pgtype.Map
	fds   []pgconn.FieldDescription
	plans []pgtype.ScanPlan // per column, for the types decoded through pgtype
	arena *rowArena
	// peeked: the first row has been read (more: whether there was one), Next returns it.
	peeked, more bool
}

func (r *pgxLevelRows) Next() bool {
	if r.peeked {
		r.peeked = false
		return r.more
	}
	return r.rows.Next()
}
func (r *pgxLevelRows) Err() error { return r.rows.Err() }

func (r *pgxLevelRows) Values(cols []int, dst []colValue) error {
	raw := r.rows.RawValues()
	if r.fds == nil {
		r.fds = r.rows.FieldDescriptions()
		r.plans = make([]pgtype.ScanPlan, len(r.fds))
	}
	for i, c := range cols {
		src, fd, v := raw[c], r.fds[c], &dst[i]
		*v = colValue{}
		if src == nil {
			continue
		}
		binary := fd.Format == pgtype.BinaryFormatCode
		var err error
		switch oid := fd.DataTypeOID; {
		case isTextOID(oid):
			v.kind, v.s = valString, r.arena.str(src)
		case oid == pgtype.Int8OID && binary && len(src) == 8:
			v.kind, v.i = valInt, int64(beUint64(src))
		case oid == pgtype.Int4OID && binary && len(src) == 4:
			v.kind, v.i = valInt, int64(int32(beUint32(src)))
		case oid == pgtype.BoolOID && binary && len(src) == 1:
			v.kind, v.b = valBool, src[0] != 0
		case oid == pgtype.Float8OID && binary && len(src) == 8:
			v.kind, v.f = valFloat, math.Float64frombits(beUint64(src))
		case oid == pgtype.TimestamptzOID && binary && len(src) == 8:
			// Microseconds since 2000-01-01 UTC, as pgx decodes them (in time.Local);
			// ±infinity go through pgx.
			us := int64(beUint64(src))
			if us == math.MaxInt64 || us == math.MinInt64 {
				err = r.scanPlanned(c, src, v)
				break
			}
			us += pgEpochUnixMicros
			v.kind, v.t = valTime, time.Unix(us/1_000_000, (us%1_000_000)*1000)
		case (oid == pgtype.JSONBOID) && binary && len(src) > 0 && src[0] == 1:
			v.kind, v.raw = valBytes, bytes.Clone(src[1:]) // version 1: the JSON text follows
		default:
			err = r.scanPlanned(c, src, v)
		}
		if err != nil {
			return fmt.Errorf("column %d: %w", c, err)
		}
	}
	return nil
}

// scanPlanned converts a value through pgx's scan plans, as its stdlib does for database/sql.
func (r *pgxLevelRows) scanPlanned(c int, src []byte, v *colValue) error {
	fd := r.fds[c]
	switch fd.DataTypeOID {
	case pgtype.Int8OID, pgtype.Int4OID, pgtype.Int2OID:
		var d int64
		if err := r.plan(c, &d).Scan(src, &d); err != nil {
			return err
		}
		v.kind, v.i = valInt, d
	case pgtype.BoolOID:
		var d bool
		if err := r.plan(c, &d).Scan(src, &d); err != nil {
			return err
		}
		v.kind, v.b = valBool, d
	case pgtype.Float8OID:
		var d float64
		if err := r.plan(c, &d).Scan(src, &d); err != nil {
			return err
		}
		v.kind, v.f = valFloat, d
	case pgtype.JSONOID, pgtype.JSONBOID:
		var d []byte
		if err := r.plan(c, &d).Scan(src, &d); err != nil {
			return err
		}
		v.kind, v.raw = valBytes, bytes.Clone(d) // d may point into src, reused by the next row
	case pgtype.TimestamptzOID:
		var d pgtype.Timestamptz
		if err := r.plan(c, &d).Scan(src, &d); err != nil {
			return err
		}
		x, err := d.Value()
		if err != nil {
			return err
		}
		v.setAny(x)
	default:
		var d string
		if err := r.plan(c, &d).Scan(src, &d); err != nil {
			return err
		}
		v.kind, v.s = valString, d
	}
	return nil
}

func (r *pgxLevelRows) plan(c int, target any) pgtype.ScanPlan {
	if r.plans[c] == nil {
		r.plans[c] = r.m.PlanScan(r.fds[c].DataTypeOID, r.fds[c].Format, target)
	}
	return r.plans[c]
}

// isTextOID reports whether a column's raw bytes are its text in either format.
func isTextOID(oid uint32) bool {
	return oid == pgtype.TextOID || oid == pgtype.VarcharOID || oid == pgtype.BPCharOID
}

// pgEpochUnixMicros is PostgreSQL's epoch, 2000-01-01 UTC, in microseconds since 1970.
const pgEpochUnixMicros = 946_684_800_000_000

func beUint64(b []byte) uint64 {
	return uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
		uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
}

func beUint32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// withLevelRows runs query with args in mode on q (a pool, a connection, or a transaction,
// read through database/sql) and hands its rows to each; generic: see queryNamed.
func withLevelRows(ctx context.Context, q any, mode pgx.QueryExecMode, query string, args []any, generic bool, each func(levelRows) error) error {
	var raw interface {
		Raw(func(driverConn any) error) error
	}
	switch d := q.(type) {
	case *sql.DB:
		// As database/sql does for its own queries: a pooled connection found broken before
		// anything was sent on it (the server restarted since) is dropped and the statement
		// sent again on another, once.
		for attempt := 0; ; attempt++ {
			conn, err := d.Conn(ctx)
			if err != nil {
				return err
			}
			started := false
			err = withLevelRows(ctx, conn, mode, query, args, generic, func(r levelRows) error {
				started = true
				return each(r)
			})
			conn.Close()
			if err == nil || started || attempt > 0 || !pgconn.SafeToRetry(err) {
				return err
			}
		}
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
		if mode == pgx.QueryExecModeCacheStatement || mode == pgx.QueryExecModeExec {
			if vals, oids, ok := encodeArgs(conn.TypeMap(), args); ok {
				return queryNamed(ctx, conn, query, vals, oids, mode == pgx.QueryExecModeCacheStatement, generic, each)
			}
		}
		rows, err := conn.Query(ctx, query, append([]any{mode}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		// The statement's own errors (a pooler that lost the prepared statement: Bind fails)
		// come with the first row: read it before handing the rows over, as pgx's database/sql
		// driver does, so that the caller sees them as the statement's.
		more := rows.Next()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := each(&pgxLevelRows{rows: rows, m: conn.TypeMap(), arena: &rowArena{}, peeked: true, more: more}); err != nil {
			return err
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return nil
	})
}

// fieldSetter assigns a value (never NULL) to a field of a struct, false when it cannot (bun's
// scanner then does, or reports why); nil when the field's type needs bun's scanner
// (sql.Scanner types, JSON, arrays, …).
type fieldSetter func(fv reflect.Value, v *colValue, a *rowArena) bool

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
		return func(fv reflect.Value, v *colValue, a *rowArena) bool {
			if v.kind != valTime {
				return false
			}
			*(fv.Addr().Interface().(*model.Time)) = model.Time{Time: v.t}
			return true
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
		return func(fv reflect.Value, v *colValue, a *rowArena) bool {
			if v.kind != valString {
				return false
			}
			if ptr {
				fv.Set(reflect.ValueOf(a.strPtr(v.s)))
			} else {
				fv.SetString(v.s)
			}
			return true
		}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16:
		return func(fv reflect.Value, v *colValue, a *rowArena) bool {
			if v.kind != valInt {
				return false
			}
			n := v.i
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
		return func(fv reflect.Value, v *colValue, a *rowArena) bool {
			if v.kind != valBool {
				return false
			}
			b := v.b
			if ptr {
				fv.Set(reflect.ValueOf(&b))
			} else {
				fv.SetBool(b)
			}
			return true
		}
	case reflect.Float64:
		return func(fv reflect.Value, v *colValue, a *rowArena) bool {
			if v.kind != valFloat {
				return false
			}
			x := v.f
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

// assignField sets field f of strct (a new struct) to v with set, f's fieldSetter.
func assignField(f *schema.Field, set fieldSetter, strct reflect.Value, v *colValue, a *rowArena) error {
	if set != nil {
		if v.kind == valNull {
			return nil // the field of a new struct is already its zero value, as NULL gives
		}
		if set(f.Value(strct), v, a) {
			return nil
		}
	}
	return f.ScanValue(strct, v.any())
}

// rowArena hands out the memory of a statement's rows in chunks: a page of products reads ~2,500
// rows with ~10 texts and several nullable strings each, which allocated one by one were most of
// its allocations. A chunk is never written again where it has been handed out, and lives as
// long as any of its values does (all belong to the same answer).
type rowArena struct {
	text []byte
	strs []string
}

const (
	arenaTextChunk = 32 << 10
	arenaStrsChunk = 256
)

// str returns a string holding b's bytes.
func (a *rowArena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaTextChunk/4 {
		return string(b)
	}
	if cap(a.text)-len(a.text) < len(b) {
		a.text = make([]byte, 0, arenaTextChunk)
	}
	start := len(a.text)
	a.text = append(a.text, b...)
	return unsafe.String(&a.text[start], len(b))
}

// strPtr returns a pointer to a string holding s.
func (a *rowArena) strPtr(s string) *string {
	if len(a.strs) == cap(a.strs) {
		a.strs = make([]string, 0, arenaStrsChunk)
	}
	a.strs = append(a.strs, s)
	return &a.strs[len(a.strs)-1]
}

// structs hands out new structs of one type in chunks.
type structs struct {
	t     reflect.Type
	chunk reflect.Value // a slice of t
	next  int
}

const structsChunk = 32

// new returns a pointer to a new zero struct.
func (s *structs) new() reflect.Value {
	if !s.chunk.IsValid() || s.next == s.chunk.Len() {
		s.chunk, s.next = reflect.MakeSlice(reflect.SliceOf(s.t), structsChunk, structsChunk), 0
	}
	p := s.chunk.Index(s.next).Addr()
	s.next++
	return p
}
