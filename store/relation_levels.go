package store

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Relation loading by level: bun loads each has-many or many-to-many relation with a statement
// of its own (a product page with Medusa's default relations: images, options, variants,
// variant prices, variant options, tags, sales channels — seven). loadLevels loads all the
// relations of one depth with one statement instead: a UNION ALL of one branch per relation,
// each branch the query bun would send (same table alias, soft-delete condition and order,
// relationOrder), its columns placed in typed slots so the branches line up, and every value
// scanned by bun's own field scanners. A page with the default relations costs two statements
// (the variants, options, images, tags, channels; then the prices and option values) whatever
// its size.

// levelPlan is a set of relation paths that loadLevels can load.
type levelPlan struct {
	joined []string      // belongs-to relations of the root, joined by bun in the root query
	levels [][]levelRel  // has-many and m2m relations, by depth
	root   *schema.Table // the model's table
	// post, when set, runs after the levels with every row loaded, by path.
	post func(ctx context.Context, db bun.IDB, loaded map[string][]reflect.Value) error
}

type levelRel struct {
	path   string // bun relation path, e.g. "Variants.Prices"
	parent string // path of the parents ("" for the root)
	rel    *schema.Relation
	custom *customBranch
}

// customBranch changes how a branch finds its rows and parents (lookups of the order loader,
// see orders_read_load.go): rows are read FROM from, each with parentCol as its parent key, for
// the parent keys keys; with lazy, the parents are the rows loaded at the parent path by an
// earlier branch of the same statement, keyed by parentKey.
//
// With via (a has-many relation of the level above, loaded by an earlier branch of the same
// statement), the branch's parents are found in the statement itself: the rows whose parent key
// is one of via's rows for the keys loaded at via's parent path (a subquery with via's branch's
// conditions), taken lazily. This is how flat merges two levels into one statement.
//
// With cond (orders_read_rooted.go), the branch's rows are those FROM from that meet cond,
// whatever was loaded before: cond finds them from the root's key alone, rootKey, written
// rootParam in from, cond and parentCol (one parameter for the whole statement).
type customBranch struct {
	from, parentCol string
	keys            []string
	lazy            bool
	parentKey       *schema.Field
	via             *levelRel
	cond, rootKey   string
}

// rootParam stands for the root key's parameter in a customBranch's cond and parentCol.
const rootParam = "$root"

// rootKeyed reports whether a branch finds its rows from the root's key alone.
func (c *customBranch) rootKeyed() bool { return c != nil && c.cond != "" }

// flat returns p with its second level merged into its first (one statement, one round trip,
// instead of two one after the other), when every relation of the second level hangs from a
// has-many relation of the first; otherwise p.
func (p *levelPlan) flat() *levelPlan {
	if p == nil || len(p.levels) != 2 || p.post != nil {
		return p
	}
	byPath := map[string]*levelRel{}
	for i := range p.levels[0] {
		lr := &p.levels[0][i]
		if lr.custom != nil {
			return p
		}
		byPath[lr.path] = lr
	}
	merged := append([]levelRel(nil), p.levels[0]...)
	for _, lr := range p.levels[1] {
		via := byPath[lr.parent]
		if via == nil || via.rel.Type != schema.HasManyRelation || lr.custom != nil {
			return p
		}
		lr.custom = &customBranch{lazy: true, parentKey: lr.rel.BasePKs[0], via: via}
		merged = append(merged, lr)
	}
	return &levelPlan{joined: p.joined, levels: [][]levelRel{merged}, root: p.root}
}

