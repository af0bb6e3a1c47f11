package filestore

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestKeys(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, re string }{
		{"photo.JPG", `^photo-[0-9a-f]{24}\.jpg$`},
		{"../../etc/passwd", `^passwd-[0-9a-f]{24}$`},
		{`C:\Users\me\Summer Tee (1).png`, `^Summer-Tee-1-[0-9a-f]{24}\.png$`},
		{".env", `^[0-9a-f]{24}\.env$`},
		{"", `^[0-9a-f]{24}$`},
		{"..", `^[0-9a-f]{24}$`},
		{"été.tar.gz", `^t-tar-[0-9a-f]{24}\.gz$`},
	} {
		k, err := newKey(c.name)
		if err != nil || !regexp.MustCompile(c.re).MatchString(k) || !keyRe.MatchString(k) {
			t.Errorf("newKey(%q) = %q, %v", c.name, k, err)
		}
	}
	l := &Local{Dir: t.TempDir()}
	for _, k := range []string{"../x", "a/b", ".hidden", "", "a..b", `a\b`, strings.Repeat("a", 300)} {
		if _, err := l.path(k); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("path(%q) accepted", k)
		}
	}
}

func TestLocal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	l, err := NewLocal(dir, "http://files.test/uploads/", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewLocal(dir, "x", nil); err == nil {
		t.Fatal("no secret accepted")
	}
	u, key, err := l.Upload(ctx, "a.txt", "text/plain", strings.NewReader("hello"))
	if err != nil || u != "http://files.test/uploads/"+key {
		t.Fatalf("%q %q %v", u, key, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, key)); string(b) != "hello" {
		t.Fatalf("content %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
	dl, err := l.DownloadURL(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(dl, "http://files.test/uploads")
	rec := httptest.NewRecorder()
	l.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != 200 || rec.Body.String() != "hello" {
		t.Fatalf("%d %q", rec.Code, rec.Body)
	}
	// Another secret does not sign the same.
	other, _ := NewLocal(dir, "http://files.test/uploads", []byte("other"))
	rec = httptest.NewRecorder()
	other.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != 403 {
		t.Fatalf("other secret: %d", rec.Code)
	}
	l.SetClock(func() time.Time { return time.Now().Add(time.Hour) })
	rec = httptest.NewRecorder()
	l.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != 403 {
		t.Fatalf("expired: %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	l.ServeHTTP(rec, httptest.NewRequest("POST", "/"+key, nil))
	if rec.Code != 405 {
		t.Fatalf("POST: %d", rec.Code)
	}
	if _, err := l.DownloadURL(ctx, "nope.txt"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	if err := l.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := l.Delete(ctx, key); err != nil {
		t.Fatal("second delete:", err)
	}
}

// A streamed file exists under its key only once committed; an aborted one leaves nothing.
func TestLocalCreateOpen(t *testing.T) {
	dir := t.TempDir()
	l, err := NewLocal(dir, "http://files.test", []byte("s"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	key, w, err := l.Create(ctx, "exports/products/product-export-1.csv", "text/csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, "product-export-1-") || !strings.HasSuffix(key, ".csv") {
		t.Fatalf("key %q", key)
	}
	w.Write([]byte("a;b\r\n"))
	if _, err := l.Open(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("before commit: %v", err)
	}
	w.Write([]byte("1;2\r\n"))
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	f, err := l.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 100)
	n, _ := f.Read(b)
	f.Close()
	if string(b[:n]) != "a;b\r\n1;2\r\n" {
		t.Fatalf("content %q", b[:n])
	}
	key2, w2, _ := l.Create(ctx, "x.csv", "text/csv")
	w2.Write([]byte("x"))
	if err := w2.Abort(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Open(ctx, key2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("aborted: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("files left: %v", entries)
	}
	if _, err := l.Open(ctx, "../etc/passwd"); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("bad key: %v", err)
	}
}
