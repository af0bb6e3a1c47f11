package store

import (
	"database/sql"
	"fmt"
	"reflect"
	"strings"

	"github.com/uptrace/bun/schema"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// lockedList is a list read with its order by lockOrderWith: the rows `from` selects (a FROM
// clause, its conditions on the locked order `o`, its order and locks), each read into one model
// of each table (the first table's its row, the others joined to it: a NULL id is no model),
// given to add in the list's order.
type lockedList struct {
	from   string
	tables []*schema.Table
	add    func(models []reflect.Value)
}

// lockOrderWith is an inLockedTx lock that locks order id FOR UPDATE and reads it with lists of
// its rows (locked too when their from says so, after the order, as lockOrder then the list's
// own read would) in one statement: the order's columns beside each list's, every list a LATERAL
// subquery joined on true (so rows are their product, each list's in its order; an empty list
// is one row of NULLs). Values go through bun's field scanners, as bun's own scans. scan fills
// o and calls each list's add once per row of it.
func (s *Store) lockOrderWith(id string, o *model.Order, lists ...lockedList) (appender, func(rows *sql.Rows) (bool, error)) {
	ot := s.DB.Table(reflect.TypeFor[model.Order]())
	var cols, joins []string
	for _, f := range ot.Fields {
		cols = append(cols, "o."+string(f.SQLName))
	}
	n := len(ot.Fields)
	for k, l := range lists {
		var sub []string
		for _, t := range l.tables {
			for _, f := range t.Fields {
				name := fmt.Sprintf("l%d_%d", k, n)
				sub = append(sub, fmt.Sprintf("%s.%s AS %s", t.SQLAlias, f.SQLName, name))
				cols = append(cols, fmt.Sprintf("l%d.%s", k, name))
				n++
			}
		}
		joins = append(joins, fmt.Sprintf("LEFT JOIN LATERAL (SELECT %s FROM %s) AS l%d ON true", strings.Join(sub, ", "), l.from, k))
	}
	lock := s.DB.NewRaw(`SELECT `+strings.Join(cols, ", ")+` FROM (SELECT * FROM "order" WHERE "order".id = ? FOR UPDATE) AS o `+
		strings.Join(joins, " "), id)
	scan := func(rows *sql.Rows) (found bool, err error) {
		vals, ptrs := make([]any, n), make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		seen := make([]map[any]bool, len(lists))
		for k := range seen {
			seen[k] = map[any]bool{}
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return found, err
			}
			if !found {
				if err := scanFields(reflect.ValueOf(o).Elem(), ot, vals); err != nil {
					return found, err
				}
				found = true
			}
			next := len(ot.Fields)
			for k, l := range lists {
				at := next
				for _, t := range l.tables {
					next += len(t.Fields)
				}
				var models []reflect.Value
				for _, t := range l.tables {
					row := vals[at : at+len(t.Fields)]
					at += len(t.Fields)
					key := row[pkIndex(t)]
					if key == nil {
						models = append(models, reflect.Value{})
						continue
					}
					if len(models) == 0 {
						if seen[k][fmt.Sprint(key)] {
							break // a row seen on an earlier row of the product
						}
						seen[k][fmt.Sprint(key)] = true
					}
					v := reflect.New(t.Type)
					if err := scanFields(v.Elem(), t, row); err != nil {
						return found, err
					}
					models = append(models, v)
				}
				if len(models) == len(l.tables) && models[0].IsValid() {
					l.add(models)
				}
			}
		}
		return found, nil
	}
	return lock, scan
}

// scanFields sets the fields of v (a struct of table t) from vals, one per field in order.
func scanFields(v reflect.Value, t *schema.Table, vals []any) error {
	for i, f := range t.Fields {
		if err := f.ScanValue(v, vals[i]); err != nil {
			return fmt.Errorf("%s.%s: %w", t.Name, f.Name, err)
		}
	}
	return nil
}

// pkIndex is the index of t's (single) primary key among its fields.
func pkIndex(t *schema.Table) int {
	for i, f := range t.Fields {
		if f.IsPK {
			return i
		}
	}
	return 0
}
