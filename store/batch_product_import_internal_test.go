package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/filestore"
)

// The file is streamed: products come out in order of their first line, each with all its
// lines, whether a product's lines are together or scattered; a bad line anywhere stops the
// file before any product is handed out.
func TestEachImportProductGroupsLines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	files, err := filestore.NewLocal(t.TempDir(), "http://localhost/uploads", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{Files: files}
	put := func(content string) string {
		key, w, err := files.Create(ctx, "import.csv", "text/csv")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		return key
	}
	header := "Product Handle;Product Title;Variant Title;Variant Sku\n"
	key := put(header + "a;A;a1;A1\nb;B;b1;B1\na;A;a2;A2\nc;C;c1;C1\nc;C;c2;C2\nb;B;b2;B2\n")
	var got []string
	err = s.eachImportProduct(ctx, key, func(p *importProduct) error {
		var lines []string
		for _, r := range p.rows {
			lines = append(lines, fmt.Sprint(r.line))
		}
		got = append(got, p.handle+":"+strings.Join(lines, ","))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "a:1,3 b:2,6 c:4,5"; strings.Join(got, " ") != want {
		t.Fatalf("products %q, want %q", strings.Join(got, " "), want)
	}

	bad := put(header + "a;A;a1;A1\n;B;b1;B1\n")
	called := false
	err = s.eachImportProduct(ctx, bad, func(*importProduct) error { called = true; return nil })
	if err == nil || called {
		t.Fatalf("a line without handle: err %v, products handed out %v", err, called)
	}
}