// planLevels reports how names (bun relation paths on model) are loaded by level, or nil when
// one of them is of a kind it does not load (bun then loads them all as before): belongs-to
// relations below the root, composite or non-string keys, columns of other types.
func planLevels(db *bun.DB, model any, names []string) *levelPlan {
	root := db.Table(reflect.TypeOf(model))
	p := &levelPlan{root: root}
	seen := map[string]bool{}
	sorted := append([]string(nil), names...)
	sort.Slice(sorted, func(i, j int) bool { return strings.Count(sorted[i], ".") < strings.Count(sorted[j], ".") })
	for _, name := range sorted {
		t := root
		parts := strings.Split(name, ".")
		for i, part := range parts {
			rel, ok := t.Relations[part]
			if !ok {
				return nil
			}
			path := strings.Join(parts[:i+1], ".")
			if !seen[path] {
				seen[path] = true
				switch {
				case rel.Type == schema.BelongsToRelation && i == 0:
					p.joined = append(p.joined, path)
				case (rel.Type == schema.HasManyRelation || rel.Type == schema.ManyToManyRelation) && levelLoadable(rel):
					for len(p.levels) <= i {
						p.levels = append(p.levels, nil)
					}
					p.levels[i] = append(p.levels[i], levelRel{path: path, parent: strings.Join(parts[:i], "."), rel: rel})
				default:
					return nil
				}
			}
			if rel.Type == schema.BelongsToRelation && i+1 < len(parts) {
				return nil // relations below a joined one: left to bun
			}
			t = rel.JoinTable
		}
	}
	return p
}

func levelLoadable(rel *schema.Relation) bool {
	if len(rel.BasePKs) != 1 || len(rel.JoinPKs) != 1 || rel.PolymorphicField != nil || len(rel.Condition) > 0 {
		return false
	}
	if !stringKey(rel.BasePKs[0]) {
		return false
	}
	ft := rel.Field.StructField.Type
	switch rel.Type {
	case schema.HasManyRelation, schema.ManyToManyRelation:
		if ft.Kind() != reflect.Slice || ft.Elem() != reflect.PointerTo(rel.JoinTable.Type) {
			return false
		}
	case schema.BelongsToRelation, schema.HasOneRelation:
		// To-one relations are loaded by level by the planners that ask for them (orders).
		if ft != reflect.PointerTo(rel.JoinTable.Type) {
			return false
		}
	default:
		return false
	}
	if rel.Type == schema.ManyToManyRelation && (len(rel.M2MBasePKs) != 1 || len(rel.M2MJoinPKs) != 1) {
		return false
	}
	for _, f := range rel.JoinTable.Fields {
		if slotOf(f) < 0 {
			return false
		}
	}
	return true
}

// stringKey reports whether a key field holds a string (or a pointer to one: a nullable
// foreign key of a belongs-to relation).
func stringKey(f *schema.Field) bool {
	t := f.StructField.Type
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.String
}

// keyString is the string value of a key field of v, false when it is a nil pointer.
func keyString(f *schema.Field, v reflect.Value) (string, bool) {
	fv := f.Value(v)
	if fv.Kind() == reflect.Pointer {
		if fv.IsNil() {
			return "", false
		}
		fv = fv.Elem()
	}
	return fv.String(), true
}

// Column slots: the PostgreSQL type every branch's columns of one kind are given.
const (
	slotText = iota
	slotInt
	slotBool
	slotTime
	slotJSONB
	slotFloat
	numSlots
)

var slotTypes = [numSlots]string{"text", "int8", "bool", "timestamptz", "jsonb", "float8"}

// slotOf is the slot of a field by its Go type, -1 for a type not loaded this way.
func slotOf(f *schema.Field) int {
	t := f.IndirectType
	switch {
	case t == reflect.TypeFor[model.Time]():
		return slotTime
	case t == reflect.TypeFor[model.FlaggedID]():
		return slotText
	}
	switch ut := strings.ToLower(f.UserSQLType); {
	case ut == "jsonb":
		return slotJSONB
	case strings.Contains(ut, "json") || strings.Contains(ut, "[]") || f.Tag.HasOption("array"):
		return -1
	}
	switch t.Kind() {
	case reflect.String:
		return slotText
	case reflect.Int, reflect.Int16, reflect.Int32, reflect.Int64:
		return slotInt
	case reflect.Bool:
		return slotBool
	case reflect.Float64:
		return slotFloat
	}
	return -1
}

// loadLevels loads plan's has-many and m2m relations into roots (a slice of pointers to the
// plan's model, already scanned with the joined relations), one statement per level.
func loadLevels(ctx context.Context, db bun.IDB, plan *levelPlan, roots reflect.Value) error {
	loaded := map[string][]reflect.Value{} // path → structs loaded there (addressable)
	for i := 0; i < roots.Len(); i++ {
		v := roots.Index(i)
		for v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		loaded[""] = append(loaded[""], v)
	}
	for _, level := range plan.levels {
		if err := loadLevel(ctx, db, level, loaded); err != nil {
			return err
		}
	}
	if plan.post != nil {
		return plan.post(ctx, db, loaded)
	}
	return nil
}

