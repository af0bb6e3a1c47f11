package main

import (
	"os"
	"strings"
	"testing"
)

// The committed schema and gqlgen bindings are what the store's field maps generate: run
// `go generate ./graph/` after changing store/filter.go.
func TestGeneratedFiltersUpToDate(t *testing.T) {
	schema, names := generate()
	got, err := os.ReadFile("../../schema/where.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(schema) {
		t.Error("graph/schema/where.graphqls is not what store/filter.go generates: run go generate ./graph/")
	}
	yml, err := os.ReadFile("../../../gqlgen.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !strings.Contains(string(yml), "\n  "+n+":\n    model:\n      - map[string]interface{}\n") {
			t.Errorf("gqlgen.yml does not bind %s to a map: run go generate ./graph/", n)
		}
	}
}
