package qs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// corpusCase is one line of testdata/corpus.json: a query string and what the real qs made of
// it (testdata/gen.js).
type corpusCase struct {
	Query string          `json:"query"`
	Want  json.RawMessage `json:"want"`
}

func loadCorpus(t testing.TB) []corpusCase {
	t.Helper()
	b, err := os.ReadFile("testdata/corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		QS    string       `json:"qs"`
		Cases []corpusCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if c.QS != "6.10.3" {
		t.Fatalf("corpus made with qs %s, want Express 4.18.1's 6.10.3", c.QS)
	}
	return c.Cases
}

// decodeOrdered reads JSON into a Value, keeping the order of object keys.
func decodeOrdered(raw []byte) (Value, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var read func() (Value, error)
	read = func() (Value, error) {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case string:
			return String(tok), nil
		case bool:
			return Bool(tok), nil
		case json.Delim:
			switch tok {
			case '[':
				a := Array{}
				for dec.More() {
					v, err := read()
					if err != nil {
						return nil, err
					}
					a = append(a, v)
				}
				_, err := dec.Token()
				return a, err
			case '{':
				o := NewObject()
				for dec.More() {
					k, err := dec.Token()
					if err != nil {
						return nil, err
					}
					v, err := read()
					if err != nil {
						return nil, err
					}
					// Append, not Set: the order is the generator's, to be compared as it is.
					o.keys = append(o.keys, k.(string))
					o.vals[k.(string)] = v
				}
				_, err := dec.Token()
				return o, err
			}
		}
		return nil, fmt.Errorf("unexpected token %v", tok)
	}
	return read()
}

func encode(t testing.TB, v Value) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(b.String())
}

func TestParseCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 60 {
		t.Fatalf("corpus has %d cases", len(cases))
	}
	for _, c := range cases {
		name := c.Query
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		t.Run(name, func(t *testing.T) {
			wantValue, err := decodeOrdered(c.Want)
			if err != nil {
				t.Fatal(err)
			}
			got, want := encode(t, Parse(c.Query)), encode(t, wantValue)
			if got != want {
				t.Errorf("Parse(%q)\n got %s\nwant %s", c.Query, got, want)
			}
		})
	}
}

func TestObjectKeyOrder(t *testing.T) {
	o := NewObject()
	for _, k := range []string{"b", "10", "a", "2", "4294967295", "4294967294", "02", "0"} {
		o.Set(k, String(k))
	}
	got := strings.Join(o.Keys(), " ")
	if want := "0 2 10 4294967294 b a 4294967295 02"; got != want {
		t.Errorf("keys %q, want %q", got, want)
	}
}

func TestStrings(t *testing.T) {
	v, _ := Parse("a[1]=y&a[0]=x&b=s&c[x]=1").Get("a")
	if got, ok := Strings(v); !ok || strings.Join(got, ",") != "x,y" {
		t.Errorf("Strings(a) = %q, %v", got, ok)
	}
	for _, k := range []string{"b", "c"} {
		v, _ := Parse("b=s&c[x]=1").Get(k)
		if got, ok := Strings(v); ok {
			t.Errorf("Strings(%s) = %q, want not an array", k, got)
		}
	}
}

// FuzzParse checks that any input parses without panicking into a tree without holes that
// encodes as JSON.
func FuzzParse(f *testing.F) {
	for _, c := range loadCorpus(f) {
		if len(c.Query) < 200 {
			f.Add(c.Query)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		o := Parse(s)
		if o == nil {
			t.Fatal("nil object")
		}
		var walk func(v Value)
		walk = func(v Value) {
			switch v := v.(type) {
			case nil:
				t.Fatalf("hole left in %q", s)
			case Array:
				for _, e := range v {
					walk(e)
				}
			case *Object:
				if len(v.keys) != len(v.vals) {
					t.Fatalf("keys %d, values %d", len(v.keys), len(v.vals))
				}
				for _, k := range v.keys {
					walk(v.vals[k])
				}
			}
		}
		walk(o)
		if _, err := json.Marshal(o); err != nil {
			t.Fatal(err)
		}
	})
}
