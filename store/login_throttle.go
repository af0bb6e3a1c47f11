package store

import (
	"container/list"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// LoginLimits are the failed-login limits. Medusa 1.3.8 has none: every attempt runs the
// password check.
type LoginLimits struct {
	// AccountFailures is how many failed logins one email may have in Window before further
	// attempts for it are refused without checking the password. A successful login clears it.
	AccountFailures int
	// AddressFailures is the same for one client address (an IPv6 client's /64 network),
	// whatever the emails tried; a successful login does not clear it, so one valid account
	// cannot be used to keep guessing others.
	AddressFailures int
	// Window is how long failures are remembered, counted from the first attempt of a key.
	Window time.Duration
	// MaxKeys caps the emails and the addresses tracked (each); beyond it the key with the
	// oldest window is forgotten first, so memory stays bounded under a flood of distinct keys.
	MaxKeys int
}

// DefaultLoginLimits: 10 failures per account and 50 per address in 15 minutes. An admin who
// mistypes a few times is never held up; a guesser gets 10 tries per account per quarter hour,
// and an office behind one NAT address has room for many people's typos. Full tables (50,000
// emails of ~45 characters and 50,000 addresses) measured 17 MB of heap.
var DefaultLoginLimits = LoginLimits{AccountFailures: 10, AddressFailures: 50, Window: 15 * time.Minute, MaxKeys: 50_000}

// LoginThrottle counts failed logins per account and per client address, in memory: each
// instance counts its own, so N instances behind a load balancer allow up to N times the limits.
//
// An attempt reserves its place before the password is checked (begin) and settles it after
// (done). Counting attempts in flight, not only finished failures, is what lets a burst of 200
// simultaneous guesses against one account run scrypt only AccountFailures times: the rest are
// refused at once instead of all passing the check before the first failure is recorded.
type LoginThrottle struct {
	limits LoginLimits
	now    func() time.Time

	mu        sync.Mutex
	accounts  failureTable
	addresses failureTable
	refused   atomic.Int64
}

// Refused is how many attempts the throttle refused since it started (a metric).
func (t *LoginThrottle) Refused() int64 { return t.refused.Load() }

// NewLoginThrottle returns an empty throttle; zero fields of limits take DefaultLoginLimits'.
func NewLoginThrottle(limits LoginLimits) *LoginThrottle {
	d := DefaultLoginLimits
	if limits.AccountFailures <= 0 {
		limits.AccountFailures = d.AccountFailures
	}
	if limits.AddressFailures <= 0 {
		limits.AddressFailures = d.AddressFailures
	}
	if limits.Window <= 0 {
		limits.Window = d.Window
	}
	if limits.MaxKeys <= 0 {
		limits.MaxKeys = d.MaxKeys
	}
	return &LoginThrottle{
		limits:    limits,
		now:       time.Now,
		accounts:  newFailureTable(limits.AccountFailures),
		addresses: newFailureTable(limits.AddressFailures),
	}
}

// Tracked returns how many emails and addresses the throttle currently remembers.
func (t *LoginThrottle) Tracked() (accounts, addresses int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.accounts.byKey), len(t.addresses.byKey)
}

// loginTicket is one admitted attempt, to be settled exactly once with done.
type loginTicket struct {
	t                   *LoginThrottle
	account, address    string
	accEntry, addrEntry *failureEntry
}

// loginOutcome is how an admitted attempt ended.
type loginOutcome int

const (
	loginFailed    loginOutcome = iota // wrong email or password: counts
	loginSucceeded                     // clears the account's failures
	loginAborted                       // never decided (cancelled, database error): does not count
)

// begin admits an attempt for email from client (the zero Addr when unknown: only the account
// is counted), or refuses it with a not_allowed error carrying RetryAfter.
func (t *LoginThrottle) begin(email string, client netip.Addr) (*loginTicket, error) {
	account, address := strings.ToLower(email), addressKey(client)
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.accounts.expire(now, t.limits.Window)
	t.addresses.expire(now, t.limits.Window)
	wait := t.accounts.blockedFor(account, now, t.limits.Window)
	if address != "" {
		wait = max(wait, t.addresses.blockedFor(address, now, t.limits.Window))
	}
	if wait > 0 {
		t.refused.Add(1)
		return nil, &Error{Type: NotAllowed, Message: "Too many failed login attempts. Please try again later.",
			RetryAfter: wait}
	}
	tk := &loginTicket{t: t, account: account, address: address}
	tk.accEntry = t.accounts.reserve(account, now, t.limits.MaxKeys)
	if address != "" {
		tk.addrEntry = t.addresses.reserve(address, now, t.limits.MaxKeys)
	}
	return tk, nil
}

