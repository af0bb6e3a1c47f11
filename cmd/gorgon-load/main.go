// Command gorgon-load is a load driver for comparing Gorgon builds (or Gorgon and Medusa) on the
// same database in one run: for each request it runs every target in turn, with N concurrent
// keep-alive clients for a fixed duration, and prints requests per second, p50/p99 latency, the
// SQL statements per request (from pg_stat_database, when -db is given and the targets are the
// only clients of that database) and the server's peak resident memory (from /proc, when its
// pid is given). Targets run one after another, request by request, so that background load on
// a shared machine falls on all of them alike; -rounds repeats the whole set, alternating the
// order. See README.md, "Load test".
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type target struct {
	name, url string
	pid       int
}

type result struct {
	n, errors     int
	rps           float64
	p50, p99      time.Duration
	statements    float64 // per request, -1 unknown
	rssMB         float64 // peak, -1 unknown
	cpuMS         float64 // server CPU time per request, -1 unknown
	bytesPerReply int
}

func main() {
	targetsFlag := flag.String("targets", "", "comma list of name=url[@pid], e.g. before=http://127.0.0.1:9205@1234,after=http://127.0.0.1:9204@1235")
	token := flag.String("token", "load_token", "admin API token (Authorization: Bearer)")
	clients := flag.Int("c", 16, "concurrent clients")
	duration := flag.Duration("d", 10*time.Second, "duration of each run")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before each run")
	rounds := flag.Int("rounds", 1, "repeat the whole set, alternating the target order; the best round of each target counts")
	dbURL := flag.String("db", "", "PostgreSQL URL of the targets' database, to count statements per request (pg_stat_database)")
	soakFor := flag.Duration("soak", 0, "instead of the table: a mixed load (70% reads of -paths, 30% writes) on the first target for this long, printing its RSS, req/s and p99 every -sample")
	sample := flag.Duration("sample", 30*time.Second, "sampling interval of -soak")
	pathsFlag := flag.String("paths", "", "comma list of paths (default: the issue's product and customer requests; {product} is the id of a product from the first page)")
	flag.Parse()

	var targets []target
	for _, t := range strings.Split(*targetsFlag, ",") {
		name, rest, ok := strings.Cut(t, "=")
		if !ok {
			fail("bad -targets entry %q", t)
		}
		tg := target{name: name, url: strings.TrimRight(rest, "/")}
		if u, pid, ok := strings.Cut(rest, "@"); ok {
			tg.url = strings.TrimRight(u, "/")
			n, err := strconv.Atoi(pid)
			if err != nil {
				fail("bad pid in %q", t)
			}
			tg.pid = n
		}
		targets = append(targets, tg)
	}
	if len(targets) == 0 {
		fail("-targets is required")
	}
	paths := []string{
		"/admin/products?limit=50",
		"/admin/products?limit=50&offset=5000",
		"/admin/products?limit=50&q=linen",
		"/admin/customers?limit=50",
		"/admin/products/{product}",
	}
	if *pathsFlag != "" {
		paths = strings.Split(*pathsFlag, ",")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients * 2, MaxConnsPerHost: *clients * 2}, Timeout: time.Minute}
	productID := firstProduct(client, targets[0], *token)
	if *soakFor > 0 {
		for i := range paths {
			paths[i] = strings.ReplaceAll(paths[i], "{product}", productID)
		}
		soak(client, targets[0], *token, *clients, *soakFor, *sample, paths, productID)
		return
	}
	var db *sql.DB
	if *dbURL != "" {
		var err error
		if db, err = sql.Open("pgx", *dbURL); err != nil {
			fail("open %s: %v", *dbURL, err)
		}
		db.SetMaxOpenConns(1)
	}

	best := map[string]map[string]result{} // path → target → best result
	for round := 0; round < *rounds; round++ {
		order := slices.Clone(targets)
		if round%2 == 1 {
			slices.Reverse(order)
		}
		for _, p := range paths {
			p = strings.ReplaceAll(p, "{product}", productID)
			if best[p] == nil {
				best[p] = map[string]result{}
			}
			for _, t := range order {
				run(client, t, p, *token, *clients, *warmup)
				before := xacts(db)
				r := run(client, t, p, *token, *clients, *duration)
				r.statements = -1
				if db != nil {
					time.Sleep(1500 * time.Millisecond)                       // PostgreSQL publishes its counters about once a second
					r.statements = float64(xacts(db)-before-2) / float64(r.n) // the two statements of xacts itself
				}
				fmt.Fprintf(os.Stderr, "round %d %-8s %-45s %8.1f req/s p50 %6.1f ms p99 %7.1f ms %5.1f sql/req rss %6.1f MB cpu %5.2f ms/req errors %d\n",
					round+1, t.name, p, r.rps, ms(r.p50), ms(r.p99), r.statements, r.rssMB, r.cpuMS, r.errors)
				if b, ok := best[p][t.name]; !ok || r.rps > b.rps {
					best[p][t.name] = r
				}
			}
		}
	}
	// The table: one row per request, the targets side by side, and the ratio of the last to
	// the first.
	fmt.Printf("| request |")
	for _, t := range targets {
		fmt.Printf(" %s req/s | p50 | p99 | sql/req | RSS MB | CPU ms/req |", t.name)
	}
	fmt.Printf(" %s/%s req/s | p99 ratio |\n|---|", targets[len(targets)-1].name, targets[0].name)
	for range targets {
		fmt.Printf("---|---|---|---|---|---|")
	}
	fmt.Println("---|---|")
	for _, p := range paths {
		p = strings.ReplaceAll(p, "{product}", productID)
		fmt.Printf("| `GET %s` |", p)
		for _, t := range targets {
			r := best[p][t.name]
			fmt.Printf(" %.1f | %.1f ms | %.1f ms | %s | %s | %s |", r.rps, ms(r.p50), ms(r.p99), orUnknown(r.statements, "%.1f"),
				orUnknown(r.rssMB, "%.0f"), orUnknown(r.cpuMS, "%.2f"))
		}
		first, last := best[p][targets[0].name], best[p][targets[len(targets)-1].name]
		fmt.Printf(" %.2f× | 1/%.1f |\n", last.rps/first.rps, float64(first.p99)/float64(last.p99))
	}
}

