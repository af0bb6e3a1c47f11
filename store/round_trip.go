package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Round trips against work.
//
// Some reads can be sent as fewer, bigger statements: an order by id as one statement with all
// its relations (loadOrderRooted) instead of a statement per depth. The bigger statement costs
// more to plan, lock and run (an order by id: 2.6 ms of server CPU instead of 1.6, and more in
// PostgreSQL), which a round trip saved pays for only when round trips are slow: from a few
// milliseconds (another region, a loaded network) up, not on a local database (~0.1 ms). The
// store takes the fewer statements when the quickest of its last roundTripSamples statements took
// at least slowRoundTrip: every statement waits for at least one round trip, and among a few
// dozen some do little else. It follows a database that became far only once the last quick
// statement has left the window (in rest/bench_latency_test.go, whose delay starts after a
// quick setup, the eleventh order read), and one that became near at once. Measured from the
// statements the store sends anyway, so nothing is
// sent or held for it (a periodic ping held a connection of a small pool for two round trips,
// which other requests then waited for).

const (
	slowRoundTrip    = 5 * time.Millisecond
	roundTripSamples = 32
)

// Read shapes (dbExtras.fewer).
const (
	fewerAuto = iota // by the statements' times
	fewerOn
	fewerOff
)

// SetFewerStatements has db's reads that can take fewer, bigger statements always take them (on)
// or never (off), instead of choosing by the statements' times.
func SetFewerStatements(db *bun.DB, on bool) {
	if on {
		extrasOf(db).fewer.Store(fewerOn)
	} else {
		extrasOf(db).fewer.Store(fewerOff)
	}
}

// fewerStatements reports whether a read should take fewer, bigger statements.
func (s *Store) fewerStatements() bool {
	x := extrasOf(s.DB)
	switch x.fewer.Load() {
	case fewerOn:
		return true
	case fewerOff:
		return false
	}
	return x.quickest() >= slowRoundTrip
}

// quickest is the shortest of the last statements' times, 0 before any.
func (x *dbExtras) quickest() time.Duration {
	var best time.Duration
	for i := range x.took {
		if d := time.Duration(x.took[i].Load()); d > 0 && (best == 0 || d < best) {
			best = d
		}
	}
	return best
}

// statementTimes is the query hook that records how long each statement took (OpenDB adds it).
type statementTimes struct{ x *dbExtras }

func (h statementTimes) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (h statementTimes) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	if ev.Err != nil {
		return // a refusal can come before any round trip
	}
	n := h.x.tookN.Add(1)
	h.x.took[n%roundTripSamples].Store(int64(max(time.Since(ev.StartTime), 1)))
}
