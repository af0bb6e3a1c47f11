package rest_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/rest"
	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/filestore"
)

// multipartBody builds a multipart/form-data body with the given file fields (field, name, content).
func multipartBody(t *testing.T, files ...[3]string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range files {
		w, err := mw.CreateFormFile(f[0], f[1])
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(f[2]))
	}
	_ = mw.WriteField("note", "text fields are ignored")
	_ = mw.Close()
	return b.String(), mw.FormDataContentType()
}

func upload(e *resttest.Env, body, contentType string, auth bool) *resttest.Response {
	h := map[string]string{"Content-Type": contentType}
	if auth {
		h["Authorization"] = "Bearer " + resttest.Token
	}
	return e.DoWith("POST", "/admin/uploads", body, h)
}

// withFiles gives the Env's store a local-disk file store and returns it with a server for the
// files (as cmd/gorgon mounts rest.MountUploads).
func withFiles(t *testing.T, e *resttest.Env) (*filestore.Local, *httptest.Server) {
	t.Helper()
	dir := t.TempDir()
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	t.Cleanup(srv.Close)
	local, err := filestore.NewLocal(dir, srv.URL+"/uploads", []byte("test-cookie-secret"))
	if err != nil {
		t.Fatal(err)
	}
	r := chi.NewRouter()
	rest.MountUploads(r, e.Store)
	srv.Config.Handler = r
	e.Store.Files = local
	return local, srv
}

func get(t *testing.T, u string) (int, string, http.Header) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func TestUploadsWithoutFileService(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	// Medusa without a file plugin answers so.
	const noPlugin = `{"type":"unexpected_state","message":"Please add a file service plugin in order to manipulate files in Medusa"}`
	body, ct := multipartBody(t, [3]string{"files", "a.txt", "hello"})
	upload(e, body, ct, true).Expect(t, 500, noPlugin)
	e.Do("DELETE", "/admin/uploads", map[string]any{"file_key": "x"}).Expect(t, 500, noPlugin)
	e.Do("POST", "/admin/uploads/download-url", map[string]any{"file_key": "x"}).Expect(t, 500, noPlugin)
}

