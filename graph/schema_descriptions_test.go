package graph_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// Every type, field, argument and enum value of the schema (schema.graphqls and
// graph/schema/*.graphqls, as gqlgen reads them) has a description; the test lists those that
// have none. (gqlgen's own directives, @goField and the like, are configuration, not API.)
func TestSchemaDescriptions(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("schema/*.graphqls")
	if err != nil || len(files) == 0 {
		t.Fatalf("schema files: %v", err)
	}
	files = append(files, "../schema.graphqls")
	var srcs []*ast.Source
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, &ast.Source{Name: f, Input: string(b)})
	}
	s, err := gqlparser.LoadSchema(srcs...)
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	checked := 0
	for name, d := range s.Types {
		if d.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		checked++
		if d.Description == "" {
			missing = append(missing, fmt.Sprintf("type %s (%s)", name, d.Position.Src.Name))
		}
		for _, f := range d.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			checked++
			if f.Description == "" {
				missing = append(missing, fmt.Sprintf("field %s.%s (%s:%d)", name, f.Name, f.Position.Src.Name, f.Position.Line))
			}
			for _, a := range f.Arguments {
				checked++
				if a.Description == "" {
					missing = append(missing, fmt.Sprintf("argument %s.%s(%s) (%s:%d)", name, f.Name, a.Name, a.Position.Src.Name, a.Position.Line))
				}
			}
		}
		for _, v := range d.EnumValues {
			checked++
			if v.Description == "" {
				missing = append(missing, fmt.Sprintf("enum value %s.%s (%s:%d)", name, v.Name, v.Position.Src.Name, v.Position.Line))
			}
		}
	}
	if checked < 2000 {
		t.Fatalf("only %d schema elements checked: the schema was not read whole", checked)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d schema elements without a description:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}
