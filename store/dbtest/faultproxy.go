package dbtest

import (
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// FaultProxy is a TCP proxy between a test's server and PostgreSQL that can cut the database off
// (every open connection closed, new ones refused) and add latency, so tests see what a real
// outage or a slow network does to the driver and the pool.
type FaultProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	delay time.Duration
	conns map[net.Conn]struct{}

	flights atomic.Int64 // see RoundTrips
}

// RoundTrips is how many times, on all its connections so far, a client sent something after
// PostgreSQL had answered (or first): the round trips the clients waited for, however many
// messages each carried and however many chunks they came in (connection start-ups included).
func (p *FaultProxy) RoundTrips() int64 { return p.flights.Load() }

// NewFaultProxy listens on a free loopback port and forwards to the test PostgreSQL server
// (ServerURL). It is closed when the test ends.
func NewFaultProxy(t testing.TB) *FaultProxy {
	t.Helper()
	u, err := url.Parse(ServerURL())
	if err != nil {
		t.Fatalf("dbtest: GORGON_TEST_PG: %v", err)
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("fault proxy: %v", err)
	}
	p := &FaultProxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(p.close)
	return p
}

// URL is a connection URL for database name through the proxy, with ServerURL's credentials.
func (p *FaultProxy) URL(name string) string {
	u, _ := url.Parse(ServerURL())
	u.Host = p.ln.Addr().String()
	u.Path = "/" + name
	u.RawQuery = "sslmode=disable"
	return u.String()
}

// Cut closes every proxied connection and refuses new ones until Restore.
func (p *FaultProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		_ = c.Close()
	}
}

// Restore accepts connections again.
func (p *FaultProxy) Restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// SetDelay adds d before each chunk PostgreSQL sends is forwarded (a slow round trip).
func (p *FaultProxy) SetDelay(d time.Duration) {
	p.mu.Lock()
	p.delay = d
	p.mu.Unlock()
}

func (p *FaultProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			_ = c.Close()
			continue
		}
		go p.pipe(c)
	}
}

func (p *FaultProxy) pipe(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	if !p.track(client, server) {
		return
	}
	done := make(chan struct{}, 2)
	var answered atomic.Bool // PostgreSQL spoke since the client last did
	answered.Store(true)
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := client.Read(buf)
			if n > 0 {
				if answered.Swap(false) {
					p.flights.Add(1)
				}
				if _, werr := server.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		done <- struct{}{}
	}()
	go func() { p.copyDelayed(client, server, &answered); done <- struct{}{} }()
	<-done
	p.untrack(client, server)
}

// track registers a pair of connections, unless the proxy was cut meanwhile.
func (p *FaultProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		for _, c := range cs {
			_ = c.Close()
		}
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *FaultProxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		_ = c.Close()
		delete(p.conns, c)
	}
}

// copyDelayed forwards what src sends, each chunk d after it arrived: a network's latency, which
// delays every byte by the same time (a long answer arriving in several chunks is late by d once,
// not once per chunk, and chunks keep their order).
func (p *FaultProxy) copyDelayed(dst, src net.Conn, answered *atomic.Bool) {
	type chunk struct {
		b  []byte
		at time.Time
	}
	chunks := make(chan chunk, 1024)
	go func() {
		defer close(chunks)
		for {
			buf := make([]byte, 32<<10)
			n, err := src.Read(buf)
			if n > 0 {
				answered.Store(true)
				p.mu.Lock()
				d := p.delay
				p.mu.Unlock()
				chunks <- chunk{buf[:n], time.Now().Add(d)}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range chunks {
		time.Sleep(time.Until(c.at))
		if _, err := dst.Write(c.b); err != nil {
			for range chunks { // let the reader finish
			}
			return
		}
	}
}

func (p *FaultProxy) close() {
	_ = p.ln.Close()
	p.Cut()
}