type levelBranch struct {
	lr      levelRel
	parents map[string][]reflect.Value
	viaKeys []string // custom.via: the keys of via's parents
	fields  []*schema.Field
	setters []fieldSetter   // fieldSetter of each field (nil: bun's scanner)
	loaded  []reflect.Value // the structs read, in order (loaded[path] once the level is read)
	structs structs         // where they are allocated
	slots   []int           // column index of each field in the row
	hooks   bool
}

// viaLateral says whether a branch whose parents are found through via (levelPlan.flat) reads
// its rows with a lookup per parent: for a has-many relation read from its own table, as long as
// the parents' parents are a page's worth (for thousands, a hash join over the table is cheaper).
func viaLateral(b *levelBranch) bool {
	c := b.lr.custom
	return b.lr.rel.Type == schema.HasManyRelation && c.from == "" && len(b.viaKeys) <= 1000
}

// levelFrom is the FROM clause of rel's branch, and the column of its rows' parent keys.
func levelFrom(rel *schema.Relation) (from, parentCol string) {
	t := rel.JoinTable
	alias := string(t.SQLAlias)
	if rel.Type == schema.ManyToManyRelation {
		m := rel.M2MTable
		malias := string(m.SQLAlias)
		// A lateral lookup per join row: joined, PostgreSQL hashes the whole target table
		// (images: 10,000 rows) for the 50 rows of a page. OFFSET 0 keeps it a lateral.
		return fmt.Sprintf("%s AS %s CROSS JOIN LATERAL (SELECT * FROM %s AS %s WHERE %s.%s = %s.%s OFFSET 0) AS %s",
			m.SQLName, malias, t.SQLName, alias, alias, rel.JoinPKs[0].SQLName, malias, rel.M2MJoinPKs[0].SQLName, alias), malias + "." + string(rel.M2MBasePKs[0].SQLName)
	}
	return fmt.Sprintf("%s AS %s", t.SQLName, alias), alias + "." + string(rel.JoinPKs[0].SQLName)
}

