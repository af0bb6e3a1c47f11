package password

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// waitFor polls cond until it holds; the bound is checked on counters, not on timing.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestHasherBoundsConcurrency(t *testing.T) {
	t.Parallel()
	h := NewHasher(2)
	release := make(chan struct{})
	h.OnDerive = func() { <-release }
	const calls = 5
	f := nodeFixtures[0] // Medusa's cheap parameters: the test is about the bound, not the cost
	var wg sync.WaitGroup
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := h.Verify(context.Background(), f.hash, f.password); !ok || err != nil {
				t.Errorf("Verify under the bound = %v, %v", ok, err)
			}
		}()
	}
	// Two derive, three wait: the third call never reached scrypt.
	waitFor(t, "2 running and 3 waiting", func() bool { st := h.Stats(); return st.Running == 2 && st.Waiting == 3 })
	if st := h.Stats(); st.Derivations != 2 || st.Capacity != 2 {
		t.Fatalf("stats with two held: %+v", st)
	}
	close(release)
	wg.Wait()
	if st := h.Stats(); st != (Stats{Capacity: 2, Derivations: calls, Peak: 2}) {
		t.Fatalf("stats after: %+v", st)
	}
}

func TestHasherHashRoundTrip(t *testing.T) {
	t.Parallel()
	h := NewHasher(0)
	s, err := h.Hash(context.Background(), "pw")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := h.Verify(context.Background(), s, "pw"); !ok || err != nil {
		t.Fatalf("Verify(own hash) = %v, %v", ok, err)
	}
	if ok, err := h.Verify(context.Background(), s, "pw2"); ok || err != nil {
		t.Fatalf("Verify(wrong) = %v, %v", ok, err)
	}
	if st := h.Stats(); st.Derivations != 3 || st.Capacity < 1 || st.Running != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestHasherWaitHonoursContext(t *testing.T) {
	t.Parallel()
	h := NewHasher(1)
	release, entered := make(chan struct{}), make(chan struct{})
	h.OnDerive = func() { entered <- struct{}{}; <-release }
	done := make(chan error)
	f := nodeFixtures[0]
	go func() { _, err := h.Verify(context.Background(), f.hash, f.password); done <- err }()
	<-entered

	ctx, cancel := context.WithCancel(context.Background())
	waited := make(chan error)
	go func() { _, err := h.Verify(ctx, f.hash, f.password); waited <- err }()
	waitFor(t, "a waiter", func() bool { return h.Stats().Waiting == 1 })
	cancel()
	if err := <-waited; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v, want context.Canceled", err)
	}
	if st := h.Stats(); st.Derivations != 1 || st.Waiting != 0 {
		t.Fatalf("the cancelled call ran scrypt or still waits: %+v", st)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A hash that cannot be checked is refused without a slot: a crafted row cannot make logins wait.
func TestHasherMalformedTakesNoSlot(t *testing.T) {
	t.Parallel()
	h := NewHasher(1)
	if ok, err := h.Verify(context.Background(), "not a hash", "pw"); ok || !errors.Is(err, ErrMalformed) {
		t.Fatalf("Verify(malformed) = %v, %v", ok, err)
	}
	ok, err := h.Verify(context.Background(), nodeFixtures[0].hash, nodeFixtures[0].password)
	if !ok || err != nil {
		t.Fatalf("Verify(fixture) = %v, %v", ok, err)
	}
	if st := h.Stats(); st.Derivations != 1 {
		t.Fatalf("derivations %d, want 1", st.Derivations)
	}
}
