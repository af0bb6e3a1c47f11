package jsdate

import (
	"encoding/json"
	"math/rand"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestAgainstNode asks node itself about mutated corpus strings and random local date-times, in
// the corpus zones (or those listed in JSDATE_ZONES, comma-separated). It needs node, so it runs
// only with JSDATE_NODE=1; the committed corpus is what always runs.
//
//	JSDATE_NODE=1 go test ./rest/jsdate -run TestAgainstNode -v
func TestAgainstNode(t *testing.T) {
	if os.Getenv("JSDATE_NODE") != "1" {
		t.Skip("set JSDATE_NODE=1 to compare with node")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("JSDATE_NODE=1 but node is not on PATH")
	}
	c := loadCorpus(t)
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	pieces := []string{"0", "1", "2", "5", "9", "-", "+", ":", ".", " ", "T", "Z", "(", ")", "a",
		"p", "m", "G", "/", ",", "\t", "\u00a0", "é", "24", "60", "00", "Oct", "pm"}
	var inputs []string
	seen := map[string]bool{}
	for len(inputs) < 40000 {
		s := []rune(c.Cases[r.Intn(len(c.Cases))][0].(string))
		for range 1 + r.Intn(3) {
			pos := r.Intn(len(s) + 1)
			piece := []rune(pieces[r.Intn(len(pieces))])
			switch {
			case r.Intn(3) == 0 || pos == len(s):
				s = append(s[:pos:pos], append(piece, s[pos:]...)...)
			case r.Intn(2) == 0:
				s = append(s[:pos:pos], s[pos+1:]...)
			default:
				s[pos] = piece[0]
			}
		}
		if str := string(s); !seen[str] {
			seen[str] = true
			inputs = append(inputs, str)
		}
	}
	// Local wall times over centuries of time zone history.
	for i := range 30000 {
		ts := time.Date(1700+r.Intn(450), time.Month(1+r.Intn(12)), 1+r.Intn(28), r.Intn(24),
			r.Intn(60), r.Intn(60), 0, time.UTC)
		if i%2 == 0 {
			inputs = append(inputs, ts.Format("2006-01-02T15:04:05"))
		} else {
			inputs = append(inputs, ts.Format("Jan 2 2006 15:04:05"))
		}
	}
	in, err := json.Marshal(inputs)
	if err != nil {
		t.Fatal(err)
	}
	zones := c.Zones
	if z := os.Getenv("JSDATE_ZONES"); z != "" {
		zones = strings.Split(z, ",")
	}
	for _, zone := range zones {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatalf("load %s: %v", zone, err)
		}
		cmd := exec.Command("node", "testdata/gen.js", "--eval")
		cmd.Env = append(os.Environ(), "TZ="+zone)
		cmd.Stdin = strings.NewReader(string(in))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("node in %s: %v", zone, err)
		}
		var want []*float64
		if err := json.Unmarshal(out, &want); err != nil || len(want) != len(inputs) {
			t.Fatalf("node in %s: %d results, %v", zone, len(want), err)
		}
		fails := 0
		for i, s := range inputs {
			got, ok := ParseMillis(s, loc)
			if ok != (want[i] != nil) || (ok && float64(got) != *want[i]) {
				fails++
				if fails <= 20 {
					w, wok := int64(0), want[i] != nil
					if wok {
						w = int64(*want[i])
					}
					t.Errorf("%s: new Date(%q) = %s, got %s", zone, s, show(w, wok), show(got, ok))
				}
			}
		}
		t.Logf("%s: %d inputs, %d differ", zone, len(inputs), fails)
	}
}
