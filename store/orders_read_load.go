package store

import (
	"reflect"
	"sort"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// planOrderLevels is planLevels for the relations of orders, which go deeper than a product's:
// belongs-to and has-one relations below the root (a line item's variant and its product, a
// swap's payment, a return's shipping method) are loaded by level too, as are the root's
// belongs-to relations that have relations below them (the region and its providers). The
// root's other belongs-to relations are joined in the root query. So a page of orders with
// Medusa's default relations, its totals' relations and its entities' eager ones costs one
// statement per depth, whatever its size. nil when a relation cannot be loaded that way.
func planOrderLevels(db *bun.DB, model any, names []string) *levelPlan {
	root := db.Table(reflect.TypeOf(model))
	p := &levelPlan{root: root}
	hasChildren := map[string]bool{}
	for _, n := range names {
		if i := strings.IndexByte(n, '.'); i > 0 {
			hasChildren[n[:i]] = true
		}
	}
	seen := map[string]bool{}
	sorted := append([]string(nil), names...)
	sort.SliceStable(sorted, func(i, j int) bool { return strings.Count(sorted[i], ".") < strings.Count(sorted[j], ".") })
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
				case i == 0 && rel.Type == schema.BelongsToRelation && !hasChildren[path]:
					p.joined = append(p.joined, path)
				case levelLoadable(rel):
					for len(p.levels) <= i {
						p.levels = append(p.levels, nil)
					}
					p.levels[i] = append(p.levels[i], levelRel{path: path, parent: strings.Join(parts[:i], "."), rel: rel})
				default:
					return nil
				}
			}
			t = rel.JoinTable
		}
	}
	return p
}
