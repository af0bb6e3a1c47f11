package rest

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

// guardInput is the edge of every authenticated admin route: input that no handler may see is
// refused here with a 400 invalid_data, before anything reads the database.
//
//   - NUL characters in a path parameter, a query parameter (name or value) or a JSON body:
//     PostgreSQL text cannot hold them, and Medusa answers them with a 500 once the query fails.
//   - JSON bodies that body-parser would refuse (see readJSONBody), also on routes whose handler
//     ignores its body, as body-parser runs for every route.
//
// It runs after routing (it is used inside the route group), so unknown routes keep Express's
// 404 page and unauthenticated requests their 401, as in Medusa.
func guardInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkPathAndQuery(r); err != nil {
			writeError(w, r, err)
			return
		}
		r, err := withCheckedBody(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkPathAndQuery decodes the route's parameters and refuses NUL characters in them and in the
// query string.
func checkPathAndQuery(r *http.Request) error {
	rctx := chi.RouteContext(r.Context())
	if rctx != nil && r.URL.RawPath != "" {
		// chi matches on the escaped path when it holds escapes that do not round-trip (%2F),
		// and its parameters are then still escaped; Express decodes them, so /regions/a%2Fb
		// looks up "a/b". (Parameters of routes below a sub-router are not known yet here and
		// stay escaped.)
		for i, name := range rctx.URLParams.Keys {
			if name == "*" {
				continue
			}
			if dec, err := url.PathUnescape(rctx.URLParams.Values[i]); err == nil {
				rctx.URLParams.Values[i] = dec
			}
		}
	}
	if strings.ContainsRune(r.URL.Path, 0) {
		return store.Invalidf("%s must not contain NUL characters", nulParam(r, rctx))
	}
	raw := r.URL.RawQuery
	if !strings.Contains(raw, "%00") && !strings.ContainsRune(raw, 0) {
		return nil
	}
	// In URL order, to name the first parameter at fault.
	for _, pair := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		if strings.ContainsRune(key, 0) {
			return store.Invalidf("query parameter names must not contain NUL characters")
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			val = v
		}
		if strings.ContainsRune(val, 0) {
			return store.Invalidf("%s must not contain NUL characters", key)
		}
	}
	return nil
}

// nulParam names the route parameter that holds a NUL character. The route is matched again from
// the root router, because below a sub-router (r.Route) this middleware runs before the
// sub-router has parsed its parameters.
func nulParam(r *http.Request, rctx *chi.Context) string {
	if rctx == nil || rctx.Routes == nil {
		return "path"
	}
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	match := chi.NewRouteContext()
	if !rctx.Routes.Match(match, r.Method, path) {
		return "path"
	}
	for i, name := range match.URLParams.Keys {
		if name == "*" {
			continue
		}
		val := match.URLParams.Values[i]
		if r.URL.RawPath != "" {
			if dec, err := url.PathUnescape(val); err == nil {
				val = dec
			}
		}
		if strings.ContainsRune(val, 0) {
			return name
		}
	}
	return "path"
}
