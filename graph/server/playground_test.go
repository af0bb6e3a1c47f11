package server_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/graph/server"
)

// What a browser sends when navigating to the endpoint.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

var (
	attrURL      = regexp.MustCompile(`(?:src|href)="([^"]*)"`)
	inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
)

func TestPlaygroundUsesOnlyEmbeddedAssets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path, endpoint string
	}{
		{"", "/graphql"},
		{"/admin/graphql/", "/admin/graphql"},
	} {
		t.Run(tc.endpoint, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t, server.Options{Path: tc.path})
			res := s.do(t, http.MethodGet, tc.endpoint, nil, "Accept", browserAccept)
			assertStatus(t, res, http.StatusOK)
			if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}

			// Nothing from the network: shops run offline.
			for _, banned := range []string{"http://", "https://", "//unpkg", "unpkg.com", "jsdelivr", "cdnjs", "esm.sh"} {
				if strings.Contains(res.body, banned) {
					t.Errorf("page contains %q:\n%s", banned, res.body)
				}
			}
			urls := attrURL.FindAllStringSubmatch(res.body, -1)
			want := []string{"graphiql.min.css", "react.production.min.js", "react-dom.production.min.js", "graphiql.min.js"}
			if len(urls) != len(want) {
				t.Fatalf("page references %v, want the %d embedded assets", urls, len(want))
			}
			for i, u := range urls {
				if u[1] != tc.endpoint+"/assets/"+want[i] {
					t.Errorf("reference %d = %q, want %q", i, u[1], tc.endpoint+"/assets/"+want[i])
				}
				// Each is served by the handler itself.
				asset := s.do(t, http.MethodGet, u[1], nil)
				assertStatus(t, asset, http.StatusOK)
			}

			// The fetcher posts JSON with the session cookie, to this endpoint.
			scripts := inlineScript.FindAllStringSubmatch(res.body, -1)
			if len(scripts) != 1 {
				t.Fatalf("%d inline scripts, want 1", len(scripts))
			}
			script := scripts[0][1]
			for _, want := range []string{
				`var endpoint = "` + tc.endpoint + `";`,
				`post(endpoint, params`,
				`fetch(url, {`,
				`method: 'POST'`,
				`credentials: 'same-origin'`,
				`'Content-Type': 'application/json'`,
			} {
				if !strings.Contains(script, want) {
					t.Errorf("inline script lacks %q:\n%s", want, script)
				}
			}

			// The CSP allows that script by its hash, scripts from this origin, and no
			// other origin at all.
			sum := sha256.Sum256([]byte(script))
			csp := res.header.Get("Content-Security-Policy")
			wantCSP := "default-src 'none'; script-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
				"style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
				"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
			if csp != wantCSP {
				t.Errorf("Content-Security-Policy\n got: %s\nwant: %s", csp, wantCSP)
			}
		})
	}
}

func TestAssets(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{})
	// Send no Accept-Encoding, so the bytes come as they are embedded.
	plain := &http.Client{Transport: &http.Transport{DisableCompression: true}}

	for name, contentType := range map[string]string{
		"graphiql.min.js":             "text/javascript; charset=utf-8",
		"react.production.min.js":     "text/javascript; charset=utf-8",
		"react-dom.production.min.js": "text/javascript; charset=utf-8",
		"graphiql.min.css":            "text/css; charset=utf-8",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, err := os.ReadFile("playground/" + name)
			if err != nil {
				t.Fatal(err)
			}
			get := func(headers ...string) (*http.Response, []byte) {
				t.Helper()
				req, _ := http.NewRequest(http.MethodGet, s.URL+"/graphql/assets/"+name, nil)
				for i := 0; i+1 < len(headers); i += 2 {
					req.Header.Set(headers[i], headers[i+1])
				}
				res, err := plain.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, err := io.ReadAll(res.Body)
				if err != nil {
					t.Fatal(err)
				}
				return res, b
			}

			res, body := get()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); ct != contentType {
				t.Errorf("Content-Type = %q, want %q", ct, contentType)
			}
			if res.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, want) {
				t.Errorf("body is not the embedded file")
			}
			etag := res.Header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			if res, _ := get("If-None-Match", etag); res.StatusCode != http.StatusNotModified {
				t.Errorf("revalidation: status %d, want 304", res.StatusCode)
			}

			res, body = get("Accept-Encoding", "gzip, deflate, br")
			if enc := res.Header.Get("Content-Encoding"); enc != "gzip" {
				t.Fatalf("Content-Encoding = %q, want gzip", enc)
			}
			if ct := res.Header.Get("Content-Type"); ct != contentType {
				t.Errorf("gzip Content-Type = %q, want %q", ct, contentType)
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(unzipped, want) {
				t.Errorf("gzip body is not the embedded file (%v)", err)
			}
			if gzEtag := res.Header.Get("ETag"); gzEtag == etag || gzEtag == "" {
				t.Errorf("gzip ETag %q must differ from %q", gzEtag, etag)
			}
		})
	}

	t.Run("unknown", func(t *testing.T) {
		t.Parallel()
		res := s.do(t, http.MethodGet, "/graphql/assets/missing.js", nil)
		assertStatus(t, res, http.StatusNotFound)
		assertJSON(t, res.body, `{"errors":[{"message":"no asset missing.js","extensions":{"code":"NOT_FOUND"}}]}`)
		// Licenses sit beside the assets in the repository, but are not embedded.
		assertStatus(t, s.do(t, http.MethodGet, "/graphql/assets/LICENSE.graphiql", nil), http.StatusNotFound)
	})
	t.Run("POST", func(t *testing.T) {
		t.Parallel()
		res := s.do(t, http.MethodPost, "/graphql/assets/graphiql.min.js", strings.NewReader("x"), "Content-Type", "application/json")
		assertStatus(t, res, http.StatusMethodNotAllowed)
	})
}

func TestPlaygroundDisabled(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{DisablePlayground: true})
	assertStatus(t, s.do(t, http.MethodGet, "/graphql", nil, "Accept", browserAccept), http.StatusMethodNotAllowed)
	assertStatus(t, s.do(t, http.MethodGet, "/graphql/assets/graphiql.min.js", nil), http.StatusNotFound)
}
