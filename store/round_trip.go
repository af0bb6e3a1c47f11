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
// store measures the round trip now and then (the quicker of two pings, on a connection of
// the pool, every 10 s while such reads come) and takes the fewer statements when it is at
// least slowRoundTrip.

const (
	slowRoundTrip     = 5 * time.Millisecond
	roundTripInterval = 10 * time.Second
)

// Read shapes (dbExtras.fewer).
const (
	fewerAuto = iota // by the measured round trip
	fewerOn
	fewerOff
)

// SetFewerStatements has db's reads that can take fewer, bigger statements always take them (on)
// or never (off), instead of choosing by the measured round trip.
func SetFewerStatements(db *bun.DB, on bool) {
	if on {
		extrasOf(db).fewer.Store(fewerOn)
	} else {
		extrasOf(db).fewer.Store(fewerOff)
	}
}

// fewerStatements reports whether a read should take fewer, bigger statements, and starts a
// measurement of the round trip when the last one is old.
func (s *Store) fewerStatements() bool {
	x := extrasOf(s.DB)
	switch x.fewer.Load() {
	case fewerOn:
		return true
	case fewerOff:
		return false
	}
	now := time.Now().UnixNano()
	if last := x.rttAt.Load(); now-last > int64(roundTripInterval) && x.rttAt.CompareAndSwap(last, now) {
		go s.measureRoundTrip()
	}
	return time.Duration(x.rtt.Load()) >= slowRoundTrip
}

func (s *Store) measureRoundTrip() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	best := time.Duration(-1)
	for range 2 {
		t0 := time.Now()
		if err := conn.PingContext(ctx); err != nil {
			return
		}
		if d := time.Since(t0); best < 0 || d < best {
			best = d
		}
	}
	extrasOf(s.DB).rtt.Store(int64(best))
}