// done settles an attempt admitted by begin.
func (tk *loginTicket) done(o loginOutcome) {
	t := tk.t
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if o == loginSucceeded {
		t.accounts.remove(tk.account)
	} else if t.accounts.settle(tk.account, tk.accEntry, o == loginFailed, now, t.limits.MaxKeys) {
		// Once per key and window, so an attack is visible without a line per attempt.
		slog.Warn("login throttled: too many failures for an account", "email", tk.account,
			"failures", t.limits.AccountFailures, "window", t.limits.Window)
	}
	if tk.address != "" && t.addresses.settle(tk.address, tk.addrEntry, o == loginFailed, now, t.limits.MaxKeys) {
		slog.Warn("login throttled: too many failures from an address", "address", tk.address,
			"failures", t.limits.AddressFailures, "window", t.limits.Window)
	}
}

// addressKey is the throttle key of a client address: the address itself for IPv4, its /64
// network for IPv6, since one IPv6 client usually holds a whole /64 and could otherwise rotate
// through it. The zero Addr (unknown) gives "".
func addressKey(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// failureTable counts failures per key in fixed windows. order holds the entries oldest window
// first, so expiry and eviction both take from its front.
type failureTable struct {
	limit int
	byKey map[string]*list.Element
	order *list.List // of *failureEntry
}

type failureEntry struct {
	key      string
	start    time.Time // start of the current window
	failures int       // failures recorded in the window
	pending  int       // attempts admitted and not yet settled
}

func newFailureTable(limit int) failureTable {
	return failureTable{limit: limit, byKey: map[string]*list.Element{}, order: list.New()}
}

// expire forgets the keys whose window has ended and that have nothing in flight; an ended
// window with attempts in flight starts afresh at the back.
func (ft *failureTable) expire(now time.Time, window time.Duration) {
	for el := ft.order.Front(); el != nil; el = ft.order.Front() {
		e := el.Value.(*failureEntry)
		if now.Sub(e.start) < window {
			return
		}
		if e.pending == 0 {
			ft.order.Remove(el)
			delete(ft.byKey, e.key)
			continue
		}
		e.start, e.failures = now, 0
		ft.order.MoveToBack(el)
	}
}

// blockedFor returns how long key must wait before its next attempt, 0 if it may go now.
// Attempts in flight count against the limit: when they alone fill it, the wait is a second
// (they may yet succeed and free the account); when recorded failures fill it, it is the rest
// of the window.
func (ft *failureTable) blockedFor(key string, now time.Time, window time.Duration) time.Duration {
	el, ok := ft.byKey[key]
	if !ok {
		return 0
	}
	e := el.Value.(*failureEntry)
	switch {
	case e.failures >= ft.limit:
		return max(e.start.Add(window).Sub(now), time.Second)
	case e.failures+e.pending >= ft.limit:
		return time.Second
	}
	return 0
}

// reserve records an attempt in flight for key and returns its entry.
func (ft *failureTable) reserve(key string, now time.Time, maxKeys int) *failureEntry {
	e := ft.entry(key, now, maxKeys)
	e.pending++
	return e
}

// settle ends an attempt reserved on e: it no longer is in flight and, if failed, counts. When e
// was forgotten meanwhile (evicted or cleared by a success), a failure is recorded afresh. It
// reports whether this failure reached the limit.
func (ft *failureTable) settle(key string, e *failureEntry, failed bool, now time.Time, maxKeys int) bool {
	if el, ok := ft.byKey[key]; ok && el.Value.(*failureEntry) == e {
		e.pending--
	} else if failed {
		e = ft.entry(key, now, maxKeys)
	}
	if !failed {
		return false
	}
	e.failures++
	return e.failures == ft.limit
}

// entry returns key's entry, creating it with a window starting now; at MaxKeys the entry with
// the oldest window is forgotten to make room.
func (ft *failureTable) entry(key string, now time.Time, maxKeys int) *failureEntry {
	if el, ok := ft.byKey[key]; ok {
		return el.Value.(*failureEntry)
	}
	for len(ft.byKey) >= maxKeys {
		el := ft.order.Front()
		ft.order.Remove(el)
		delete(ft.byKey, el.Value.(*failureEntry).key)
	}
	e := &failureEntry{key: key, start: now}
	ft.byKey[key] = ft.order.PushBack(e)
	return e
}

func (ft *failureTable) remove(key string) {
	if el, ok := ft.byKey[key]; ok {
		ft.order.Remove(el)
		delete(ft.byKey, key)
	}
}
