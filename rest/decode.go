package rest

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/gorgon-commerce/gorgon/store"
)

// decodeBody reads a JSON object body into dst (a pointer to a struct) the way Medusa's
// class-validator setup does (whitelist + forbidNonWhitelisted): unknown properties, also in
// nested objects, and values of the wrong JSON type are recorded in v with class-validator's
// messages, unknown properties first as class-validator reports them. The handler adds its own
// checks to v and then calls v.Err(). The body passes requestBody's checks first: an empty body
// counts as {}; anything else that is not a JSON object is an error at once.
func decodeBody(r *http.Request, dst any, v *store.Violations) error {
	raw, err := requestBody(r)
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return errNotObject
	}
	t := reflect.TypeOf(dst).Elem()
	for _, m := range unknownProperties(t, raw) {
		v.Add(true, "", m)
	}
	// Decode field by field so that one wrong type does not hide the others.
	known := jsonFields(t)
	val := reflect.ValueOf(dst).Elem()
	for _, name := range sortedKeys(fields) {
		idx, ok := known[name]
		if !ok {
			continue
		}
		f := val.FieldByIndex(idx)
		if err := json.Unmarshal(fields[name], f.Addr().Interface()); err != nil {
			// The `invalid` tag words a type error like the field's class-validator decorators
			// do, e.g. `invalid:"must be an email"` for a field checked by IsEmail only.
			if msg := t.FieldByIndex(idx).Tag.Get("invalid"); msg != "" {
				v.Add(true, name, name+" "+msg)
			} else {
				v.Add(true, name, typeMessage(name, f.Type(), err))
			}
		}
	}
	return nil
}

// unknownProperties lists "property x should not exist" for fields of raw that t does not
// declare, recursing into nested objects and arrays of objects.
func unknownProperties(t reflect.Type, obj json.RawMessage) []string {
	known := jsonFields(t)
	var raw map[string]json.RawMessage
	if json.Unmarshal(obj, &raw) != nil {
		return nil
	}
	var out []string
	// In body order, as class-validator reports them.
	for _, name := range objectKeys(obj) {
		idx, ok := known[name]
		if !ok {
			out = append(out, fmt.Sprintf("property %s should not exist", name))
			continue
		}
		ft := t.FieldByIndex(idx).Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct:
			out = append(out, unknownProperties(ft, raw[name])...)
		case ft.Kind() == reflect.Slice && derefType(ft.Elem()).Kind() == reflect.Struct:
			var subs []json.RawMessage
			if json.Unmarshal(raw[name], &subs) == nil {
				for _, sub := range subs {
					out = append(out, unknownProperties(derefType(ft.Elem()), sub)...)
				}
			}
		}
	}
	return out
}

// objectKeys returns the keys of a JSON object in the order they appear (duplicates once).
func objectKeys(obj json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// typeMessage words a JSON type mismatch like class-validator's type decorators.
func typeMessage(name string, t reflect.Type, err error) string {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) && ute.Field != "" && !strings.EqualFold(ute.Field, name) {
		// nested: name the inner property as class-validator does for nested objects
		name = ute.Field[strings.LastIndex(ute.Field, ".")+1:]
		t = ute.Type
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return name + " must be a string"
	case reflect.Bool:
		return name + " must be a boolean value"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64, reflect.Float32:
		return name + " must be a number conforming to the specified constraints"
	case reflect.Slice:
		return name + " must be an array"
	case reflect.Map, reflect.Struct:
		return name + " must be an object"
	}
	return name + " is invalid"
}

// jsonFields maps a struct's JSON names to field indexes.
func jsonFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Index
	}
	return out
}

// The one place request bodies are read and checked (Medusa's app-wide body-parser json(), plus
// what PostgreSQL cannot store). guardInput runs it for every authenticated route, so a broken
// body is refused even where the handler ignores the body, as body-parser does; decodeBody runs
// it for the routes outside that group (it answers from the request's cache when guardInput
// already did).

// maxBodyBytes bounds a JSON body after decompression. (body-parser's default is 100kb, which
// Medusa keeps; Gorgon accepts more, never less.)
const maxBodyBytes = 1 << 20

var errNotObject = store.Invalidf("request body must be a JSON object")

// bodyKey holds the checked body of a request in its context.
type bodyKey struct{}

// isJSONType tells whether a Content-Type announces JSON, as body-parser's type "application/json"
// does (plus the +json suffix types, which carry JSON too).
func isJSONType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// withCheckedBody checks a JSON body (see readJSONBody) and returns the request carrying it, so
// that decodeBody and any other reader see the checked, decompressed text. Other bodies are left
// unread (uploads stream multipart bodies; body-parser skips them too).
func withCheckedBody(r *http.Request) (*http.Request, error) {
	if !isJSONType(r.Header.Get("Content-Type")) {
		return r, nil
	}
	raw, err := readJSONBody(r)
	if err != nil {
		return r, err
	}
	r = r.WithContext(context.WithValue(r.Context(), bodyKey{}, raw))
	r.Body = io.NopCloser(bytes.NewReader(raw))
	r.ContentLength = int64(len(raw))
	r.Header.Del("Content-Encoding")
	return r, nil
}

