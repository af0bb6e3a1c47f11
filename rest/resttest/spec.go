package resttest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Medusa 1.3.8's admin OpenAPI spec (testdata/admin-spec3.yaml, the client's reference copy).
// It omits `nullable` on most fields that Medusa really returns as null, so every schema is
// loaded as nullable: the check still catches wrong field types, missing required fields and
// values outside enums.
var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specErr  error
	specRe   []specPath
)

type specPath struct {
	re   *regexp.Regexp
	path string
	keys []string
}

func loadSpec() {
	_, file, _, _ := runtime.Caller(0)
	l := openapi3.NewLoader()
	specDoc, specErr = l.LoadFromFile(filepath.Join(filepath.Dir(file), "testdata", "admin-spec3.yaml"))
	if specErr != nil {
		return
	}
	seen := map[*openapi3.Schema]bool{}
	var relax func(s *openapi3.SchemaRef)
	relax = func(s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil || seen[s.Value] {
			return
		}
		v := s.Value
		seen[v] = true
		v.Nullable = true
		for _, p := range v.Properties {
			relax(p)
		}
		relax(v.Items)
		for _, group := range []openapi3.SchemaRefs{v.AllOf, v.AnyOf, v.OneOf} {
			for _, x := range group {
				relax(x)
			}
		}
		if v.AdditionalProperties.Schema != nil {
			relax(v.AdditionalProperties.Schema)
		}
	}
	for _, s := range specDoc.Components.Schemas {
		relax(s)
	}
	for path, item := range specDoc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						relax(mt.Schema)
					}
				}
			}
		}
		var keys []string
		segs := strings.Split(path, "/")
		for i, seg := range segs {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
				keys = append(keys, strings.Trim(seg, "{}"))
				segs[i] = `([^/]+)`
			} else {
				segs[i] = regexp.QuoteMeta(seg)
			}
		}
		pattern := strings.Join(segs, "/")
		specRe = append(specRe, specPath{re: regexp.MustCompile("^" + pattern + "$"), path: path, keys: keys})
	}
}

// MatchesSpec checks a 2xx JSON response of method+path (path without /admin and query) against
// the response schema of the spec's operation. It fails the test when the operation is missing
// from the spec or the body does not fit.
func (r *Response) MatchesSpec(t testing.TB, method, path string) {
	t.Helper()
	specOnce.Do(loadSpec)
	if specErr != nil {
		t.Fatalf("load spec: %v", specErr)
	}
	path = strings.TrimPrefix(strings.SplitN(path, "?", 2)[0], "/admin")
	var route *routers.Route
	params := map[string]string{}
	// Prefer literal paths over templated ones (/products/types before /products/{id}).
	for _, literal := range []bool{true, false} {
		for _, sp := range specRe {
			if (len(sp.keys) == 0) != literal {
				continue
			}
			m := sp.re.FindStringSubmatch(path)
			if m == nil {
				continue
			}
			item := specDoc.Paths.Find(sp.path)
			op := item.GetOperation(strings.ToUpper(method))
			if op == nil {
				continue
			}
			for i, k := range sp.keys {
				params[k] = m[i+1]
			}
			route = &routers.Route{Spec: specDoc, Path: sp.path, PathItem: item, Method: strings.ToUpper(method), Operation: op}
			break
		}
		if route != nil {
			break
		}
	}
	if route == nil {
		t.Fatalf("no operation %s %s in the spec", method, path)
	}
	req, _ := http.NewRequest(method, "http://gorgon"+path, nil)
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: r.Status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(r.Body)), Options: &openapi3filter.Options{IncludeResponseStatus: true}})
	if err != nil {
		t.Fatalf("%s %s: response does not match Medusa's spec: %v", method, path, err)
	}
}