func TestUploads(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	local, srv := withFiles(t, e)

	body, ct := multipartBody(t, [3]string{"files", "Summer Tee (front).PNG", "png bytes"}, [3]string{"files", "../../etc/passwd", "second"})
	res := upload(e, body, ct, true)
	res.Expect(t, 200, `{"uploads":[{"url":"$string","key":"$string"},{"url":"$string","key":"$string"}]}`)
	ups := res.JSON(t)["uploads"].([]any)
	key0, url0 := ups[0].(map[string]any)["key"].(string), ups[0].(map[string]any)["url"].(string)
	key1 := ups[1].(map[string]any)["key"].(string)
	if !strings.HasPrefix(key0, "Summer-Tee-front-") || !strings.HasSuffix(key0, ".png") || url0 != srv.URL+"/uploads/"+key0 {
		t.Fatalf("key %q url %q", key0, url0)
	}
	// The original name cannot place the file anywhere but in the upload directory.
	if !strings.HasPrefix(key1, "passwd-") || strings.ContainsAny(key1, `/\`) {
		t.Fatalf("key %q", key1)
	}
	if _, err := os.Stat(filepath.Join(local.Dir, key1)); err != nil {
		t.Fatal(err)
	}

	// The URL serves the file without credentials, safely typed.
	status, got, hdr := get(t, url0)
	if status != 200 || got != "png bytes" || hdr.Get("Content-Type") != "image/png" || hdr.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("%d %q %v", status, got, hdr)
	}
	for _, p := range []string{"/uploads/..%2F..%2Fetc%2Fpasswd", "/uploads/../go.mod", "/uploads/.hidden", "/uploads/missing.png"} {
		if status, _, _ := get(t, srv.URL+p); status != 404 {
			t.Fatalf("%s: %d", p, status)
		}
	}

	// A download URL is signed and expires.
	res = e.Do("POST", "/admin/uploads/download-url", map[string]any{"file_key": key0})
	res.Expect(t, 200, `{"download_url":"$string"}`)
	dl := res.JSON(t)["download_url"].(string)
	if status, got, _ := get(t, dl); status != 200 || got != "png bytes" {
		t.Fatalf("download: %d %q", status, got)
	}
	u, _ := url.Parse(dl)
	q := u.Query()
	q.Set("signature", "forged")
	u.RawQuery = q.Encode()
	if status, _, _ := get(t, u.String()); status != 403 {
		t.Fatalf("forged signature: %d", status)
	}
	// The signature of one file does not open another.
	if status, _, _ := get(t, strings.Replace(dl, key0, key1, 1)); status != 403 {
		t.Fatalf("other key: %d", status)
	}
	local.SetClock(func() time.Time { return time.Now().Add(filestore.DownloadURLValidity + time.Minute) })
	if status, _, _ := get(t, dl); status != 403 {
		t.Fatalf("expired: %d", status)
	}
	local.SetClock(time.Now)

	e.Do("POST", "/admin/uploads/download-url", map[string]any{"file_key": "missing.png"}).
		Expect(t, 404, `{"type":"not_found","message":"File with key: missing.png was not found"}`)
	e.Do("POST", "/admin/uploads/download-url", map[string]any{"file_key": "../go.mod"}).
		Expect(t, 400, `{"type":"invalid_data","message":"file_key is not a valid file key"}`)
	e.Do("POST", "/admin/uploads/download-url", map[string]any{"file_key": 1, "a": 2}).
		Expect(t, 400, `{"type":"invalid_data","message":"property a should not exist, file_key must be a string"}`)

	e.Do("DELETE", "/admin/uploads", map[string]any{"file_key": key0}).Expect(t, 200, `{"id":"`+key0+`","object":"file","deleted":true}`)
	if status, _, _ := get(t, url0); status != 404 {
		t.Fatalf("deleted file: %d", status)
	}
	// Deleting a missing file succeeds, as S3's delete does.
	e.Do("DELETE", "/admin/uploads", map[string]any{"file_key": key0}).Expect(t, 200, `{"id":"`+key0+`","object":"file","deleted":true}`)
	e.Do("DELETE", "/admin/uploads", map[string]any{}).Expect(t, 400, `{"type":"invalid_data","message":"file_key must be a string"}`)
	e.Do("DELETE", "/admin/uploads", map[string]any{"file_key": "../../etc/passwd"}).
		Expect(t, 400, `{"type":"invalid_data","message":"file_key is not a valid file key"}`)
	if _, err := os.Stat(filepath.Join(local.Dir, key1)); err != nil {
		t.Fatal("refused deletes removed a file")
	}
}

func TestUploadsBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	local, _ := withFiles(t, e)
	body, ct := multipartBody(t, [3]string{"files", "a.txt", "a"}, [3]string{"file", "b.txt", "b"})
	upload(e, body, ct, true).Expect(t, 400, `{"type":"invalid_data","message":"Unexpected field"}`)
	e.Do("POST", "/admin/uploads", map[string]any{"files": "x"}).
		Expect(t, 400, `{"type":"invalid_data","message":"files must be sent as multipart/form-data"}`)
	body, ct = multipartBody(t)
	upload(e, body, ct, true).Expect(t, 200, `{"uploads":[]}`)
	entries, _ := os.ReadDir(local.Dir)
	if len(entries) != 0 {
		t.Fatalf("refused uploads stored %d files", len(entries))
	}

	body, ct = multipartBody(t, [3]string{"files", "a.txt", "a"})
	upload(e, body, ct, false).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("DELETE", "/admin/uploads", map[string]any{"file_key": "x"}).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("POST", "/admin/uploads/download-url", map[string]any{"file_key": "x"}).ExpectText(t, 401, "Unauthorized")
}
