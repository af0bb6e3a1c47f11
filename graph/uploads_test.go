package graph_test

import (
	"bytes"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/filestore"
)

const catUploadMutation = `mutation($files: [Upload!]!) { uploadFiles(files: $files) { uploads { url key } userErrors { field message code } } }`

// catMultipart builds a GraphQL multipart request (operations, map, then the files) uploading
// files (name, content) as $files.
func catMultipart(t *testing.T, files ...[2]string) (body, contentType string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	nulls := make([]string, len(files))
	var m []string
	for i := range files {
		nulls[i] = "null"
		m = append(m, `"`+string(rune('0'+i))+`":["variables.files.`+string(rune('0'+i))+`"]`)
	}
	_ = mw.WriteField("operations", `{"query":`+catJSON(catUploadMutation)+`,"variables":{"files":[`+strings.Join(nulls, ",")+`]}}`)
	_ = mw.WriteField("map", "{"+strings.Join(m, ",")+"}")
	for i, f := range files {
		w, err := mw.CreateFormFile(string(rune('0'+i)), f[0])
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(f[1]))
	}
	_ = mw.Close()
	return b.String(), mw.FormDataContentType()
}

func catUpload(e *resttest.Env, body, contentType string, preflight bool) *resttest.Response {
	h := map[string]string{"Content-Type": contentType, "Authorization": "Bearer " + resttest.Token}
	if preflight {
		h["Apollo-Require-Preflight"] = "true"
	}
	return e.DoWith("POST", "/graphql", body, h)
}

func TestUploadsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	dir := t.TempDir()
	local, err := filestore.NewLocal(dir, "http://files.test/uploads", []byte("test-secret"))
	if err != nil {
		t.Fatal(err)
	}

	// Without a file service, Medusa's answer as a userError.
	body, ct := catMultipart(t, [2]string{"a.txt", "hello"})
	noPlugin := catUE(nil, "Please add a file service plugin in order to manipulate files in Medusa", "UNEXPECTED_STATE")
	catUpload(e, body, ct, true).Expect(t, 200, catData(catJ{"uploadFiles": catJ{"uploads": nil, "userErrors": []any{noPlugin}}}))
	gql(e, `mutation { deleteUpload(fileKey: "x") { deletedId userErrors { field message code } } }`, nil).Expect(t, 200,
		catData(catJ{"deleteUpload": catJ{"deletedId": nil, "userErrors": []any{noPlugin}}}))
	e.Store.Files = local

	// A multipart request needs the preflight header (CSRF), then stores the files in order.
	body, ct = catMultipart(t, [2]string{"Summer Tee (front).PNG", "png bytes"}, [2]string{"../../etc/passwd", "second"})
	res := catUpload(e, body, ct, false)
	if res.Status != 400 || !strings.Contains(string(res.Body), "CSRF_PREVENTED") {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a refused upload stored %d files", len(entries))
	}
	res = catUpload(e, body, ct, true)
	res.Expect(t, 200, catData(catJ{"uploadFiles": catJ{"uploads": []any{catJ{"url": "$string", "key": "$string"}, catJ{"url": "$string", "key": "$string"}},
		"userErrors": []any{}}}))
	key0, key1 := catStr(t, res, "uploadFiles.uploads.0.key"), catStr(t, res, "uploadFiles.uploads.1.key")
	if !strings.HasPrefix(key0, "Summer-Tee-front-") || !strings.HasSuffix(key0, ".png") ||
		catStr(t, res, "uploadFiles.uploads.0.url") != "http://files.test/uploads/"+key0 || !strings.HasPrefix(key1, "passwd-") {
		t.Fatalf("keys %q %q: %s", key0, key1, res.Body)
	}
	if b, err := os.ReadFile(filepath.Join(dir, key0)); err != nil || string(b) != "png bytes" {
		t.Fatalf("stored %q %v", b, err)
	}

	// A signed download URL; bad keys are userErrors.
	dl := `mutation($k: String!) { uploadDownloadUrl(fileKey: $k) { downloadUrl userErrors { field message code } } }`
	res = gql(e, dl, catJ{"k": key0})
	res.Expect(t, 200, catData(catJ{"uploadDownloadUrl": catJ{"downloadUrl": "$string", "userErrors": []any{}}}))
	if u := catStr(t, res, "uploadDownloadUrl.downloadUrl"); !strings.HasPrefix(u, "http://files.test/uploads/"+key0+"?expires=") || !strings.Contains(u, "signature=") {
		t.Fatalf("download url %q", u)
	}
	gql(e, dl, catJ{"k": "missing.png"}).Expect(t, 200, catData(catJ{"uploadDownloadUrl": catJ{"downloadUrl": nil,
		"userErrors": []any{catUE(nil, "File with key: missing.png was not found", "NOT_FOUND")}}}))
	gql(e, dl, catJ{"k": "../go.mod"}).Expect(t, 200, catData(catJ{"uploadDownloadUrl": catJ{"downloadUrl": nil,
		"userErrors": []any{catUE(nil, "file_key is not a valid file key", "INVALID_DATA")}}}))

	// Delete; a missing file succeeds; a bad key changes nothing.
	del := `mutation($k: String!) { deleteUpload(fileKey: $k) { deletedId userErrors { field message code } } }`
	gql(e, del, catJ{"k": key0}).Expect(t, 200, catData(catJ{"deleteUpload": catJ{"deletedId": key0, "userErrors": []any{}}}))
	gql(e, del, catJ{"k": key0}).Expect(t, 200, catData(catJ{"deleteUpload": catJ{"deletedId": key0, "userErrors": []any{}}}))
	gql(e, del, catJ{"k": "../../" + key1}).Expect(t, 200, catData(catJ{"deleteUpload": catJ{"deletedId": nil,
		"userErrors": []any{catUE(nil, "file_key is not a valid file key", "INVALID_DATA")}}}))
	if _, err := os.Stat(filepath.Join(dir, key0)); !os.IsNotExist(err) {
		t.Fatalf("deleted file still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, key1)); err != nil {
		t.Fatalf("refused delete removed a file: %v", err)
	}
}