// requestBody returns the request's JSON object body, "{}" for an empty one. A non-empty body
// sent as anything but JSON is refused: Medusa's body parser would drop it silently and run the
// request as if no fields were sent.
func requestBody(r *http.Request) ([]byte, error) {
	if raw, ok := r.Context().Value(bodyKey{}).([]byte); ok {
		return raw, nil
	}
	if isJSONType(r.Header.Get("Content-Type")) {
		return readJSONBody(r)
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, store.Invalidf("could not read request body")
	}
	if len(bytes.TrimSpace(raw)) > 0 {
		return nil, store.Invalidf("request body must be sent as JSON (Content-Type: application/json)")
	}
	return []byte("{}"), nil
}

// readJSONBody reads and checks a body sent as JSON, in body-parser's order: charset (415),
// content encoding (gzip and deflate are inflated; others 415), size (413), syntax (400). Then
// the checks of its own: the body must be an object (body-parser's strict mode lets arrays
// through, which Medusa then takes as an empty update), and no string or property name may hold
// a NUL character, which PostgreSQL text and jsonb cannot store.
func readJSONBody(r *http.Request) ([]byte, error) {
	_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "utf8" {
		return nil, &statusError{status: http.StatusUnsupportedMediaType,
			err: store.Invalidf("unsupported charset %q", strings.ToUpper(cs))}
	}
	var body io.Reader = r.Body
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "deflate":
		var zr io.ReadCloser
		var err error
		if enc == "gzip" {
			zr, err = gzip.NewReader(r.Body)
		} else {
			zr, err = zlib.NewReader(r.Body)
		}
		if err != nil {
			return nil, store.Invalidf("request body could not be decompressed (%s)", enc)
		}
		defer zr.Close()
		body = zr
	default:
		return nil, &statusError{status: http.StatusUnsupportedMediaType,
			err: store.Invalidf("unsupported content encoding %q", enc)}
	}
	raw, err := io.ReadAll(io.LimitReader(body, maxBodyBytes+1))
	if err != nil {
		if body != r.Body {
			return nil, store.Invalidf("request body could not be decompressed")
		}
		return nil, store.Invalidf("could not read request body")
	}
	if len(raw) > maxBodyBytes {
		return nil, &statusError{status: http.StatusRequestEntityTooLarge, err: store.Invalidf("request entity too large")}
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		// body-parser's answer to an empty JSON body, which Medusa's clients rely on for actions
		// without input (POST …/resend).
		return []byte("{}"), nil
	}
	if err := json.Unmarshal(raw, new(json.RawMessage)); err != nil {
		return nil, store.Invalidf("%s", syntaxMessage(err))
	}
	if raw[0] != '{' {
		return nil, errNotObject
	}
	if at, key, ok := findNUL(raw); ok {
		if key {
			if at == "" {
				return nil, store.Invalidf("property names must not contain NUL characters")
			}
			return nil, store.Invalidf("%s property names must not contain NUL characters", at)
		}
		return nil, store.Invalidf("%s must not contain NUL characters", at)
	}
	return raw, nil
}

// syntaxMessage words a JSON syntax error with the position of the offending byte, as
// JSON.parse's messages do.
func syntaxMessage(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) && strings.HasSuffix(se.Error(), "exceeded max depth") {
		return "request body is nested too deeply"
	}
	if errors.As(err, &se) && strings.HasPrefix(se.Error(), "invalid character") && se.Offset > 0 {
		return fmt.Sprintf("request body is not valid JSON: %s at position %d", se.Error(), se.Offset-1)
	}
	if errors.As(err, &se) {
		return "request body is not valid JSON: " + se.Error()
	}
	return "request body is not valid JSON"
}

// findNUL returns where the JSON text raw (valid, an object) holds a NUL character: the path of
// the string value (`variants[0].title`), or of the object whose property name holds it (key
// true; "" for the body itself). Only bodies spelling \u0000 are walked.
func findNUL(raw []byte) (at string, key bool, found bool) {
	if !bytes.Contains(raw, []byte(`\u0000`)) {
		return "", false, false
	}
	type frame struct {
		object    bool
		key       string
		index     int
		expectKey bool
	}
	var stack []*frame
	path := func() string {
		var b strings.Builder
		for i, f := range stack {
			switch {
			case !f.object:
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			case i == 0:
				b.WriteString(f.key)
			default:
				b.WriteString("." + f.key)
			}
		}
		return b.String()
	}
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.object {
			top.expectKey = true
		} else {
			top.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false, false
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{object: true, expectKey: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			top := stack[len(stack)-1]
			if top.object && top.expectKey {
				if strings.ContainsRune(t, 0) {
					parent := stack[:len(stack)-1]
					stack = parent
					return path(), true, true
				}
				top.key, top.expectKey = t, false
				continue
			}
			if strings.ContainsRune(t, 0) {
				return path(), false, true
			}
			valueDone()
		default:
			valueDone()
		}
	}
}
