// Package filestore keeps uploaded files (Medusa's file service): an interface the store calls,
// and a local-disk implementation that Gorgon serves back over HTTP itself.
package filestore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Store is where uploaded files live. Keys are opaque to callers; URLs are what clients fetch.
type Store interface {
	// Upload stores the content under a new unique key derived from name and returns the file's
	// public URL and its key.
	Upload(ctx context.Context, name, contentType string, r io.Reader) (url, key string, err error)
	// Delete removes the file; deleting a missing file is not an error (S3's DeleteObject).
	Delete(ctx context.Context, key string) error
	// DownloadURL returns a signed URL that gives access to the file for a limited time without
	// any other credentials, like an S3 presigned URL.
	DownloadURL(ctx context.Context, key string) (string, error)
	// Create starts a file written as a stream (Medusa's getUploadStreamDescriptor): its key is
	// known at once, the file exists under it only after Commit (an S3 multipart upload
	// completed); Abort drops what was written.
	Create(ctx context.Context, name, contentType string) (key string, w Writer, err error)
	// Open reads a file as a stream (Medusa's getDownloadStream).
	Open(ctx context.Context, key string) (io.ReadCloser, error)
}

// Writer is a file being written by Create.
type Writer interface {
	io.Writer
	Commit() error
	Abort() error
}

var (
	// ErrNotFound: no file has that key.
	ErrNotFound = errors.New("file not found")
	// ErrInvalidKey: the key cannot be one this store generated (e.g. it tries to leave the
	// upload directory).
	ErrInvalidKey = errors.New("invalid file key")
)

// DownloadURLValidity is how long a download URL works (S3 presigned URLs default to 15 minutes).
const DownloadURLValidity = 15 * time.Minute

// keyRe is the form of every key Local generates: no path separators, no leading dot, so a key can
// never name anything outside the upload directory.
var keyRe = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,250}$`)

// Local keeps files in one directory on the local disk. Their public URL is BaseURL/<key>; Local
// is also the http.Handler that serves them under that prefix (mount it with the prefix
// stripped).
type Local struct {
	Dir     string
	BaseURL string // e.g. "http://localhost:9000/uploads", without a trailing slash
	secret  []byte
	now     func() time.Time
}

// NewLocal returns a local-disk store in dir (created if missing) whose files are served at
// baseURL. secret signs download URLs; it must not be empty.
func NewLocal(dir, baseURL string, secret []byte) (*Local, error) {
	if len(secret) == 0 {
		return nil, errors.New("filestore: a secret is needed to sign download URLs")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("filestore: create %s: %w", dir, err)
	}
	return &Local{Dir: dir, BaseURL: strings.TrimRight(baseURL, "/"), secret: secret, now: time.Now}, nil
}

// Upload writes the content to a new file. The key keeps a cleaned form of the original name
// (readable URLs, the right extension) and adds a random part so that keys never collide.
func (l *Local) Upload(ctx context.Context, name, _ string, r io.Reader) (string, string, error) {
	key, err := newKey(name)
	if err != nil {
		return "", "", err
	}
	tmp, err := os.CreateTemp(l.Dir, ".upload-*")
	if err != nil {
		return "", "", fmt.Errorf("filestore: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := io.Copy(tmp, readerWithContext{ctx, r}); err != nil {
		tmp.Close()
		return "", "", fmt.Errorf("filestore: write %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return "", "", fmt.Errorf("filestore: write %s: %w", key, err)
	}
	// Written under a temporary name and renamed, so a file is never seen half-written.
	if err := os.Rename(tmp.Name(), filepath.Join(l.Dir, key)); err != nil {
		return "", "", fmt.Errorf("filestore: store %s: %w", key, err)
	}
	return l.BaseURL + "/" + url.PathEscape(key), key, nil
}

// Create writes a new file under a temporary name, renamed to its key on Commit.
func (l *Local) Create(_ context.Context, name, _ string) (string, Writer, error) {
	key, err := newKey(name)
	if err != nil {
		return "", nil, err
	}
	tmp, err := os.CreateTemp(l.Dir, ".upload-*")
	if err != nil {
		return "", nil, fmt.Errorf("filestore: %w", err)
	}
	return key, &localWriter{f: tmp, dst: filepath.Join(l.Dir, key)}, nil
}

type localWriter struct {
	f   *os.File
	dst string
}

func (w *localWriter) Write(p []byte) (int, error) { return w.f.Write(p) }

func (w *localWriter) Commit() error {
	if err := w.f.Close(); err != nil {
		os.Remove(w.f.Name())
		return fmt.Errorf("filestore: write %s: %w", filepath.Base(w.dst), err)
	}
	if err := os.Rename(w.f.Name(), w.dst); err != nil {
		os.Remove(w.f.Name())
		return fmt.Errorf("filestore: store %s: %w", filepath.Base(w.dst), err)
	}
	return nil
}

func (w *localWriter) Abort() error {
	w.f.Close()
	return os.Remove(w.f.Name())
}

// Open opens the file with that key.
func (l *Local) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	return f, nil
}

// Delete removes the file with that key.
func (l *Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("filestore: delete %s: %w", key, err)
	}
	return nil
}

// DownloadURL returns BaseURL/<key>?expires=<unix>&signature=<hmac>, valid DownloadURLValidity.
func (l *Local) DownloadURL(_ context.Context, key string) (string, error) {
	p, err := l.path(key)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(p); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", ErrNotFound
		}
		return "", fmt.Errorf("filestore: %w", err)
	}
	exp := strconv.FormatInt(l.now().Add(DownloadURLValidity).Unix(), 10)
	q := url.Values{"expires": {exp}, "signature": {l.sign(key, exp)}}
	return l.BaseURL + "/" + url.PathEscape(key) + "?" + q.Encode(), nil
}

// ServeHTTP serves GET/HEAD /<key>. Uploaded files are public by their URL (product images are
// shown to shoppers), as with Medusa's S3 and local file plugins; a URL that carries a signature
// is checked, and refused when it is forged or expired. Files are served so that a browser never
// runs them as a page of Gorgon's origin (an uploaded HTML or SVG file could otherwise act with the
// admin's cookie).
func (l *Local) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	key := strings.TrimPrefix(r.URL.Path, "/")
	p, err := l.path(key)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if q.Has("signature") || q.Has("expires") {
		exp, sig := q.Get("expires"), q.Get("signature")
		n, err := strconv.ParseInt(exp, 10, 64)
		if err != nil || !hmac.Equal([]byte(sig), []byte(l.sign(key, exp))) || l.now().Unix() > n {
			http.Error(w, "Forbidden", http.StatusForbidden)
			return
		}
	}
	f, err := os.Open(p)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(key))
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox")
	http.ServeContent(w, r, "", st.ModTime(), f)
}

// path maps a key to its file, refusing anything that is not a key this store generates.
func (l *Local) path(key string) (string, error) {
	if !keyRe.MatchString(key) || strings.Contains(key, "..") {
		return "", ErrInvalidKey
	}
	return filepath.Join(l.Dir, key), nil
}

func (l *Local) sign(key, expires string) string {
	m := hmac.New(sha256.New, l.secret)
	m.Write([]byte("gorgon-upload\x00" + key + "\x00" + expires))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// SetClock replaces the clock used for download URL expiry (tests).
func (l *Local) SetClock(now func() time.Time) { l.now = now }

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// newKey builds "<clean base name>-<random>.<ext>" from an uploaded file's original name.
func newKey(name string) (string, error) {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	base = strings.Trim(unsafeChars.ReplaceAllString(base, "-"), "-")
	if len(base) > 100 {
		base = base[:100]
	}
	ext = unsafeChars.ReplaceAllString(strings.TrimPrefix(ext, "."), "")
	if len(ext) > 16 {
		ext = ext[:16]
	}
	var rnd [12]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", fmt.Errorf("filestore: %w", err)
	}
	key := hex.EncodeToString(rnd[:])
	if base != "" {
		key = base + "-" + key
	}
	if ext != "" {
		key += "." + strings.ToLower(ext)
	}
	return key, nil
}

// readerWithContext stops a long copy when the request is cancelled.
type readerWithContext struct {
	ctx context.Context
	r   io.Reader
}

func (r readerWithContext) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
