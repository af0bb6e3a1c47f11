package password

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
)

// Hasher hashes and verifies passwords with at most Capacity scrypt derivations running at once.
//
// One derivation with Params holds 32 MiB for about 60 ms of one core. Unbounded, 200 concurrent
// wrong-password logins held 6.6 GB; bounded to the number of CPUs, they hold Capacity × 32 MiB
// and finish no later, since scrypt is CPU-bound and more derivations than cores only share the
// same cores. Requests beyond the bound wait in line (a few hundred bytes each) and leave it
// when their context ends, e.g. when the client goes away.
//
// Hash and Verify are the only ways to run scrypt outside this package, so every caller (login,
// user and customer creation, password reset, invite acceptance) shares the one bound of the
// Hasher it is given. It is safe for concurrent use.
type Hasher struct {
	slots chan struct{}

	// OnDerive, when set, runs while a slot is held, just before scrypt. Tests use it to hold
	// derivations open and observe the bound; set it before the Hasher is used.
	OnDerive func()

	derivations atomic.Int64
	running     atomic.Int64
	waiting     atomic.Int64
	peak        atomic.Int64
}

// NewHasher returns a Hasher running at most n derivations at once; n < 1 means one per CPU
// (runtime.GOMAXPROCS), at most maxDefaultSlots.
func NewHasher(n int) *Hasher {
	if n < 1 {
		n = min(runtime.GOMAXPROCS(0), maxDefaultSlots)
	}
	return &Hasher{slots: make(chan struct{}, n)}
}

// maxDefaultSlots caps the default bound so memory does not grow with the core count: 8 slots
// hold 256 MiB and check over a hundred passwords a second, far more than an admin backend's
// logins; a big machine's other cores stay free for everything else. (Go's heap may reach about
// twice the live memory between collections: a 2-core machine peaked near 200 MB in a burst.)
const maxDefaultSlots = 8

// Stats is a snapshot of a Hasher's counters.
type Stats struct {
	Capacity    int   // derivations allowed at once
	Derivations int64 // derivations started since the Hasher was made (each Hash or Verify that reached scrypt)
	Running     int64 // derivations holding a slot now
	Waiting     int64 // calls waiting for a slot now
	Peak        int64 // most derivations ever running at once
}

// Stats returns the current counters.
func (h *Hasher) Stats() Stats {
	return Stats{Capacity: cap(h.slots), Derivations: h.derivations.Load(), Running: h.running.Load(),
		Waiting: h.waiting.Load(), Peak: h.peak.Load()}
}

// Hash returns the base64 scrypt-kdf key of password with Params (see hash), once a slot is free.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	var out string
	err := h.run(ctx, func() (err error) {
		out, err = hashWith(password, Params)
		return err
	})
	return out, err
}

// Verify reports whether hash is a scrypt-kdf key of password (see verify), once a slot is free.
// A hash that cannot be checked is refused before waiting for a slot, and never runs scrypt.
func (h *Hasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	key, p, err := parse(hash)
	if err != nil {
		return false, err
	}
	var ok bool
	err = h.run(ctx, func() (err error) {
		ok, err = verifyKey(key, p, password)
		return err
	})
	return ok, err
}

// run waits for a slot (or for ctx to end) and runs derive in it.
func (h *Hasher) run(ctx context.Context, derive func() error) error {
	h.waiting.Add(1)
	select {
	case h.slots <- struct{}{}:
		h.waiting.Add(-1)
	case <-ctx.Done():
		h.waiting.Add(-1)
		return fmt.Errorf("wait for a password hashing slot: %w", context.Cause(ctx))
	}
	defer func() { <-h.slots }()
	n := h.running.Add(1)
	defer h.running.Add(-1)
	for {
		p := h.peak.Load()
		if n <= p || h.peak.CompareAndSwap(p, n) {
			break
		}
	}
	h.derivations.Add(1)
	if h.OnDerive != nil {
		h.OnDerive()
	}
	return derive()
}