func loadLevel(ctx context.Context, db bun.IDB, level []levelRel, loaded map[string][]reflect.Value) error {
	var branches []*levelBranch
	var width [numSlots]int
	for _, lr := range level {
		b := &levelBranch{lr: lr, parents: map[string][]reflect.Value{}}
		base := lr.rel.BasePKs[0]
		if lr.custom == nil || !lr.custom.lazy {
			for _, pv := range loaded[lr.parent] {
				if k, ok := keyString(base, pv); ok {
					b.parents[k] = append(b.parents[k], pv)
				}
			}
		}
		loaded[lr.path] = nil
		if lr.custom.rootKeyed() {
			// Found from the root's key whatever is loaded: always part of the statement.
		} else if c := lr.custom; c != nil && c.via != nil {
			seen := map[string]bool{}
			for _, pv := range loaded[c.via.parent] {
				if k, ok := keyString(c.via.rel.BasePKs[0], pv); ok && !seen[k] {
					seen[k] = true
					b.viaKeys = append(b.viaKeys, k)
				}
			}
			if len(b.viaKeys) == 0 {
				continue
			}
			sort.Strings(b.viaKeys)
		} else if lr.custom != nil && lr.custom.keys != nil {
			if len(lr.custom.keys) == 0 {
				continue
			}
		} else if len(b.parents) == 0 {
			continue
		}
		var n [numSlots]int
		for _, f := range lr.rel.JoinTable.Fields {
			s := slotOf(f)
			b.fields = append(b.fields, f)
			b.setters = append(b.setters, setterOf(f))
			b.slots = append(b.slots, s*1000+n[s]) // resolved to a column below
			n[s]++
		}
		for s := range width {
			width[s] = max(width[s], n[s])
		}
		_, b.hooks = reflect.New(lr.rel.JoinTable.Type).Interface().(schema.AfterScanRowHook)
		b.structs.t = lr.rel.JoinTable.Type
		branches = append(branches, b)
	}
	if len(branches) == 0 {
		return nil
	}
	var offset [numSlots]int
	col := 3 // k, parent, ord come first
	for s := range width {
		offset[s] = col
		col += width[s]
	}
	var sql strings.Builder
	var args []any
	root := "" // rootParam's parameter, once given
	rooted := func(text, key string) string {
		if !strings.Contains(text, rootParam) {
			return text
		}
		if root == "" {
			args = append(args, key)
			root = fmt.Sprintf("$%d::text", len(args))
		}
		return strings.ReplaceAll(text, rootParam, root)
	}
	for k, b := range branches {
		if k > 0 {
			sql.WriteString(" UNION ALL ")
		}
		rel, t := b.lr.rel, b.lr.rel.JoinTable
		alias := string(t.SQLAlias)
		cols := make([][]string, numSlots)
		for s := range cols {
			cols[s] = make([]string, width[s])
			for i := range cols[s] {
				cols[s][i] = "NULL::" + slotTypes[s]
			}
		}
		for i, f := range b.fields {
			s, n := b.slots[i]/1000, b.slots[i]%1000
			cols[s][n] = alias + "." + string(f.SQLName) + "::" + slotTypes[s]
			b.slots[i] = offset[s] + n
		}
		order := relationOrderOf(b.lr.rel.BasePKs[0].Table.Name, b.lr.rel.Field.GoName)
		if order == "" {
			order = "NULL"
		}
		from, parentCol := levelFrom(rel)
		if c := b.lr.custom; c != nil && c.from != "" {
			from, parentCol = rooted(c.from, c.rootKey), rooted(c.parentCol, c.rootKey)
		}
		fmt.Fprintf(&sql, "(SELECT %d AS k, %s::text AS parent, row_number() OVER (ORDER BY %s) AS ord", k, parentCol, order)
		for s := range cols {
			for _, c := range cols[s] {
				sql.WriteString(", ")
				sql.WriteString(c)
			}
		}
		keys := make([]string, 0, len(b.parents))
		for key := range b.parents {
			keys = append(keys, key)
		}
		if c := b.lr.custom; c != nil && c.keys != nil {
			keys = append(keys[:0:0], c.keys...)
		}
		sort.Strings(keys)
		// Parameters, not the values: the statement's text is the same for every page, so its
		// plan is kept (prepared.go). ::text on both sides, as the keys are strings.
		// A key matches one parameter: an array of them, or the one key itself where there is
		// one (an entity by id). Given an array, PostgreSQL plans the statement anew at every
		// execution (its generic plan, costed for an array of unknown size, never looks cheaper
		// than a plan for one key), ~1.2 ms of a product by id's ~1.6 ms in PostgreSQL; given
		// one key, it keeps the generic plan.
		keyMatch := func(keys []string) string {
			if len(keys) == 1 {
				args = append(args, keys[0])
				return fmt.Sprintf("= $%d::text", len(args))
			}
			args = append(args, keys)
			return fmt.Sprintf("= ANY($%d::text[])", len(args))
		}
		var conds []string
		switch c := b.lr.custom; {
		case c.rootKeyed():
			fmt.Fprintf(&sql, " FROM %s", from)
			conds = append(conds, rooted(c.cond, c.rootKey))
		case c != nil && c.via != nil && viaLateral(b):
			// The parents' keys first, then an index lookup per parent (OFFSET 0 keeps it a
			// lateral): as `IN (subquery)`, PostgreSQL hashes the parents and scans the whole
			// child table (a page's 250 variants' option values: a scan of 50,000 rows, 15 of the
			// statement's 21 ms).
			vt := c.via.rel.JoinTable
			fmt.Fprintf(&sql, " FROM (SELECT lvl_parent.%s AS lvl_key FROM %s AS lvl_parent WHERE lvl_parent.%s::text %s",
				rel.BasePKs[0].SQLName, vt.SQLName, c.via.rel.JoinPKs[0].SQLName, keyMatch(b.viaKeys))
			if vt.SoftDeleteField != nil {
				fmt.Fprintf(&sql, " AND lvl_parent.%s IS NULL", vt.SoftDeleteField.SQLName)
			}
			fmt.Fprintf(&sql, ") AS lvl_keys CROSS JOIN LATERAL (SELECT * FROM %s AS %s WHERE %s.%s = lvl_keys.lvl_key OFFSET 0) AS %s",
				t.SQLName, alias, alias, rel.JoinPKs[0].SQLName, alias)
		case c != nil && c.via != nil:
			vt := c.via.rel.JoinTable
			cond := fmt.Sprintf("%s IN (SELECT lvl_parent.%s FROM %s AS lvl_parent WHERE lvl_parent.%s::text %s",
				parentCol, rel.BasePKs[0].SQLName, vt.SQLName, c.via.rel.JoinPKs[0].SQLName, keyMatch(b.viaKeys))
			if vt.SoftDeleteField != nil {
				cond += fmt.Sprintf(" AND lvl_parent.%s IS NULL", vt.SoftDeleteField.SQLName)
			}
			fmt.Fprintf(&sql, " FROM %s", from)
			conds = append(conds, cond+")")
		default:
			fmt.Fprintf(&sql, " FROM %s", from)
			conds = append(conds, fmt.Sprintf("%s::text %s", parentCol, keyMatch(keys)))
		}
		if t.SoftDeleteField != nil {
			conds = append(conds, fmt.Sprintf("%s.%s IS NULL", alias, t.SoftDeleteField.SQLName))
		}
		if len(conds) > 0 {
			sql.WriteString(" WHERE ")
			sql.WriteString(strings.Join(conds, " AND "))
		}
		sql.WriteString(")")
	}
	sql.WriteString(" ORDER BY k, ord")
	byPath := map[string]*levelBranch{}
	for _, b := range branches {
		byPath[b.lr.path] = b
	}
	arena := &rowArena{}
	head := []int{0, 1}
	var kp [2]colValue
	var fieldVals []colValue
	// A statement keyed by the root's key alone (one order) runs with PostgreSQL's generic plan:
	// planned for any key, it is the same index lookups, and planning the ~60 branches anew for
	// each order (as PostgreSQL chose: it misjudges their generic cost) took 20 ms of 21.
	generic := root != "" && len(args) == 1
	err := queryPrepared(ctx, db, sql.String(), args, generic, func(rows levelRows) error {
		for rows.Next() {
			if err := rows.Values(head, kp[:]); err != nil {
				return err
			}
			b := branches[kp[0].i]
			if c := b.lr.custom; c != nil && c.lazy && len(b.parents) == 0 {
				parents := loaded[b.lr.parent]
				if pb := byPath[b.lr.parent]; pb != nil {
					parents = pb.loaded // an earlier branch of this statement, read by now
				}
				for _, pv := range parents {
					if k, ok := keyString(c.parentKey, pv); ok {
						b.parents[k] = append(b.parents[k], pv)
					}
				}
			}
			parents := b.parents[kp[1].s]
			if len(parents) == 0 {
				continue
			}
			if cap(fieldVals) < len(b.fields) {
				fieldVals = make([]colValue, len(b.fields))
			}
			fieldVals = fieldVals[:len(b.fields)]
			if err := rows.Values(b.slots, fieldVals); err != nil {
				return err
			}
			for _, parent := range parents {
				ptr := b.structs.new()
				strct := ptr.Elem()
				for i, f := range b.fields {
					if err := assignField(f, b.setters[i], strct, &fieldVals[i], arena); err != nil {
						return fmt.Errorf("%s.%s: %w", b.lr.path, f.Name, err)
					}
				}
				if b.hooks {
					if err := ptr.Interface().(schema.AfterScanRowHook).AfterScanRow(ctx); err != nil {
						return err
					}
				}
				field := b.lr.rel.Field.Value(parent)
				if field.Kind() == reflect.Pointer {
					field.Set(ptr) // a to-one relation
				} else {
					field.Set(reflect.Append(field, ptr))
				}
				b.loaded = append(b.loaded, strct)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load %s: %w", level[0].path, err)
	}
	for _, b := range branches {
		loaded[b.lr.path] = b.loaded
	}
	return nil
}
