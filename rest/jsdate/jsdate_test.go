package jsdate

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

// corpus is testdata/corpus.json, written by testdata/gen.js from node's own `new Date(s)`.
type corpus struct {
	Node  string   `json:"node"`
	Zones []string `json:"zones"`
	Cases [][]any  `json:"cases"` // [input, result per zone: epoch ms or null]
}

func loadCorpus(t testing.TB) corpus {
	t.Helper()
	b, err := os.ReadFile("testdata/corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	var c corpus
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Cases) < 1000 || len(c.Zones) < 2 {
		t.Fatalf("corpus too small: %d cases, %d zones", len(c.Cases), len(c.Zones))
	}
	return c
}

func show(ms int64, ok bool) string {
	if !ok {
		return "Invalid Date"
	}
	return fmt.Sprintf("%d (%s)", ms, time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z07:00"))
}

// TestCorpus compares every string of the corpus, in every zone, with what node made of it.
func TestCorpus(t *testing.T) {
	c := loadCorpus(t)
	for zi, zone := range c.Zones {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatalf("load %s: %v", zone, err)
		}
		fails := 0
		for _, tc := range c.Cases {
			in := tc[0].(string)
			want, wantOK := int64(0), false
			if v, isNum := tc[1+zi].(float64); isNum {
				want, wantOK = int64(v), true
			}
			got, gotOK := ParseMillis(in, loc)
			if gotOK != wantOK || (wantOK && got != want) {
				fails++
				if fails <= 40 {
					t.Errorf("%s: new Date(%q) = %s, got %s", zone, in, show(want, wantOK), show(got, gotOK))
				}
			}
		}
		if fails > 0 {
			t.Errorf("%s: %d of %d differ (node %s)", zone, fails, len(c.Cases), c.Node)
		}
	}
}

// TestCorpusSeconds checks Number() and new Date(number) on the corpus' last column, and
// ParseOrSeconds (Medusa's query date filters) as the combination of the two.
func TestCorpusSeconds(t *testing.T) {
	c := loadCorpus(t)
	last := 1 + len(c.Zones)
	fails := 0
	for _, tc := range c.Cases {
		in := tc[0].(string)
		want, wantOK := int64(0), false
		if v, isNum := tc[last].(float64); isNum {
			want, wantOK = int64(v), true
		}
		got, gotOK := FromNumber(Number(in) * 1000)
		if gotOK != wantOK || (wantOK && got.UnixMilli() != want) {
			fails++
			if fails <= 40 {
				t.Errorf("new Date(Number(%q) * 1000) = %s, got %s", in, show(want, wantOK), show(got.UnixMilli(), gotOK))
			}
		}
		// In UTC: Parse when new Date(s) is valid, the seconds otherwise.
		if v, isNum := tc[1].(float64); isNum {
			want, wantOK = int64(v), true
		}
		got, gotOK = ParseOrSeconds(in, time.UTC)
		if gotOK != wantOK || (wantOK && got.UnixMilli() != want) {
			fails++
			if fails <= 40 {
				t.Errorf("ParseOrSeconds(%q) = %s, want %s", in, show(got.UnixMilli(), gotOK), show(want, wantOK))
			}
		}
	}
	if fails > 0 {
		t.Errorf("%d differ", fails)
	}
}

// jsISOString is Date.prototype.toISOString.
func jsISOString(ms int64) string {
	t := time.UnixMilli(ms).UTC()
	y := t.Year()
	rest := t.Format("-01-02T15:04:05.000Z")
	switch {
	case y >= 0 && y <= 9999:
		return fmt.Sprintf("%04d%s", y, rest)
	case y < 0:
		return fmt.Sprintf("-%06d%s", -y, rest)
	default:
		return fmt.Sprintf("+%06d%s", y, rest)
	}
}

// jsUTCString is Date.prototype.toUTCString for years 0-9999.
func jsUTCString(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")
}

// FuzzParse: no input panics (Parse, ParseOrSeconds), results are valid time values, and
// whatever is accepted comes back unchanged through JavaScript's own output formats.
func FuzzParse(f *testing.F) {
	for _, tc := range loadCorpus(f).Cases {
		f.Add(tc[0].(string))
	}
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tm, ok := ParseOrSeconds(s, time.UTC); ok && (tm.UnixMilli() < -maxTime || tm.UnixMilli() > maxTime) {
			t.Fatalf("ParseOrSeconds(%q) = %d, beyond the time value range", s, tm.UnixMilli())
		}
		for _, loc := range []*time.Location{time.UTC, kolkata} {
			ms, ok := ParseMillis(s, loc)
			tm, ok2 := Parse(s, loc)
			if ok != ok2 || (ok && tm.UnixMilli() != ms) {
				t.Fatalf("Parse(%q) = %v %v, ParseMillis = %d %v", s, tm, ok2, ms, ok)
			}
			if !ok {
				continue
			}
			if ms < -maxTime || ms > maxTime {
				t.Fatalf("Parse(%q) = %d, beyond the time value range", s, ms)
			}
			iso := jsISOString(ms)
			if back, ok := ParseMillis(iso, loc); !ok || back != ms {
				t.Fatalf("Parse(%q) = %d, but its ISO string %q reads as %d %v", s, ms, iso, back, ok)
			}
			if y := tm.Year(); y >= 100 && y <= 9999 {
				utc := jsUTCString(ms)
				want := ms - ms%1000
				if ms%1000 < 0 {
					want -= 1000
				}
				if back, ok := ParseMillis(utc, loc); !ok || back != want {
					t.Fatalf("Parse(%q) = %d, but its UTC string %q reads as %d %v", s, ms, utc, back, ok)
				}
			}
		}
	})
}

func ExampleParse() {
	for _, s := range []string{
		"10-10-2005", // Medusa's own API tests: month-day-year, local time
		"2005-10-10", // ISO date only: UTC
		"2005-10-10T10:00",
		"Mon Oct 10 2005 00:00:00 GMT+0200 (Central European Summer Time)",
		"12",            // V8: 1 December 2001, local time
		"1700000000000", // a string of digits is not epoch milliseconds: year 170000000
	} {
		t, ok := Parse(s, time.FixedZone("EST", -5*3600))
		fmt.Println(s, "=>", t.Format(time.RFC3339Nano), ok)
	}
	// Output:
	// 10-10-2005 => 2005-10-10T05:00:00Z true
	// 2005-10-10 => 2005-10-10T00:00:00Z true
	// 2005-10-10T10:00 => 2005-10-10T15:00:00Z true
	// Mon Oct 10 2005 00:00:00 GMT+0200 (Central European Summer Time) => 2005-10-09T22:00:00Z true
	// 12 => 2001-12-01T05:00:00Z true
	// 1700000000000 => 0001-01-01T00:00:00Z false
}