// run sends GET path to t from n clients for d and measures it.
func run(client *http.Client, t target, path, token string, n int, d time.Duration) result {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	var errs, size atomic.Int64
	var peak atomic.Int64
	done := make(chan struct{})
	go func() { // RSS sampler
		for {
			if kb := rssKB(t.pid); kb > peak.Load() {
				peak.Store(kb)
			}
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	cpu0 := cpuTicks(t.pid)
	start := time.Now()
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil {
				req, _ := http.NewRequest("GET", t.url+path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				b, err := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != http.StatusOK {
					errs.Add(1)
					continue
				}
				size.Store(b)
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(done)
	slices.Sort(lat)
	r := result{n: len(lat), errors: int(errs.Load()), rps: float64(len(lat)) / elapsed.Seconds(), bytesPerReply: int(size.Load()), rssMB: -1}
	if len(lat) > 0 {
		r.p50 = lat[len(lat)*50/100]
		r.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	r.cpuMS = -1
	if t.pid > 0 {
		r.rssMB = float64(peak.Load()) / 1024
		if len(lat) > 0 {
			r.cpuMS = float64(cpuTicks(t.pid)-cpu0) * 1000 / clockTicks / float64(len(lat))
		}
	}
	return r
}

// rssKB is the resident set of process pid (VmRSS), 0 when unknown.
func rssKB(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times (100 on Linux).
const clockTicks = 100

// cpuTicks is the user plus system CPU time of process pid so far.
func cpuTicks(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: count fields after its closing parenthesis.
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return utime + stime
}

// xacts is the number of transactions committed in the current database: with autocommit, one
// per statement (the query itself is one more).
func xacts(db *sql.DB) int64 {
	if db == nil {
		return 0
	}
	var n int64
	if _, err := db.Exec("SELECT pg_stat_clear_snapshot()"); err != nil {
		fail("pg_stat: %v", err)
	}
	if err := db.QueryRow("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()").Scan(&n); err != nil {
		fail("pg_stat: %v", err)
	}
	return n
}

func firstProduct(client *http.Client, t target, token string) string {
	req, _ := http.NewRequest("GET", t.url+"/admin/products?limit=1&offset=100", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		fail("%s: %v", t.url, err)
	}
	defer res.Body.Close()
	var body struct {
		Products []struct {
			ID string `json:"id"`
		} `json:"products"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || len(body.Products) == 0 {
		fail("%s: no product to get (status %d): %v", t.url, res.StatusCode, err)
	}
	return body.Products[0].ID
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func orUnknown(v float64, format string) string {
	if v < 0 {
		return "–"
	}
	return fmt.Sprintf(format, v)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gorgon-load: "+format+"\n", args...)
	os.Exit(2)
}
