package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/peterldowns/pgtestdb"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// `gorgon graphql register` loads graphql-codegen's persisted documents and Apollo's manifest;
// a file with a wrong hash registers nothing.
func TestGraphQLRegister(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtestdb.Custom(t, dbtest.Config(t), pgtestdb.NoopMigrator{}).URL()
	dir := t.TempDir()
	a, b := "query A { viewer { id } }", "query B { viewer { email } }"
	codegen := filepath.Join(dir, "persisted-documents.json")
	apollo := filepath.Join(dir, "manifest.json")
	bad := filepath.Join(dir, "bad.json")
	write := func(name, content string) {
		if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(codegen, `{"`+store.HashDocument(a)+`":"`+a+`"}`)
	write(apollo, `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id":"`+store.HashDocument(b)+`","name":"B","type":"query","body":"`+b+`"}]}`)
	write(bad, `{"`+store.HashDocument("{ x }")+`":"{ y }"}`)

	if err := run(ctx, []string{"graphql", "register", "--database-url", url, "--jwt-secret", "x", "--cookie-secret", "x", codegen, bad}); err == nil {
		t.Fatal("a wrong hash was registered")
	}
	if err := run(ctx, []string{"graphql", "register", "--database-url", url, "--jwt-secret", "x", "--cookie-secret", "x", codegen, apollo}); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var names string
	if err := db.QueryRowContext(ctx, `SELECT string_agg(coalesce(name, '-') || ':' || body, ' | ' ORDER BY body) FROM gorgon.persisted_query`).Scan(&names); err != nil {
		t.Fatal(err)
	}
	if want := "-:" + a + " | B:" + b; names != want {
		t.Errorf("registry %q, want %q", names, want)
	}
}
