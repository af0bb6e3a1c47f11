package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The GraphiQL page's scripts and styles, from the npm registry's published builds
// (see playground/README.md). Shops may run offline, so nothing is loaded from a CDN.
//
//go:embed playground/*.js playground/*.css
var playgroundFS embed.FS

// asset is one embedded file, with its validators and (made on first demand) its gzip.
type asset struct {
	name        string
	contentType string
	content     []byte
	etag        string

	gzipOnce sync.Once
	gzipped  []byte
}

// assets maps a file name (as served under Path+"/assets/") to the file.
var assets = loadAssets()

func loadAssets() map[string]*asset {
	contentTypes := map[string]string{
		// Fixed rather than mime.TypeByExtension, which may read the system's
		// mime.types and answer differently from machine to machine.
		".js":  "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8",
	}
	files, err := fs.Glob(playgroundFS, "playground/*")
	if err != nil {
		panic(err)
	}
	m := make(map[string]*asset, len(files))
	for _, file := range files {
		content, err := playgroundFS.ReadFile(file)
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(content)
		name := path.Base(file)
		m[name] = &asset{
			name:        name,
			contentType: contentTypes[path.Ext(name)],
			content:     content,
			etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
		}
	}
	return m
}

func (a *asset) gzip() []byte {
	a.gzipOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(a.content) // writes to a bytes.Buffer do not fail
		_ = zw.Close()
		a.gzipped = buf.Bytes()
	})
	return a.gzipped
}

func serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	a, ok := assets[name]
	if !ok {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no asset "+name)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "assets are read with GET")
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	// The names carry no version: revalidate each time, which the ETag makes a 304.
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	content, etag := a.content, a.etag
	if acceptsGzip(r) {
		content = a.gzip()
		etag = strings.TrimSuffix(etag, `"`) + `-gz"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(content))
}

func acceptsGzip(r *http.Request) bool {
	return accepts(r.Header.Values("Accept-Encoding"), "gzip")
}

// acceptsHTML reports whether the request asks for a web page, as a browser's navigation
// does (Accept: text/html,...).
func acceptsHTML(r *http.Request) bool {
	return accepts(r.Header.Values("Accept"), "text/html")
}

// accepts reports whether an Accept or Accept-Encoding header lists want without q=0.
func accepts(values []string, want string) bool {
	for _, value := range values {
		for part := range strings.SplitSeq(value, ",") {
			token, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || token != want {
				continue
			}
			q, err := strconv.ParseFloat(params["q"], 64)
			if err != nil || q > 0 {
				return true
			}
		}
	}
	return false
}

// playgroundPage is the GraphiQL page for one endpoint, rendered once.
type playgroundPage struct {
	body []byte
	csp  string
}

func newPlaygroundPage(endpoint, loginPath string) *playgroundPage {
	// json.Marshal escapes <, > and &, so the strings cannot end the script element.
	endpointJS, err := json.Marshal(endpoint)
	if err != nil {
		panic(err)
	}
	loginJS, err := json.Marshal(loginPath)
	if err != nil {
		panic(err)
	}
	// The fetcher posts JSON with the session cookie (same origin only), or with the API token
	// the visitor gave (kept in this tab's sessionStorage): the requests the CSRF guard lets
	// through. Before GraphiQL loads, one request asks who the visitor is; on 401 the page shows
	// a login form (email and password start a cookie session at loginPath, as Medusa's admin
	// does) or takes an API token. It is inline so the page alone shows how it talks to the
	// endpoint; the Content-Security-Policy allows exactly this script by its hash.
	script := `
(function () {
  'use strict';
  var endpoint = ` + string(endpointJS) + `;
  var loginPath = ` + string(loginJS) + `;
  var tokenKey = 'gorgon-graphql-token';
  var mount = document.getElementById('graphiql');
  function headers(extra) {
    var h = Object.assign({}, extra || {}, {
      'Content-Type': 'application/json',
      'Accept': 'application/json'
    });
    var token = sessionStorage.getItem(tokenKey);
    if (token) { h.Authorization = 'Bearer ' + token; }
    return h;
  }
  function post(url, body, extra) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: headers(extra),
      body: JSON.stringify(body)
    });
  }
  function fetcher(params, opts) {
    return post(endpoint, params, opts && opts.headers).then(function (res) {
      return res.text().then(function (text) {
        try {
          return JSON.parse(text);
        } catch (e) {
          return { errors: [{ message: 'HTTP ' + res.status + ': ' + text }] };
        }
      });
    });
  }
  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return n;
  }
  function showGraphiQL() {
    mount.textContent = '';
    ReactDOM.createRoot(mount).render(React.createElement(GraphiQL, { fetcher: fetcher }));
  }
  function showLogin(message) {
    var error = el('p', { id: 'login-error', role: 'alert', style: 'color:#b00020;min-height:1.2em' }, [message || '']);
    var email = el('input', { id: 'login-email', type: 'email', name: 'email', autocomplete: 'username', required: '' });
    var password = el('input', { id: 'login-password', type: 'password', name: 'password', autocomplete: 'current-password', required: '' });
    var token = el('input', { id: 'login-token', type: 'password', name: 'token', autocomplete: 'off' });
    var field = 'display:block;width:100%;box-sizing:border-box;margin:4px 0 12px;padding:8px;font:inherit';
    [email, password, token].forEach(function (i) { i.setAttribute('style', field); });
    var button = 'padding:8px 16px;font:inherit;cursor:pointer';
    var loginForm = el('form', { id: 'login-form' }, [
      el('label', { for: 'login-email' }, ['Email']), email,
      el('label', { for: 'login-password' }, ['Password']), password,
      el('button', { type: 'submit', style: button }, ['Sign in'])
    ]);
    var tokenForm = el('form', { id: 'token-form' }, [
      el('label', { for: 'login-token' }, ['Or an API token']), token,
      el('button', { type: 'submit', style: button }, ['Use token'])
    ]);
    loginForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      sessionStorage.removeItem(tokenKey);
      post(loginPath, { email: email.value, password: password.value }).then(function (res) {
        if (res.ok) { return start(); }
        return res.json().catch(function () { return {}; }).then(function (body) {
          error.textContent = res.status === 401 ? 'Wrong email or password.' : (body.message || ('HTTP ' + res.status));
        });
      }, function () { error.textContent = 'The server cannot be reached.'; });
    });
    tokenForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      sessionStorage.setItem(tokenKey, token.value.trim());
      start('This API token is not valid.');
    });
    var panel = el('main', { style: 'max-width:360px;margin:10vh auto;font:16px/1.4 system-ui,sans-serif;color:#222' }, [
      el('h1', { style: 'font-size:1.4em' }, ['Sign in to the GraphQL playground']),
      el('p', {}, ['Use your admin account, as in the admin dashboard.']),
      loginForm,
      el('hr', { style: 'margin:24px 0' }),
      tokenForm,
      error
    ]);
    mount.textContent = '';
    mount.style.overflow = 'auto';
    mount.appendChild(panel);
    email.focus();
  }
  // start shows GraphiQL if the endpoint knows the visitor, the login form if not.
  function start(failure) {
    if (!loginPath) { return showGraphiQL(); }
    post(endpoint, { query: '{ __typename }' }).then(function (res) {
      if (res.status === 401) {
        sessionStorage.removeItem(tokenKey);
        return showLogin(failure);
      }
      mount.style.overflow = 'hidden';
      showGraphiQL();
    }, function () { showLogin('The server cannot be reached.'); });
  }
  start();
})();
`
	sum := sha256.Sum256([]byte(script))
	assetURL := func(name string) string { return html.EscapeString(endpoint + "/assets/" + name) }

	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>GraphiQL</title>
<link rel="stylesheet" href="` + assetURL("graphiql.min.css") + `">
<style>html, body, #graphiql { height: 100%; margin: 0; overflow: hidden; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="` + assetURL("react.production.min.js") + `"></script>
<script src="` + assetURL("react-dom.production.min.js") + `"></script>
<script src="` + assetURL("graphiql.min.js") + `"></script>
<script>` + script + `</script>
</body>
</html>
`)
	return &playgroundPage{
		body: []byte(b.String()),
		// Everything from this origin only. Styles may be inline: GraphiQL's editors set
		// style attributes. Fonts and icons are data: URLs inside graphiql.min.css.
		csp: "default-src 'none'; " +
			"script-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
			"style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
			"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	}
}

func (p *playgroundPage) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", p.csp)
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept")
	http.ServeContent(w, r, "graphiql.html", time.Time{}, bytes.NewReader(p.body))
}
