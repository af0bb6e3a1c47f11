package store

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"
)

// fakeClock drives a throttle's time.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestThrottle(limits LoginLimits) (*LoginThrottle, *fakeClock) {
	c := &fakeClock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	t := NewLoginThrottle(limits)
	t.now = c.now
	return t, c
}

// attempt runs one attempt to its end and returns the refusal's wait, or 0 when admitted.
func attempt(t *testing.T, th *LoginThrottle, email string, addr netip.Addr, o loginOutcome) time.Duration {
	t.Helper()
	tk, err := th.begin(email, addr)
	if err != nil {
		var se *Error
		if !errors.As(err, &se) || se.Type != NotAllowed || se.RetryAfter <= 0 {
			t.Fatalf("refusal %v is not a not_allowed error with RetryAfter", err)
		}
		return se.RetryAfter
	}
	tk.done(o)
	return 0
}

func TestLoginThrottleWindow(t *testing.T) {
	t.Parallel()
	th, clock := newTestThrottle(LoginLimits{AccountFailures: 3, AddressFailures: 100, Window: time.Minute})
	a := netip.MustParseAddr("203.0.113.1")
	for i := 0; i < 3; i++ {
		if w := attempt(t, th, "a@x.co", a, loginFailed); w != 0 {
			t.Fatalf("attempt %d refused", i)
		}
		clock.advance(10 * time.Second)
	}
	// The window started at the first attempt, 30 s ago: 30 s remain.
	if w := attempt(t, th, "A@X.CO", a, loginSucceeded); w != 30*time.Second {
		t.Fatalf("wait %v, want 30s", w)
	}
	clock.advance(30 * time.Second)
	if w := attempt(t, th, "a@x.co", a, loginFailed); w != 0 {
		t.Fatalf("refused after the window: %v", w)
	}
}

// Aborted attempts (cancelled, database errors) never count; attempts in flight do, until
// settled, with a one-second wait since they may yet succeed.
func TestLoginThrottlePendingAndAborted(t *testing.T) {
	t.Parallel()
	th, _ := newTestThrottle(LoginLimits{AccountFailures: 2, AddressFailures: 100, Window: time.Minute})
	var a netip.Addr // unknown address: only the account counts
	for i := 0; i < 5; i++ {
		if w := attempt(t, th, "a@x.co", a, loginAborted); w != 0 {
			t.Fatalf("aborted attempts counted: %v", w)
		}
	}
	t1, err := th.begin("a@x.co", a)
	if err != nil {
		t.Fatal(err)
	}
	t2, err := th.begin("a@x.co", a)
	if err != nil {
		t.Fatal(err)
	}
	if w := attempt(t, th, "a@x.co", a, loginFailed); w != time.Second {
		t.Fatalf("wait with two in flight %v, want 1s", w)
	}
	t1.done(loginSucceeded) // clears the account; t2 then fails into a fresh count
	t2.done(loginFailed)
	if w := attempt(t, th, "a@x.co", a, loginFailed); w != 0 {
		t.Fatalf("refused with one failure after a success: %v", w)
	}
	if w := attempt(t, th, "a@x.co", a, loginFailed); w == 0 {
		t.Fatal("admitted after two failures")
	}
}

// The address limit spans emails and survives successes; an IPv6 client counts by its /64.
func TestLoginThrottleAddress(t *testing.T) {
	t.Parallel()
	th, _ := newTestThrottle(LoginLimits{AccountFailures: 100, AddressFailures: 3, Window: time.Minute})
	for i := 0; i < 3; i++ {
		addr := netip.MustParseAddr(fmt.Sprintf("2001:db8:1:2::%x", i+1))
		if w := attempt(t, th, fmt.Sprintf("u%d@x.co", i), addr, loginFailed); w != 0 {
			t.Fatalf("attempt %d refused", i)
		}
		if i == 1 {
			attempt(t, th, "ok@x.co", addr, loginSucceeded)
		}
	}
	if w := attempt(t, th, "new@x.co", netip.MustParseAddr("2001:db8:1:2:ffff::9"), loginFailed); w != time.Minute {
		t.Fatalf("same /64: wait %v, want 1m", w)
	}
	if w := attempt(t, th, "new@x.co", netip.MustParseAddr("2001:db8:1:3::1"), loginFailed); w != 0 {
		t.Fatalf("another /64 refused: %v", w)
	}
	// A v4-mapped address is the IPv4 address.
	v4 := netip.MustParseAddr("198.51.100.1")
	for i := 0; i < 3; i++ {
		attempt(t, th, "v4@x.co", v4, loginFailed)
	}
	if w := attempt(t, th, "v4@x.co", netip.MustParseAddr("::ffff:198.51.100.1"), loginFailed); w == 0 {
		t.Fatal("v4-mapped address escaped the IPv4 count")
	}
}

// A flood of distinct keys never holds more than MaxKeys per table; expired keys are dropped.
func TestLoginThrottleBoundedMemory(t *testing.T) {
	t.Parallel()
	th, clock := newTestThrottle(LoginLimits{AccountFailures: 5, AddressFailures: 5, Window: time.Minute, MaxKeys: 100})
	for i := 0; i < 1000; i++ {
		attempt(t, th, fmt.Sprintf("u%d@x.co", i), netip.AddrFrom4([4]byte{10, 0, byte(i / 256), byte(i)}), loginFailed)
	}
	if acc, addr := th.Tracked(); acc != 100 || addr != 100 {
		t.Fatalf("tracked %d accounts, %d addresses; want 100 each", acc, addr)
	}
	// The newest keys are the ones kept.
	for i := 0; i < 4; i++ {
		attempt(t, th, "u999@x.co", netip.MustParseAddr("192.0.2.1"), loginFailed)
	}
	if w := attempt(t, th, "u999@x.co", netip.MustParseAddr("192.0.2.2"), loginFailed); w == 0 {
		t.Fatal("the newest account was forgotten")
	}
	clock.advance(time.Minute)
	attempt(t, th, "late@x.co", netip.Addr{}, loginFailed)
	if acc, addr := th.Tracked(); acc != 1 || addr != 0 {
		t.Fatalf("after the window: tracked %d accounts, %d addresses; want 1, 0", acc, addr)
	}
}
