package rest

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"
)

// Express 4 (Medusa 1.3.8's router) matches paths case-insensitively and with an optional trailing
// slash, and nested routers also accept doubled slashes inside a path: `/admin/STORE/`,
// `/admin//store` and `/admin/store` are the same route there. Medusa's own clients rely on it:
// medusa-js 1.2.x and the admin dashboard ask `GET /admin/store/`. chi matches exactly, so
// expressPaths rewrites each request path to the registered route it would reach in Express
// before chi routes it. Path parameters keep their case (ids are case-sensitive); only the static
// segments take the registered spelling.

// routeShape is one registered pattern split into segments; params are "{...}", a trailing
// wildcard is "*".
type routeShape []string

// expressPaths wraps the router h so that request paths are canonicalised as described above.
// The original path is kept for Express-style 404 bodies ("Cannot GET /admin/Nope/").
func expressPaths(h chi.Router) http.Handler {
	var shapes []routeShape
	seen := map[string]bool{}
	_ = chi.Walk(h, func(_ string, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.TrimSuffix(strings.ReplaceAll(route, "/*/", "/"), "/")
		if !seen[route] {
			seen[route] = true
			shapes = append(shapes, strings.Split(strings.TrimPrefix(route, "/"), "/"))
		}
		return nil
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := canonicalPath(r.URL.EscapedPath(), shapes); ok && p != r.URL.EscapedPath() {
			r = rewritePath(r, p)
		}
		h.ServeHTTP(w, r)
	})
}

type originalPathKey struct{}

// originalPath is the path the client sent, before canonicalisation, still percent-encoded as
// Express prints it in its 404 page (a NUL stays "%00").
func originalPath(r *http.Request) string {
	if p, ok := r.Context().Value(originalPathKey{}).(string); ok {
		return p
	}
	return r.URL.EscapedPath()
}

func rewritePath(r *http.Request, escaped string) *http.Request {
	unescaped, err := url.PathUnescape(escaped)
	if err != nil {
		return r
	}
	r2 := r.WithContext(context.WithValue(r.Context(), originalPathKey{}, r.URL.EscapedPath()))
	u := *r.URL
	u.Path = unescaped
	u.RawPath = ""
	if u.EscapedPath() != escaped {
		u.RawPath = escaped
	}
	r2.URL = &u
	return r2
}

// canonicalPath returns the escaped path rewritten to the registered spelling of the route it
// matches, or false when no route matches (chi then answers its 404 as before).
func canonicalPath(escaped string, shapes []routeShape) (string, bool) {
	if !strings.HasPrefix(escaped, "/") || strings.HasPrefix(escaped, "//") {
		// Express's app-level router does not match `//admin/...`.
		return "", false
	}
	segs := strings.Split(escaped[1:], "/")
	// Empty segments: a trailing slash, and doubled slashes below the mount point, are ignored.
	kept := segs[:0:0]
	for i, s := range segs {
		if s == "" && i > 0 {
			continue
		}
		kept = append(kept, s)
	}
	best := -1
	bestScore := -1
	for i, shape := range shapes {
		if score, ok := matchShape(kept, shape); ok && score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return "", false
	}
	shape := shapes[best]
	out := make([]string, 0, len(kept))
	for j, s := range kept {
		if j < len(shape) && shape[j] != "*" && !isParam(shape[j]) {
			out = append(out, shape[j])
			continue
		}
		out = append(out, s)
	}
	return "/" + strings.Join(out, "/"), true
}

// matchShape reports whether segs fit shape, with a score that prefers static segments over
// parameters and exact case over folded case, as a registered static route wins in Express.
func matchShape(segs []string, shape routeShape) (int, bool) {
	wild := len(shape) > 0 && shape[len(shape)-1] == "*"
	n := len(shape)
	if wild {
		n--
		if len(segs) < n {
			return 0, false
		}
	} else if len(segs) != n {
		return 0, false
	}
	score := 0
	for j := 0; j < n; j++ {
		want, got := shape[j], segs[j]
		switch {
		case isParam(want):
			if got == "" {
				return 0, false
			}
		case want == got:
			score += 3
		default:
			g, err := url.PathUnescape(got)
			if err != nil || !strings.EqualFold(want, g) {
				return 0, false
			}
			score += 2
		}
	}
	return score, true
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }
